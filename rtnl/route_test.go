package rtnl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"os/exec"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// routeNS returns a namespace set up as addrNS does, with 10.0.0.1/24 and
// 2001:db8::1/64 on v0 and 10.1.0.1/24 on v1. Two namespaces made by
// routeNS are alike, indexes included.
func routeNS(t *testing.T) *testns.NS {
	t.Helper()
	ns := addrNS(t)
	ns.IPBatch(t, `
addr add 10.0.0.1/24 dev v0
addr add 2001:db8::1/64 dev v0
addr add 10.1.0.1/24 dev v1
`)
	addrSettle(t, ns)
	return ns
}

// routeIndexes are the indexes of the links of a routeNS.
type routeIndexes struct{ v0, v1 int32 }

func routeLinks(t *testing.T, c *rtnl.Conn) routeIndexes {
	t.Helper()
	return routeIndexes{addrLink(t, c, "v0"), addrLink(t, c, "v1")}
}

// routeExpires matches the time left to an expiring route, and
// routeCounters the use counters of -s, which ip prints only when they are
// not zero: what changes between two reads of the same routes, or between
// two namespaces.
var (
	routeExpires  = regexp.MustCompile(`"expires":[0-9]+`)
	routeCounters = regexp.MustCompile(`,"(users|used|age)":[0-9]+`)
)

// routeMask zeroes the time left in route JSON and drops the counters.
func routeMask(b []byte) []byte {
	return routeCounters.ReplaceAll(routeExpires.ReplaceAll(b, []byte(`"expires":0`)), nil)
}

// routeShowAll returns `ip -j -d -s route show table all` in ns, ticking
// values masked, one route per line, sorted: the order of the routes the
// kernel makes for links depends on which link got there first.
func routeShowAll(t *testing.T, ns *testns.NS) []byte {
	t.Helper()
	return routeSorted(t, ns.IP(t, "-j", "-d", "-s", "route", "show", "table", "all"))
}

// routeSorted returns the objects of ip's JSON array, ticking values
// masked, one per line, sorted.
func routeSorted(t *testing.T, out []byte) []byte {
	t.Helper()
	var objs []json.RawMessage
	if err := json.Unmarshal(out, &objs); err != nil {
		t.Fatalf("ip output: %v\n%s", err, out)
	}
	lines := make([]string, len(objs))
	for i, o := range objs {
		lines[i] = string(routeMask(o))
	}
	slices.Sort(lines)
	return []byte(strings.Join(lines, "\n"))
}

// compareRouteJSON compares nlkit's routes, as JSON less the keys hidden,
// with ip's objects, byte for byte.
func compareRouteJSON(t *testing.T, what string, got []rtnl.Route, want []json.RawMessage, hidden ...string) {
	t.Helper()
	for i := range max(len(want), len(got)) {
		var g, w []byte
		if i < len(got) {
			g = marshal(t, got[i])
			if len(hidden) > 0 {
				g = marshal(t, membersObject(without(members(t, g), hidden...)))
			}
			g = routeMask(g)
		}
		if i < len(want) {
			w = routeMask(want[i])
		}
		if !bytes.Equal(g, w) {
			t.Errorf("%s: route %d:\nnlkit %s\n   ip %s", what, i, g, w)
		}
	}
}

// membersObject is a JSON object made of members, in order.
type membersObject []member

func (ms membersObject) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, m := range ms {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(m.Key)
		b = append(append(append(b, k...), ':'), m.Value...)
	}
	return append(b, '}'), nil
}

// compareRoutes lists the routes with nlkit, with the filters, and compares
// each one's JSON with what `ip -j -d -s route show SELECTORS` prints, opts
// (such as -6) before the object, less the keys ip hides for its
// selectors.
func compareRoutes(t *testing.T, ns *testns.NS, c *rtnl.Conn, opts, selectors []string, hidden []string, filters ...rtnl.RouteFilter) []rtnl.Route {
	t.Helper()
	args := append(append(append([]string(nil), opts...), "-j", "-d", "-s", "route", "show"), selectors...)
	want, got := stableIP(t, ns, args, func() []rtnl.Route {
		routes, err := c.Routes(context.Background(), filters...)
		if err != nil {
			t.Fatalf("Routes(%v): %v", selectors, err)
		}
		return routes
	})
	compareRouteJSON(t, strings.Join(args, " "), got, want, hidden...)
	return got
}

// routeCase is a route made by ip and by nlkit alike.
type routeCase struct {
	ip    string
	route func(ix routeIndexes) rtnl.Route
}

