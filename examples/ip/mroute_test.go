package main

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"net/netip"
	"regexp"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/nsthread"
	"github.com/nlkit/nlkit/internal/testns"
)

// The multicast routing socket options of <linux/mroute.h>.
const (
	mrtInit        = 200
	mrtAddVIF      = 202
	mrtAddMFC      = 204
	viffUseIfindex = 0x8
)

// mrouteNS returns a namespace with IPv4 multicast routes that a routing
// daemon would install: it opens the multicast routing socket, makes
// veth v0 and v1 virtual interfaces 0 and 1, and adds (10.0.0.1,239.1.1.1)
// from v0 to v1 and (10.0.0.2,239.1.1.2) from v1 to v0 with TTL 3. The
// socket stays open until the test ends: closing it removes the routes.
func mrouteNS(t *testing.T) *testns.NS {
	t.Helper()
	ns := testns.New(t)
	ns.IP(t, "link", "add", "v0", "type", "veth", "peer", "v1")
	ns.IP(t, "link", "set", "v0", "up")
	ns.IP(t, "link", "set", "v1", "up")
	var fd int
	err := nsthread.Do(ns.FD(), func() (err error) {
		fd, err = unix.Socket(unix.AF_INET, unix.SOCK_RAW, unix.IPPROTO_IGMP)
		return err
	})
	if err != nil {
		t.Fatalf("IGMP socket in %s: %v", ns.Name(), err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	if err := unix.SetsockoptInt(fd, unix.IPPROTO_IP, mrtInit, 1); err != nil {
		if errors.Is(err, unix.ENOPROTOOPT) { // a kernel without multicast routing
			kfeature.Missing(t, kfeature.Feature{Name: "IPv4 multicast routing", Since: "2.6", Config: []string{"CONFIG_IP_MROUTE"}}, err)
		}
		t.Fatalf("MRT_INIT: %v", err)
	}
	for vif, dev := range []string{"v0", "v1"} {
		index := linkIndex(t, ns, dev)
		var vifctl [16]byte
		binary.NativeEndian.PutUint16(vifctl[0:], uint16(vif))
		vifctl[2] = viffUseIfindex
		vifctl[3] = 1 // threshold
		binary.NativeEndian.PutUint32(vifctl[8:], uint32(index))
		if err := setsockoptBytes(fd, mrtAddVIF, vifctl[:]); err != nil {
			t.Fatalf("MRT_ADD_VIF %s: %v", dev, err)
		}
	}
	for _, r := range []struct {
		src, grp    string
		parent, oif int
		ttl         byte
	}{{"10.0.0.1", "239.1.1.1", 0, 1, 1}, {"10.0.0.2", "239.1.1.2", 1, 0, 3}} {
		var mfc [60]byte
		src, grp := netip.MustParseAddr(r.src).As4(), netip.MustParseAddr(r.grp).As4()
		copy(mfc[0:], src[:])
		copy(mfc[4:], grp[:])
		binary.NativeEndian.PutUint16(mfc[8:], uint16(r.parent))
		mfc[10+r.oif] = r.ttl
		if err := setsockoptBytes(fd, mrtAddMFC, mfc[:]); err != nil {
			t.Fatalf("MRT_ADD_MFC (%s,%s): %v", r.src, r.grp, err)
		}
	}
	return ns
}

// setsockoptBytes sets an IPPROTO_IP option to the bytes of a struct.
func setsockoptBytes(fd, opt int, b []byte) error {
	_, _, errno := unix.Syscall6(unix.SYS_SETSOCKOPT, uintptr(fd), unix.IPPROTO_IP, uintptr(opt),
		uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), 0)
	if errno != 0 {
		return errno
	}
	return nil
}

// TestMroute compares the example's mroute shows, with their selectors,
// with ip's, for the routes a daemon installed.
func TestMroute(t *testing.T) {
	ns := mrouteNS(t)
	// The time since the routes were last used moves between two reads.
	age := regexp.MustCompile(`((?:Age |"expires": ?))[0-9.]+`)
	sameShows(t, ns.Name(), age, "mroute", "-j mroute", "-s mroute", "-j -s mroute", "-j -p -d -s mroute show table all",
		"mroute show table all", "-d mroute show table default", "mroute show iif v1", "-j mroute show iif v0")
}

// TestMrouteErrors checks the example's errors and empty shows for
// mroute against ip's.
func TestMrouteErrors(t *testing.T) {
	sameErrors(t, nil, "mroute", "-j mroute", "-6 -j mroute", "mroute show table foo", "mroute show table",
		"mroute show iif nosuch", "mroute show from 10.0.0.0/8", "mroute show 224.0.0.0/4", "-0 mroute",
		"mroute frob", "mroute help", "mroute show table 5")
}

// linkIndex returns the index of the link dev of the namespace, as ip
// reads it.
func linkIndex(t *testing.T, ns *testns.NS, dev string) int {
	t.Helper()
	var links []struct {
		Index int `json:"ifindex"`
	}
	out := ns.IP(t, "-j", "link", "show", "dev", dev)
	if err := json.Unmarshal(out, &links); err != nil || len(links) != 1 {
		t.Fatalf("ip -j link show dev %s: %v\n%s", dev, err, out)
	}
	return links[0].Index
}
