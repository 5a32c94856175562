package main

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/nlkit/nlkit/examples/internal/nsecho"
)

// echoPort is the UDP port of the echo server that proves the path.
const echoPort = 7

// Prove sends a UDP echo from net0 to a server in net1, across br0.
func (t *topology) Prove(ctx context.Context) (string, error) {
	server := netip.AddrPortFrom(net1Addr.Addr(), echoPort)
	rtt, err := nsecho.Echo(ctx, t.net0, t.net1, server)
	if err != nil {
		return "", fmt.Errorf("UDP echo from %s to %s: %w", t.net0, t.net1, err)
	}
	return fmt.Sprintf("UDP echo %s (%s) -> %s (%s) across br0 in %s: %v",
		net0Addr.Addr(), t.net0, server, t.net1, t.host, rtt.Round(time.Microsecond)), nil
}
