package rtnl_test

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// flushReport writes what `ip -s neigh flush` and `ip -s route flush` print
// for the rounds of a flush, from the rounds reported, the result and the
// error.
type flushReport struct {
	strings.Builder
	t        *testing.T
	flushing int
}

// rounds returns FlushRounds of at most max rounds that write the rounds
// to the report and count the objects announced, which each round checks.
func (rep *flushReport) rounds(max int) rtnl.FlushRounds {
	return rtnl.FlushRounds{
		Max: max,
		Deleted: func(round, deleted int) {
			fmt.Fprintf(rep, "\n*** Round %d, deleting %d entries ***\n", round, deleted)
			if rep.flushing != deleted {
				rep.t.Errorf("round %d: Flushing called %d times for %d entries", round, rep.flushing, deleted)
			}
			rep.flushing = 0
		},
		FlushingNeighbor: func(n rtnl.Neighbor) {
			if n.LinkName != "v0" {
				rep.t.Errorf("FlushingNeighbor(%+v): LinkName %q, want v0", n, n.LinkName)
			}
			rep.flushing++
		},
		FlushingRoute: func(r rtnl.Route) {
			if r.LinkIndex != 0 && r.LinkName != "lo" {
				rep.t.Errorf("FlushingRoute(%+v): LinkName %q, want lo (IPv6 blackhole routes' link)", r, r.LinkName)
			}
			rep.flushing++
		},
	}
}

// end writes ip's last line for a flush that ran rounds and returned err.
func (rep *flushReport) end(rounds int, err error) {
	switch {
	case err != nil:
		rep.t.Fatalf("flush: %v", err)
	case rounds == 0:
		rep.WriteString("Nothing to flush.\n")
	default:
		fmt.Fprintf(rep, "*** Flush is complete after %d round%s ***\n", rounds, map[bool]string{true: "s"}[rounds > 1])
	}
}

// TestFlushNeighborsRounds flushes neighbour entries as
// `ip -4 -s neigh flush dev v0` does in a twin namespace, twice: the rounds
// reported and their counts must be what ip prints. One round allowed
// leaves the flush incomplete.
func TestFlushNeighborsRounds(t *testing.T) {
	ctx := context.Background()
	add := `
neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev v0 nud stale
neigh add 10.0.0.4 lladdr 02:00:00:00:00:04 dev v0 nud reachable
neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 nud stale
`
	ipNS, libNS := neighNS(t), neighNS(t)
	ipNS.IPBatch(t, add)
	libNS.IPBatch(t, add)
	c := dial(t, libNS)
	v0 := addrLink(t, c, "v0")
	for range 2 {
		want, err := exec.Command("ip", "-n", ipNS.Name(), "-4", "-s", "neigh", "flush", "dev", "v0").CombinedOutput()
		if err != nil {
			t.Fatalf("ip neigh flush: %v\n%s", err, want)
		}
		rep := &flushReport{t: t}
		rep.end(c.FlushNeighborsRounds(ctx, rep.rounds(10), rtnl.FilterNeighLink(v0), rtnl.FilterNeighFamily(unix.AF_INET)))
		if rep.String() != string(want) {
			t.Errorf("ip -4 -s neigh flush dev v0:\n%s\nFlushNeighborsRounds:\n%s", want, rep.String())
		}
	}
	libNS.IPBatch(t, add)
	n, err := c.FlushNeighborsRounds(ctx, rtnl.FlushRounds{Max: 1}, rtnl.FilterNeighLink(v0))
	if n != 1 || !errors.Is(err, rtnl.ErrFlushIncomplete) {
		t.Errorf("FlushNeighborsRounds(Max 1) = %d, %v; want 1 and ErrFlushIncomplete", n, err)
	}
	if _, err := c.FlushNeighborsRounds(ctx, rtnl.FlushRounds{Max: -1}, rtnl.FilterNeighLink(v0)); !isInvalid(err) {
		t.Errorf("FlushNeighborsRounds(Max -1) error = %v; want an InvalidError", err)
	}
}

// TestFlushRoutesRounds flushes routes as `ip -s route flush table 100`
// does in a twin namespace, twice: the rounds reported and their counts
// must be what ip prints. One round allowed leaves the flush incomplete.
func TestFlushRoutesRounds(t *testing.T) {
	ctx := context.Background()
	add := []string{"route add blackhole 10.9.1.0/24 table 100", "route add blackhole 10.9.2.0/24 table 100",
		"route add blackhole 2001:db8:9::/48 table 100", "route add blackhole 10.9.3.0/24"}
	ipNS, libNS := testns.New(t), testns.New(t)
	ipNS.IPBatch(t, add...)
	libNS.IPBatch(t, add...)
	c := dial(t, libNS)
	for range 2 {
		want, err := exec.Command("ip", "-n", ipNS.Name(), "-s", "route", "flush", "table", "100").CombinedOutput()
		if err != nil {
			t.Fatalf("ip route flush: %v\n%s", err, want)
		}
		rep := &flushReport{t: t}
		rep.end(c.FlushRoutesRounds(ctx, rep.rounds(0), rtnl.FilterRouteTable(100)))
		if rep.String() != string(want) {
			t.Errorf("ip -s route flush table 100:\n%s\nFlushRoutesRounds:\n%s", want, rep.String())
		}
	}
	libNS.IPBatch(t, add[:2]...)
	n, err := c.FlushRoutesRounds(ctx, rtnl.FlushRounds{Max: 1}, rtnl.FilterRouteTable(100))
	if n != 1 || !errors.Is(err, rtnl.ErrFlushIncomplete) {
		t.Errorf("FlushRoutesRounds(Max 1) = %d, %v; want 1 and ErrFlushIncomplete", n, err)
	}
	if _, err := c.FlushRoutesRounds(ctx, rtnl.FlushRounds{Max: -1}, rtnl.FilterRouteTable(100)); !isInvalid(err) {
		t.Errorf("FlushRoutesRounds(Max -1) error = %v; want an InvalidError", err)
	}
}
