package main

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/nlkit/nlkit/examples/internal/nsecho"
	"github.com/nlkit/nlkit/xfrm"
)

// echoPort is the UDP port of the echo server that proves the tunnel.
const echoPort = 7

// Prove sends a UDP echo from net0 to a server on net1's loopback address,
// which net0 routes through its VTI, and checks that the ESP security
// associations of both directions counted the packets: the echo went
// through the tunnel, encrypted.
func (t *topology) Prove(ctx context.Context) (string, error) {
	a, b := t.ends[0], t.ends[1]
	out := xfrm.StateID{Src: a.underlay.Addr(), Dst: b.underlay.Addr(), Proto: xfrm.ProtoESP, SPI: spi}
	back := xfrm.StateID{Src: b.underlay.Addr(), Dst: a.underlay.Addr(), Proto: xfrm.ProtoESP, SPI: spi}
	before, err := t.packets(ctx, out, back)
	if err != nil {
		return "", err
	}
	server := netip.AddrPortFrom(b.service, echoPort)
	rtt, err := nsecho.Echo(ctx, a.ns, b.ns, server)
	if err != nil {
		return "", fmt.Errorf("UDP echo through the tunnel: %w", err)
	}
	after, err := t.packets(ctx, out, back)
	if err != nil {
		return "", err
	}
	for i, what := range []string{"net0's outbound", "net1's inbound", "net1's outbound", "net0's inbound"} {
		if after[i] <= before[i] {
			return "", fmt.Errorf("the echo passed but %s ESP state counted no packet (%d before, %d after)", what, before[i], after[i])
		}
	}
	return fmt.Sprintf("UDP echo %s -> %s (%s) through %s and ESP SPI %#x: %v; ESP packets %s -> %s: %d, back: %d",
		a.ns, server, b.ns, tunnel, spi, rtt.Round(time.Microsecond), out.Src, out.Dst, after[0]-before[0], after[2]-before[2]), nil
}

// packets reads the packet counters of the states out and back, each in
// the namespace that sends on it and in the one that receives on it.
func (t *topology) packets(ctx context.Context, out, back xfrm.StateID) ([4]uint64, error) {
	var n [4]uint64
	for i, q := range []struct {
		ns string
		id xfrm.StateID
	}{{t.ends[0].ns, out}, {t.ends[1].ns, out}, {t.ends[1].ns, back}, {t.ends[0].ns, back}} {
		x, err := dialXfrm(ctx, q.ns)
		if err != nil {
			return n, err
		}
		s, err := x.GetState(ctx, q.id)
		x.Close()
		if err != nil {
			return n, err
		}
		n[i] = s.Current.Packets
	}
	return n, nil
}
