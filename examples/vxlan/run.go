package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/nlkit/nlkit/examples/internal/nsecho"
)

// echoPort is the UDP port of the echo server that proves the overlay.
const echoPort = 7

// run builds the topology, proves that traffic crosses the overlay, prints
// it and removes it. The removal runs whatever happens before it, and its
// error joins the one that stopped run.
func run(ctx context.Context, cfg config) (err error) {
	t := newTopology(cfg.prefix)
	defer func() {
		if rmErr := t.namespaces.RemoveDetached(ctx); rmErr != nil {
			err = errors.Join(err, fmt.Errorf("remove the topology: %w", rmErr))
			return
		}
		fmt.Fprintln(cfg.log, "vxlan: removed", t.names())
	}()

	if err := t.build(ctx); err != nil {
		return fmt.Errorf("build the topology: %w", err)
	}
	fmt.Fprintln(cfg.log, "vxlan: built", t.names())

	server := netip.AddrPortFrom(t.ends[1].overlay.Addr(), echoPort)
	rtt, err := nsecho.Echo(ctx, t.ends[0].ns, t.ends[1].ns, server)
	if err != nil {
		return fmt.Errorf("UDP echo across the overlay: %w", err)
	}
	fmt.Fprintf(cfg.log, "vxlan: UDP echo %s (%s) -> %s (%s) through VXLAN %d: %v\n",
		t.ends[0].overlay.Addr(), t.ends[0].ns, server, t.ends[1].ns, vni, rtt.Round(time.Microsecond))

	if err := t.print(ctx, cfg.out); err != nil {
		return fmt.Errorf("print the topology: %w", err)
	}
	if cfg.inspect != nil {
		return cfg.inspect(ctx, t)
	}
	return nil
}
