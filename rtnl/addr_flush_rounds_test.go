package rtnl_test

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// TestFlushAddressesRounds flushes with bounded rounds as
// `ip -loops N -s addr flush dev lo` does in a twin namespace: the rounds
// reported, their counts and whether the flush is incomplete must match
// what ip prints, and Flushing must see each address deleted.
func TestFlushAddressesRounds(t *testing.T) {
	ctx := context.Background()
	add := []string{"address add 10.1.0.1/24 dev lo", "address add 10.1.0.2/24 dev lo", "address add 10.2.0.1/24 dev lo"}
	for _, max := range []int{1, 2, 0} {
		t.Run(fmt.Sprint(max), func(t *testing.T) {
			ipNS, libNS := testns.New(t), testns.New(t)
			ipNS.IPBatch(t, add...)
			libNS.IPBatch(t, add...)
			out, ipErr := exec.Command("ip", "-n", ipNS.Name(), "-l", fmt.Sprint(max), "-s", "addr", "flush", "dev", "lo").CombinedOutput()

			c := dial(t, libNS)
			var got strings.Builder
			flushing := 0
			r := rtnl.FlushRounds{Max: max, Deleted: func(round, deleted int) {
				fmt.Fprintf(&got, "\n*** Round %d, deleting %d addresses ***\n", round, deleted)
				if flushing != deleted {
					t.Errorf("round %d: Flushing called %d times for %d addresses", round, flushing, deleted)
				}
				flushing = 0
			}, Flushing: func(a rtnl.Address) {
				if a.LinkIndex != 1 || !a.Prefix.Addr().Is4() {
					t.Errorf("Flushing(%+v): not one of lo's addresses", a)
				}
				flushing++
			}}
			rounds, err := c.FlushAddressesRounds(ctx, r, rtnl.FilterAddrLink(addrLink(t, c, "lo")))
			switch {
			case errors.Is(err, rtnl.ErrFlushIncomplete):
				fmt.Fprintf(&got, "*** Flush remains incomplete after %d rounds. ***\n", max)
			case err != nil:
				t.Fatalf("FlushAddressesRounds: %v", err)
			case rounds == 0:
				got.WriteString("Nothing to flush.\n")
			default:
				fmt.Fprintf(&got, "*** Flush is complete after %d round%s ***\n", rounds, map[bool]string{true: "s"}[rounds > 1])
			}
			if got.String() != string(out) || (err != nil) != (ipErr != nil) {
				t.Errorf("ip -l %d -s addr flush: %v\n%s\nFlushAddressesRounds: %v\n%s", max, ipErr, out, err, got.String())
			}
		})
	}
	c := dial(t, testns.New(t))
	if _, err := c.FlushAddressesRounds(ctx, rtnl.FlushRounds{Max: -1}, rtnl.FilterAddrLink(1)); !isInvalid(err) {
		t.Errorf("FlushAddressesRounds(Max -1) error = %v; want an InvalidError", err)
	}
	if n, err := c.FlushAddressesRounds(ctx, rtnl.FlushRounds{Max: 1}, rtnl.FilterAddrLink(1)); n != 0 || err != nil {
		t.Errorf("FlushAddressesRounds(nothing) = %d, %v; want 0, nil", n, err)
	}
}
