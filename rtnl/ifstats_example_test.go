package rtnl_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"

	"github.com/nlkit/nlkit/rtnl"
)

// Print what `ip -j stats show group link` prints.
func ExampleStats() {
	list, err := rtnl.Stats(context.Background(), rtnl.StatsLink)
	if err != nil {
		log.Fatal(err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(list); err != nil {
		log.Fatal(err)
	}
}

// Read the STP counters of a bridge port, as
// `ip stats show dev veth0 group xstats_slave subgroup bridge suite stp`.
func ExampleConn_GetStats() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	port, err := c.LinkByName(ctx, "veth0")
	if err != nil {
		log.Fatal(err)
	}
	s, err := c.GetStats(ctx, port.Index, rtnl.StatsXstatsSlaveBridgeSTP)
	if err != nil {
		log.Fatal(err)
	}
	if x := s.XstatsSlave; x != nil && x.BridgeSTP != nil {
		fmt.Println("BPDUs received:", x.BridgeSTP.RxBPDU)
	}
}
