package rtnl_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/netip"

	"github.com/nlkit/nlkit/rtnl"
)

// Flush the addresses of eth0 in at most 3 rounds, reporting each, as
// `ip -loops 3 -s addr flush dev eth0` does.
func ExampleConn_FlushAddressesRounds() {
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
	r := rtnl.FlushRounds{Max: 3, Deleted: func(round, deleted int) {
		fmt.Printf("*** Round %d, deleting %d addresses ***\n", round, deleted)
	}}
	rounds, err := c.FlushAddressesRounds(ctx, r, rtnl.FilterAddrLink(eth0.Index))
	switch {
	case errors.Is(err, rtnl.ErrFlushIncomplete):
		fmt.Println("some addresses may remain")
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Println("flushed in", rounds, "rounds")
	}
}

// Add a default router to the ISATAP tunnel isatap0 and list its routers,
// as `ip tunnel prl dev isatap0 prl-default 192.0.2.1` and
// `ip tunnel show isatap0` do.
func ExampleConn_AddPotentialRouter() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	r := rtnl.PotentialRouter{Addr: netip.MustParseAddr("192.0.2.1"), Default: true}
	if err := c.AddPotentialRouter(ctx, "isatap0", r); err != nil {
		log.Fatal(err)
	}
	routers, err := c.PotentialRouters(ctx, "isatap0")
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range routers {
		fmt.Println(r.Addr, r.Default)
	}
}