func routeCases() []routeCase {
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	return []routeCase{
		{"route add default via 10.0.0.254", func(routeIndexes) rtnl.Route {
			return rtnl.Route{Gateway: a("10.0.0.254")}
		}},
		{"route add 192.168.1.0/24 via 10.0.0.254", func(routeIndexes) rtnl.Route {
			return rtnl.Route{Dst: p("192.168.1.0/24"), Gateway: a("10.0.0.254")}
		}},
		{"route add 192.168.2.0/24 dev v0", func(ix routeIndexes) rtnl.Route {
			return rtnl.Route{Dst: p("192.168.2.0/24"), LinkIndex: ix.v0}
		}},
		{"route add 192.168.3.0/24 dev v0 metric 100 table 100 proto static scope link src 10.0.0.1", func(ix routeIndexes) rtnl.Route {
			return rtnl.Route{Dst: p("192.168.3.0/24"), LinkIndex: ix.v0, Metric: 100, Table: 100,
				Protocol: rtnl.ProtocolStatic, Scope: rtnl.ScopeLink, PrefSrc: a("10.0.0.1")}
		}},
		{"route add 192.168.4.0/24 nexthop via 10.0.0.253 weight 1 nexthop via 10.0.0.254 weight 2 nexthop via 10.1.0.254 dev v1 weight 256", func(ix routeIndexes) rtnl.Route {
			return rtnl.Route{Dst: p("192.168.4.0/24"), Nexthops: []rtnl.RouteNexthop{
				{Gateway: a("10.0.0.253"), Weight: 1},
				{Gateway: a("10.0.0.254"), Weight: 2},
				{Gateway: a("10.1.0.254"), LinkIndex: ix.v1, Weight: 256},
			}}
		}},
		{"route add 10.20.0.0/16 via 10.0.0.254 mtu lock 1400 window 1000 rtt 10ms rttvar 5ms ssthresh 7 cwnd 8 advmss 1360 reordering 3 hoplimit 5 initcwnd 10 features ecn rto_min 50ms initrwnd 20 quickack 1 congctl cubic fastopen_no_cookie 1", func(routeIndexes) rtnl.Route {
			return rtnl.Route{Dst: p("10.20.0.0/16"), Gateway: a("10.0.0.254"), Metrics: &rtnl.RouteMetrics{
				Lock: 1<<unix.RTAX_MTU | 1<<unix.RTAX_RTO_MIN,
				MTU:  ptr[uint32](1400), Window: ptr[uint32](1000), RTT: ptr[uint32](80), RTTVar: ptr[uint32](20),
				SSThresh: ptr[uint32](7), CWnd: ptr[uint32](8), AdvMSS: ptr[uint32](1360), Reordering: ptr[uint32](3),
				HopLimit: ptr[uint32](5), InitCWnd: ptr[uint32](10), Features: ptr[uint32](unix.RTAX_FEATURE_ECN),
				RTOMin: ptr[uint32](50), InitRWnd: ptr[uint32](20), QuickAck: ptr[uint32](1), CongCtl: "cubic",
				FastOpenNoCookie: ptr[uint32](1),
			}}
		}},
		{"route add blackhole 10.99.0.0/16", func(routeIndexes) rtnl.Route {
			return rtnl.Route{Type: rtnl.RouteTypeBlackhole, Dst: p("10.99.0.0/16")}
		}},
		{"route add unreachable 10.98.0.0/16 table 300", func(routeIndexes) rtnl.Route {
			return rtnl.Route{Type: rtnl.RouteTypeUnreachable, Dst: p("10.98.0.0/16"), Table: 300}
		}},
		{"route add prohibit 10.97.0.0/16 realms 3/5", func(routeIndexes) rtnl.Route {
			return rtnl.Route{Type: rtnl.RouteTypeProhibit, Dst: p("10.97.0.0/16"), Realms: 3<<16 | 5}
		}},
		{"route add throw 10.96.0.0/16 tos 0x20", func(routeIndexes) rtnl.Route {
			return rtnl.Route{Type: rtnl.RouteTypeThrow, Dst: p("10.96.0.0/16"), TOS: 0x20}
		}},
		{"route add 10.95.0.0/16 dev v0 tos 0x14 realms 7", func(ix routeIndexes) rtnl.Route {
			return rtnl.Route{Dst: p("10.95.0.0/16"), LinkIndex: ix.v0, TOS: 0x14, Realms: 7}
		}},
		{"route add local 10.0.0.100 dev v0", func(ix routeIndexes) rtnl.Route {
			return rtnl.Route{Type: rtnl.RouteTypeLocal, Dst: p("10.0.0.100/32"), LinkIndex: ix.v0}
		}},
		{"route add broadcast 10.0.0.127 dev v0", func(ix routeIndexes) rtnl.Route {
			return rtnl.Route{Type: rtnl.RouteTypeBroadcast, Dst: p("10.0.0.127/32"), LinkIndex: ix.v0}
		}},
		{"route add multicast 239.1.0.0/16 dev v0", func(ix routeIndexes) rtnl.Route {
			return rtnl.Route{Type: rtnl.RouteTypeMulticast, Dst: p("239.1.0.0/16"), LinkIndex: ix.v0}
		}},
		{"route add 10.50.0.0/16 via inet6 fe80::ff:fe00:2 dev v0", func(ix routeIndexes) rtnl.Route {
			return rtnl.Route{Dst: p("10.50.0.0/16"), Via: a("fe80::ff:fe00:2"), LinkIndex: ix.v0}
		}},
		{"route add 10.60.0.0/16 via 172.16.0.1 dev v0 onlink", func(ix routeIndexes) rtnl.Route {
			return rtnl.Route{Dst: p("10.60.0.0/16"), Gateway: a("172.16.0.1"), LinkIndex: ix.v0, Flags: rtnl.RouteOnLink}
		}},
		{"route add 10.70.0.0/16 dev v1 table 1000 proto 99", func(ix routeIndexes) rtnl.Route {
			return rtnl.Route{Dst: p("10.70.0.0/16"), LinkIndex: ix.v1, Table: 1000, Protocol: 99}
		}},
		{"route add 10.71.0.0/16 dev v1 table 4294967295 scope site proto 250", func(ix routeIndexes) rtnl.Route {
			return rtnl.Route{Dst: p("10.71.0.0/16"), LinkIndex: ix.v1, Table: 4294967295, Protocol: 250, Scope: rtnl.ScopeSite}
		}},
		{"-6 route add 2001:db8:1::/64 via 2001:db8::fe pref high metric 5", func(routeIndexes) rtnl.Route {
			return rtnl.Route{Dst: p("2001:db8:1::/64"), Gateway: a("2001:db8::fe"), Pref: ptr(rtnl.RoutePrefHigh), Metric: 5}
		}},
		{"-6 route add 2001:db8:2::/64 dev v0 expires 300 pref low", func(ix routeIndexes) rtnl.Route {
			return rtnl.Route{Dst: p("2001:db8:2::/64"), LinkIndex: ix.v0, Expires: 300, Pref: ptr(rtnl.RoutePrefLow)}
		}},
		{"-6 route add 2001:db8:3::/64 nexthop via 2001:db8::10 dev v0 weight 2 nexthop via 2001:db8::11 dev v0", func(ix routeIndexes) rtnl.Route {
			return rtnl.Route{Dst: p("2001:db8:3::/64"), Nexthops: []rtnl.RouteNexthop{
				{Gateway: a("2001:db8::10"), LinkIndex: ix.v0, Weight: 2},
				{Gateway: a("2001:db8::11"), LinkIndex: ix.v0},
			}}
		}},
		{"-6 route add blackhole 2001:db8:4::/64 table 2000 metric 7", func(routeIndexes) rtnl.Route {
			return rtnl.Route{Type: rtnl.RouteTypeBlackhole, Dst: p("2001:db8:4::/64"), Table: 2000, Metric: 7}
		}},
		{"-6 route add unreachable 2001:db8:5::/64", func(routeIndexes) rtnl.Route {
			return rtnl.Route{Type: rtnl.RouteTypeUnreachable, Dst: p("2001:db8:5::/64")}
		}},
		{"-6 route add prohibit 2001:db8:6::/64 mtu 1300 hoplimit 9", func(routeIndexes) rtnl.Route {
			return rtnl.Route{Type: rtnl.RouteTypeProhibit, Dst: p("2001:db8:6::/64"),
				Metrics: &rtnl.RouteMetrics{MTU: ptr[uint32](1300), HopLimit: ptr[uint32](9)}}
		}},
		{"-6 route add local 2001:db8::100 dev v0", func(ix routeIndexes) rtnl.Route {
			return rtnl.Route{Type: rtnl.RouteTypeLocal, Dst: p("2001:db8::100/128"), LinkIndex: ix.v0}
		}},
		{"-6 route add 2001:db8:9::/64 via 2001:db8::fe src 2001:db8::1 proto bird", func(routeIndexes) rtnl.Route {
			return rtnl.Route{Dst: p("2001:db8:9::/64"), Gateway: a("2001:db8::fe"), PrefSrc: a("2001:db8::1"), Protocol: rtnl.ProtocolBird}
		}},
	}
}

