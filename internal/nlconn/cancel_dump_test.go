package nlconn

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestDumpStopsWhenContextIsCanceledMidway checks that a dump whose context
// is canceled while replies are still queued ends with the context's error
// at the next datagram, rather than reading the dump to its end: the
// kernel queues the next datagram of a dump as the last is read, so a
// receive that only checks the context when it has to wait would never see
// it.
func TestDumpStopsWhenContextIsCanceledMidway(t *testing.T) {
	ns := testns.New(t)
	var batch strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&batch, "address add 10.1.%d.%d/32 dev lo\n", i/250, i%250+1)
	}
	ns.IPBatch(t, batch.String())
	c := dialNS(t, ns)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := make([]byte, unix.SizeofIfAddrmsg)
	req[0] = unix.AF_INET
	seen := 0
	var err error
	for _, merr := range c.Dump(ctx, "dump addresses", unix.RTM_GETADDR, 0, req) {
		if merr != nil {
			err = merr
			break
		}
		seen++
		cancel()
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("dump canceled after its first message ended with %v after %d messages; want context.Canceled", err, seen)
	}
	if seen >= 1000 {
		t.Errorf("dump canceled after its first message yielded %d messages, all of them", seen)
	}
	c.mu.Lock()
	kept := len(c.idle)
	c.mu.Unlock()
	if kept != 0 {
		t.Errorf("the socket of a canceled dump went back to the pool")
	}
}
