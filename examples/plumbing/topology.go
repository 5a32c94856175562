package main

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/examples/internal/nsset"
	"github.com/nlkit/nlkit/rtnl"
)

// The addresses of the two ends, in one subnet across the bridge.
var (
	net0Addr = netip.MustParsePrefix("10.0.0.1/24")
	net1Addr = netip.MustParsePrefix("10.0.0.2/24")
)

// topology names the three namespaces of the guide's bridge example.
type topology struct {
	host, net0, net1 string
}

func newTopology(prefix string) *topology {
	return &topology{host: prefix + "-host", net0: prefix + "-net0", net1: prefix + "-net1"}
}

// Names returns the namespaces' names: host, net0 and net1.
func (t *topology) Names() []string { return []string{t.host, t.net0, t.net1} }

// Build makes the bridge br0 in host, and for each of net0 and net1 a veth
// pair whose one end is a port of br0 and whose other end, in the
// namespace, has an address. Every link ends up up.
func (t *topology) Build(ctx context.Context) error {
	host, err := nsset.Dial(ctx, t.host)
	if err != nil {
		return err
	}
	defer host.Close()
	up := rtnl.LinkFlags(unix.IFF_UP)
	if err := host.AddLink(ctx, rtnl.Link{Name: "br0", Flags: up, Info: &rtnl.LinkInfo{Kind: "bridge"}}); err != nil {
		return err
	}
	br0, err := host.LinkByName(ctx, "br0")
	if err != nil {
		return err
	}
	ends := []struct {
		ns, port, peer string
		addr           netip.Prefix
	}{
		{t.net0, "veth0", "veth0n", net0Addr},
		{t.net1, "veth1", "veth1n", net1Addr},
	}
	for _, e := range ends {
		// The port is created up and enslaved; its peer is created in
		// the namespace, where it gets its address and is brought up.
		err := host.AddLink(ctx, rtnl.Link{Name: e.port, Flags: up, MasterIndex: br0.Index, Info: &rtnl.LinkInfo{Data: &rtnl.Veth{
			Peer:      rtnl.Link{Name: e.peer},
			PeerNetNS: rtnl.NetNSName(e.ns),
		}}})
		if err != nil {
			return err
		}
		if err := configureEnd(ctx, e.ns, e.peer, e.addr); err != nil {
			return err
		}
	}
	for _, name := range []string{"veth0", "veth1", "br0"} {
		if err := waitOperUp(ctx, host, name); err != nil {
			return err
		}
	}
	return nil
}

// configureEnd gives the link dev of namespace ns the address addr and
// brings it up.
func configureEnd(ctx context.Context, ns, dev string, addr netip.Prefix) error {
	c, err := nsset.Dial(ctx, ns)
	if err != nil {
		return err
	}
	defer c.Close()
	l, err := c.LinkByName(ctx, dev)
	if err != nil {
		return err
	}
	if err := c.AddAddress(ctx, rtnl.Address{LinkIndex: l.Index, Prefix: addr}); err != nil {
		return err
	}
	on := true
	if err := c.SetLink(ctx, l.Index, rtnl.LinkChange{Up: &on}); err != nil {
		return err
	}
	return waitOperUp(ctx, c, dev)
}

// waitOperUp waits until the kernel reports the link name operationally
// up. The kernel settles a link's operational state a moment after its
// carrier changes (a bridge's after its first port forwards), so a link
// that has just been set up may still read as DOWN or UNKNOWN. It gives
// up after ten seconds.
func waitOperUp(ctx context.Context, c *rtnl.Conn, name string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		l, err := c.LinkByName(ctx, name)
		if err != nil {
			return err
		}
		if l.OperState == rtnl.OperUp {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s to come up: %w", name, context.Cause(ctx))
		case <-tick.C:
		}
	}
}
