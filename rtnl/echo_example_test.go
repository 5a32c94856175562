package rtnl_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"

	"github.com/nlkit/nlkit/rtnl"
)

// Add an address and print it as the kernel made it, as
// `ip -echo addr add` does.
func ExampleWithEcho() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"), rtnl.WithEcho(func(ev rtnl.Event) {
		if ev.Address != nil {
			fmt.Println(ev.Kind, ev.Address.Prefix, "scope", ev.Address.Scope)
		}
	}))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	eth0, err := c.LinkByName(ctx, "eth0")
	if err != nil {
		log.Fatal(err)
	}
	a := rtnl.Address{LinkIndex: eth0.Index, Prefix: netip.MustParsePrefix("192.0.2.1/24")}
	if err := c.AddAddress(ctx, a); err != nil {
		log.Fatal(err)
	}
}
