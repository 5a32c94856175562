package nlconn

import (
	"context"
	"testing"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
)

// maxAllocsPerAck bounds the heap allocations of an Ack that succeeds,
// whatever its context: the request is encoded into the socket's buffer,
// and a receive that finds its acknowledgement queued arms no wake-up.
const maxAllocsPerAck = 0

// TestAckAllocations checks Ack's allocations with a context that is never
// done and with one that can be canceled.
func TestAckAllocations(t *testing.T) {
	ns := testns.New(t)
	c := dialNS(t, ns)
	op := func() string { return "set link lo" }
	// An RTM_SETLINK of lo (index 1) that changes nothing: acknowledged.
	encode := func(b []byte) ([]byte, error) {
		b = append(b, make([]byte, unix.SizeofIfInfomsg)...)
		native.Endian.PutUint32(b[len(b)-unix.SizeofIfInfomsg+4:], 1)
		return b, nil
	}
	cancelable, cancel := context.WithCancel(context.Background())
	defer cancel()
	for name, ctx := range map[string]context.Context{"background": context.Background(), "cancelable": cancelable} {
		allocs := testing.AllocsPerRun(100, func() {
			if err := c.Ack(ctx, op, unix.RTM_SETLINK, 0, encode); err != nil {
				t.Fatal(err)
			}
		})
		if allocs > maxAllocsPerAck {
			t.Errorf("%s: Ack allocates %.1f times; want at most %d", name, allocs, maxAllocsPerAck)
		}
	}
}
