package xfrm_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"

	"github.com/nlkit/nlkit/xfrm"
)

// Delete the out policies of net0 from 10.1.0.0/16 or a longer prefix of
// it, as `ip -n net0 xfrm policy deleteall src 10.1.0.0/16 dir out` does.
func ExampleConn_DeleteAllPolicies() {
	ctx := context.Background()
	c, err := xfrm.Dial(ctx, xfrm.WithNetNSPath("/run/netns/net0"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	n, err := c.DeleteAllPolicies(ctx, xfrm.FilterPolicyDir(xfrm.DirOut),
		xfrm.FilterPolicySelector(xfrm.Selector{Src: netip.MustParsePrefix("10.1.0.0/16")}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "policies deleted")
}
