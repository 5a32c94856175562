package rtnl_test

import (
	"context"
	"encoding/json"
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
	if err != nil {
		t.Fatalf("AppendAddresses: %v", err)
	}
	if diff := cmp.Diff(addrsJSON(addrs), addrsJSON(reused)); diff != "" {
		t.Errorf("AppendAddresses into a slice with room: (-Addresses +AppendAddresses)\n%s", diff)
	}
	neighs, err := c.Neighbors(ctx, rtnl.FilterNeighFamily(unix.AF_INET))
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.AppendNeighbors(ctx, neighs[:0], rtnl.FilterNeighFamily(unix.AF_INET))
	if err != nil {
		t.Fatalf("AppendNeighbors: %v", err)
	}
	// neighs is the slice reused: what it held, compared with what was
	// appended over it, would be the same bytes.
	fresh, err := c.Neighbors(ctx, rtnl.FilterNeighFamily(unix.AF_INET))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(jsonEach(t, withoutTimers(fresh)), jsonEach(t, withoutTimers(again))); diff != "" {
		t.Errorf("AppendNeighbors into the slice of an earlier list: (-Neighbors +AppendNeighbors)\n%s", diff)
	}
	links, err := c.Links(ctx)
	if err != nil {
		t.Fatal(err)
	}
	linksAgain, err := c.AppendLinks(ctx, links[:0])
	if err != nil || len(linksAgain) != 3 || linksAgain[0].Name != "lo" {
		t.Fatalf("AppendLinks = %d links, %v; want lo and the veth pair", len(linksAgain), err)
	}
	freshLinks, err := c.Links(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nameAndAddress := func(ls []rtnl.Link) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.Name+" "+l.Address.String())
		}
		return out
	}
	if diff := cmp.Diff(nameAndAddress(freshLinks), nameAndAddress(linksAgain)); diff != "" {
		t.Errorf("AppendLinks into the slice of an earlier list: (-Links +AppendLinks)\n%s", diff)
	}
}

// withoutTimers returns copies of the neighbours without their timers,
// which count seconds and so may differ between two reads.
func withoutTimers(ns []rtnl.Neighbor) []rtnl.Neighbor {
	out := make([]rtnl.Neighbor, len(ns))
	for i, n := range ns {
		n.CacheInfo = nil
		out[i] = n
	}
	return out
}

// jsonEach returns the JSON of each value.
func jsonEach[T any](t *testing.T, vs []T) []string {
	t.Helper()
	out := make([]string, len(vs))
	for i, v := range vs {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = string(b)
	}
	return out
}
