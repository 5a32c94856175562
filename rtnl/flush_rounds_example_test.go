package rtnl_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// Flush the IPv4 neighbour entries of eth0, printing each entry and each
// round, as `ip -4 -s -s neigh flush dev eth0` does.
func ExampleConn_FlushNeighborsRounds() {
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
	r := rtnl.FlushRounds{
		Max:              10,
		FlushingNeighbor: func(n rtnl.Neighbor) { fmt.Println(n.Dst, n.LLAddr, n.State) },
		Deleted: func(round, deleted int) {
			fmt.Printf("*** Round %d, deleting %d entries ***\n", round, deleted)
		},
	}
	_, err = c.FlushNeighborsRounds(ctx, r, rtnl.FilterNeighLink(eth0.Index), rtnl.FilterNeighFamily(unix.AF_INET))
	if errors.Is(err, rtnl.ErrFlushIncomplete) {
		fmt.Println("some entries may remain")
	} else if err != nil {
		log.Fatal(err)
	}
}

// Flush table 100 for at most 30 seconds, as `ip -s route flush table 100`
// does.
func ExampleConn_FlushRoutesRounds() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	r := rtnl.FlushRounds{Deleted: func(round, deleted int) {
		fmt.Printf("*** Round %d, deleting %d entries ***\n", round, deleted)
	}}
	rounds, err := c.FlushRoutesRounds(ctx, r, rtnl.FilterRouteTable(100))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("flushed in", rounds, "rounds")
}
