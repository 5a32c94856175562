package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/nlkit/nlkit/examples/internal/nsecho"
)

// echoPort is the UDP port of the echo server that proves the path.
const echoPort = 7

// run builds the topology, proves that traffic crosses it, prints it and
// removes it. The removal runs whatever happens before it, and its error
// joins the one that stopped run.
func run(ctx context.Context, cfg config) (err error) {
	t := newTopology(cfg.prefix)
	defer func() {
		if rmErr := t.namespaces.RemoveDetached(ctx); rmErr != nil {
			err = errors.Join(err, fmt.Errorf("remove the topology: %w", rmErr))
			return
		}
		fmt.Fprintln(cfg.log, "plumbing: removed", t.names())
	}()

	if err := t.build(ctx); err != nil {
		return fmt.Errorf("build the topology: %w", err)
	}
	fmt.Fprintln(cfg.log, "plumbing: built", t.names())

	server := netip.AddrPortFrom(net1Addr.Addr(), echoPort)
	rtt, err := nsecho.Echo(ctx, t.net0, t.net1, server)
	if err != nil {
		return fmt.Errorf("UDP echo from %s to %s: %w", t.net0, t.net1, err)
	}
	fmt.Fprintf(cfg.log, "plumbing: UDP echo %s (%s) -> %s (%s) across br0 in %s: %v\n",
		net0Addr.Addr(), t.net0, server, t.net1, t.host, rtt.Round(time.Microsecond))

	if err := t.print(ctx, cfg.out); err != nil {
		return fmt.Errorf("print the topology: %w", err)
	}
	if cfg.inspect != nil {
		return cfg.inspect(ctx, t)
	}
	return nil
}
