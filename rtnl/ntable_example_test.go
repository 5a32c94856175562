package rtnl_test

import (
	"context"
	"fmt"
	"log"

	"github.com/nlkit/nlkit/rtnl"
)

// Queue at most 10 packets per unresolved neighbour on eth0, as
// `ip ntable change name arp_cache dev eth0 queue 10` does.
func ExampleConn_ChangeNTable() {
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
	queue := uint32(10)
	err = c.ChangeNTable(ctx, rtnl.NTable{Name: "arp_cache", LinkIndex: eth0.Index, Parms: &rtnl.NTableParms{Queue: &queue}})
	if err != nil {
		log.Fatal(err)
	}
}

// Print the thresholds and counters of the ARP cache, as
// `ip -s ntable show name arp_cache dev none`.
func ExampleNTables() {
	ts, err := rtnl.NTables(context.Background(), rtnl.FilterNTableName("arp_cache"), rtnl.FilterNTableNoLink())
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range ts {
		if t.Thresh3 != nil && t.Stats != nil {
			fmt.Println(t.Name, *t.Thresh3, t.Stats.Lookups, t.Stats.Hits)
		}
	}
}
