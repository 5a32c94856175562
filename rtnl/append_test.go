package rtnl_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// TestAppendLists checks that the append-style lists append to what dst
// holds what the slice lists return, whether dst has room to spare (a
// slice reused) or not.
func TestAppendLists(t *testing.T) {
	c := dumpNS(t)
	ctx := context.Background()
	v4 := routeDumpFilters(unix.AF_INET)
	want, err := c.Routes(ctx, v4...)
	if err != nil {
		t.Fatal(err)
	}
	first := rtnl.Route{Dst: want[0].Dst, LinkName: "kept"}
	for _, room := range []int{0, len(want) / 2, 2 * len(want)} {
		dst := append(make([]rtnl.Route, 0, 1+room), first)
		got, err := c.AppendRoutes(ctx, dst, v4...)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(routesJSON(t, append([]rtnl.Route{first}, want...)), routesJSON(t, got)); diff != "" {
			t.Errorf("AppendRoutes with room for %d: (-want +got)\n%s", room, diff)
		}
	}

	addrs, err := c.Addresses(ctx, rtnl.FilterAddrFamily(unix.AF_INET))
	if err != nil {
		t.Fatal(err)
	}
	reused, err := c.AppendAddresses(ctx, make([]rtnl.Address, 3, 3+len(addrs))[:0], rtnl.FilterAddrFamily(unix.AF_INET))
	if err != nil || len(reused) != len(addrs) {
		t.Errorf("AppendAddresses = %d addresses, %v; want %d", len(reused), err, len(addrs))
	}
	neighs, err := c.Neighbors(ctx, rtnl.FilterNeighFamily(unix.AF_INET))
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.AppendNeighbors(ctx, neighs[:0], rtnl.FilterNeighFamily(unix.AF_INET))
	if err != nil || len(again) != len(neighs) {
		t.Errorf("AppendNeighbors = %d entries, %v; want %d", len(again), err, len(neighs))
	}
	links, err := c.Links(ctx)
	if err != nil {
		t.Fatal(err)
	}
	linksAgain, err := c.AppendLinks(ctx, links[:0])
	if err != nil || len(linksAgain) != len(links) || linksAgain[0].Name != "lo" {
		t.Errorf("AppendLinks = %d links, %v; want %d, lo first", len(linksAgain), err, len(links))
	}
}
