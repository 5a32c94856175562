package netnsutil

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// execArg0 is the argv[0] by which the running program, started again by
// an Exec command, knows it is to be the exec helper.
const execArg0 = "nlkit-netnsutil-exec"

// etcDir is where `ip netns exec` finds per-namespace configuration files.
const etcDir = "/etc/netns"

func init() {
	if len(os.Args) >= 4 && os.Args[0] == execArg0 {
		os.Exit(execHelper(os.Args[1], os.Args[2], os.Args[3:]))
	}
}

// Exec returns an [exec.Cmd] that runs the command name with args in the
// named network namespace as `ip netns exec NS name args...` does; the
// caller sets its input and output and starts it. The command runs:
//
//   - in the network namespace /run/netns/NS;
//   - in a mount namespace of its own, in which / is made a recursive slave
//     mount (mounts made there do not propagate back), /sys is replaced by
//     a sysfs of NS (which shows NS's devices under /sys/class/net), and
//     each file of /etc/netns/NS is bind-mounted over its namesake in /etc
//     (resolv.conf, hosts, …), a failed bind being reported on the
//     command's standard error and skipped, as ip does.
//
// How: these mounts need a new mount namespace, which only a single thread
// entering it can set up before it executes the command, and Go cannot run
// code between fork and exec. So the Cmd runs this very program again
// (/proc/self/exe) with a special argv[0]; netnsutil's init function
// recognizes it, locks the main thread, makes the switch and the mounts
// exactly like ip (setns, unshare(CLONE_NEWNS), mount --make-rslave /,
// umount and mount /sys, the /etc binds) and replaces itself with the
// command by execve(2). Nothing of the program runs but the init functions
// of the packages initialized before netnsutil (those it imports, and any
// initialized earlier by the link order); main never does.
//
// Consequently the returned Cmd's Path is /proc/self/exe and its Args are
// [argv0-marker, NS, /resolved/name, name, args...]: append arguments of
// the command to Args, but do not change Path or the first four Args. Env,
// Dir, Stdin/Stdout/Stderr, SysProcAttr and the rest work as usual.
//
// The command is looked up in $PATH now, as [exec.Command] does; an
// unknown command, a missing namespace (matching [nlkit.ErrNotExist]) or an
// invalid name is an error before anything is started. If the switch fails
// in the child, it prints ip's message on the command's standard error and
// exits with status 255; if the command cannot be executed, with status 1.
// The command's environment is not changed (ip resets the VRF of a process
// in a VRF cgroup; Exec does not). The context kills the command as in
// [exec.CommandContext].
func Exec(ctx context.Context, ns string, name string, args ...string) (*exec.Cmd, error) {
	path, err := namePath(ns)
	if err != nil {
		return nil, err
	}
	h, err := OpenPath(path)
	if err != nil {
		return nil, fmt.Errorf("netnsutil: exec in %s: %w", ns, err)
	}
	h.Close()
	prog, err := exec.LookPath(name)
	if err != nil {
		return nil, fmt.Errorf("netnsutil: exec in %s: %w", ns, err)
	}
	cmd := exec.CommandContext(ctx, "/proc/self/exe")
	cmd.Args = append([]string{execArg0, ns, prog, name}, args...)
	return cmd, nil
}

// execHelper switches into the namespace ns and executes prog with argv,
// or returns the exit status to fail with.
func execHelper(ns, prog string, argv []string) int {
	runtime.LockOSThread() // never unlocked: this thread executes prog
	if err := switchNetNS(ns); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 255
	}
	err := syscall.Exec(prog, argv, os.Environ())
	fmt.Fprintf(os.Stderr, "exec of %q failed: %v\n", prog, err)
	return 1
}

// switchNetNS moves the calling thread into the network namespace ns and
// into a new mount namespace with a sysfs of ns and the /etc/netns/NS
// binds, as ip's netns_switch does. Its errors are ip's messages.
func switchNetNS(ns string) error {
	path := RunDir + "/" + ns
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("Cannot open network namespace %q: %v", ns, err)
	}
	err = unix.Setns(fd, unix.CLONE_NEWNET)
	unix.Close(fd)
	if err != nil {
		return fmt.Errorf("setting the network namespace %q failed: %v", ns, err)
	}
	if err := unix.Unshare(unix.CLONE_NEWNS); err != nil {
		return fmt.Errorf("unshare failed: %v", err)
	}
	// Don't let any mounts propagate back to the parent.
	if err := unix.Mount("", "/", "none", unix.MS_SLAVE|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("\"mount --make-rslave /\" failed: %v", err)
	}
	// Mount a /sys that describes the namespace. If the old one cannot be
	// unmounted, lay the new one over it, read-only if it was.
	var flags uintptr
	if err := unix.Unmount("/sys", unix.MNT_DETACH); err != nil {
		var st unix.Statfs_t
		if unix.Statfs("/sys", &st) == nil && st.Flags&unix.ST_RDONLY != 0 {
			flags = unix.MS_RDONLY
		}
	}
	if err := unix.Mount(ns, "/sys", "sysfs", flags, ""); err != nil {
		return fmt.Errorf("mount of /sys failed: %v", err)
	}
	bindEtc(ns)
	return nil
}

// bindEtc bind-mounts every file of /etc/netns/NS over its namesake in
// /etc, reporting failures on standard error, as ip does.
func bindEtc(ns string) {
	if len(ns) >= maxNameLen {
		return
	}
	dir := etcDir + "/" + ns
	f, err := os.Open(dir)
	if err != nil {
		return
	}
	ents, _ := f.ReadDir(-1)
	f.Close()
	for _, e := range ents {
		src, dst := dir+"/"+e.Name(), "/etc/"+e.Name()
		if err := unix.Mount(src, dst, "none", unix.MS_BIND, ""); err != nil {
			fmt.Fprintf(os.Stderr, "Bind %s -> %s failed: %v\n", src, dst, err)
		}
	}
}
