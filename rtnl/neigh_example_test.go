package rtnl_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/netip"
	"os"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// Add a permanent neighbour entry, as
// `ip neigh add 192.168.0.1 lladdr 11:22:33:44:55:66 dev eth0` does.
func ExampleConn_AddNeighbor() {
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
	lladdr, _ := net.ParseMAC("11:22:33:44:55:66")
	err = c.AddNeighbor(ctx, rtnl.Neighbor{
		LinkIndex: eth0.Index,
		Dst:       netip.MustParseAddr("192.168.0.1"),
		LLAddr:    lladdr, // State zero: PERMANENT, as with ip
	})
	if err != nil {
		log.Fatal(err) // errors.Is(err, rtnl.ErrExist) if the entry exists
	}
}

// Print what `ip -j -d -s neigh show nud stale nud reachable` prints.
func ExampleNeighbors() {
	ns, err := rtnl.Neighbors(context.Background(),
		rtnl.FilterNeighState(rtnl.NeighStale|rtnl.NeighReachable))
	if err != nil {
		log.Fatal(err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(ns); err != nil {
		log.Fatal(err)
	}
}

// Delete the stale and failed IPv4 entries of a link, as
// `ip -4 neigh flush dev eth0` does; permanent entries stay.
func ExampleConn_FlushNeighbors() {
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
	if err := c.FlushNeighbors(ctx, rtnl.FilterNeighLink(eth0.Index), rtnl.FilterNeighFamily(unix.AF_INET)); err != nil {
		log.Fatal(err)
	}
}

// Flood a vxlan device's unknown traffic to two remotes, as
// `bridge fdb append 00:00:00:00:00:00 dev vx0 dst 192.0.2.1` does for each.
func ExampleConn_AppendFDB() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	vx0, err := c.LinkByName(ctx, "vx0")
	if err != nil {
		log.Fatal(err)
	}
	for _, remote := range []string{"192.0.2.1", "192.0.2.2"} {
		err := c.AppendFDB(ctx, rtnl.FDBEntry{
			LinkIndex: vx0.Index,
			MAC:       net.HardwareAddr{0, 0, 0, 0, 0, 0},
			Dst:       netip.MustParseAddr(remote),
		})
		if err != nil {
			log.Fatal(err)
		}
	}
}

// List the entries a bridge learned, as `bridge fdb show br br0 dynamic`.
func ExampleConn_FDB() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	br0, err := c.LinkByName(ctx, "br0")
	if err != nil {
		log.Fatal(err)
	}
	es, err := c.FDB(ctx, rtnl.FilterFDBBridge(br0.Index), rtnl.FilterFDBDynamic())
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range es {
		fmt.Println(e.MAC, e.LinkName, e.VLAN)
	}
}

// Count the IPv4 neighbour entries of the namespace "blue" twice, the
// second list reusing the memory of the first.
func ExampleConn_AppendNeighbors() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	var neighs []rtnl.Neighbor
	for range 2 {
		neighs, err = c.AppendNeighbors(ctx, neighs[:0], rtnl.FilterNeighFamily(unix.AF_INET))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(len(neighs), "IPv4 neighbour entries")
	}
}
