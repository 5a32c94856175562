package netnsdir

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
)

// TestPrefix starts the name of every namespace made for a test by
// internal/testns and netnsutil/nstest.
const TestPrefix = "nlkit-test-"

// TestName returns a fresh name for a test's namespace: TestPrefix and 8
// random hex digits, such as "nlkit-test-3f2a9c1d".
func TestName() string {
	var b [4]byte
	rand.Read(b[:]) // never fails
	return TestPrefix + hex.EncodeToString(b[:])
}

// A TB is the part of testing.TB that AddForTest uses. testing.TB
// satisfies it; the package does not import testing, so that programs
// using netnsutil do not link it.
type TB interface {
	Helper()
	Cleanup(func())
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Skipf(format string, args ...any)
}

// AddForTest creates the named namespace name with [Add] for the test t,
// and deletes it at t's cleanup. who names the caller in its messages
// ("nstest", …).
//
// Without the privilege to create namespaces (the process is not root and
// Add fails with a permission error) it skips the test, saying that it needs
// root. Any other failure, or any failure as root, fails the test at once.
func AddForTest(t TB, who, name string) {
	t.Helper()
	if err := Add(name); err != nil {
		if unprivileged(os.Geteuid(), err) {
			t.Skipf("%s: creating a network namespace needs root (CAP_SYS_ADMIN): add %s: %v", who, name, err)
		}
		t.Fatalf("%s: add network namespace %s: %v", who, name, err)
	}
	t.Cleanup(func() {
		if err := Delete(name); err != nil {
			t.Errorf("%s: removing network namespace %s: %v", who, name, err)
		}
	})
}

// unprivileged reports whether a test whose process has the effective uid
// euid should skip, rather than fail, after err from Add: only a process
// that is not root and was refused permission lacks the privilege.
func unprivileged(euid int, err error) bool {
	return euid != 0 && errors.Is(err, fs.ErrPermission)
}
