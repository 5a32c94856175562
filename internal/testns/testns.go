// Package testns gives each test a fresh, throw-away network namespace.
//
// Tests must never touch the machine's initial network namespace. A test
// that changes network configuration creates its own namespace with [New]
// and works only inside it: through `ip -n NAME` ([NS.IP]), or through the
// namespace's file descriptor ([NS.FD]) for code that opens netlink sockets
// in a given namespace. The namespace is removed when the test ends.
//
// A namespace is created the way `ip netns add` creates one: it is
// bind-mounted onto /run/netns/NAME, and the new namespace is left empty
// (only lo, which stays down). The switch into the new namespace happens on a
// dedicated OS thread that the Go runtime destroys straight afterwards, so no
// thread that runs other Go code ever leaves the process's own namespace.
//
// Usage:
//
//	func TestDummyLink(t *testing.T) {
//		ns := testns.New(t) // skips without root; removed when the test ends
//		ns.IP(t, "link", "add", "d0", "type", "dummy")
//		// Run the code under test in ns, for example with a netlink
//		// socket opened in ns.FD(), and check the result with ns.IP.
//	}
package testns

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// runDir is where iproute2 keeps named network namespaces.
const runDir = "/run/netns"

// NS is a named network namespace that exists for the duration of one test.
type NS struct {
	name string
	path string
	fd   int
}

// New creates a fresh network namespace for the test, named so that
// `ip -n NAME` can use it, and removes it at t.Cleanup.
//
// If the process lacks the privilege to create namespaces (it is not root and
// the attempt fails with a permission error), New skips the test. Any other
// failure fails the test.
func New(t testing.TB) *NS {
	t.Helper()
	ns, err := create()
	if err != nil {
		if os.Geteuid() != 0 && errors.Is(err, fs.ErrPermission) {
			t.Skipf("testns: creating a network namespace needs root (CAP_SYS_ADMIN): %v", err)
		}
		t.Fatalf("testns: %v", err)
	}
	t.Cleanup(func() {
		if err := ns.remove(); err != nil {
			t.Errorf("testns: removing namespace %s: %v", ns.name, err)
		}
	})
	return ns
}

// Name returns the namespace's name, such as "nlkit-test-3f2a9c1d", for use
// with `ip -n NAME` or `ip netns exec NAME`.
func (ns *NS) Name() string { return ns.name }

// Path returns the namespace's bind mount, "/run/netns/NAME".
func (ns *NS) Path() string { return ns.path }

// FD returns a file descriptor of the namespace, opened O_RDONLY|O_CLOEXEC.
// It is valid until the test's cleanup; the caller must not close it.
func (ns *NS) FD() int { return ns.fd }

// IP runs `ip -n NAME args...` and returns its standard output. If the command
// fails, IP fails the test with the command's standard error.
func (ns *NS) IP(t testing.TB, args ...string) []byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("ip", append([]string{"-n", ns.name}, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ip -n %s %s: %v\n%s", ns.name, strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// create makes /run/netns/NAME a new network namespace, undoing everything
// if any step fails.
func create() (*NS, error) {
	if err := prepareRunDir(); err != nil {
		return nil, err
	}
	name := "nlkit-test-" + randomSuffix()
	path := filepath.Join(runDir, name)

	// The bind mount needs an existing file as its mount point.
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0)
	if err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, errors.Join(err, os.Remove(path))
	}

	fd := -1
	err = onThrowawayThread(func() error {
		var err error
		fd, err = unshareAndBind(path)
		return err
	})
	if err != nil {
		if fd >= 0 { // The namespace was made, but its thread did not exit.
			err = errors.Join(err, unix.Close(fd), unmount(path))
		}
		return nil, errors.Join(err, os.Remove(path))
	}
	return &NS{name: name, path: path, fd: fd}, nil
}

// remove closes the namespace's descriptor and removes its bind mount; the
// kernel frees the namespace once nothing else refers to it.
func (ns *NS) remove() error {
	return errors.Join(unix.Close(ns.fd), unmount(ns.path), os.Remove(ns.path))
}

// runDirMu serializes prepareRunDir within the process, so that concurrent
// calls do not stack several bind mounts on /run/netns.
var runDirMu sync.Mutex

// prepareRunDir makes sure /run/netns exists and is a shared mount, as
// `ip netns add` does, so that namespace mounts and unmounts propagate to
// other mount namespaces.
func prepareRunDir() error {
	runDirMu.Lock()
	defer runDirMu.Unlock()

	if err := os.Mkdir(runDir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	err := unix.Mount("", runDir, "none", unix.MS_SHARED|unix.MS_REC, "")
	if err == unix.EINVAL {
		// runDir is not a mount point yet: make it one and try again.
		if err := unix.Mount(runDir, runDir, "none", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return fmt.Errorf("bind-mount %s onto itself: %w", runDir, err)
		}
		err = unix.Mount("", runDir, "none", unix.MS_SHARED|unix.MS_REC, "")
	}
	if err != nil {
		return fmt.Errorf("make %s a shared mount: %w", runDir, err)
	}
	return nil
}

// unshareAndBind moves the calling thread into a new network namespace,
// bind-mounts that namespace onto path and returns an open descriptor of it.
// It must run on a thread that is thrown away afterwards.
func unshareAndBind(path string) (int, error) {
	const self = "/proc/thread-self/ns/net"
	if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
		return -1, fmt.Errorf("unshare(CLONE_NEWNET): %w", err)
	}
	if err := unix.Mount(self, path, "none", unix.MS_BIND, ""); err != nil {
		return -1, fmt.Errorf("bind-mount %s onto %s: %w", self, path, err)
	}
	fd, err := unix.Open(self, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, errors.Join(fmt.Errorf("open %s: %w", self, err), unmount(path))
	}
	return fd, nil
}

// onThrowawayThread runs fn on an OS thread of its own and returns once that
// thread has been destroyed, so that whatever fn did to the thread (such as
// switching its namespace) cannot affect any other code.
func onThrowawayThread(fn func() error) error {
	type result struct {
		tid int // the thread to wait for, or 0
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		if unix.Gettid() == unix.Getpid() {
			// The runtime never destroys the main thread, it only parks it
			// forever. Keep this thread busy, so that the new goroutine
			// cannot be scheduled on it, and release it untouched.
			ch <- result{err: onThrowawayThread(fn)}
			runtime.UnlockOSThread()
			return
		}
		// No UnlockOSThread: a goroutine that exits while locked takes its
		// thread with it, and new threads are cloned from a clean template
		// thread instead of this one.
		ch <- result{tid: unix.Gettid(), err: fn()}
	}()
	r := <-ch
	if r.tid != 0 {
		r.err = errors.Join(r.err, waitThreadExit(r.tid))
	}
	return r.err
}

// waitThreadExit waits until the process's thread tid has exited.
func waitThreadExit(tid int) error {
	task := "/proc/self/task/" + strconv.Itoa(tid)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if _, err := os.Lstat(task); errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		time.Sleep(time.Millisecond)
	}
	return fmt.Errorf("thread %d did not exit", tid)
}

// unmount lazily detaches the mount on path.
func unmount(path string) error {
	if err := unix.Unmount(path, unix.MNT_DETACH); err != nil {
		return fmt.Errorf("unmount %s: %w", path, err)
	}
	return nil
}

// randomSuffix returns 8 random hex digits.
func randomSuffix() string {
	var b [4]byte
	rand.Read(b[:]) // never fails
	return hex.EncodeToString(b[:])
}