// routeAddWithIP adds the routes of the cases with ip.
func routeAddWithIP(t *testing.T, ns *testns.NS, cases []routeCase) {
	t.Helper()
	for _, tc := range cases {
		ns.IP(t, strings.Fields(tc.ip)...)
	}
}

// TestRoutesReadWhatIPAdds reads the routes that ip made, of every type
// and family, and compares them with what ip shows of them.
func TestRoutesReadWhatIPAdds(t *testing.T) {
	ns := routeNS(t)
	c := dial(t, ns)
	routeAddWithIP(t, ns, routeCases())
	routes := compareRoutes(t, ns, c, nil, []string{"table", "all"}, nil, rtnl.FilterRouteTable(rtnl.TableUnspec))
	if len(routes) < 40 {
		t.Errorf("listed %d routes, want at least 40", len(routes))
	}
	ix := routeLinks(t, c)
	for _, r := range routes {
		if r.Dst == netip.MustParsePrefix("192.168.4.0/24") {
			want := []rtnl.RouteNexthop{
				{Gateway: netip.MustParseAddr("10.0.0.253"), LinkIndex: ix.v0, LinkName: "v0", Weight: 1},
				{Gateway: netip.MustParseAddr("10.0.0.254"), LinkIndex: ix.v0, LinkName: "v0", Weight: 2},
				{Gateway: netip.MustParseAddr("10.1.0.254"), LinkIndex: ix.v1, LinkName: "v1", Weight: 256},
			}
			if !reflect.DeepEqual(r.Nexthops, want) {
				t.Errorf("multipath route: next hops %+v, want %+v", r.Nexthops, want)
			}
		}
	}
}

// TestRoutesWrittenByNlkitMatchIP makes the same routes with nlkit in one
// namespace and with ip in another: ip shows the same in both, and nlkit
// reads what ip shows.
func TestRoutesWrittenByNlkitMatchIP(t *testing.T) {
	byIP, byNlkit := routeNS(t), routeNS(t)
	c := dial(t, byNlkit)
	ix := routeLinks(t, c)
	cases := routeCases()
	routeAddWithIP(t, byIP, cases)
	for _, tc := range cases {
		if err := c.AddRoute(context.Background(), tc.route(ix)); err != nil {
			t.Errorf("AddRoute (ip %s): %v", tc.ip, err)
		}
	}
	if got, want := routeShowAll(t, byNlkit), routeShowAll(t, byIP); !bytes.Equal(got, want) {
		t.Errorf("routes made by nlkit:\n%s\nby ip:\n%s", got, want)
	}
	compareRoutes(t, byNlkit, c, nil, []string{"table", "all"}, nil, rtnl.FilterRouteTable(rtnl.TableUnspec))
}

