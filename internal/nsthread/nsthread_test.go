package nsthread_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nsthread"
	"github.com/nlkit/nlkit/netnsutil/nstest"
)

// Lock the main goroutine to the main thread during initialization, so
// that TestMain starts on the main thread: it then unlocks it and makes the
// first worker goroutine likely to be scheduled there.
func init() { runtime.LockOSThread() }

// mainThreadHops counts the times a worker found itself on the main thread
// during TestMain's probe.
var mainThreadHops atomic.Int64

func TestMain(m *testing.M) {
	if unix.Gettid() != unix.Getpid() {
		fmt.Fprintln(os.Stderr, "TestMain is not on the main thread")
		os.Exit(2)
	}
	restore := nsthread.SetMainThreadHook(func() { mainThreadHops.Add(1) })
	runtime.UnlockOSThread()
	// The worker goroutine becomes the next to run on this P, and runs on
	// this thread, the main one, when the caller blocks.
	for range 20 {
		var tid int
		err := nsthread.New(func() error { tid = unix.Gettid(); return nil })
		if err == nil && tid == unix.Getpid() {
			fmt.Fprintln(os.Stderr, "fn ran on the main thread")
			os.Exit(2)
		}
	}
	restore()
	os.Exit(m.Run())
}

// TestMainThreadNeverUsed checks that the probe in TestMain did meet the
// main thread, which Do then left alone.
func TestMainThreadNeverUsed(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the probe needs root to create namespaces")
	}
	if mainThreadHops.Load() == 0 {
		t.Skip("no worker was scheduled on the main thread; the main-thread path went unexercised")
	}
	t.Logf("%d of 20 workers started on the main thread and moved off it", mainThreadHops.Load())
	own := nsOf(t, "/proc/self/ns/net") // the main thread's
	if got := nsOf(t, "/proc/"+strconv.Itoa(os.Getpid())+"/task/"+strconv.Itoa(os.Getpid())+"/ns/net"); got != own {
		t.Errorf("main thread in %v, want %v", got, own)
	}
}

func TestDo(t *testing.T) {
	ns := nstest.New(t)
	own := threadNS(t)
	target := fdNS(t, ns.FD())

	var in nsID
	var tid int
	err := nsthread.Do(ns.FD(), func() error {
		in, tid = threadNS(t), unix.Gettid()
		return nil
	})
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if in != target {
		t.Errorf("fn ran in %v, want %v", in, target)
	}
	if tid == unix.Getpid() {
		t.Errorf("fn ran on the main thread")
	}
	if got := threadNS(t); got != own {
		t.Errorf("caller's thread is in %v after Do, want %v", got, own)
	}
	checkThreads(t, own)
}

func TestDoReturnsError(t *testing.T) {
	ns := nstest.New(t)
	want := errors.New("boom")
	if err := nsthread.Do(ns.FD(), func() error { return want }); err != want {
		t.Errorf("Do = %v, want fn's error itself", err)
	}
	checkThreads(t, threadNS(t))
}

func TestDoSameNamespace(t *testing.T) {
	fd, err := unix.Open("/proc/self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	calls := 0
	restore := nsthread.SetSetns(func(fd, nstype int) error { calls++; return unix.Setns(fd, nstype) })
	defer restore()
	own := threadNS(t)
	var in nsID
	if err := nsthread.Do(fd, func() error { in = threadNS(t); return nil }); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if in != own {
		t.Errorf("fn ran in %v, want %v", in, own)
	}
	if calls != 0 {
		t.Errorf("Do called setns %d times for the thread's own namespace, want 0", calls)
	}
}

func TestDoBadFD(t *testing.T) {
	own := threadNS(t)
	f, err := os.Open("/proc/self/stat")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	user, err := os.Open("/proc/self/ns/uts") // a namespace, but not a network one
	if err != nil {
		t.Fatal(err)
	}
	defer user.Close()
	for _, tc := range []struct {
		name string
		fd   int
	}{
		{"negative", -1},
		{"closed", 987654},
		{"regular file", int(f.Fd())},
		{"uts namespace", int(user.Fd())},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ran := false
			err := nsthread.Do(tc.fd, func() error { ran = true; return nil })
			if err == nil {
				t.Fatalf("Do(%d) succeeded", tc.fd)
			}
			if ran {
				t.Errorf("fn ran despite the error %v", err)
			}
			t.Logf("Do(%s) = %v", tc.name, err)
		})
	}
	checkThreads(t, own)
}

