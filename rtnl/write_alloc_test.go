package rtnl_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/nlkit/nlkit/rtnl"
)

// maxAllocsPerRouteAdd bounds the heap allocations of one synchronous
// route addition (or deletion) that succeeds.
const maxAllocsPerRouteAdd = 3

// maxAllocsPerBatchedRoute bounds the allocations per route of queueing
// and sending a batch of additions, the batch's memory reused.
const maxAllocsPerBatchedRoute = 0.01

func TestAddRouteAllocations(t *testing.T) {
	ns := routeNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	r := rtnl.Route{Dst: netip.MustParsePrefix("10.9.0.0/16"), LinkIndex: routeLinks(t, c).v0}
	allocs := testing.AllocsPerRun(200, func() {
		if err := c.AddRoute(ctx, r); err != nil {
			t.Fatal(err)
		}
		if err := c.DeleteRoute(ctx, r); err != nil {
			t.Fatal(err)
		}
	})
	if allocs/2 > maxAllocsPerRouteAdd {
		t.Errorf("adding and deleting a route allocate %.1f times; want at most %d each", allocs, maxAllocsPerRouteAdd)
	}
}

func TestBatchAllocations(t *testing.T) {
	ns := routeNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	v0 := routeLinks(t, c).v0
	const n = 1000
	var b rtnl.Batch
	fill := func(del bool) {
		b.Reset()
		for i := range n {
			r := rtnl.Route{Dst: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 100, byte(i >> 8), byte(i)}), 32), LinkIndex: v0}
			queue := b.AddRoute
			if del {
				queue = b.DeleteRoute
			}
			if err := queue(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.SendBatch(ctx, &b); err != nil {
			t.Fatal(err)
		}
	}
	allocs := testing.AllocsPerRun(5, func() {
		fill(false)
		fill(true)
	})
	if perRoute := allocs / (2 * n); perRoute > maxAllocsPerBatchedRoute {
		t.Errorf("a batch of %d route additions and one of deletions allocate %.0f times, %.3f per route; want at most %v", n, allocs, perRoute, maxAllocsPerBatchedRoute)
	}
}

// BenchmarkAddRoute adds and deletes a route, one synchronous request
// each.
func BenchmarkAddRoute(b *testing.B) {
	c := dumpNS(b)
	ctx := context.Background()
	v0, err := c.LinkByName(ctx, "v0")
	if err != nil {
		b.Fatal(err)
	}
	r := rtnl.Route{Dst: netip.MustParsePrefix("10.9.0.0/16"), LinkIndex: v0.Index}
	b.ReportAllocs()
	for b.Loop() {
		if err := c.AddRoute(ctx, r); err != nil {
			b.Fatal(err)
		}
		if err := c.DeleteRoute(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/request")
}

// BenchmarkBatch queues and sends a batch of route additions, then one of
// their deletions.
func BenchmarkBatch(b *testing.B) {
	c := dumpNS(b)
	ctx := context.Background()
	v0, err := c.LinkByName(ctx, "v0")
	if err != nil {
		b.Fatal(err)
	}
	const n = 1000
	var batch rtnl.Batch
	send := func(queue func(*rtnl.Batch, rtnl.Route) error) {
		batch.Reset()
		for i := range n {
			r := rtnl.Route{Dst: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 200, byte(i >> 8), byte(i)}), 32), LinkIndex: v0.Index}
			if err := queue(&batch, r); err != nil {
				b.Fatal(err)
			}
		}
		if err := c.SendBatch(ctx, &batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		send((*rtnl.Batch).AddRoute)
		send((*rtnl.Batch).DeleteRoute)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*n*b.N), "ns/route")
}
