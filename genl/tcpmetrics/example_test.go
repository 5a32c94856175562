package tcpmetrics_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/tcpmetrics"
)

// Show the metrics of 10.0.0.0/8 in a named namespace, as `ip -n blue
// tcp_metrics show 10.0.0.0/8` does.
func ExampleEntries() {
	ctx := context.Background()
	c, err := genl.Dial(ctx, genl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	es, err := tcpmetrics.Entries(ctx, c, tcpmetrics.Filter{Dst: netip.MustParsePrefix("10.0.0.0/8")})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range es {
		fmt.Println(e.Dst, e.RTTMicros(), "us")
	}
}

// Forget the metrics of one destination, as `ip tcp_metrics delete
// 10.0.0.2` does.
func ExampleDelete() {
	ctx := context.Background()
	c, err := genl.Dial(ctx, genl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if err := tcpmetrics.Delete(ctx, c, netip.MustParseAddr("10.0.0.2"), netip.Addr{}); err != nil {
		log.Fatal(err)
	}
}
