package rtnl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// routeNS returns a namespace set up as addrNS does, with 10.0.0.1/24 and
// 2001:db8::1/64 on v0 and 10.1.0.1/24 on v1, as the corpus' was.
func routeNS(t *testing.T) *testns.NS {
	t.Helper()
	ns := addrNS(t)
	addrIPBatch(t, ns, `
addr add 10.0.0.1/24 dev v0
addr add 2001:db8::1/64 dev v0
addr add 10.1.0.1/24 dev v1
`)
	addrSettle(t, ns)
	return ns
}

// compareRoutes lists the routes of every table with nlkit and compares
// each one's JSON with what `ip -j -d -s route show table all` prints, opts
// (such as -6) before the object, byte for byte.
func compareRoutes(t *testing.T, ns *testns.NS, c *rtnl.Conn, opts []string, filters ...rtnl.RouteFilter) []rtnl.Route {
	t.Helper()
	args := append(append([]string(nil), opts...), "-j", "-d", "-s", "route", "show", "table", "all")
	want, got := stableIP(t, ns, args, func() []rtnl.Route {
		routes, err := c.Routes(context.Background(), append([]rtnl.RouteFilter{rtnl.FilterRouteTable(rtnl.TableUnspec)}, filters...)...)
		if err != nil {
			t.Fatalf("Routes: %v", err)
		}
		return routes
	})
	for i := range max(len(want), len(got)) {
		var g, w []byte
		if i < len(got) {
			g = marshal(t, got[i])
		}
		if i < len(want) {
			w = want[i]
		}
		if !bytes.Equal(g, w) {
			t.Errorf("route %d:\nnlkit %s\n   ip %s", i, g, w)
		}
	}
	return got
}

func TestRouteDev(t *testing.T) {
	ns := routeNS(t)
	c := dial(t, ns)
	addrIPBatch(t, ns, `
route add default via 10.0.0.254
route add 192.168.1.0/24 via 10.0.0.254
route add 192.168.2.0/24 dev v0
route add 192.168.3.0/24 dev v0 metric 100 table 100 proto static scope link src 10.0.0.1
route add 192.168.4.0/24 nexthop via 10.0.0.253 weight 1 nexthop via 10.0.0.254 weight 2
route add 10.20.0.0/16 via 10.0.0.254 mtu lock 1400 advmss 1360 initcwnd 10 features ecn congctl cubic rtt 10ms rttvar 5ms quickack 1 hoplimit 5
route add blackhole 10.99.0.0/16
route add unreachable 10.98.0.0/16 table 300
route add prohibit 10.97.0.0/16 realms 3/5
route add throw 10.96.0.0/16 tos 0x20
-6 route add 2001:db8:1::/64 via 2001:db8::fe pref high
-6 route add 2001:db8:2::/64 dev v0 expires 300
`)
	_ = json.Valid
	compareRoutes(t, ns, c, nil)
}
