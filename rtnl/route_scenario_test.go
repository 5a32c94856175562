package rtnl_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/nlkit/nlkit/rtnl"
)

// TestGuideRouteScenario is the guide's route walk-through, made with
// nlkit: a default route, routes through a gateway and through a device,
// their deletion, a lookup, and a flush, each compared with what ip shows.
// eth0 is up with 172.24.96.11/20; docker0 has 172.17.0.1/16 and no
// carrier, so that routes through it are linkdown.
func TestGuideRouteScenario(t *testing.T) {
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	ns := addrNS(t)
	// Linux 6.1 renames only a link that is down.
	ns.IPBatch(t, `
link set v0 down
link set v0 name eth0
link set eth0 up
link add docker0 type veth peer name docker0p
link set docker0 up
addr add 172.24.96.11/20 dev eth0
addr add 172.17.0.1/16 dev docker0
`)
	c := dial(t, ns)
	ctx := context.Background()
	eth0, docker0 := addrLink(t, c, "eth0"), addrLink(t, c, "docker0")
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	show := func(prefix string) []rtnl.Route {
		t.Helper()
		return compareRoutes(t, ns, c, nil, []string{"exact", prefix}, []string{"table"}, rtnl.FilterRouteExact(p(prefix)))
	}

	// sudo ip route add default via 172.24.96.1 proto dhcp src 172.24.96.11 metric 100
	must("add default", c.AddRoute(ctx, rtnl.Route{Gateway: a("172.24.96.1"), Protocol: rtnl.ProtocolDHCP,
		PrefSrc: a("172.24.96.11"), Metric: 100}))
	if got := show("0.0.0.0/0"); len(got) != 1 || got[0].LinkName != "eth0" || got[0].Protocol != rtnl.ProtocolDHCP {
		t.Errorf("default route: %+v", got)
	}
	// sudo ip route add 10.0.0.0/24 via 172.17.0.1
	must("add via", c.AddRoute(ctx, rtnl.Route{Dst: p("10.0.0.0/24"), Gateway: a("172.17.0.1")}))
	if got := show("10.0.0.0/24"); len(got) != 1 || !got[0].Flags.Has(rtnl.RouteLinkDown) || got[0].LinkIndex != docker0 {
		t.Errorf("route via docker0: %+v, want it linkdown", got)
	}
	// sudo ip route delete 10.0.0.0/24; sudo ip route add 10.0.0.0/24 dev eth0
	must("delete", c.DeleteRoute(ctx, rtnl.Route{Dst: p("10.0.0.0/24")}))
	must("add dev", c.AddRoute(ctx, rtnl.Route{Dst: p("10.0.0.0/24"), LinkIndex: eth0}))
	if got := show("10.0.0.0/24"); len(got) != 1 || got[0].Scope != rtnl.ScopeLink {
		t.Errorf("route through eth0: %+v, want scope link", got)
	}
	must("delete", c.DeleteRoute(ctx, rtnl.Route{Dst: p("10.0.0.0/24")}))
	if got := show("10.0.0.0/24"); len(got) != 0 {
		t.Errorf("deleted route still listed: %+v", got)
	}
	// ip route get 172.17.0.3
	want, got := stableIP(t, ns, []string{"-j", "-d", "-s", "route", "get", "172.17.0.3"}, func() rtnl.Route {
		r, err := c.GetRoute(ctx, rtnl.RouteQuery{To: a("172.17.0.3")})
		must("get", err)
		return r
	})
	compareRouteJSON(t, "ip route get 172.17.0.3", []rtnl.Route{got}, want)
	// sudo ip route flush exact 172.17.0.0/16
	must("flush", c.FlushRoutes(ctx, rtnl.FilterRouteExact(p("172.17.0.0/16"))))
	if got := show("172.17.0.0/16"); len(got) != 0 {
		t.Errorf("flushed route still listed: %+v", got)
	}
}
