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

// Create two gateways and a resilient group of them, as
// `ip nexthop add id 1 via 192.0.2.1 dev eth0`, `… id 2 via 192.0.2.2 dev eth0`
// and `ip nexthop add id 10 group 1/2,3 type resilient buckets 64`.
func ExampleConn_AddNexthop() {
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
	for id, gw := range map[uint32]string{1: "192.0.2.1", 2: "192.0.2.2"} {
		err := c.AddNexthop(ctx, rtnl.Nexthop{ID: id, Gateway: netip.MustParseAddr(gw), LinkIndex: eth0.Index})
		if err != nil {
			log.Fatal(err) // such as "Nexthop has invalid gateway"
		}
	}
	err = c.AddNexthop(ctx, rtnl.Nexthop{
		ID:        10,
		Group:     []rtnl.NexthopGroupMember{{ID: 1}, {ID: 2, Weight: 3}},
		GroupType: rtnl.NexthopGroupResilient,
		Resilient: &rtnl.NexthopResilient{Buckets: 64, IdleTimer: time.Minute},
	})
	if err != nil {
		log.Fatal(err)
	}
}

// Print what `ip -j -d nexthop show groups` prints.
func ExampleNexthops() {
	nhs, err := rtnl.Nexthops(context.Background(), rtnl.FilterNexthopGroups())
	if err != nil {
		log.Fatal(err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(nhs); err != nil {
		log.Fatal(err)
	}
}

// Count the buckets of a resilient group per member, from
// `ip nexthop bucket show id 10`.
func ExampleNexthopBuckets() {
	buckets, err := rtnl.NexthopBuckets(context.Background(), rtnl.FilterBucketGroup(10))
	if err != nil {
		log.Fatal(err)
	}
	perMember := map[uint32]int{}
	for _, b := range buckets {
		perMember[b.NexthopID]++
	}
	fmt.Println(perMember)
}

// A Nexthop marshals to an element of `ip -j -d nexthop show`.
func ExampleNexthop_MarshalJSON() {
	n := rtnl.Nexthop{
		ID:        1,
		Gateway:   netip.MustParseAddr("192.0.2.254"),
		LinkIndex: 2,
		LinkName:  "br0",
		Scope:     rtnl.ScopeLink,
		Flags:     rtnl.RouteOnLink,
	}
	b, err := json.Marshal(n)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))
	// Output:
	// {"id":1,"gateway":"192.0.2.254","dev":"br0","scope":"link","protocol":"unspec","flags":["onlink"]}
}
