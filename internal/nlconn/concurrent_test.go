package nlconn

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
)

// openFDs returns how many descriptors the process has open.
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// TestConcurrentUseLeaksNoDescriptors uses one Conn from several goroutines
// at once, for dumps read whole, dumps canceled halfway, acknowledged
// requests and receives that wait until their context's deadline (which
// makes the sockets' eventfds), and checks that every answer is right and
// that, once the Conn is closed, no socket or eventfd is left open.
func TestConcurrentUseLeaksNoDescriptors(t *testing.T) {
	ns := testns.New(t)
	openFDs(t) // the first directory read may open the runtime's poller
	before := openFDs(t)
	c, err := Dial(context.Background(), unix.NETLINK_ROUTE, Config{NetNS: ns.FD()})
	if err != nil {
		t.Fatal(err)
	}
	setLo := func(b []byte) ([]byte, error) {
		b = append(b, make([]byte, unix.SizeofIfInfomsg)...)
		native.Endian.PutUint32(b[len(b)-unix.SizeofIfInfomsg+4:], 1)
		return b, nil
	}
	const goroutines, rounds = 8, 20
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*rounds*4)
	for range goroutines {
		wg.Go(func() {
			for range rounds {
				links := 0
				for _, err := range c.Dump(context.Background(), "dump links", unix.RTM_GETLINK, 0, linkDump()) {
					if err != nil {
						errs <- err
					}
					links++
				}
				if links != 1 {
					errs <- errors.New("a dump of a fresh namespace's links did not give lo alone")
				}
				ctx, cancel := context.WithCancel(context.Background())
				for _, err := range c.Dump(ctx, "dump links", unix.RTM_GETLINK, 0, linkDump()) {
					if err != nil && !errors.Is(err, context.Canceled) {
						errs <- err
					}
					cancel()
				}
				cancel()
				if err := c.Ack(context.Background(), func() string { return "set link lo" }, unix.RTM_SETLINK, 0, setLo); err != nil {
					errs <- err
				}
				// A receive with nothing sent waits in poll(2) until the
				// deadline, woken by the socket's eventfd.
				ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
				s, err := c.get()
				if err != nil {
					errs <- err
					cancel()
					continue
				}
				x := &exchange{c: c, s: s, ctx: ctx, op: "wait"}
				err = x.messages(func(Message) (bool, error) { return false, nil })
				x.finish(err == nil)
				cancel()
				if !errors.Is(err, context.DeadlineExceeded) {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if after := openFDs(t); after != before {
		t.Errorf("%d descriptors open after the Conn closed; %d before it was dialed", after, before)
	}
}
