package rtnl_test

import (
	"context"
	"encoding/json"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// TestEcho makes changes on a connection WithEcho: each call reports, before
// it returns, the object as the kernel made or removed it; the address it
// reports is the one `ip -j addr show` prints.
func TestEcho(t *testing.T) {
	ns := testns.New(t)
	var got []rtnl.Event
	c := dial(t, ns, rtnl.WithEcho(func(ev rtnl.Event) { got = append(got, ev) }))
	ctx := context.Background()
	ns.IP(t, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	ns.IP(t, "link", "set", "v0", "up")
	v0, err := c.LinkByName(ctx, "v0")
	if err != nil {
		t.Fatal(err)
	}
	echo := func(what string, change func() error) rtnl.Event {
		t.Helper()
		got = nil
		if err := change(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if len(got) != 1 {
			t.Fatalf("%s echoed %d events; want 1: %+v", what, len(got), got)
		}
		return got[0]
	}

	a := rtnl.Address{LinkIndex: v0.Index, Prefix: netip.MustParsePrefix("10.0.0.1/24")}
	ev := echo("AddAddress", func() error { return c.AddAddress(ctx, a) })
	if ev.Kind != rtnl.EventNew || ev.Address == nil || ev.Address.Prefix != a.Prefix {
		t.Errorf("AddAddress echoed %+v", ev)
	}
	var shown []struct {
		AddrInfo []json.RawMessage `json:"addr_info"`
	}
	if err := json.Unmarshal(ns.IP(t, "-j", "-4", "addr", "show", "dev", "v0"), &shown); err != nil || len(shown) != 1 || len(shown[0].AddrInfo) != 1 {
		t.Fatalf("ip -j -4 addr show dev v0: %v %+v", err, shown)
	}
	if b, _ := json.Marshal(ev.Address); string(b) != string(shown[0].AddrInfo[0]) {
		t.Errorf("the echoed address is\n%s\nip shows\n%s", b, shown[0].AddrInfo[0])
	}

	r := rtnl.Route{Family: unix.AF_INET, Dst: netip.MustParsePrefix("10.9.0.0/16"), Gateway: netip.MustParseAddr("10.0.0.254")}
	ev = echo("AddRoute", func() error { return c.AddRoute(ctx, r) })
	if ev.Kind != rtnl.EventNew || ev.Route == nil || ev.Route.Dst != r.Dst || ev.Route.LinkIndex != v0.Index {
		t.Errorf("AddRoute echoed %+v", ev)
	}
	ev = echo("DeleteRoute", func() error { return c.DeleteRoute(ctx, r) })
	if ev.Kind != rtnl.EventDelete || ev.Route == nil || ev.Route.Dst != r.Dst {
		t.Errorf("DeleteRoute echoed %+v", ev)
	}
	ev = echo("DeleteAddress", func() error { return c.DeleteAddress(ctx, a) })
	if ev.Kind != rtnl.EventDelete || ev.Address == nil || ev.Address.Prefix != a.Prefix {
		t.Errorf("DeleteAddress echoed %+v", ev)
	}
	if _, err := c.Links(ctx); err != nil {
		t.Errorf("a list on an echoing connection: %v", err)
	}
}
