package nlconn

import (
	"context"
	"errors"
	"testing"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/testns"
)

// addrRequests lays n RTM_NEWADDR requests back to back, for the addresses
// 10.2.0.1, 10.2.0.2, … /32 on lo (index 1 in a fresh namespace).
func addrRequests(n int) []byte {
	var msgs []byte
	for i := range n {
		var e attrs.Encoder
		ifa := make([]byte, HeaderLen+unix.SizeofIfAddrmsg)
		ifa[HeaderLen] = unix.AF_INET
		ifa[HeaderLen+1] = 32
		native.Endian.PutUint32(ifa[HeaderLen+4:], 1)
		e.Reset(ifa)
		addr := []byte{10, 2, byte((i + 1) >> 8), byte(i + 1)}
		e.Raw(unix.IFA_LOCAL, addr)
		e.Raw(unix.IFA_ADDRESS, addr)
		b := e.Bytes()
		PutHeader(b, len(b), unix.RTM_NEWADDR, unix.NLM_F_CREATE|unix.NLM_F_EXCL, 0, 0)
		msgs = append(msgs, b...)
	}
	return msgs
}

// TestPipelineStopsWhenContextIsCanceledMidway checks that a pipeline
// whose context is canceled while it runs sends no further window of
// requests and ends with the context's error: the acknowledgements of a
// window are queued by the time they are read, so a receive that only
// checks the context when it has to wait would never see it.
func TestPipelineStopsWhenContextIsCanceledMidway(t *testing.T) {
	ns := testns.New(t)
	c := dialNS(t, ns)
	const n = 3 * pipelineWindow
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	acked := 0
	err := c.Pipeline(ctx, "add addresses", addrRequests(n), func(i int, m Message) {
		if ParseError("add address", m) != nil {
			t.Errorf("request %d: %v", i, ParseError("add address", m))
		}
		acked++
		cancel()
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("pipeline canceled at its first acknowledgement = %v after %d acknowledgements; want context.Canceled", err, acked)
	}
	if acked > pipelineWindow {
		t.Errorf("pipeline canceled at its first acknowledgement went on to acknowledge %d requests; want at most a window, %d", acked, pipelineWindow)
	}
}
