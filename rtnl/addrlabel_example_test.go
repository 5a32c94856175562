package rtnl_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"

	"github.com/nlkit/nlkit/rtnl"
)

// Prefer ULA source addresses for ULA destinations on every link, as
// `ip addrlabel add prefix fd00::/8 label 99` does.
func ExampleConn_AddAddrLabel() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	err = c.AddAddrLabel(ctx, rtnl.AddrLabel{Prefix: netip.MustParsePrefix("fd00::/8"), Label: 99})
	if err != nil {
		log.Fatal(err)
	}
}

// List the address label table, as `ip addrlabel list`.
func ExampleAddrLabels() {
	labels, err := rtnl.AddrLabels(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range labels {
		fmt.Println(a.Prefix, a.LinkName, a.Label)
	}
}
