package netnsutil

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/netnsdir"
	"github.com/nlkit/nlkit/internal/nsthread"
)

// RunDir is the directory of named network namespaces, as iproute2 keeps
// it: "/run/netns".
const RunDir = netnsdir.Dir

// maxNameLen is NAME_MAX, the longest file name.
const maxNameLen = 255

// ErrInvalidName matches the error for a namespace name `ip netns` refuses:
// empty, "." or "..", longer than 255 bytes, or containing '/'.
var ErrInvalidName = errors.New("invalid network namespace name")

// ValidateName returns an error matching [ErrInvalidName] if name cannot
// name a namespace, with the same rules as `ip netns`.
func ValidateName(name string) error {
	var why string
	switch {
	case name == "":
		why = "it is empty"
	case name == "." || name == "..":
		why = "it is . or .."
	case len(name) > maxNameLen:
		why = "it is longer than 255 bytes"
	default:
		for i := 0; i < len(name); i++ {
			switch name[i] {
			case '/':
				why = "it contains '/'"
			case 0:
				why = "it contains a NUL byte"
			}
		}
	}
	if why != "" {
		return fmt.Errorf("netnsutil: %w %q: %s", ErrInvalidName, name, why)
	}
	return nil
}

// namePath returns /run/netns/NAME for a valid name.
func namePath(name string) (string, error) {
	if err := ValidateName(name); err != nil {
		return "", err
	}
	return netnsdir.Path(name), nil
}

// A NetNS is an open handle of a network namespace. The namespace lives at
// least as long as the handle is open, even if its name is deleted
// meanwhile. A NetNS is safe for concurrent use, except that Close must not
// run concurrently with other uses.
//
// Its descriptor serves rtnl: rtnl.Dial(ctx, rtnl.WithNetNS(ns.FD())) talks
// to the namespace, rtnl.NetNSFD(ns.FD()) creates or moves links into it.
type NetNS struct {
	fd   int
	path string
}

// Open opens the named namespace /run/netns/NAME. A missing name gives an
// error matching [nlkit.ErrNotExist].
func Open(name string) (*NetNS, error) {
	path, err := namePath(name)
	if err != nil {
		return nil, err
	}
	return OpenPath(path)
}

// OpenPID opens the network namespace of the process pid
// (/proc/PID/ns/net). A missing process gives an error matching
// [nlkit.ErrNotExist].
func OpenPID(pid int) (*NetNS, error) {
	if pid <= 0 {
		return nil, fmt.Errorf("netnsutil: invalid pid %d", pid)
	}
	return OpenPath("/proc/" + strconv.Itoa(pid) + "/ns/net")
}

// OpenPath opens the network namespace at path: a bind mount such as
// /run/netns/NAME, or a namespace link such as /proc/PID/ns/net. A path
// that is not a network namespace is an error.
func OpenPath(path string) (*NetNS, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("netnsutil: open network namespace: %w", &os.PathError{Op: "open", Path: path, Err: err})
	}
	if err := checkNetNS(fd); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("netnsutil: open network namespace %s: %w", path, err)
	}
	return &NetNS{fd: fd, path: path}, nil
}

// Current opens the network namespace of the calling thread, normally the
// process's own. Its Path is /proc/PID/fd/FD, which refers to the handle
// itself for as long as it is open.
func Current() (*NetNS, error) {
	runtime.LockOSThread()
	fd, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	runtime.UnlockOSThread()
	if err != nil {
		return nil, fmt.Errorf("netnsutil: %w", &os.PathError{Op: "open", Path: "/proc/thread-self/ns/net", Err: err})
	}
	return &NetNS{fd: fd, path: "/proc/" + strconv.Itoa(os.Getpid()) + "/fd/" + strconv.Itoa(fd)}, nil
}

