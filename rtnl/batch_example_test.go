package rtnl_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/netip"

	"github.com/nlkit/nlkit/rtnl"
)

// Add a thousand routes in a few round trips, as `ip -force -batch` would
// one by one, and report those the kernel refused.
func ExampleConn_SendBatch() {
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
	var b rtnl.Batch
	for i := range 1000 {
		dst := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 200, byte(i >> 8), byte(i)}), 32)
		if err := b.AddRoute(rtnl.Route{Dst: dst, LinkIndex: eth0.Index}); err != nil {
			log.Fatal(err) // invalid input is refused before anything is sent
		}
	}
	err = c.SendBatch(ctx, &b)
	var be *rtnl.BatchError
	if errors.As(err, &be) {
		for _, f := range be.Failed {
			fmt.Println(f.Index, f.Err) // such as "… File exists"
		}
	} else if err != nil {
		log.Fatal(err)
	}
}