// TestRouteChangesMatchIP replaces, appends, changes and deletes routes
// with nlkit in one namespace and with ip in another, and compares.
func TestRouteChangesMatchIP(t *testing.T) {
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	byIP, byNlkit := routeNS(t), routeNS(t)
	c := dial(t, byNlkit)
	ix := routeLinks(t, c)
	cases := routeCases()
	routeAddWithIP(t, byIP, cases)
	routeAddWithIP(t, byNlkit, cases)
	ctx := context.Background()
	for _, op := range []struct {
		ip string
		fn func() error
	}{
		{"route replace 192.168.1.0/24 via 10.0.0.253 metric 0", func() error {
			return c.ReplaceRoute(ctx, rtnl.Route{Dst: p("192.168.1.0/24"), Gateway: a("10.0.0.253")})
		}},
		{"route replace 192.168.10.0/24 dev v1", func() error {
			return c.ReplaceRoute(ctx, rtnl.Route{Dst: p("192.168.10.0/24"), LinkIndex: ix.v1})
		}},
		{"route append 192.168.2.0/24 via 10.1.0.9", func() error {
			return c.AppendRoute(ctx, rtnl.Route{Dst: p("192.168.2.0/24"), Gateway: a("10.1.0.9")})
		}},
		{"-6 route append 2001:db8:1::/64 via 2001:db8::fd metric 5", func() error {
			return c.AppendRoute(ctx, rtnl.Route{Dst: p("2001:db8:1::/64"), Gateway: a("2001:db8::fd"), Metric: 5})
		}},
		{"route change 192.168.3.0/24 dev v1 metric 100 table 100 proto static scope link", func() error {
			return c.ChangeRoute(ctx, rtnl.Route{Dst: p("192.168.3.0/24"), LinkIndex: ix.v1, Metric: 100, Table: 100,
				Protocol: rtnl.ProtocolStatic, Scope: rtnl.ScopeLink})
		}},
		{"route del 10.20.0.0/16", func() error {
			return c.DeleteRoute(ctx, rtnl.Route{Dst: p("10.20.0.0/16")})
		}},
		{"route del blackhole 10.99.0.0/16", func() error {
			return c.DeleteRoute(ctx, rtnl.Route{Type: rtnl.RouteTypeBlackhole, Dst: p("10.99.0.0/16")})
		}},
		{"route del 10.98.0.0/16 table 300", func() error {
			return c.DeleteRoute(ctx, rtnl.Route{Dst: p("10.98.0.0/16"), Table: 300})
		}},
		{"route del local 10.0.0.100", func() error {
			return c.DeleteRoute(ctx, rtnl.Route{Type: rtnl.RouteTypeLocal, Dst: p("10.0.0.100/32")})
		}},
		{"-6 route del 2001:db8:3::/64", func() error {
			return c.DeleteRoute(ctx, rtnl.Route{Dst: p("2001:db8:3::/64")})
		}},
		{"route del default", func() error {
			return c.DeleteRoute(ctx, rtnl.Route{})
		}},
	} {
		byIP.IP(t, strings.Fields(op.ip)...)
		if err := op.fn(); err != nil {
			t.Errorf("nlkit for ip %s: %v", op.ip, err)
		}
	}
	if got, want := routeShowAll(t, byNlkit), routeShowAll(t, byIP); !bytes.Equal(got, want) {
		t.Errorf("routes changed by nlkit:\n%s\nby ip:\n%s", got, want)
	}
}

// TestDeleteListedRoutes deletes routes as Routes lists them.
func TestDeleteListedRoutes(t *testing.T) {
	ns := routeNS(t)
	c := dial(t, ns)
	routeAddWithIP(t, ns, routeCases())
	ctx := context.Background()
	for _, table := range []rtnl.Table{rtnl.TableMain, rtnl.TableLocal, 100, 300, 1000} {
		routes, err := c.Routes(ctx, rtnl.FilterRouteTable(table), rtnl.FilterRouteProtocol(rtnl.ProtocolBoot))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range routes {
			if err := c.DeleteRoute(ctx, r); err != nil {
				t.Errorf("DeleteRoute(%s table %s): %v", r.Dst, r.Table, err)
			}
		}
	}
	if out := ns.IP(t, "-4", "route", "show", "table", "all", "proto", "boot"); len(out) != 0 {
		t.Errorf("IPv4 boot routes left:\n%s", out)
	}
}

