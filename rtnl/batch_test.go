package rtnl_test

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// TestBatchRoutesMatchIP adds the routes of routeCases with ip in one
// namespace and with one batch in another, and compares.
func TestBatchRoutesMatchIP(t *testing.T) {
	byIP, byNlkit := routeNS(t), routeNS(t)
	c := dial(t, byNlkit)
	ix := routeLinks(t, c)
	cases := routeCases()
	// One ip -batch, as a batch's user would have run: one process, not
	// one per route, which counts in a VM under emulation.
	var cmds strings.Builder
	for _, tc := range cases {
		if strings.HasPrefix(tc.ip, "-") {
			byIP.IP(t, strings.Fields(tc.ip)...) // global options: not for -batch
			continue
		}
		cmds.WriteString(tc.ip + "\n")
	}
	byIP.IPBatch(t, cmds.String())
	var b rtnl.Batch
	for _, tc := range cases {
		if err := b.AddRoute(tc.route(ix)); err != nil {
			t.Fatalf("Batch.AddRoute (ip %s): %v", tc.ip, err)
		}
	}
	if b.Len() != len(cases) {
		t.Fatalf("Len() = %d, want %d", b.Len(), len(cases))
	}
	if err := c.SendBatch(context.Background(), &b); err != nil {
		t.Fatalf("SendBatch: %v", err)
	}
	if got, want := routeShowAll(t, byNlkit), routeShowAll(t, byIP); !bytes.Equal(got, want) {
		t.Errorf("routes made by a batch:\n%s\nby ip:\n%s", got, want)
	}
	compareRoutes(t, byNlkit, c, nil, []string{"table", "all"}, nil, rtnl.FilterRouteTable(rtnl.TableUnspec))
}

// TestBatchErrors sends a batch some of whose changes fail, and checks that
// each failure is reported with its index and its own error, and that the
// other changes were made.
func TestBatchErrors(t *testing.T) {
	ns := routeNS(t)
	c := dial(t, ns)
	ix := routeLinks(t, c)
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	var b rtnl.Batch
	queue := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	route := rtnl.Route{Dst: p("10.9.0.0/16"), LinkIndex: ix.v0}
	queue(b.AddRoute(route))                                                                                                                // 0: made
	queue(b.AddRoute(route))                                                                                                                // 1: exists
	queue(b.DeleteRoute(rtnl.Route{Dst: p("10.8.0.0/16")}))                                                                                 // 2: missing
	queue(b.AddAddress(rtnl.Address{LinkIndex: ix.v1, Prefix: p("10.7.0.1/24")}))                                                           // 3: made
	queue(b.AddNeighbor(rtnl.Neighbor{LinkIndex: ix.v0, Dst: a("10.0.0.9"), State: rtnl.NeighPermanent, LLAddr: mac("02:00:00:00:00:09")})) // 4: made
	queue(b.AddRoute(rtnl.Route{Dst: p("2001:db8:9::/48"), LinkIndex: ix.v0}))                                                              // 5: made
	if err := b.AddRoute(rtnl.Route{Dst: p("10.0.0.0/8"), Gateway: a("2001:db8::2")}); !errors.Is(err, unix.EINVAL) {
		t.Errorf("queueing a route of mixed families: %v, want an *InvalidError", err)
	}
	if b.Len() != 6 {
		t.Fatalf("Len() = %d after an invalid route, want 6", b.Len())
	}

	err := c.SendBatch(context.Background(), &b)
	var be *rtnl.BatchError
	if !errors.As(err, &be) {
		t.Fatalf("SendBatch: %v, want a *BatchError", err)
	}
	if len(be.Failed) != 2 || be.Failed[0].Index != 1 || be.Failed[1].Index != 2 {
		t.Fatalf("failed changes: %+v, want 1 and 2", be.Failed)
	}
	if !errors.Is(be.Failed[0].Err, rtnl.ErrExist) || !errors.Is(be.Failed[1].Err, rtnl.ErrNotExist) {
		t.Errorf("errors %v, %v: want ErrExist, ErrNotExist", be.Failed[0].Err, be.Failed[1].Err)
	}
	if !errors.Is(err, rtnl.ErrExist) || !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("errors.Is does not see through %v", err)
	}
	// The error of a change is the one the Conn method gives.
	if want := c.AddRoute(context.Background(), route); want.Error() != be.Failed[0].Err.Error() {
		t.Errorf("batch error %q, AddRoute's %q", be.Failed[0].Err, want)
	}
	for _, sel := range [][]string{{"route", "show", "10.9.0.0/16"}, {"addr", "show", "to", "10.7.0.1"}, {"neigh", "show", "10.0.0.9"}, {"-6", "route", "show", "2001:db8:9::/48"}} {
		if out := ns.IP(t, sel...); len(bytes.TrimSpace(out)) == 0 {
			t.Errorf("ip %v shows nothing: the batch did not make it", sel)
		}
	}

	// Reset empties the batch; a batch of deletes undoes the changes.
	b.Reset()
	queue(b.DeleteRoute(route))
	queue(b.DeleteAddress(rtnl.Address{LinkIndex: ix.v1, Prefix: p("10.7.0.1/24")}))
	queue(b.DeleteNeighbor(rtnl.Neighbor{LinkIndex: ix.v0, Dst: a("10.0.0.9")}))
	if err := c.SendBatch(context.Background(), &b); err != nil {
		t.Fatalf("SendBatch of deletes: %v", err)
	}
	if out := ns.IP(t, "route", "show", "10.9.0.0/16"); len(bytes.TrimSpace(out)) != 0 {
		t.Errorf("route left after its delete: %s", out)
	}
}

// TestBatchLarge adds more routes than fit one window of the pipeline, and
// reads them back.
func TestBatchLarge(t *testing.T) {
	ns := routeNS(t)
	c := dial(t, ns)
	ix := routeLinks(t, c)
	const n = 2000
	var b rtnl.Batch
	for i := range n {
		dst := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 100, byte(i >> 8), byte(i)}), 32)
		if err := b.AddRoute(rtnl.Route{Dst: dst, LinkIndex: ix.v0, Table: 100}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.SendBatch(context.Background(), &b); err != nil {
		t.Fatalf("SendBatch: %v", err)
	}
	routes, err := c.Routes(context.Background(), rtnl.FilterRouteTable(100))
	if err != nil {
		t.Fatal(err)
	}
	if len(routes) != n {
		t.Errorf("table 100 has %d routes, want %d", len(routes), n)
	}
	// Sent again, every change fails, each reported.
	err = c.SendBatch(context.Background(), &b)
	var be *rtnl.BatchError
	if !errors.As(err, &be) || len(be.Failed) != n || be.Failed[n-1].Index != n-1 {
		t.Errorf("SendBatch again: %v", err)
	}
}

func TestBatchContext(t *testing.T) {
	ns := routeNS(t)
	c := dial(t, ns)
	var b rtnl.Batch
	if err := b.AddRoute(rtnl.Route{Dst: netip.MustParsePrefix("10.9.0.0/16"), LinkIndex: routeLinks(t, c).v0}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.SendBatch(ctx, &b); !errors.Is(err, context.Canceled) {
		t.Errorf("SendBatch with a canceled context: %v", err)
	}
}
