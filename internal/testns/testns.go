// Package testns gives each test a fresh, throw-away network namespace.
//
// Tests must never touch the machine's initial network namespace. A test
// that changes network configuration creates its own namespace with [New]
// and works only inside it: through `ip -n NAME` ([NS.IP]), or through the
// namespace's file descriptor ([NS.FD]) for code that opens netlink sockets
// in a given namespace. The namespace is removed when the test ends.
//
// It is a thin layer over internal/netnsdir, which makes the namespace as
// `ip netns add` does: a bind mount onto /run/netns/NAME of a namespace made
// by internal/nsthread on a thread that never runs other Go code in the
// wrong namespace. netnsdir also decides, for testns and for the public
// helper netnsutil/nstest alike, how namespaces for tests are named and
// when a test skips rather than fails. testns adds [NS.IP].
//
// testns must not import netnsutil or netnsutil/nstest: the in-package
// tests of internal/nlconn and rtnl import testns, and netnsutil imports
// internal/nlconn.
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
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/netnsdir"
)

// NS is a named network namespace that exists for the duration of one test.
type NS struct {
	name string
	fd   int
}

// New creates a fresh network namespace for the test, named so that
// `ip -n NAME` can use it, and removes it at t.Cleanup. The namespace is
// empty but for lo, which is down.
//
// If the process lacks the privilege to create namespaces (it is not root and
// the attempt fails with a permission error), New skips the test. Any other
// failure fails the test.
func New(t testing.TB) *NS {
	t.Helper()
	name := netnsdir.TestName()
	netnsdir.AddForTest(t, "testns", name)
	path := netnsdir.Path(name)
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("testns: %v", &os.PathError{Op: "open", Path: path, Err: err})
	}
	t.Cleanup(func() { unix.Close(fd) })
	return &NS{name: name, fd: fd}
}

// Name returns the namespace's name, such as "nlkit-test-3f2a9c1d", for use
// with `ip -n NAME` or `ip netns exec NAME`.
func (ns *NS) Name() string { return ns.name }

// Path returns the namespace's bind mount, "/run/netns/NAME".
func (ns *NS) Path() string { return netnsdir.Path(ns.name) }

// FD returns a file descriptor of the namespace, opened O_RDONLY|O_CLOEXEC.
// It is valid until the test's cleanup; the caller must not close it.
func (ns *NS) FD() int { return ns.fd }

// IP runs `ip -n NAME args...` and returns its standard output. If the command
// fails, IP fails the test with the command's standard error.
func (ns *NS) IP(t testing.TB, args ...string) []byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("ip", append([]string{"-n", ns.Name()}, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ip -n %s %s: %v\n%s", ns.Name(), strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// IPBatch runs the ip commands (without "ip"; each argument one command or
// several, a line each) in the namespace with one `ip -n NAME -batch -`: one
// process for many commands, which matters in an emulated VM. If a command
// fails, IPBatch fails the test with ip's output.
func (ns *NS) IPBatch(t testing.TB, commands ...string) {
	t.Helper()
	cmd := exec.Command("ip", "-n", ns.Name(), "-batch", "-")
	cmd.Stdin = strings.NewReader(strings.Join(commands, "\n") + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ip -n %s -batch: %v\n%s", ns.Name(), err, out)
	}
}