// TestRouteFiltersMatchIP lists the routes with each filter and compares
// with ip's selectors.
func TestRouteFiltersMatchIP(t *testing.T) {
	p := netip.MustParsePrefix
	ns := routeNS(t)
	c := dial(t, ns)
	routeAddWithIP(t, ns, routeCases())
	ns.IP(t, "-6", "route", "add", "2001:db8:9::/64", "from", "2001:db8:a::/48", "dev", "v0")
	ix := routeLinks(t, c)
	all := rtnl.FilterRouteTable(rtnl.TableUnspec)
	v6 := rtnl.FilterRouteFamily(unix.AF_INET6)
	for _, tc := range []struct {
		opts, selectors, hidden []string
		filters                 []rtnl.RouteFilter
	}{
		{nil, nil, []string{"table"}, nil},
		{[]string{"-6"}, nil, []string{"table"}, []rtnl.RouteFilter{rtnl.FilterRouteFamily(unix.AF_INET6)}},
		{[]string{"-4"}, []string{"table", "all"}, nil, []rtnl.RouteFilter{all, rtnl.FilterRouteFamily(unix.AF_INET)}},
		{nil, []string{"table", "100"}, []string{"table"}, []rtnl.RouteFilter{rtnl.FilterRouteTable(100)}},
		{nil, []string{"table", "1000"}, []string{"table"}, []rtnl.RouteFilter{rtnl.FilterRouteTable(1000)}},
		{[]string{"-6"}, []string{"table", "local"}, []string{"table"}, []rtnl.RouteFilter{rtnl.FilterRouteFamily(unix.AF_INET6), rtnl.FilterRouteTable(rtnl.TableLocal)}},
		{nil, []string{"table", "all", "proto", "static"}, []string{"protocol"}, []rtnl.RouteFilter{all, rtnl.FilterRouteProtocol(rtnl.ProtocolStatic)}},
		{nil, []string{"table", "all", "proto", "kernel"}, []string{"protocol"}, []rtnl.RouteFilter{all, rtnl.FilterRouteProtocol(rtnl.ProtocolKernel)}},
		{nil, []string{"table", "all", "type", "blackhole"}, nil, []rtnl.RouteFilter{all, rtnl.FilterRouteType(rtnl.RouteTypeBlackhole)}},
		{nil, []string{"table", "all", "type", "local"}, nil, []rtnl.RouteFilter{all, rtnl.FilterRouteType(rtnl.RouteTypeLocal)}},
		{nil, []string{"table", "all", "scope", "link"}, []string{"scope"}, []rtnl.RouteFilter{all, rtnl.FilterRouteScope(rtnl.ScopeLink)}},
		{nil, []string{"table", "all", "scope", "host"}, []string{"scope"}, []rtnl.RouteFilter{all, rtnl.FilterRouteScope(rtnl.ScopeHost)}},
		{nil, []string{"dev", "v0"}, []string{"table", "dev"}, []rtnl.RouteFilter{rtnl.FilterRouteLink(ix.v0)}},
		{nil, []string{"table", "all", "dev", "v1"}, []string{"dev"}, []rtnl.RouteFilter{all, rtnl.FilterRouteLink(ix.v1)}},
		{nil, []string{"via", "10.0.0.254"}, []string{"table", "gateway"}, []rtnl.RouteFilter{rtnl.FilterRouteVia(p("10.0.0.254/32"))}},
		{nil, []string{"via", "10.0.0.0/24"}, []string{"table"}, []rtnl.RouteFilter{rtnl.FilterRouteVia(p("10.0.0.0/24"))}},
		{nil, []string{"table", "all", "src", "10.0.0.1"}, []string{"prefsrc"}, []rtnl.RouteFilter{all, rtnl.FilterRoutePrefSrc(p("10.0.0.1/32"))}},
		{nil, []string{"root", "192.168.0.0/16"}, []string{"table"}, []rtnl.RouteFilter{rtnl.FilterRouteRoot(p("192.168.0.0/16"))}},
		{nil, []string{"match", "192.168.1.5"}, []string{"table"}, []rtnl.RouteFilter{rtnl.FilterRouteMatch(p("192.168.1.5/32"))}},
		{nil, []string{"exact", "192.168.1.0/24"}, []string{"table"}, []rtnl.RouteFilter{rtnl.FilterRouteExact(p("192.168.1.0/24"))}},
		{nil, []string{"192.168.1.0/24"}, []string{"table"}, []rtnl.RouteFilter{rtnl.FilterRouteExact(p("192.168.1.0/24"))}},
		{nil, []string{"exact", "0/0"}, []string{"table"}, []rtnl.RouteFilter{rtnl.FilterRouteExact(p("0.0.0.0/0"))}},
		{[]string{"-6"}, []string{"table", "all", "root", "2001:db8::/32"}, nil, []rtnl.RouteFilter{all, rtnl.FilterRouteRoot(p("2001:db8::/32"))}},
		{[]string{"-6"}, []string{"from", "root", "2001:db8::/32"}, []string{"table"}, []rtnl.RouteFilter{v6, rtnl.FilterRouteFromRoot(p("2001:db8::/32"))}},
		{[]string{"-6"}, []string{"from", "match", "2001:db8:a:1::/64"}, []string{"table"}, []rtnl.RouteFilter{v6, rtnl.FilterRouteFromMatch(p("2001:db8:a:1::/64"))}},
		{[]string{"-6"}, []string{"from", "2001:db8:a::/48"}, []string{"table"}, []rtnl.RouteFilter{v6, rtnl.FilterRouteFromExact(p("2001:db8:a::/48"))}},
		{[]string{"-6"}, []string{"from", "exact", "::/0"}, []string{"table"}, []rtnl.RouteFilter{v6, rtnl.FilterRouteFromExact(p("::/0"))}},
		{nil, []string{"table", "all", "realms", "5"}, nil, []rtnl.RouteFilter{all, rtnl.FilterRouteRealms(5, 0xffff)}},
		{nil, []string{"table", "all", "realms", "3/"}, nil, []rtnl.RouteFilter{all, rtnl.FilterRouteRealms(3<<16, 0xffff0000)}},
		{nil, []string{"table", "all", "realms", "3/5"}, []string{"flow"}, []rtnl.RouteFilter{all, rtnl.FilterRouteRealms(3<<16|5, 0xffffffff)}},
		{nil, []string{"table", "all", "realms", "7"}, nil, []rtnl.RouteFilter{all, rtnl.FilterRouteRealms(7, 0xffff)}},
		{nil, []string{"table", "all", "metric", "100"}, []string{"metric"}, []rtnl.RouteFilter{all, rtnl.FilterRouteMetric(100)}},
		{[]string{"-6"}, []string{"metric", "256"}, []string{"table", "metric"}, []rtnl.RouteFilter{rtnl.FilterRouteFamily(unix.AF_INET6), rtnl.FilterRouteMetric(256)}},
		{nil, []string{"table", "all", "tos", "0x20"}, []string{"tos"}, []rtnl.RouteFilter{all, rtnl.FilterRouteTOS(0x20)}},
		{nil, []string{"cached"}, []string{"table"}, []rtnl.RouteFilter{rtnl.FilterRouteCloned()}},
		{[]string{"-6"}, []string{"table", "all", "cached"}, nil, []rtnl.RouteFilter{all, rtnl.FilterRouteFamily(unix.AF_INET6), rtnl.FilterRouteCloned()}},
		{nil, []string{"table", "all", "type", "unicast", "proto", "boot", "scope", "global"}, []string{"protocol", "scope"}, []rtnl.RouteFilter{all, rtnl.FilterRouteType(rtnl.RouteTypeUnicast), rtnl.FilterRouteProtocol(rtnl.ProtocolBoot), rtnl.FilterRouteScope(rtnl.ScopeGlobal)}},
	} {
		compareRoutes(t, ns, c, tc.opts, tc.selectors, tc.hidden, tc.filters...)
	}
}

