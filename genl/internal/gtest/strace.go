package gtest

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/internal/ipstrace"
	"github.com/nlkit/nlkit/internal/testns"
)

// CompareRequest fails the test unless `ip ARGS`, run in the namespace,
// sends r's bytes: the generic netlink header and attributes of the last
// request ip sends its family. ip may fail (the kernel may refuse the
// request): the request is what counts.
func CompareRequest(t testing.TB, ns *testns.NS, r genl.Request, args ...string) {
	t.Helper()
	want := append([]byte{r.Command, r.Version, 0, 0}, r.Data...)
	if got := ipRequest(t, ns, args...); !bytes.Equal(got, want) {
		t.Errorf("ip %s sends\n% x\nnlkit builds\n% x", strings.Join(args, " "), got, want)
	}
}

// ipRequest runs `ip ARGS` in the namespace under strace and returns the
// payload (after the netlink header) of the last request ip sent.
func ipRequest(t testing.TB, ns *testns.NS, args ...string) []byte {
	t.Helper()
	msgs, ipErr := ipstrace.Sent(t, ns, args...)
	if len(msgs) == 0 {
		t.Fatalf("strace ip %s: no request seen (%s)", strings.Join(args, " "), ipErr)
	}
	last := msgs[len(msgs)-1]
	if len(last) < 16 || int(binary.NativeEndian.Uint32(last)) != len(last) {
		t.Fatalf("strace ip %s: a request of %d bytes that is not one netlink message", strings.Join(args, " "), len(last))
	}
	return last[16:]
}
