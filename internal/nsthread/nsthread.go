// Package nsthread runs a function on an OS thread that is in another
// network namespace, without ever letting a thread in the wrong namespace
// run other Go code.
//
// A network namespace belongs to an OS thread, not to a process or a
// goroutine: setns(2) moves only the calling thread. The Go runtime, though,
// moves goroutines between threads at will, and hands a thread that one
// goroutine has left to any other. [Do] therefore works on a goroutine of its
// own, locked to its thread for the whole switch:
//
//  1. lock the thread, and remember the namespace it is in;
//  2. setns(2) it into the target namespace;
//  3. run fn;
//  4. setns(2) it back, check that it is back, and only then unlock it, so
//     that the runtime may reuse it.
//
// When step 4 fails (or fn panics, or leaves the thread in some other
// namespace), the thread is never unlocked: a goroutine that exits while
// locked to its thread takes the thread with it, and the runtime destroys it
// instead of reusing it. The main thread is never used, because the runtime
// cannot destroy it (a locked goroutine that exits on the main thread leaves
// the thread parked for good): a goroutine that finds itself on the main
// thread keeps it busy and starts the work on another goroutine, which cannot
// land there.
//
// Goroutines started inside fn do NOT inherit the namespace: they run on any
// thread the runtime picks, normally one in the process's own namespace. Do
// everything that needs the namespace on fn's own goroutine, and open
// namespace-bound resources (sockets, /proc/thread-self/net files) there.
// Once made, a socket stays in the namespace it was created in, whichever
// thread uses it afterwards.
package nsthread

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// threadNetNS is the calling thread's own network namespace. /proc/self
// would name the process's main thread instead.
const threadNetNS = "/proc/thread-self/ns/net"

// Test hooks: setns switches the calling thread into a namespace (tests
// make switching back fail), mainThreadHook is called when a worker finds
// itself on the main thread.
var (
	setns          = unix.Setns
	mainThreadHook func()
)

// Do runs fn on a locked OS thread that is in the network namespace of the
// open file descriptor nsFD (of /run/netns/NAME, /proc/PID/ns/net, …), and
// returns fn's error. The calling goroutine and its thread never change
// namespace; fn runs on a goroutine of its own, and Do waits for it.
//
// The thread is returned to the runtime only once it is back in the
// namespace it came from; if switching back fails, the thread is destroyed
// (see the package documentation). When the thread is in nsFD's namespace
// already, no switch is made.
//
// fn must not unlock its thread (runtime.UnlockOSThread more times than it
// locked it), and must not change other per-thread state that the runtime
// would carry over to other goroutines (other namespaces, credentials).
// Goroutines that fn starts do not inherit the namespace. If fn panics, the
// thread is destroyed and the panic is raised again in Do's caller.
func Do(nsFD int, fn func() error) error {
	var target unix.Stat_t
	if err := unix.Fstat(nsFD, &target); err != nil {
		return fmt.Errorf("nsthread: network namespace fd %d: %w", nsFD, os.NewSyscallError("fstat", err))
	}
	return run(func(orig *unix.Stat_t) error {
		if sameFile(orig, &target) {
			return nil
		}
		if err := setns(nsFD, unix.CLONE_NEWNET); err != nil {
			return fmt.Errorf("nsthread: enter network namespace fd %d: %w", nsFD, os.NewSyscallError("setns", err))
		}
		return nil
	}, fn)
}

// New runs fn on a locked OS thread that is in a new, empty network
// namespace, made for the call with unshare(CLONE_NEWNET), and returns fn's
// error. The thread then switches back as in [Do]. The namespace lives on
// after New returns only if fn keeps a reference to it: an open descriptor
// of /proc/thread-self/ns/net, a bind mount of it, or a process or socket in
// it.
func New(fn func() error) error {
	return run(func(*unix.Stat_t) error {
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			return fmt.Errorf("nsthread: create network namespace: %w", os.NewSyscallError("unshare", err))
		}
		return nil
	}, fn)
}

// A result is what the worker goroutine hands back.
type result struct {
	err      error
	panicked bool
	value    any // the panic's value
}

// run runs fn on a worker goroutine, after enter has switched the worker's
// thread, and raises again any panic of fn.
func run(enter func(orig *unix.Stat_t) error, fn func() error) error {
	r := start(enter, fn)
	if r.panicked {
		panic(r.value)
	}
	return r.err
}

// start runs the worker goroutine and waits for its result.
func start(enter func(orig *unix.Stat_t) error, fn func() error) result {
	ch := make(chan result, 1)
	go func() {
		sent := false
		defer func() {
			if !sent { // fn called runtime.Goexit: the thread goes too
				ch <- result{err: errors.New("nsthread: the function called runtime.Goexit")}
			}
		}()
		runtime.LockOSThread()
		if unix.Gettid() == unix.Getpid() {
			// The main thread can be parked but never destroyed. Keep it
			// busy, so that the new goroutine lands elsewhere, and release
			// it untouched.
			if mainThreadHook != nil {
				mainThreadHook()
			}
			ch <- start(enter, fn)
			sent = true
			runtime.UnlockOSThread()
			return
		}
		r, clean := work(enter, fn)
		if clean {
			runtime.UnlockOSThread()
		}
		// Otherwise the goroutine exits locked and the thread goes with it.
		ch <- r
		sent = true
	}()
	return <-ch
}

// work does the switch on the locked calling thread, and reports whether the
// thread is back in its own namespace and fit for reuse.
func work(enter func(orig *unix.Stat_t) error, fn func() error) (r result, clean bool) {
	orig, err := unix.Open(threadNetNS, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return result{err: fmt.Errorf("nsthread: %w", &os.PathError{Op: "open", Path: threadNetNS, Err: err})}, true
	}
	defer unix.Close(orig)
	var origSt unix.Stat_t
	if err := unix.Fstat(orig, &origSt); err != nil {
		return result{err: fmt.Errorf("nsthread: %w", os.NewSyscallError("fstat", err))}, true
	}

	if err := enter(&origSt); err != nil {
		// A failed setns or unshare leaves the thread as it was; check
		// anyway before letting it go.
		return result{err: err}, inNetNS(&origSt)
	}
	r = call(fn)
	if r.panicked {
		return r, false
	}
	if !inNetNS(&origSt) {
		if err := setns(orig, unix.CLONE_NEWNET); err != nil {
			err = fmt.Errorf("nsthread: return to the original network namespace: %w", os.NewSyscallError("setns", err))
			return result{err: errors.Join(r.err, err)}, false
		}
		if !inNetNS(&origSt) {
			err := errors.New("nsthread: thread is not back in its original network namespace")
			return result{err: errors.Join(r.err, err)}, false
		}
	}
	return r, true
}

// call runs fn, turning a panic into a result.
func call(fn func() error) (r result) {
	defer func() {
		if v := recover(); v != nil {
			r = result{panicked: true, value: v}
		}
	}()
	return result{err: fn()}
}

// inNetNS reports whether the calling thread is in the namespace want. Any
// doubt counts as no.
func inNetNS(want *unix.Stat_t) bool {
	var st unix.Stat_t
	if err := unix.Stat(threadNetNS, &st); err != nil {
		return false
	}
	return sameFile(&st, want)
}

func sameFile(a, b *unix.Stat_t) bool { return a.Dev == b.Dev && a.Ino == b.Ino }
