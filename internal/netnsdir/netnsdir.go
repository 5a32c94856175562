// Package netnsdir keeps named network namespaces the way `ip netns` keeps
// them: each name is a file in [Dir] onto which a namespace is bind-mounted,
// and [Dir] is a shared mount, so that the mounts propagate to every mount
// namespace and a deletion in one is seen in all.
//
// It holds the mechanics only: preparing [Dir], creating a name for a new
// namespace or for an existing one, and deleting a name. Names are not
// checked here; callers pass valid ones (netnsutil.ValidateName). Errors
// carry no package prefix: callers say what they were doing.
//
// Its users are netnsutil, the public API, and the test helpers
// internal/testns and netnsutil/nstest, which share [AddForTest] and
// [TestName]. It must not import internal/nlconn, rtnl or netnsutil: the
// in-package tests of nlconn and rtnl import internal/testns, which is built
// on this package, so any such import would be an import cycle in them.
package netnsdir

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nsthread"
)

// Dir is the directory of named network namespaces, as iproute2 keeps it.
const Dir = "/run/netns"

// Path returns the file of the named namespace, Dir/NAME.
func Path(name string) string { return Dir + "/" + name }

// Add creates a new, empty network namespace and bind-mounts it onto
// Dir/NAME, as `ip netns add NAME` does. The namespace is made on a
// throw-away thread (nsthread.New) that returns to its own namespace
// afterwards; the caller's thread never moves. A name in use gives an error
// matching unix.EEXIST. On failure nothing is left behind.
func Add(name string) error {
	return bind(name, "")
}

// Attach bind-mounts the network namespace file src (such as
// /proc/PID/ns/net) onto Dir/NAME, as `ip netns attach NAME PID` does. On
// failure nothing is left behind.
func Attach(name, src string) error {
	if src == "" {
		return errors.New("no namespace to attach")
	}
	return bind(name, src)
}

// bind bind-mounts the namespace at src, or a new one when src is "", onto
// Dir/NAME, after preparing Dir.
func bind(name, src string) error {
	if err := Prepare(); err != nil {
		return err
	}
	path := Path(name)
	// The bind mount needs an existing file as its mount point.
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("create namespace file: %w", &os.PathError{Op: "open", Path: path, Err: err})
	}
	unix.Close(fd)

	mount := func(src string) error {
		if err := unix.Mount(src, path, "none", unix.MS_BIND, ""); err != nil {
			return fmt.Errorf("bind %s -> %s: %w", src, path, err)
		}
		return nil
	}
	if src == "" {
		err = nsthread.New(func() error { return mount("/proc/thread-self/ns/net") })
	} else {
		err = mount(src)
	}
	if err != nil {
		unix.Unmount(path, unix.MNT_DETACH) // in case the mount was made
		if rerr := unix.Unlink(path); rerr != nil {
			err = errors.Join(err, fmt.Errorf("remove %s: %w", path, rerr))
		}
		return err
	}
	return nil
}

// Prepare makes sure Dir exists and is a shared mount, as `ip netns add`
// does: when Dir is not a mount point yet, it is bind-mounted onto itself
// first. This is done under an exclusive flock(2) of Dir, so that
// concurrent callers (ip's or ours) do not stack bind mounts; like ip,
// Prepare goes on without the lock if it cannot be had.
func Prepare() error {
	if err := unix.Mkdir(Dir, 0o755); err != nil && err != unix.EEXIST {
		return fmt.Errorf("mkdir %s: %w", Dir, err)
	}
	lock, err := unix.Open(Dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return &os.PathError{Op: "open", Path: Dir, Err: err}
	}
	defer unix.Close(lock)
	if unix.Flock(lock, unix.LOCK_EX) == nil {
		defer unix.Flock(lock, unix.LOCK_UN)
	}
	madeMount := false
	for {
		err := unix.Mount("", Dir, "none", unix.MS_SHARED|unix.MS_REC, "")
		if err == nil {
			return nil
		}
		if err != unix.EINVAL || madeMount {
			return fmt.Errorf("make %s a shared mount: %w", Dir, err)
		}
		// Dir is not a mount point yet: make it one.
		if err := unix.Mount(Dir, Dir, "none", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return fmt.Errorf("bind-mount %s onto itself: %w", Dir, err)
		}
		madeMount = true
	}
}

// Delete removes the name Dir/NAME, as `ip netns delete NAME` does: the
// bind mount is detached (umount2 with MNT_DETACH) and the file removed.
// The namespace itself is freed by the kernel once nothing refers to it.
// A missing name gives an error matching unix.ENOENT.
func Delete(name string) error {
	path := Path(name)
	unix.Unmount(path, unix.MNT_DETACH) // fails harmlessly on a stray file
	if err := unix.Unlink(path); err != nil {
		return &os.PathError{Op: "remove", Path: path, Err: err}
	}
	return nil
}
