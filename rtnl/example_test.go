package rtnl_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"os"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// List the links of the current network namespace.
func ExampleLinks() {
	links, err := rtnl.Links(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range links {
		fmt.Println(l.Index, l.Name, l.OperState, l.Flags.Names())
	}
}

// List the links of a named network namespace twice, the second list
// reusing the memory of the first.
func ExampleConn_AppendLinks() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	var links []rtnl.Link
	for range 2 {
		links, err = c.AppendLinks(ctx, links[:0])
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(len(links), "links")
	}
}

// Stream the links of a named network namespace, one at a time.
func ExampleConn_LinksSeq() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	for l, err := range c.LinksSeq(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(l.Name, l.MTU)
	}
}

// Tell a missing device from other failures.
func ExampleLinkByName() {
	_, err := rtnl.LinkByName(context.Background(), "no-such-link")
	if errors.Is(err, rtnl.ErrNotExist) {
		fmt.Println("no such link")
	}
	// Output: no such link
}

// A Link marshals to the JSON `ip -j -d -s link show` prints.
func ExampleLink_MarshalJSON() {
	minMTU, maxMTU := uint32(68), uint32(65535)
	l := rtnl.Link{
		Index:       7,
		Name:        "eth0",
		Type:        unix.ARPHRD_ETHER,
		Flags:       unix.IFF_UP | unix.IFF_BROADCAST | unix.IFF_MULTICAST,
		MTU:         1500,
		Qdisc:       "fq_codel",
		OperState:   rtnl.OperDown,
		TxQueueLen:  1000,
		Address:     net.HardwareAddr{0x02, 0, 0, 0, 0, 0x01},
		Broadcast:   net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		Promiscuity: new(uint32),
		MinMTU:      &minMTU,
		MaxMTU:      &maxMTU,
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(l); err != nil {
		log.Fatal(err)
	}
	// Output:
	// {"ifindex":7,"ifname":"eth0","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP"],"mtu":1500,"qdisc":"fq_codel","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:00:01","broadcast":"ff:ff:ff:ff:ff:ff","promiscuity":0,"min_mtu":68,"max_mtu":65535}
}

func ExampleLinkFlags_Names() {
	f := rtnl.LinkFlags(unix.IFF_UP | unix.IFF_RUNNING | unix.IFF_LOWER_UP | unix.IFF_LOOPBACK)
	fmt.Println(f.Names())
	// Output: [LOOPBACK UP LOWER_UP]
}

func ExampleLinkType_FormatAddress() {
	fmt.Println(rtnl.LinkType(unix.ARPHRD_ETHER).FormatAddress(net.HardwareAddr{2, 0, 0, 0, 0, 0xaa}))
	fmt.Println(rtnl.LinkType(unix.ARPHRD_TUNNEL).FormatAddress(net.HardwareAddr{192, 0, 2, 1}))
	fmt.Println(rtnl.LinkType(unix.ARPHRD_TUNNEL))
	// Output:
	// 02:00:00:00:00:aa
	// 192.0.2.1
	// ipip
}
