package netnsdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root (CAP_SYS_ADMIN) to create network namespaces")
	}
}

// removeLeftover deletes name at cleanup if a failed test left it behind.
func removeLeftover(t *testing.T, name string) {
	t.Cleanup(func() {
		if _, err := os.Lstat(Path(name)); err == nil {
			Delete(name)
		}
	})
}

// ino returns the inode of the namespace file at path, checking that it is
// a namespace.
func ino(t *testing.T, path string) uint64 {
	t.Helper()
	var fsst unix.Statfs_t
	if err := unix.Statfs(path, &fsst); err != nil {
		t.Fatalf("statfs %s: %v", path, err)
	}
	if fsst.Type != unix.NSFS_MAGIC {
		t.Fatalf("%s is not a namespace (file system %#x)", path, fsst.Type)
	}
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		t.Fatalf("stat %s: %v", path, err)
	}
	return st.Ino
}

func TestAddAttachDelete(t *testing.T) {
	needRoot(t)
	name, other := TestName(), TestName()
	removeLeftover(t, name)
	removeLeftover(t, other)
	own := ino(t, "/proc/self/ns/net")

	if err := Add(name); err != nil {
		t.Fatalf("Add: %v", err)
	}
	made := ino(t, Path(name))
	if made == own {
		t.Error("Add named the test's own namespace")
	}
	if err := Add(name); !errors.Is(err, unix.EEXIST) {
		t.Errorf("second Add = %v, want EEXIST", err)
	}
	if got := ino(t, Path(name)); got != made {
		t.Errorf("after the failed Add, %s is namespace %d, want %d", name, got, made)
	}

	if err := Attach(other, Path(name)); err != nil {
		t.Fatalf("Attach: %v", err)
	}
	if got := ino(t, Path(other)); got != made {
		t.Errorf("attached namespace %d, want %d", got, made)
	}

	for _, n := range []string{name, other} {
		if err := Delete(n); err != nil {
			t.Errorf("Delete(%s): %v", n, err)
		}
		if _, err := os.Lstat(Path(n)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("after Delete, stat %s: %v", n, err)
		}
		if err := Delete(n); !errors.Is(err, unix.ENOENT) {
			t.Errorf("second Delete(%s) = %v, want ENOENT", n, err)
		}
	}
}

func TestFailureLeavesNothing(t *testing.T) {
	needRoot(t)
	name := TestName()
	removeLeftover(t, name)
	if err := Attach(name, "/proc/self/ns/no-such-namespace"); !errors.Is(err, unix.ENOENT) {
		t.Errorf("Attach(a missing file) = %v, want ENOENT", err)
	}
	if err := Attach(name, ""); err == nil {
		t.Error(`Attach("") succeeded`)
	}
	if _, err := os.Lstat(Path(name)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after the failed Attach, stat: %v", err)
	}
}

func TestTestName(t *testing.T) {
	a, b := TestName(), TestName()
	re := regexp.MustCompile("^" + TestPrefix + "[0-9a-f]{8}$")
	if !re.MatchString(a) || !re.MatchString(b) {
		t.Errorf("TestName() = %q, %q; want %s and 8 hex digits", a, b, TestPrefix)
	}
	if a == b {
		t.Errorf("TestName() gave %q twice", a)
	}
}

func TestUnprivileged(t *testing.T) {
	perm := fmt.Errorf("bind: %w", unix.EPERM)
	for _, tc := range []struct {
		euid int
		err  error
		want bool
	}{
		{1000, perm, true},
		{1000, unix.EACCES, true},
		{0, perm, false},           // root without CAP_SYS_ADMIN is a broken setup
		{1000, unix.EEXIST, false}, // not about privilege
		{1000, unix.ENAMETOOLONG, false},
	} {
		if got := unprivileged(tc.euid, tc.err); got != tc.want {
			t.Errorf("unprivileged(%d, %v) = %v, want %v", tc.euid, tc.err, got, tc.want)
		}
	}
}

// fakeTB records what AddForTest does with a test, and stops the goroutine
// at Fatalf or Skipf, as testing does.
type fakeTB struct {
	fatal, skip, errs string
	cleanups          []func()
}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errs += fmt.Sprintf(format, args...)
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skip = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run calls AddForTest on a goroutine of its own, which Fatalf and Skipf
// end.
func (f *fakeTB) run(name string) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		AddForTest(f, "who", name)
	}()
	<-done
}

func (f *fakeTB) cleanup() {
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
}

func TestAddForTest(t *testing.T) {
	needRoot(t)
	name := TestName()
	removeLeftover(t, name)

	f := &fakeTB{}
	f.run(name)
	if f.fatal != "" || f.skip != "" || len(f.cleanups) != 1 {
		t.Fatalf("AddForTest: fatal %q, skip %q, %d cleanups; want none, none, 1", f.fatal, f.skip, len(f.cleanups))
	}
	ino(t, Path(name))

	// The name is taken: a failure that is not about privilege.
	g := &fakeTB{}
	g.run(name)
	if g.fatal == "" || g.skip != "" || len(g.cleanups) != 0 {
		t.Errorf("AddForTest of a name in use: fatal %q, skip %q, %d cleanups; want a failure and nothing else", g.fatal, g.skip, len(g.cleanups))
	}
	if want := regexp.MustCompile("^who: add network namespace " + name + ": .*file exists"); !want.MatchString(g.fatal) {
		t.Errorf("failure %q, want it to match %s", g.fatal, want)
	}

	f.cleanup()
	if f.errs != "" {
		t.Errorf("cleanup: %s", f.errs)
	}
	if _, err := os.Lstat(Path(name)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after the cleanup, stat: %v", err)
	}
	// A cleanup that finds nothing to delete reports it.
	f.errs = ""
	f.cleanup()
	if f.errs == "" {
		t.Error("a second cleanup reported nothing")
	}
}
