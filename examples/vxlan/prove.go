package main

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/nlkit/nlkit/examples/internal/nsecho"
)

// echoPort is the UDP port of the echo server that proves the overlay.
const echoPort = 7

// Prove sends a UDP echo from one end's overlay address to a server on
// the other's.
func (t *topology) Prove(ctx context.Context) (string, error) {
	server := netip.AddrPortFrom(t.ends[1].overlay.Addr(), echoPort)
	rtt, err := nsecho.Echo(ctx, t.ends[0].ns, t.ends[1].ns, server)
	if err != nil {
		return "", fmt.Errorf("UDP echo across the overlay: %w", err)
	}
	return fmt.Sprintf("UDP echo %s (%s) -> %s (%s) through VXLAN %d: %v",
		t.ends[0].overlay.Addr(), t.ends[0].ns, server, t.ends[1].ns, vni, rtt.Round(time.Microsecond)), nil
}
