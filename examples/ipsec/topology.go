package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/netip"

	"github.com/nlkit/nlkit/examples/internal/nsset"
	"github.com/nlkit/nlkit/netnsutil"
	"github.com/nlkit/nlkit/rtnl"
	"github.com/nlkit/nlkit/xfrm"
)

// The tunnel's settings, as in the guide: `type vti key 1`, ESP SPI 1,
// policies with mark 1.
const (
	tunnel = "vti0"
	key    = 1
	spi    = 1
)

// end is one side of the tunnel: its namespace, its underlay device and
// address, the address of its VTI device, and the address on its loopback
// that the other side routes through the tunnel.
type end struct {
	ns, dev           string
	underlay, overlay netip.Prefix
	service           netip.Addr
}

// topology is the two ends and the keys of their security associations.
type topology struct {
	ends            [2]end
	encKey, authKey []byte
}

// newTopology returns the topology for the prefix, with fresh keys.
func newTopology(prefix string) (*topology, error) {
	t := &topology{
		ends: [2]end{
			{prefix + "-net0", "veth0n", netip.MustParsePrefix("10.0.0.1/24"), netip.MustParsePrefix("10.0.1.1/24"), netip.MustParseAddr("10.0.2.1")},
			{prefix + "-net1", "veth1n", netip.MustParsePrefix("10.0.0.2/24"), netip.MustParsePrefix("10.0.1.2/24"), netip.MustParseAddr("10.0.2.2")},
		},
		encKey:  make([]byte, 32),
		authKey: make([]byte, 32),
	}
	if _, err := rand.Read(t.encKey); err != nil {
		return nil, err
	}
	_, err := rand.Read(t.authKey)
	return t, err
}

// Names returns the namespaces' names: net0 and net1.
func (t *topology) Names() []string { return []string{t.ends[0].ns, t.ends[1].ns} }

// Build makes the veth pair that joins the namespaces, then each side.
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
	for i, e := range t.ends {
		if err := e.configure(ctx, t.ends[1-i]); err != nil {
			return err
		}
		if err := t.secure(ctx, e, t.ends[1-i]); err != nil {
			return err
		}
	}
	return nil
}

// configure sets up e's links, addresses and route: `ip addr add UNDERLAY
// dev DEV`, `ip link set DEV up`, `ip link add vti0 type vti key 1 local
// UNDERLAY remote PEER`, `ip addr add OVERLAY dev vti0`, `ip link set vti0
// up`, `ip addr add SERVICE/32 dev lo`, `ip link set lo up` and `ip route
// add PEER-SERVICE/32 dev vti0`.
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
	k := uint32(key)
	err = c.AddLink(ctx, rtnl.Link{Name: tunnel, Info: &rtnl.LinkInfo{Data: &rtnl.Vti{
		Local: e.underlay.Addr(), Remote: peer.underlay.Addr(), IKey: &k, OKey: &k,
	}}})
	if err != nil {
		return fmt.Errorf("vti device %s: %w", tunnel, err)
	}
	vti, err := c.LinkByName(ctx, tunnel)
	if err != nil {
		return err
	}
	if err := addressUp(ctx, c, vti.Index, e.overlay); err != nil {
		return err
	}
	lo, err := c.LinkByName(ctx, "lo")
	if err != nil {
		return err
	}
	if err := addressUp(ctx, c, lo.Index, netip.PrefixFrom(e.service, 32)); err != nil {
		return err
	}
	return c.AddRoute(ctx, rtnl.Route{Dst: netip.PrefixFrom(peer.service, 32), LinkIndex: vti.Index})
}

// addressUp gives the link index the address addr and brings it up.
func addressUp(ctx context.Context, c *rtnl.Conn, index int32, addr netip.Prefix) error {
	if err := c.AddAddress(ctx, rtnl.Address{LinkIndex: index, Prefix: addr}); err != nil {
		return err
	}
	up := true
	return c.SetLink(ctx, index, rtnl.LinkChange{Up: &up})
}

// secure adds e's security associations and policies, as the guide's
// `ip xfrm state add src A dst B proto esp spi 1 enc aes KEY auth sha256
// KEY mode tunnel` (both ways) and `ip xfrm policy add dir in|out tmpl src
// A dst B proto esp spi 1 mode tunnel mark 1` do.
func (t *topology) secure(ctx context.Context, e, peer end) error {
	x, err := dialXfrm(ctx, e.ns)
	if err != nil {
		return err
	}
	defer x.Close()
	local, remote := e.underlay.Addr(), peer.underlay.Addr()
	for _, ends := range [][2]netip.Addr{{local, remote}, {remote, local}} {
		err := x.AddState(ctx, xfrm.State{
			Src: ends[0], Dst: ends[1], Proto: xfrm.ProtoESP, SPI: spi, Mode: xfrm.ModeTunnel,
			Enc:  &xfrm.Algorithm{Name: "cbc(aes)", Key: t.encKey},
			Auth: &xfrm.Algorithm{Name: "hmac(sha256)", Key: t.authKey},
		})
		if err != nil {
			return fmt.Errorf("ESP state %s -> %s: %w", ends[0], ends[1], err)
		}
	}
	for _, p := range []struct {
		dir      xfrm.Dir
		src, dst netip.Addr
	}{{xfrm.DirIn, remote, local}, {xfrm.DirOut, local, remote}} {
		err := x.AddPolicy(ctx, xfrm.Policy{
			Dir:       p.dir,
			Mark:      xfrm.Mark{Value: key, Mask: 0xffffffff},
			Templates: []xfrm.Template{{Src: p.src, Dst: p.dst, Proto: xfrm.ProtoESP, SPI: spi, Mode: xfrm.ModeTunnel}},
		})
		if err != nil {
			return fmt.Errorf("policy dir %s: %w", p.dir, err)
		}
	}
	return nil
}

// dialXfrm connects to the xfrm of the named namespace.
func dialXfrm(ctx context.Context, ns string) (*xfrm.Conn, error) {
	x, err := xfrm.Dial(ctx, xfrm.WithNetNSPath(netnsutil.RunDir+"/"+ns))
	if err != nil {
		return nil, fmt.Errorf("namespace %s: %w", ns, err)
	}
	return x, nil
}
