package rtnl_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"

	"github.com/nlkit/nlkit/rtnl"
)

// Give eth0's addresses from router advertisements the host part ::1:2:3:4,
// as `ip token set ::1:2:3:4 dev eth0` does.
func ExampleConn_SetToken() {
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
	if err := c.SetToken(ctx, eth0.Index, netip.MustParseAddr("::1:2:3:4")); err != nil {
		log.Fatal(err)
	}
}

// List the tokens, as `ip token list`.
func ExampleTokens() {
	ts, err := rtnl.Tokens(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range ts {
		fmt.Println(t.LinkName, t.Token)
	}
}
