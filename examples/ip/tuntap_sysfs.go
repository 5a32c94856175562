package main

import (
	"os"
	"runtime"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/netnsutil"
	"github.com/nlkit/nlkit/rtnl"
)

// addOneQueue sets OneQueue on the devices whose tun_flags in sysfs have
// IFF_ONE_QUEUE, which ip prints and netlink does not report. ip reads
// the flags from the sysfs of the command's namespace: with -n, a sysfs
// it mounts in a mount namespace of its own, as this does on a thread of
// its own. A device whose flags cannot be read keeps what netlink said.
func (c *command) addOneQueue(ts []rtnl.Tuntap) {
	if len(ts) == 0 {
		return
	}
	read := func(sys string) {
		for i := range ts {
			b, err := os.ReadFile(sys + "/class/net/" + ts[i].Name + "/tun_flags")
			if err != nil {
				continue
			}
			flags, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(string(b)), "0x"), 16, 32)
			if err == nil && flags&unix.IFF_ONE_QUEUE != 0 {
				ts[i].OneQueue = true
			}
		}
	}
	if c.opts.netns == "" {
		read("/sys")
		return
	}
	ns, err := netnsutil.Open(c.opts.netns)
	if err != nil {
		return
	}
	defer ns.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		// The thread leaves its mount namespace changed: it stays locked
		// so that the runtime ends it with the goroutine.
		runtime.LockOSThread()
		dir, err := os.MkdirTemp("", "ip-sysfs")
		if err != nil {
			return
		}
		defer os.Remove(dir)
		if unix.Unshare(unix.CLONE_NEWNS) != nil || unix.Setns(ns.FD(), unix.CLONE_NEWNET) != nil ||
			unix.Mount("", "/", "", unix.MS_SLAVE|unix.MS_REC, "") != nil ||
			unix.Mount("sysfs", dir, "sysfs", 0, "") != nil {
			return
		}
		defer unix.Unmount(dir, unix.MNT_DETACH)
		read(dir)
	}()
	<-done
}
