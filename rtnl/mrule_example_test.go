package rtnl_test

import (
	"context"
	"fmt"
	"log"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// List the IPv4 multicast routing rules, as `ip mrule show`.
func ExampleMulticastRules() {
	rules, err := rtnl.MulticastRules(context.Background(), unix.AF_INET)
	if err != nil {
		log.Fatal(err) // ErrNotSupported without multicast policy routing
	}
	for _, r := range rules {
		fmt.Println(r.Priority, r.IIF, r.Table)
	}
}

// Send the multicast traffic arriving on eth1 to multicast routing table
// 10, as `ip mrule add iif eth1 table 10 pref 100` does, in the namespace
// "blue".
func ExampleConn_AddMulticastRule() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	err = c.AddMulticastRule(ctx, rtnl.Rule{Family: unix.AF_INET, IIF: "eth1", Table: 10, Priority: 100})
	if err != nil {
		log.Fatal(err) // ErrNotSupported without multicast policy routing
	}
}