func TestNew(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	own := threadNS(t)
	var in nsID
	var fd int
	err := nsthread.New(func() error {
		in = threadNS(t)
		var err error
		fd, err = unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer unix.Close(fd)
	if in == own {
		t.Errorf("fn ran in the caller's own namespace %v", in)
	}
	if got := fdNS(t, fd); got != in {
		t.Errorf("descriptor opened in fn refers to %v, want %v", got, in)
	}
	// The namespace is still usable through the descriptor.
	var again nsID
	if err := nsthread.Do(fd, func() error { again = threadNS(t); return nil }); err != nil {
		t.Fatal(err)
	}
	if again != in {
		t.Errorf("Do in the new namespace ran in %v, want %v", again, in)
	}
	checkThreads(t, own)
}

// TestRestoreFailureDestroysThread makes the switch back fail and checks
// that the thread is never reused: it exits.
func TestRestoreFailureDestroysThread(t *testing.T) {
	ns := nstest.New(t)
	own := threadNS(t)
	var calls atomic.Int32
	restore := nsthread.SetSetns(func(fd, nstype int) error {
		if calls.Add(1) == 2 { // the switch back
			return unix.EPERM
		}
		return unix.Setns(fd, nstype)
	})
	var tid int
	fnErr := errors.New("fn failed too")
	err := nsthread.Do(ns.FD(), func() error { tid = unix.Gettid(); return fnErr })
	restore()
	if err == nil {
		t.Fatal("Do succeeded although switching back failed")
	}
	if !errors.Is(err, unix.EPERM) || !errors.Is(err, fnErr) {
		t.Errorf("Do = %v, want both fn's error and EPERM", err)
	}
	t.Logf("Do = %v", err)
	waitThreadGone(t, tid)
	checkThreads(t, own)
}

func TestPanicDestroysThread(t *testing.T) {
	ns := nstest.New(t)
	own := threadNS(t)
	var tid int
	func() {
		defer func() {
			if v := recover(); v != "kaboom" {
				t.Errorf("recovered %v, want the panic of fn", v)
			}
		}()
		nsthread.Do(ns.FD(), func() error {
			tid = unix.Gettid()
			panic("kaboom")
		})
		t.Error("Do returned although fn panicked")
	}()
	waitThreadGone(t, tid)
	checkThreads(t, own)
}

func TestGoexitDestroysThread(t *testing.T) {
	ns := nstest.New(t)
	own := threadNS(t)
	var tid int
	err := nsthread.Do(ns.FD(), func() error {
		tid = unix.Gettid()
		runtime.Goexit()
		return nil
	})
	if err == nil {
		t.Fatal("Do = nil after runtime.Goexit in fn")
	}
	waitThreadGone(t, tid)
	checkThreads(t, own)
}

// TestGoroutinesDoNotInherit documents that a goroutine started in fn runs
// in the process's namespace, not fn's.
func TestGoroutinesDoNotInherit(t *testing.T) {
	ns := nstest.New(t)
	own := threadNS(t)
	var inner nsID
	err := nsthread.Do(ns.FD(), func() error {
		done := make(chan struct{})
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			inner = threadNS(t)
			close(done)
		}()
		<-done
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if inner != own {
		t.Errorf("goroutine started in fn ran in %v, want the process's %v", inner, own)
	}
}

// stressCalls is the number of Do calls of TestStress (the issue's
// 10,000); it runs in well under a second.
const stressCalls = 10000

// TestStress makes many concurrent Do calls, half of them failing in fn,
// and checks that every thread of the process is back in its namespace and
// that no descriptor leaked.
func TestStress(t *testing.T) {
	nsA, nsB := nstest.New(t), nstest.New(t)
	targets := []int{nsA.FD(), nsB.FD()}
	want := []nsID{fdNS(t, nsA.FD()), fdNS(t, nsB.FD())}
	own := threadNS(t)

	// Warm up, so that the runtime opens whatever it keeps open.
	nsthread.Do(targets[0], func() error { return nil })
	before := countFDs(t)

	start := time.Now()
	const workers = 64
	var next atomic.Int64
	var wrong, failed atomic.Int64
	errFn := errors.New("fn failed")
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= stressCalls {
					return
				}
				k := int(i % 2)
				err := nsthread.Do(targets[k], func() error {
					if threadNSNoT() != want[k] {
						wrong.Add(1)
					}
					if i%4 < 2 {
						return errFn
					}
					return nil
				})
				if (err != nil) != (i%4 < 2) || (err != nil && err != errFn) {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d Do calls from %d goroutines in %v", stressCalls, workers, time.Since(start))
	if n := wrong.Load(); n > 0 {
		t.Errorf("%d calls ran fn in the wrong namespace", n)
	}
	if n := failed.Load(); n > 0 {
		t.Errorf("%d calls returned the wrong error", n)
	}
	checkThreads(t, own)
	if after := countFDs(t); after != before {
		t.Errorf("open descriptors: %d before, %d after", before, after)
	}
}

// nsID identifies a namespace.
type nsID struct{ dev, ino uint64 }

func nsOf(t testing.TB, path string) nsID {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		t.Fatalf("stat %s: %v", path, err)
	}
	return nsID{st.Dev, st.Ino}
}

func fdNS(t testing.TB, fd int) nsID {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		t.Fatalf("fstat %d: %v", fd, err)
	}
	return nsID{st.Dev, st.Ino}
}

// threadNS returns the calling thread's namespace. The goroutine must be
// locked to its thread for the answer to mean anything, as inside Do.
func threadNS(t testing.TB) nsID {
	t.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return nsOf(t, "/proc/thread-self/ns/net")
}

func threadNSNoT() nsID {
	var st unix.Stat_t
	unix.Stat("/proc/thread-self/ns/net", &st)
	return nsID{st.Dev, st.Ino}
}

// checkThreads reports every thread of the process not in namespace want.
func checkThreads(t testing.TB, want nsID) {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		var st unix.Stat_t
		err := unix.Stat(filepath.Join("/proc/self/task", task.Name(), "ns/net"), &st)
		if err == unix.ENOENT {
			continue // exited since ReadDir
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := (nsID{st.Dev, st.Ino}); got != want {
			t.Errorf("thread %s is in network namespace %v, want %v", task.Name(), got, want)
		}
	}
}

// waitThreadGone waits for the thread tid of the process to exit.
func waitThreadGone(t testing.TB, tid int) {
	t.Helper()
	if tid == 0 {
		t.Fatal("fn did not record its thread")
	}
	task := "/proc/self/task/" + strconv.Itoa(tid)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if _, err := os.Lstat(task); errors.Is(err, os.ErrNotExist) {
			return
		}
	}
	t.Errorf("thread %d was not destroyed", tid)
}

func countFDs(t testing.TB) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(fds)
}
