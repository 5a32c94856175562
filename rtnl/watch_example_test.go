package rtnl_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/nlkit/nlkit/rtnl"
)

// Hold a copy of the routes of the namespace blue that never drifts from
// the kernel's, even when changes come faster than it is updated.
func ExampleConn_Watch() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	routes := map[string]rtnl.Route{}
	for ev, err := range c.Watch(ctx, rtnl.WatchRoutes) {
		if err != nil {
			log.Fatal(err)
		}
		switch ev.Kind {
		case rtnl.EventNew:
			routes[ev.Key()] = *ev.Route
		case rtnl.EventDelete:
			delete(routes, ev.Key())
		case rtnl.EventResync:
			fmt.Println("events were lost; the differences follow")
		case rtnl.EventSynced:
			fmt.Println(len(routes), "routes")
		}
	}
}

// Mirror every table of the calling thread's namespace until the context
// ends, counting what changes.
func ExampleWatch() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	changes := map[rtnl.EventKind]int{}
	for ev, err := range rtnl.Watch(ctx, rtnl.WatchAll, rtnl.WithReceiveBuffer(4<<20)) {
		if err != nil {
			log.Fatal(err)
		}
		changes[ev.Kind]++
	}
	fmt.Println(changes)
}
