package nlconn

import (
	"context"
	"errors"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestCloseRacingRequests closes a Conn while goroutines send requests on
// it, many of them dialling sockets because the pool is short of them, and
// checks that each request either succeeds or fails with the closed error
// (a dial in a namespace descriptor Close had closed would fail otherwise),
// that Close returns, that calls after it get the closed error, and that no
// descriptor is left open.
func TestCloseRacingRequests(t *testing.T) {
	ns := testns.New(t)
	openFDs(t) // the first directory read may open the runtime's poller
	before := openFDs(t)
	const rounds, goroutines = 20, 3 * maxIdle
	for round := range rounds {
		c, err := Dial(context.Background(), unix.NETLINK_ROUTE, Config{NetNS: ns.FD()})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, goroutines)
		started := make(chan struct{}, goroutines)
		for range goroutines {
			wg.Go(func() {
				started <- struct{}{}
				for {
					var err error
					for _, derr := range c.Dump(context.Background(), "dump links", unix.RTM_GETLINK, 0, linkDump()) {
						if derr != nil {
							err = derr
						}
					}
					if err != nil {
						if !errors.Is(err, errClosed) {
							errs <- err
						}
						return
					}
				}
			})
		}
		for range goroutines {
			<-started
		}
		if err := c.Close(); err != nil {
			t.Fatalf("round %d: Close: %v", round, err)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("round %d: a request racing Close: %v; want success or the closed error", round, err)
		}
		err = c.Execute(context.Background(), "get link", unix.RTM_GETLINK, 0, linkDump(), nil)
		if !errors.Is(err, errClosed) {
			t.Fatalf("round %d: a request after Close: %v; want the closed error", round, err)
		}
		if err := c.Close(); !errors.Is(err, errClosed) {
			t.Fatalf("round %d: a second Close: %v; want the closed error", round, err)
		}
	}
	if after := openFDs(t); after != before {
		t.Errorf("%d descriptors open after the Conns closed; %d before", after, before)
	}
}
