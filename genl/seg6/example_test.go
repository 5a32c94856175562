package seg6_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/seg6"
)

// Set the source of SRv6 tunnels in a named namespace, as `ip -n blue sr
// tunsrc set 2001:db8::1` does, and read it back.
func ExampleSetTunnelSource() {
	ctx := context.Background()
	c, err := genl.Dial(ctx, genl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if err := seg6.SetTunnelSource(ctx, c, netip.MustParseAddr("2001:db8::1")); err != nil {
		log.Fatal(err)
	}
	s, err := seg6.GetTunnelSource(ctx, c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Addr)
}
