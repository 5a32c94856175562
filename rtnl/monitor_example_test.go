package rtnl_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/nlkit/nlkit/rtnl"
)

// Print the links and addresses that change in the next ten seconds, as
// `ip monitor link address` does.
func ExampleMonitor() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for ev, err := range rtnl.Monitor(ctx, rtnl.MonitorLink|rtnl.MonitorAddr) {
		switch {
		case errors.Is(err, rtnl.ErrOverrun):
			fmt.Println("some events were lost")
		case err != nil:
			log.Fatal(err)
		case ev.Link != nil:
			fmt.Println(ev.Kind, "link", ev.Link.Name)
		case ev.Address != nil:
			fmt.Println(ev.Kind, "address", ev.Address.Prefix, "on link", ev.Address.LinkIndex)
		}
	}
}

// Subscribe before making a change, so that its events cannot be missed,
// then read them.
func ExampleConn_Subscribe() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	sub, err := c.Subscribe(ctx, rtnl.MonitorRoute, rtnl.WithReceiveBuffer(1<<20))
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()
	// … change routes in the namespace blue …
	for ev, err := range sub.Events(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(ev.Kind, ev.Route.Dst, "table", ev.Route.Table)
	}
}
