package rtnl_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// Save the IPv4 rules of a namespace, flush them, and restore them, as
// `ip rule save > rules; ip rule flush; ip rule restore < rules` do.
func ExampleConn_SaveRules() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	var rules bytes.Buffer
	if err := c.SaveRules(ctx, &rules, rtnl.FilterRuleFamily(unix.AF_INET)); err != nil {
		log.Fatal(err)
	}
	if err := c.FlushRules(ctx, rtnl.FilterRuleFamily(unix.AF_INET)); err != nil {
		log.Fatal(err)
	}
	if err := c.RestoreRules(ctx, &rules); err != nil {
		log.Fatal(err)
	}
}

// Print the routes of a file that `ip route save` wrote, their links
// named as the namespace names them, as `ip route showdump` does.
func ExampleConn_ReadSavedRoutes() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	var saved bytes.Buffer
	if err := c.SaveRoutes(ctx, &saved, rtnl.FilterRouteProtocol(rtnl.ProtocolStatic)); err != nil {
		log.Fatal(err)
	}
	for r, err := range c.ReadSavedRoutes(ctx, &saved) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.Dst, r.LinkName)
	}
}

// Read the names ip prints for DS fields, realms and IP protocols.
func ExampleParseRealms() {
	realms, _ := rtnl.ParseRealms("3/cosmos")
	tos, _ := rtnl.ParseDSField("AF11")
	proto, _ := rtnl.ParseIPProto("tcp")
	fmt.Printf("%#x %#x %d\n", realms, tos, proto)
	// Output: 0x30000 0x28 6
}
