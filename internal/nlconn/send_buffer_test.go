package nlconn

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/testns"
)

// TestOversizedSendBufferIsDropped sends requests of several sizes, the
// kernel rejecting each, through Execute and Ack, and checks that the
// pooled socket keeps a send buffer grown up to maxKeptSendBuffer and drops
// a larger one for one of the starting size.
func TestOversizedSendBufferIsDropped(t *testing.T) {
	ns := testns.New(t)
	c := dialNS(t, ns)
	// getLink encodes a get request of lo with aliases of the given
	// sizes, attributes of at most 64 KiB each, which the kernel rejects.
	getLink := func(b []byte, aliases ...int) []byte {
		var e attrs.Encoder
		e.Reset(append(b, make([]byte, unix.SizeofIfInfomsg)...))
		for _, n := range aliases {
			e.Raw(unix.IFLA_IFALIAS, make([]byte, n))
		}
		return e.Bytes()
	}
	pooledSendBuffer := func() int {
		t.Helper()
		c.mu.Lock()
		defer c.mu.Unlock()
		if len(c.idle) != 1 {
			t.Fatalf("%d sockets in the pool; want the one used", len(c.idle))
		}
		return cap(c.idle[0].sendBuf)
	}
	for _, tc := range []struct {
		name    string
		aliases []int
		shrunk  bool
	}{
		{"small", []int{100}, false},
		{"kept", []int{30000}, false},
		{"oversized", []int{40000, 40000}, true},
	} {
		for _, via := range []string{"Execute", "Ack"} {
			var err error
			if via == "Execute" {
				err = c.Execute(context.Background(), "get link", unix.RTM_GETLINK, 0, getLink(nil, tc.aliases...), nil)
			} else {
				err = c.Ack(context.Background(), func() string { return "get link" }, unix.RTM_GETLINK, 0, func(b []byte) ([]byte, error) {
					return getLink(b, tc.aliases...), nil
				})
			}
			var nlErr *nlkit.Error
			if !errors.As(err, &nlErr) {
				t.Fatalf("%s %s: error = %v; want the kernel's rejection", tc.name, via, err)
			}
			size := 0
			for _, n := range tc.aliases {
				size += n
			}
			switch got := pooledSendBuffer(); {
			case tc.shrunk && got != sendBufferLen:
				t.Errorf("%s %s: a send buffer of %d bytes after a request of %d; want it dropped for one of %d",
					tc.name, via, got, size, sendBufferLen)
			case !tc.shrunk && got < size:
				t.Errorf("%s %s: a send buffer of %d bytes after a request of %d; want it kept", tc.name, via, got, size)
			}
		}
	}
}
