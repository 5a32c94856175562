package rtnl_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/nlkit/nlkit/rtnl"
)

// Save the addresses and the routes of every table, flush the addresses of
// eth0, and restore both, as `ip addr save > addrs; ip route save table all
// > routes; ip addr flush dev eth0; ip addr restore < addrs; ip route
// restore < routes` do.
func ExampleConn_SaveAddresses() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	addrs, err := os.CreateTemp("", "addrs")
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(addrs.Name())
	routes, err := os.CreateTemp("", "routes")
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(routes.Name())
	if err := c.SaveAddresses(ctx, addrs); err != nil {
		log.Fatal(err)
	}
	if err := c.SaveRoutes(ctx, routes, rtnl.FilterRouteTable(rtnl.TableUnspec)); err != nil {
		log.Fatal(err)
	}

	eth0, err := c.LinkByName(ctx, "eth0")
	if err != nil {
		log.Fatal(err)
	}
	if err := c.FlushAddresses(ctx, rtnl.FilterAddrLink(eth0.Index)); err != nil {
		log.Fatal(err)
	}

	for _, f := range []*os.File{addrs, routes} {
		if _, err := f.Seek(0, 0); err != nil {
			log.Fatal(err)
		}
	}
	if err := c.RestoreAddresses(ctx, addrs); err != nil {
		log.Fatal(err)
	}
	if err := c.RestoreRoutes(ctx, routes); err != nil {
		log.Fatal(err)
	}
}

// Print the addresses of a file that `ip addr save` wrote, as `ip addr
// showdump` does.
func ExampleReadSavedAddresses() {
	f, err := os.Open("addrs.saved")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	for a, err := range rtnl.ReadSavedAddresses(f) {
		if err != nil {
			log.Fatal(err) // such as a truncated file
		}
		fmt.Println(a.LinkIndex, a.Prefix)
	}
}
