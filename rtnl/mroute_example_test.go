package rtnl_test

import (
	"context"
	"fmt"
	"log"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// List the IPv6 multicast routes with their counters, as
// `ip -6 -s mroute show`.
func ExampleMulticastRoutes() {
	rs, err := rtnl.MulticastRoutes(context.Background(), rtnl.FilterMulticastFamily(unix.AF_INET6))
	if err != nil {
		log.Fatal(err) // ErrNotSupported without multicast routing
	}
	for _, r := range rs {
		fmt.Printf("(%s,%s) iif %s", r.Source, r.Group, r.IIFName)
		for _, o := range r.Oifs {
			fmt.Printf(" oif %s", o.LinkName)
		}
		if r.Stats != nil {
			fmt.Printf(" %d packets", r.Stats.Packets)
		}
		fmt.Println()
	}
}
