package main

import (
	"context"
	"net/netip"

	"github.com/nlkit/nlkit/examples/internal/nsset"
	"github.com/nlkit/nlkit/rtnl"
)

// The overlay's settings, as in the guide: `type vxlan id 100 … dstport
// 4789`.
const (
	vni     = 100
	dstPort = 4789
	tunnel  = "vxlan0"
)

// end is one side of the overlay: its namespace, its underlay device and
// address, and the address of its tunnel device.
type end struct {
	ns, dev           string
	underlay, overlay netip.Prefix
}

// topology is the two ends.
type topology struct {
	ends [2]end
}

func newTopology(prefix string) *topology {
	return &topology{ends: [2]end{
		{prefix + "-net0", "veth0n", netip.MustParsePrefix("10.0.0.1/24"), netip.MustParsePrefix("10.0.1.1/24")},
		{prefix + "-net1", "veth1n", netip.MustParsePrefix("10.0.0.2/24"), netip.MustParsePrefix("10.0.1.2/24")},
	}}
}

// Names returns the namespaces' names: net0 and net1.
func (t *topology) Names() []string { return []string{t.ends[0].ns, t.ends[1].ns} }

// Build makes the veth pair that joins the namespaces, then on each side
// the underlay address, the VXLAN device towards the other side and its
// overlay address, and brings every link up.
func (t *topology) Build(ctx context.Context) error {
	a, b := t.ends[0], t.ends[1]
	c, err := nsset.Dial(ctx, a.ns)
	if err != nil {
		return err
	}
	err = c.AddLink(ctx, rtnl.Link{Name: a.dev, Info: &rtnl.LinkInfo{Data: &rtnl.Veth{
		Peer:      rtnl.Link{Name: b.dev},
		PeerNetNS: rtnl.NetNSName(b.ns),
	}}})
	c.Close()
	if err != nil {
		return err
	}
	if err := a.configure(ctx, b); err != nil {
		return err
	}
	return b.configure(ctx, a)
}

// configure sets up e's side: `ip addr add UNDERLAY dev DEV`, `ip link set
// DEV up`, `ip link add vxlan0 type vxlan id 100 dev DEV remote PEER local
// UNDERLAY dstport 4789`, `ip addr add OVERLAY dev vxlan0` and `ip link set
// vxlan0 up`.
func (e end) configure(ctx context.Context, peer end) error {
	c, err := nsset.Dial(ctx, e.ns)
	if err != nil {
		return err
	}
	defer c.Close()
	dev, err := c.LinkByName(ctx, e.dev)
	if err != nil {
		return err
	}
	if err := addressUp(ctx, c, dev.Index, e.underlay); err != nil {
		return err
	}
	id, port := uint32(vni), uint16(dstPort)
	err = c.AddLink(ctx, rtnl.Link{Name: tunnel, Info: &rtnl.LinkInfo{Data: &rtnl.Vxlan{
		ID:        &id,
		LinkIndex: &dev.Index,
		Remote:    peer.underlay.Addr(),
		Local:     e.underlay.Addr(),
		Port:      &port,
	}}})
	if err != nil {
		return err
	}
	vx, err := c.LinkByName(ctx, tunnel)
	if err != nil {
		return err
	}
	return addressUp(ctx, c, vx.Index, e.overlay)
}

// addressUp gives the link index the address addr and brings it up.
func addressUp(ctx context.Context, c *rtnl.Conn, index int32, addr netip.Prefix) error {
	if err := c.AddAddress(ctx, rtnl.Address{LinkIndex: index, Prefix: addr}); err != nil {
		return err
	}
	up := true
	return c.SetLink(ctx, index, rtnl.LinkChange{Up: &up})
}