// TestRoutesSeq streams the routes of every table and compares with the
// slice form.
func TestRoutesSeq(t *testing.T) {
	ns := routeNS(t)
	c := dial(t, ns)
	routeAddWithIP(t, ns, routeCases())
	ctx := context.Background()
	want, err := c.Routes(ctx, rtnl.FilterRouteTable(rtnl.TableUnspec))
	if err != nil {
		t.Fatal(err)
	}
	var got []rtnl.Route
	for r, err := range c.RoutesSeq(ctx, rtnl.FilterRouteTable(rtnl.TableUnspec)) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if g, w := routeMask(marshal(t, got)), routeMask(marshal(t, want)); !bytes.Equal(g, w) {
		t.Errorf("RoutesSeq:\n%s\nRoutes:\n%s", g, w)
	}
	n := 0
	for range c.RoutesSeq(ctx, rtnl.FilterRouteTable(rtnl.TableUnspec)) {
		n++
		break
	}
	if n != 1 {
		t.Errorf("stopping the stream after one route yielded %d", n)
	}
	for _, err := range c.RoutesSeq(ctx, rtnl.FilterRouteLink(-1)) {
		if !isInvalid(err) {
			t.Errorf("RoutesSeq with link -1: error %v, want an InvalidError", err)
		}
	}
}

// TestRoutesPackageLevel lists the routes of the calling thread's
// namespace.
func TestRoutesPackageLevel(t *testing.T) {
	ns := routeNS(t)
	ns.IP(t, "route", "add", "192.168.1.0/24", "via", "10.0.0.254")
	inNetNS(t, ns, func() {
		ctx := context.Background()
		routes, err := rtnl.Routes(ctx, rtnl.FilterRouteExact(netip.MustParsePrefix("192.168.1.0/24")))
		if err != nil || len(routes) != 1 {
			t.Fatalf("Routes: %v, %v; want the route", routes, err)
		}
		n := 0
		for r, err := range rtnl.RoutesSeq(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			n++
			_ = r
		}
		if n != 3 {
			t.Errorf("RoutesSeq streamed %d routes, want 3 (the main table's IPv4 routes)", n)
		}
	})
}

// TestGetRouteMatchesIP asks the kernel for routes as ip route get does.
func TestGetRouteMatchesIP(t *testing.T) {
	a := netip.MustParseAddr
	ns := routeNS(t)
	c := dial(t, ns)
	routeAddWithIP(t, ns, routeCases())
	ix := routeLinks(t, c)
	for _, tc := range []struct {
		args string
		q    rtnl.RouteQuery
	}{
		{"192.168.1.1", rtnl.RouteQuery{To: a("192.168.1.1")}},
		{"10.0.0.1", rtnl.RouteQuery{To: a("10.0.0.1")}},
		{"127.0.0.1", rtnl.RouteQuery{To: a("127.0.0.1")}},
		{"10.0.0.255", rtnl.RouteQuery{To: a("10.0.0.255")}},
		{"192.168.2.9 from 10.0.0.1", rtnl.RouteQuery{To: a("192.168.2.9"), From: a("10.0.0.1")}},
		{"10.20.1.1 mark 5 uid 1000", rtnl.RouteQuery{To: a("10.20.1.1"), Mark: 5, UID: ptr[uint32](1000)}},
		{"192.168.4.1 oif v1", rtnl.RouteQuery{To: a("192.168.4.1"), LinkIndex: ix.v1}},
		{"192.168.1.1 ipproto tcp sport 1000 dport 80", rtnl.RouteQuery{To: a("192.168.1.1"), IPProto: unix.IPPROTO_TCP, SourcePort: 1000, DestPort: 80}},
		{"fibmatch 192.168.1.1", rtnl.RouteQuery{To: a("192.168.1.1"), FibMatch: true}},
		{"fibmatch 192.168.4.1", rtnl.RouteQuery{To: a("192.168.4.1"), FibMatch: true}},
		{"2001:db8:1::1", rtnl.RouteQuery{To: a("2001:db8:1::1")}},
		{"2001:db8::1", rtnl.RouteQuery{To: a("2001:db8::1")}},
		{"fibmatch 2001:db8:9::1", rtnl.RouteQuery{To: a("2001:db8:9::1"), FibMatch: true}},
		{"10.95.0.9 tos 0x14", rtnl.RouteQuery{To: a("10.95.0.9"), TOS: 0x14}},
	} {
		args := append([]string{"-j", "-d", "-s", "route", "get"}, strings.Fields(tc.args)...)
		type answer struct {
			r   rtnl.Route
			err error
		}
		want, got := stableIP(t, ns, args, func() answer {
			r, err := c.GetRoute(context.Background(), tc.q)
			return answer{r, err}
		})
		if got.err != nil {
			t.Errorf("GetRoute(%s): %v", tc.args, got.err)
			continue
		}
		compareRouteJSON(t, "ip route get "+tc.args, []rtnl.Route{got.r}, want)
	}
}