// checkNetNS makes sure fd is a network namespace.
func checkNetNS(fd int) error {
	var st unix.Statfs_t
	if err := unix.Fstatfs(fd, &st); err != nil {
		return os.NewSyscallError("fstatfs", err)
	}
	if st.Type != unix.NSFS_MAGIC {
		return errors.New("not a namespace")
	}
	typ, err := unix.IoctlRetInt(fd, unix.NS_GET_NSTYPE)
	if err != nil {
		return os.NewSyscallError("ioctl NS_GET_NSTYPE", err)
	}
	if typ != unix.CLONE_NEWNET {
		return errors.New("not a network namespace")
	}
	return nil
}

// FD returns the handle's file descriptor (O_RDONLY|O_CLOEXEC), for
// rtnl.WithNetNS and the like, or -1 after Close. It is owned by the
// NetNS: do not close it.
func (ns *NetNS) FD() int { return ns.fd }

// Path returns the path the handle was opened from. It may stop referring
// to the namespace (a name can be deleted, a process can exit) while the
// handle stays valid.
func (ns *NetNS) Path() string { return ns.path }

// String returns the path, for messages.
func (ns *NetNS) String() string { return "netns " + ns.path }

// Close closes the handle. The namespace is freed once nothing else refers
// to it.
func (ns *NetNS) Close() error {
	if ns.fd < 0 {
		return fmt.Errorf("netnsutil: %s: %w", ns.path, os.ErrClosed)
	}
	fd := ns.fd
	ns.fd = -1
	if err := unix.Close(fd); err != nil {
		return fmt.Errorf("netnsutil: close %s: %w", ns.path, err)
	}
	return nil
}

// Ino returns the namespace's inode number, which identifies it (as in
// "net:[4026531840]", the target of /proc/PID/ns/net).
func (ns *NetNS) Ino() (uint64, error) {
	var st unix.Stat_t
	if err := unix.Fstat(ns.fd, &st); err != nil {
		return 0, fmt.Errorf("netnsutil: %s: %w", ns.path, os.NewSyscallError("fstat", err))
	}
	return st.Ino, nil
}

// Do runs fn on an OS thread that is in the namespace ns, and returns fn's
// error. The calling goroutine's thread does not move: fn runs on a
// goroutine of its own, whose thread is switched into ns for the call and
// back afterwards; if switching back fails, the runtime destroys the thread
// rather than reuse it. If fn panics, the thread is destroyed and Do
// panics with the same value.
//
// Goroutines that fn starts do NOT inherit the namespace. fn must not
// unlock its OS thread (runtime.UnlockOSThread) nor change the thread's
// other namespaces. Resources fn opens that are bound to a namespace, such
// as sockets, stay in ns after Do returns.
func Do(ns *NetNS, fn func() error) error {
	if ns == nil {
		return errors.New("netnsutil: Do: nil NetNS")
	}
	if ns.fd < 0 {
		return fmt.Errorf("netnsutil: Do: %s: %w", ns.path, os.ErrClosed)
	}
	return nsthread.Do(ns.fd, fn)
}

// An Option chooses the namespace a call acts in.
type Option func(*options)

type options struct {
	ns *NetNS
}

// InNetNS makes the call act in ns instead of the caller's namespace, as
// `ip -n NAME` does: nsids are those ns has given its peers, multicast
// addresses those of ns's devices.
func InNetNS(ns *NetNS) Option {
	return func(o *options) { o.ns = ns }
}

func getOptions(opts []Option) (options, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.ns != nil && o.ns.fd < 0 {
		return o, fmt.Errorf("netnsutil: %s: %w", o.ns.path, os.ErrClosed)
	}
	return o, nil
}

// nsFD returns the descriptor of the namespace to act in, or -1 for the
// calling thread's.
func (o options) nsFD() int {
	if o.ns == nil {
		return -1
	}
	return o.ns.fd
}

// do runs fn in the chosen namespace: on the calling thread, locked,
// when none was chosen, else through Do.
func (o options) do(fn func() error) error {
	if o.ns == nil {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		return fn()
	}
	return nsthread.Do(o.ns.fd, fn)
}
