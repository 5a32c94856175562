package rtnl_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/netip"
	"os"
	"time"

	"github.com/nlkit/nlkit/rtnl"
)

// Add a default route, as `ip route add default via 10.0.0.254` does, in
// the namespace "blue".
func ExampleConn_AddRoute() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	err = c.AddRoute(ctx, rtnl.Route{Gateway: netip.MustParseAddr("10.0.0.254")})
	if err != nil {
		log.Fatal(err) // such as "Nexthop has invalid gateway", or ErrExist
	}
}

// Add routes through a device and through two weighted gateways, as
// `ip route add 10.0.0.0/24 dev eth0` and `ip route add 10.1.0.0/16
// nexthop via 10.0.0.1 weight 1 nexthop via 10.0.0.2 weight 3` do.
func ExampleConn_AddRoute_multipath() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	eth0, err := c.LinkByName(ctx, "eth0")
	if err != nil {
		log.Fatal(err)
	}
	err = c.AddRoute(ctx, rtnl.Route{Dst: netip.MustParsePrefix("10.0.0.0/24"), LinkIndex: eth0.Index})
	if err != nil {
		log.Fatal(err)
	}
	err = c.AddRoute(ctx, rtnl.Route{Dst: netip.MustParsePrefix("10.1.0.0/16"), Nexthops: []rtnl.RouteNexthop{
		{Gateway: netip.MustParseAddr("10.0.0.1"), Weight: 1},
		{Gateway: netip.MustParseAddr("10.0.0.2"), Weight: 3},
	}})
	if err != nil {
		log.Fatal(err)
	}
}

// Put a second path to 10.2.0.0/16 in front of the existing one, as
// `ip route prepend 10.2.0.0/16 via 10.0.0.3` does: the kernel then
// prefers it.
func ExampleConn_PrependRoute() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	err = c.PrependRoute(ctx, rtnl.Route{Dst: netip.MustParsePrefix("10.2.0.0/16"), Gateway: netip.MustParseAddr("10.0.0.3")})
	if err != nil {
		log.Fatal(err)
	}
}

// Print what `ip -j -d -s route show table all` prints.
func ExampleRoutes() {
	routes, err := rtnl.Routes(context.Background(), rtnl.FilterRouteTable(rtnl.TableUnspec))
	if err != nil {
		log.Fatal(err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(routes); err != nil {
		log.Fatal(err)
	}
}

// List the routes through 10.0.0.254 of the main table, as `ip route show
// via 10.0.0.254`, one at a time.
func ExampleRoutesSeq() {
	for r, err := range rtnl.RoutesSeq(context.Background(), rtnl.FilterRouteVia(netip.MustParsePrefix("10.0.0.254/32"))) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.Dst, r.LinkName)
	}
}

// Mirror the routes of every table of the namespace "blue", listing them
// again every ten seconds into the memory of the previous list: once the
// slice has grown to fit them, listing allocates nothing for the routes.
func ExampleConn_AppendRoutes() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	var routes []rtnl.Route
	for range time.Tick(10 * time.Second) {
		routes, err = c.AppendRoutes(ctx, routes[:0], rtnl.FilterRouteTable(rtnl.TableUnspec))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(len(routes), "routes")
	}
}

// Ask the kernel which route a packet to 192.0.2.9 takes, as `ip route get
// 192.0.2.9` does.
func ExampleConn_GetRoute() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	r, err := c.GetRoute(ctx, rtnl.RouteQuery{To: netip.MustParseAddr("192.0.2.9")})
	if err != nil {
		log.Fatal(err) // such as "network is unreachable"
	}
	fmt.Println(r.Gateway, r.LinkName, r.PrefSrc)
}

// Delete the routes of a link in the main table, as `ip route flush dev
// eth0` does, in the namespace "blue".
func ExampleConn_FlushRoutes() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	eth0, err := c.LinkByName(ctx, "eth0")
	if err != nil {
		log.Fatal(err)
	}
	if err := c.FlushRoutes(ctx, rtnl.FilterRouteLink(eth0.Index)); err != nil {
		log.Fatal(err)
	}
}
