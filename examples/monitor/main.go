// Command monitor is a live view of a network namespace: it prints its
// links, addresses, routes and neighbours, then each change as it
// happens, until Ctrl-C.
//
// Usage (as root, or with CAP_NET_ADMIN for another namespace):
//
//	go run ./examples/monitor             # the current namespace
//	go run ./examples/monitor -n blue     # the namespace ip netns calls blue
//
// It is built on rtnl.Watch, which subscribes to the changes before it
// reads the tables, so that nothing is missed in between. Each line names
// what changed, with a mark: "+" for an object that is new, "~" for one
// that changed, "-" for one that is gone. The first lines are the tables
// as they stand, up to a line that counts them; when changes come faster
// than the view reads them and the kernel drops some, the view says so,
// and Watch reads the tables again and reports what differs, up to a
// second count, so that the view is never wrong for long. It only reads:
// nothing in the namespace changes.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	netns := flag.String("n", "", "name of a network namespace under /run/netns (default: the current one)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, *netns); err != nil {
		fmt.Fprintln(os.Stderr, "monitor:", err)
		os.Exit(1)
	}
}
