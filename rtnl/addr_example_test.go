package rtnl_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/netip"
	"os"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// Add an address as `ip addr add 10.0.0.1/24 brd + dev eth0` does.
func ExampleConn_AddAddress() {
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
	err = c.AddAddress(ctx, rtnl.Address{
		LinkIndex:     eth0.Index,
		Prefix:        netip.MustParsePrefix("10.0.0.1/24"),
		AutoBroadcast: rtnl.BroadcastPlus,
	})
	if err != nil {
		log.Fatal(err) // such as "ipv4: Address already assigned"
	}
}

// List the global IPv6 addresses, as `ip -6 addr show scope global`.
func ExampleAddresses() {
	addrs, err := rtnl.Addresses(context.Background(),
		rtnl.FilterAddrFamily(unix.AF_INET6), rtnl.FilterAddrScope(rtnl.ScopeGlobal))
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range addrs {
		fmt.Println(a.LinkIndex, a.Prefix, a.Flags.Has(rtnl.AddrPermanent))
	}
}

// Print what `ip -j -d -s addr show type bridge` prints.
func ExampleLinkAddresses() {
	las, err := rtnl.LinkAddresses(context.Background(), rtnl.FilterAddrLinks(rtnl.FilterKind("bridge")))
	if err != nil {
		log.Fatal(err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(las); err != nil {
		log.Fatal(err)
	}
}

// An Address marshals to an element of the addr_info array of
// `ip -j -d -s addr show`.
func ExampleAddress_MarshalJSON() {
	a := rtnl.Address{
		Family:    unix.AF_INET,
		LinkIndex: 2,
		Prefix:    netip.MustParsePrefix("192.0.2.1/24"),
		Broadcast: netip.MustParseAddr("192.0.2.255"),
		Label:     "eth0:web",
		Flags:     rtnl.AddrSecondary,
		Lifetimes: &rtnl.AddrLifetimes{Valid: 3600, Preferred: 1800},
	}
	b, err := json.Marshal(a)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))
	fmt.Println(a.BroadcastFromPrefix(rtnl.BroadcastPlus), a.BroadcastFromPrefix(rtnl.BroadcastMinus))
	// Output:
	// {"family":"inet","local":"192.0.2.1","prefixlen":24,"broadcast":"192.0.2.255","scope":"global","secondary":true,"dynamic":true,"label":"eth0:web","valid_life_time":3600,"preferred_life_time":1800}
	// 192.0.2.255 192.0.2.0
}

// Count the IPv4 addresses of the namespace "blue" twice, the second list
// reusing the memory of the first.
func ExampleConn_AppendAddresses() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	var addrs []rtnl.Address
	for range 2 {
		addrs, err = c.AppendAddresses(ctx, addrs[:0], rtnl.FilterAddrFamily(unix.AF_INET))
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(len(addrs), "IPv4 addresses")
	}
}
