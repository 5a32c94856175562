// Command links prints the links of a network namespace as JSON, the way
// `ip -j -d -s link show` does.
//
// Usage:
//
//	go run ./examples/links             # the current namespace
//	go run ./examples/links -n blue     # the namespace ip netns calls blue
//
// It only reads: nothing in the namespace changes.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/nlkit/nlkit/rtnl"
)

func main() {
	netns := flag.String("n", "", "name of a network namespace under /run/netns (default: the current one)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, *netns); err != nil {
		fmt.Fprintln(os.Stderr, "links:", err)
		os.Exit(1)
	}
}

// run writes the links of the named namespace, or of the current one when
// netns is empty, to w.
func run(ctx context.Context, w io.Writer, netns string) error {
	var opts []rtnl.Option
	if netns != "" {
		opts = append(opts, rtnl.WithNetNSPath("/run/netns/"+netns))
	}
	c, err := rtnl.Dial(ctx, opts...)
	if err != nil {
		return err
	}
	defer c.Close()

	links, err := c.Links(ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // ip does not escape <, > and &
	return enc.Encode(links)
}