// TestGetRouteErrors checks what the kernel refuses to route.
func TestGetRouteErrors(t *testing.T) {
	a := netip.MustParseAddr
	ns := routeNS(t)
	c := dial(t, ns)
	routeAddWithIP(t, ns, routeCases())
	ctx := context.Background()
	for _, tc := range []struct {
		q    rtnl.RouteQuery
		want error
	}{
		{rtnl.RouteQuery{To: a("10.97.0.1")}, unix.EACCES},           // prohibit
		{rtnl.RouteQuery{To: a("10.99.0.1")}, unix.EINVAL},           // blackhole
		{rtnl.RouteQuery{To: a("2001:db8:5::1")}, unix.EHOSTUNREACH}, // unreachable
	} {
		_, err := c.GetRoute(ctx, tc.q)
		if !errors.Is(err, tc.want) {
			t.Errorf("GetRoute(%s): %v, want %v", tc.q.To, err, tc.want)
		}
		ipErr := exec.Command("ip", "-n", ns.Name(), "route", "get", tc.q.To.String()).Run()
		if ipErr == nil {
			t.Errorf("ip route get %s succeeded", tc.q.To)
		}
	}
	for _, q := range []rtnl.RouteQuery{
		{},
		{To: a("10.0.0.1"), From: a("2001:db8::1")},
		{To: a("10.0.0.1"), LinkIndex: -1},
	} {
		if _, err := c.GetRoute(ctx, q); !isInvalid(err) {
			t.Errorf("GetRoute(%+v): %v, want an InvalidError", q, err)
		}
	}
	if _, err := c.GetRoute(ctx, rtnl.RouteQuery{To: a("10.0.0.9"), LinkIndex: 999}); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("GetRoute through a missing link: %v, want ErrNotExist", err)
	}
}

// TestRouteWriteErrors checks the errors of the writes: the kernel's,
// testable with errors.Is and carrying its message, and nlkit's refusals
// before sending.
func TestRouteWriteErrors(t *testing.T) {
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	ns := routeNS(t)
	c := dial(t, ns)
	ix := routeLinks(t, c)
	ctx := context.Background()
	route := rtnl.Route{Dst: p("192.168.1.0/24"), Gateway: a("10.0.0.254")}
	if err := c.AddRoute(ctx, route); err != nil {
		t.Fatal(err)
	}
	if err := c.AddRoute(ctx, route); !errors.Is(err, rtnl.ErrExist) || !errors.Is(err, unix.EEXIST) {
		t.Errorf("adding a route twice: %v, want ErrExist", err)
	}
	if err := c.AddRoute(ctx, rtnl.Route{Dst: p("192.168.2.0/24"), LinkIndex: 999}); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("adding a route through a missing link: %v, want ErrNotExist", err)
	}
	if err := c.DeleteRoute(ctx, rtnl.Route{Dst: p("192.168.9.0/24")}); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("deleting a missing route: %v, want ErrNotExist", err)
	}
	if err := c.ChangeRoute(ctx, rtnl.Route{Dst: p("192.168.9.0/24"), LinkIndex: ix.v0}); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("changing a missing route: %v, want ErrNotExist", err)
	}
	err := c.AddRoute(ctx, rtnl.Route{Dst: p("192.168.5.0/24"), Gateway: a("172.16.9.9")})
	if !errors.Is(err, unix.ENETUNREACH) && !errors.Is(err, unix.EINVAL) || !strings.Contains(err.Error(), "Nexthop has invalid gateway") {
		t.Errorf("adding a route through an unreachable gateway: %v, want the kernel's \"Nexthop has invalid gateway\"", err)
	}
	if _, err := c.Routes(ctx, rtnl.FilterRouteTable(12345)); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("listing a missing table: %v, want ErrNotExist", err)
	}
	if _, err := c.Routes(ctx, rtnl.FilterRouteLink(999)); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("listing the routes of a missing link: %v, want ErrNotExist", err)
	}

	invalid := []rtnl.Route{
		{Dst: netip.PrefixFrom(a("10.0.0.0"), 33)},
		{Dst: netip.PrefixFrom(a("2001:db8::"), 129)},
		{Dst: p("10.0.0.0/8"), Gateway: a("2001:db8::1")},
		{Dst: p("10.0.0.0/8"), Src: p("2001:db8::/64")},
		{Dst: p("10.0.0.0/8"), PrefSrc: a("2001:db8::1")},
		{Dst: p("10.0.0.0/8"), Via: a("10.0.0.1")},
		{Dst: p("10.0.0.0/8"), Gateway: a("10.0.0.1"), Via: a("fe80::1")},
		{Dst: p("10.0.0.0/8"), LinkIndex: -1},
		{Dst: p("10.0.0.0/8"), Nexthops: []rtnl.RouteNexthop{{Gateway: a("10.0.0.254"), Weight: 257}}},
		{Dst: p("10.0.0.0/8"), Nexthops: []rtnl.RouteNexthop{{Gateway: a("2001:db8::1")}}},
		{Family: unix.AF_MPLS, Label: 1 << 20},
		{Family: unix.AF_MPLS, Label: 100, NewLabels: []uint32{1 << 20}},
		{Family: unix.AF_MPLS, Label: 100, Gateway: a("10.0.0.1")},
		{Family: unix.AF_PACKET},
		{Dst: p("10.0.0.0/8"), NewLabels: []uint32{100}},
	}
	for _, r := range invalid {
		if err := c.AddRoute(ctx, r); !isInvalid(err) || !errors.Is(err, unix.EINVAL) {
			t.Errorf("AddRoute(%+v): %v, want an InvalidError", r, err)
		}
	}
	for _, f := range []rtnl.RouteFilter{
		rtnl.FilterRouteFamily(unix.AF_PACKET),
		rtnl.FilterRouteLink(0),
		rtnl.FilterRouteRoot(netip.Prefix{}),
	} {
		if _, err := c.Routes(ctx, f); !isInvalid(err) {
			t.Errorf("Routes with an invalid filter: %v, want an InvalidError", err)
		}
	}
	if _, err := c.Routes(ctx, rtnl.FilterRouteFamily(unix.AF_INET), rtnl.FilterRouteExact(p("2001:db8::/64"))); !isInvalid(err) {
		t.Errorf("Routes with a prefix of another family: %v, want an InvalidError", err)
	}
	if err := c.FlushRoutes(ctx); !isInvalid(err) {
		t.Errorf("FlushRoutes without filter: %v, want an InvalidError", err)
	}
}

