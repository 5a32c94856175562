package rtnl_test

import (
	"context"
	"iter"
	"net"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// dumpObjects is how many routes of each family, addresses and neighbours
// dumpNS makes: enough for the fixed costs of a dump to fade, few enough
// for a VM under emulation.
const dumpObjects = 1000

// Allocation bounds of the lists, per object listed.
const (
	maxAllocsPerListed   = 1.0 // slice API: routes, addresses, neighbours
	maxAllocsPerStreamed = 0.1 // streaming API and append API with a slice reused, the same objects
)

// dumpNS returns a connection to a new namespace with a veth pair v0, v1
// (up), dumpObjects IPv4 and IPv6 routes in table 100, as many IPv4
// addresses on v1 and as many permanent neighbours on v0, made with one
// batch.
func dumpNS(tb testing.TB) *rtnl.Conn {
	tb.Helper()
	ns := testns.New(tb)
	ns.IP(tb, "link", "add", "v0", "up", "type", "veth", "peer", "name", "v1")
	ns.IP(tb, "link", "set", "v1", "up")
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNS(ns.FD()))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	v0, err := c.LinkByName(ctx, "v0")
	if err != nil {
		tb.Fatal(err)
	}
	v1, err := c.LinkByName(ctx, "v1")
	if err != nil {
		tb.Fatal(err)
	}
	lladdr := net.HardwareAddr{2, 0, 0, 0, 0, 9}
	var b rtnl.Batch
	for i := range dumpObjects {
		hi, lo := byte(i>>8), byte(i)
		queue := []error{
			b.AddRoute(rtnl.Route{Dst: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 100, hi, lo}), 32), LinkIndex: v0.Index, Table: 100}),
			b.AddRoute(rtnl.Route{Dst: netip.PrefixFrom(netip.AddrFrom16([16]byte{0x20, 0x01, 0xd, 0xb8, 1, 14: hi, 15: lo}), 128), LinkIndex: v0.Index, Table: 100}),
			b.AddAddress(rtnl.Address{Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 101, hi, lo}), 16), LinkIndex: v1.Index}),
			b.AddNeighbor(rtnl.Neighbor{Dst: netip.AddrFrom4([4]byte{10, 102, hi, lo}), LinkIndex: v0.Index, State: rtnl.NeighPermanent, LLAddr: lladdr}),
		}
		for _, err := range queue {
			if err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := c.SendBatch(ctx, &b); err != nil {
		tb.Fatal(err)
	}
	return c
}

// routeDumpFilters select the routes of one family that dumpNS made.
func routeDumpFilters(family uint8) []rtnl.RouteFilter {
	return []rtnl.RouteFilter{rtnl.FilterRouteFamily(family), rtnl.FilterRouteTable(100)}
}

// allocsPerObject returns the allocations per object of listing, which
// returns how many objects it listed.
func allocsPerObject(t testing.TB, list func() int) float64 {
	t.Helper()
	var n int
	allocs := testing.AllocsPerRun(5, func() { n = list() })
	if n < dumpObjects {
		t.Fatalf("listed %d objects, want at least %d", n, dumpObjects)
	}
	return allocs / float64(n)
}

// countSlice and countSeq list with a slice or streaming list and return
// how many objects it gave.
func countSlice[T any](t testing.TB, list func() ([]T, error)) func() int {
	return func() int {
		vs, err := list()
		if err != nil {
			t.Fatal(err)
		}
		return len(vs)
	}
}

// countAppend lists with an append-style list into a slice it reuses from
// one list to the next, and returns how many objects it gave. The first
// list, which makes the slice, happens when countAppend is called: the
// allocations counted are those of a list that reuses it.
func countAppend[T any](t testing.TB, list func(dst []T) ([]T, error)) func() int {
	vs, err := list(nil)
	if err != nil {
		t.Fatal(err)
	}
	return func() int {
		vs, err = list(vs[:0])
		if err != nil {
			t.Fatal(err)
		}
		return len(vs)
	}
}

func countSeq[T any](t testing.TB, seq iter.Seq2[T, error]) func() int {
	return func() int {
		n := 0
		for _, err := range seq {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		return n
	}
}

// listCases are the lists whose allocations are bounded, each counting
// what it listed.
func listCases(tb testing.TB, c *rtnl.Conn) []struct {
	what   string
	stream bool
	list   func() int
} {
	ctx := context.Background()
	v4, v6 := routeDumpFilters(unix.AF_INET), routeDumpFilters(unix.AF_INET6)
	// dumpNS's addresses and neighbours are IPv4.
	addrDumpFilter, neighDumpFilter := rtnl.FilterAddrFamily(unix.AF_INET), rtnl.FilterNeighFamily(unix.AF_INET)
	return []struct {
		what   string
		stream bool
		list   func() int
	}{
		{"Routes/IPv4", false, countSlice(tb, func() ([]rtnl.Route, error) { return c.Routes(ctx, v4...) })},
		{"Routes/IPv6", false, countSlice(tb, func() ([]rtnl.Route, error) { return c.Routes(ctx, v6...) })},
		{"Addresses", false, countSlice(tb, func() ([]rtnl.Address, error) { return c.Addresses(ctx, addrDumpFilter) })},
		{"Neighbors", false, countSlice(tb, func() ([]rtnl.Neighbor, error) { return c.Neighbors(ctx, neighDumpFilter) })},
		{"AppendRoutes/IPv4", true, countAppend(tb, func(dst []rtnl.Route) ([]rtnl.Route, error) { return c.AppendRoutes(ctx, dst, v4...) })},
		{"AppendRoutes/IPv6", true, countAppend(tb, func(dst []rtnl.Route) ([]rtnl.Route, error) { return c.AppendRoutes(ctx, dst, v6...) })},
		{"AppendAddresses", true, countAppend(tb, func(dst []rtnl.Address) ([]rtnl.Address, error) {
			return c.AppendAddresses(ctx, dst, addrDumpFilter)
		})},
		{"AppendNeighbors", true, countAppend(tb, func(dst []rtnl.Neighbor) ([]rtnl.Neighbor, error) {
			return c.AppendNeighbors(ctx, dst, neighDumpFilter)
		})},
		{"RoutesSeq/IPv4", true, countSeq(tb, c.RoutesSeq(ctx, v4...))},
		{"RoutesSeq/IPv6", true, countSeq(tb, c.RoutesSeq(ctx, v6...))},
		{"AddressesSeq", true, countSeq(tb, c.AddressesSeq(ctx, addrDumpFilter))},
		{"NeighborsSeq", true, countSeq(tb, c.NeighborsSeq(ctx, neighDumpFilter))},
	}
}

func TestListAllocations(t *testing.T) {
	c := dumpNS(t)
	for _, tc := range listCases(t, c) {
		limit := maxAllocsPerListed
		if tc.stream {
			limit = maxAllocsPerStreamed
		}
		got := allocsPerObject(t, tc.list)
		t.Logf("%s: %.3f allocations per object", tc.what, got)
		if got > limit {
			t.Errorf("%s allocates %.3f times per object; want at most %v", tc.what, got, limit)
		}
	}
}

// BenchmarkList dumps and decodes the objects of dumpNS, reporting the
// time per object.
func BenchmarkList(b *testing.B) {
	c := dumpNS(b)
	for _, tc := range listCases(b, c) {
		b.Run(tc.what, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				n += tc.list()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/object")
		})
	}
}
