// Package testns gives each test a fresh, throw-away network namespace.
//
// Tests must never touch the machine's initial network namespace. A test
// that changes network configuration creates its own namespace with [New]
// and works only inside it: through `ip -n NAME` ([NS.IP]), or through the
// namespace's file descriptor ([NS.FD]) for code that opens netlink sockets
// in a given namespace. The namespace is removed when the test ends.
//
// It is a thin layer over the public helper netnsutil/nstest, which makes
// the namespace as `ip netns add` does (a bind mount onto /run/netns/NAME,
// made on a thread that never runs other Go code in the wrong namespace)
// and can also add peer namespaces joined by veth pairs; testns adds [NS.IP].
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
	"os/exec"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/netnsutil/nstest"
)

// NS is a named network namespace that exists for the duration of one test.
type NS struct {
	ns *nstest.NS
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
	return &NS{ns: nstest.New(t)}
}

// Name returns the namespace's name, such as "nlkit-test-3f2a9c1d", for use
// with `ip -n NAME` or `ip netns exec NAME`.
func (ns *NS) Name() string { return ns.ns.Name() }

// Path returns the namespace's bind mount, "/run/netns/NAME".
func (ns *NS) Path() string { return ns.ns.Path() }

// FD returns a file descriptor of the namespace, opened O_RDONLY|O_CLOEXEC.
// It is valid until the test's cleanup; the caller must not close it.
func (ns *NS) FD() int { return ns.ns.FD() }

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