// TestFlushRoutesMatchesIP flushes routes with nlkit in one namespace and
// with ip in another, and compares.
func TestFlushRoutesMatchesIP(t *testing.T) {
	byIP, byNlkit := routeNS(t), routeNS(t)
	c := dial(t, byNlkit)
	ix := routeLinks(t, c)
	cases := routeCases()
	routeAddWithIP(t, byIP, cases)
	routeAddWithIP(t, byNlkit, cases)
	ctx := context.Background()
	for _, op := range []struct {
		ip      string
		filters []rtnl.RouteFilter
	}{
		{"route flush dev v1", []rtnl.RouteFilter{rtnl.FilterRouteLink(ix.v1)}},
		{"route flush table 100", []rtnl.RouteFilter{rtnl.FilterRouteTable(100)}},
		{"-6 route flush proto boot", []rtnl.RouteFilter{rtnl.FilterRouteFamily(unix.AF_INET6), rtnl.FilterRouteProtocol(rtnl.ProtocolBoot)}},
		{"route flush root 192.168.0.0/16", []rtnl.RouteFilter{rtnl.FilterRouteRoot(netip.MustParsePrefix("192.168.0.0/16"))}},
		{"route flush table all type blackhole", []rtnl.RouteFilter{rtnl.FilterRouteTable(rtnl.TableUnspec), rtnl.FilterRouteType(rtnl.RouteTypeBlackhole)}},
	} {
		byIP.IP(t, strings.Fields(op.ip)...)
		if err := c.FlushRoutes(ctx, op.filters...); err != nil {
			t.Errorf("FlushRoutes for ip %s: %v", op.ip, err)
		}
		if got, want := routeShowAll(t, byNlkit), routeShowAll(t, byIP); !bytes.Equal(got, want) {
			t.Fatalf("after ip %s, routes flushed by nlkit:\n%s\nby ip:\n%s", op.ip, got, want)
		}
	}
}

// TestRouteNexthopIDAndEncap reads routes that use a nexthop object and a
// lightweight tunnel, and makes them with nlkit too: "nh_info" is the
// nexthop object, and the encapsulation is compared as ip 6.1 prints it,
// its keys flat in the route ("dst" twice).
func TestRouteNexthopIDAndEncap(t *testing.T) {
	byIP, byNlkit := routeNS(t), routeNS(t)
	for _, ns := range []*testns.NS{byIP, byNlkit} {
		ns.IP(t, "nexthop", "add", "id", "10", "via", "10.0.0.254", "dev", "v0")
	}
	byIP.IP(t, "route", "add", "10.40.0.0/16", "nhid", "10")
	byIP.IP(t, "route", "add", "10.30.0.0/16", "encap", "ip", "id", "5", "dst", "192.0.2.4", "ttl", "10", "dev", "v0")
	c := dial(t, byIP)
	want, got := stableIP(t, byIP, []string{"-j", "-d", "-s", "route", "show"}, func() []rtnl.Route {
		routes, err := c.Routes(context.Background())
		if err != nil {
			t.Fatalf("Routes: %v", err)
		}
		return routes
	})
	compareRouteJSON(t, "ip route show", got, want, "table")
	for _, r := range got {
		if r.Dst == netip.MustParsePrefix("10.40.0.0/16") && (r.NexthopID != 10 || r.Gateway != netip.MustParseAddr("10.0.0.254")) {
			t.Errorf("route through nexthop 10: %+v", r)
		}
	}

	n := dial(t, byNlkit)
	if err := n.AddRoute(context.Background(), rtnl.Route{Dst: netip.MustParsePrefix("10.40.0.0/16"), NexthopID: 10}); err != nil {
		t.Fatal(err)
	}
	v0, err := n.LinkByName(context.Background(), "v0")
	if err != nil {
		t.Fatal(err)
	}
	encap := &rtnl.Encap{Type: rtnl.EncapIP, IP: &rtnl.IPEncap{
		ID: ptr[uint64](5), Dst: netip.MustParseAddr("192.0.2.4"), TTL: ptr[uint8](10),
	}}
	if err := n.AddRoute(context.Background(), rtnl.Route{Dst: netip.MustParsePrefix("10.30.0.0/16"), Encap: encap, LinkIndex: v0.Index}); err != nil {
		t.Fatal(err)
	}
	if got, want := routeShowAll(t, byNlkit), routeShowAll(t, byIP); !bytes.Equal(got, want) {
		t.Errorf("route through a nexthop object made by nlkit:\n%s\nby ip:\n%s", got, want)
	}
}
