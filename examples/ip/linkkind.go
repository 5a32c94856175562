package main

import (
	"context"
	"net/netip"

	"github.com/nlkit/nlkit/rtnl"
)

// kindInfo is the kind and its settings of `type KIND ARGS`, for the
// kinds this example knows; other kinds are created without settings. cur
// is the link `ip link set` changes, nil for `ip link add`.
func (c *command) kindInfo(ctx context.Context, kind string, args []string, cur *rtnl.Link) (*rtnl.LinkInfo, error) {
	p := kindParser{args: &words{list: args}, kind: kind, set: cur != nil}
	var data rtnl.LinkData
	switch kind {
	case "veth":
		return c.vethInfo(ctx, args)
	case "bridge":
		data = p.bridge()
	case "vxlan":
		data = c.vxlan(ctx, &p)
	case "macvlan", "macvtap":
		data = p.macvlan(kind == "macvtap")
	case "ipvlan", "ipvtap":
		data = p.ipvlan(kind == "ipvtap")
	case "vlan":
		data = p.vlan()
	case "vrf":
		data = p.vrf()
	case "bond":
		data = c.bond(ctx, &p)
	case "netkit":
		return c.netkitInfo(ctx, &p)
	case "macsec":
		data = p.macsec()
	case "bridge_slave":
		return &rtnl.LinkInfo{SlaveKind: "bridge", SlaveData: c.bridgePort(ctx, &p)}, p.leftover()
	case "bond_slave":
		return &rtnl.LinkInfo{SlaveKind: "bond", SlaveData: p.bondPort()}, p.leftover()
	case "ipip", "sit", "ip6tnl", "gre", "gretap", "erspan", "ip6gre", "ip6gretap", "ip6erspan":
		data = c.ipTunnel(ctx, kind, &p, curData(cur))
	case "geneve":
		data = p.geneve()
	case "vti", "vti6":
		data = c.tunnelData(ctx, kind, &p)
	}
	if err := p.leftover(); err != nil {
		return nil, err
	}
	return &rtnl.LinkInfo{Kind: kind, Data: data}, nil
}

// leftover is the parser's error, or one for the first word it did not
// read.
func (p *kindParser) leftover() error {
	if p.err == nil && p.args.more() {
		p.fail("Error: \"" + p.args.peek() + "\" is not a " + p.kind + " option this example knows.")
	}
	return p.err
}

// vethInfo reads `peer [name] NAME [LINK SETTINGS]`.
func (c *command) vethInfo(ctx context.Context, args []string) (*rtnl.LinkInfo, error) {
	v := &rtnl.Veth{}
	if len(args) > 0 && args[0] == "peer" {
		a, err := parseLinkArgs(args[1:], false)
		if err != nil {
			return nil, err
		}
		if v.Peer, err = c.newLink(ctx, a); err != nil {
			return nil, err
		}
		if a.netns != "" {
			v.PeerNetNS = netNS(a.netns)
		}
	} else if len(args) > 0 {
		return nil, usageErr("Error: \"" + args[0] + "\" is not a veth option.")
	}
	return &rtnl.LinkInfo{Kind: "veth", Data: v}, nil
}

// kindParser reads a kind's `KEY VALUE` and flag words, keeping the first
// error.
type kindParser struct {
	kind string
	args *words
	err  error
	// set is true for `ip link set`, false for `ip link add`.
	set bool
	// prev is the last keyword read, prevVal the last value.
	prev, prevVal string
}

// fail records the usage error msg unless an error came first.
func (p *kindParser) fail(msg string) { p.failWith(usageErr(msg)) }

// failWith records err unless an error came first.
func (p *kindParser) failWith(err error) {
	if p.err == nil {
		p.err = err
	}
}

// take consumes the word w if it comes next.
func (p *kindParser) take(w string) bool {
	return p.err == nil && p.args.takeIf(w)
}

// value consumes `key VALUE` and returns VALUE.
func (p *kindParser) value(key string) (string, bool) {
	if p.err != nil || p.args.left() < 2 || p.args.peek() != key {
		return "", false
	}
	p.args.take()
	return p.args.take(), true
}

func (p *kindParser) addr(key string) (netip.Addr, bool) {
	v, ok := p.value(key)
	if !ok {
		return netip.Addr{}, false
	}
	a, err := parseAddr(v)
	if err != nil {
		p.failWith(err)
	}
	return a, err == nil
}

// progress runs step over the arguments until it consumes none.
func (p *kindParser) each(step func()) {
	for p.err == nil && p.args.more() {
		n := p.args.left()
		step()
		if p.args.left() == n {
			return
		}
	}
}

func (p *kindParser) macvlan(tap bool) *rtnl.Macvlan {
	m := &rtnl.Macvlan{Tap: tap}
	p.each(func() {
		if v, ok := p.value("mode"); ok {
			mode, ok := named(v, rtnl.MacvlanPrivate, rtnl.MacvlanVEPA, rtnl.MacvlanBridge, rtnl.MacvlanPassthru, rtnl.MacvlanSource)
			m.Mode = &mode
			if !ok {
				p.fail("Error: argument of \"mode\" must be \"private\", \"vepa\", \"bridge\", \"passthru\" or \"source\", not \"" + v + "\"")
			}
		}
		if p.take("macaddr") {
			p.macaddr(m)
		}
		p.macvlanFlags(m)
	})
	return m
}

// macaddr reads the operation of `macaddr add|del MAC | flush | set
// [MAC…]` on the addresses of a source-mode macvlan.
func (p *kindParser) macaddr(m *rtnl.Macvlan) {
	if !p.args.more() {
		p.failWith(incomplete())
		return
	}
	op := p.args.take()
	mode, ok := named(op, rtnl.MACAddrAdd, rtnl.MACAddrDel, rtnl.MACAddrFlush, rtnl.MACAddrSet)
	m.MACAddrMode = &mode
	if !ok {
		p.fail("Error: argument of \"macaddr\" must be \"add\", \"del\", \"flush\" or \"set\", not \"" + op + "\"")
		return
	}
	for p.args.more() {
		hw, err := parseLLAddr(p.args.peek())
		if err != nil {
			return
		}
		m.MACAddrs = append(m.MACAddrs, hw)
		p.args.take()
		if op != "set" {
			return
		}
	}
}

func (p *kindParser) ipvlan(tap bool) *rtnl.Ipvlan {
	d := &rtnl.Ipvlan{Tap: tap}
	p.each(func() {
		if v, ok := p.value("mode"); ok {
			mode, ok := named(v, rtnl.IpvlanL2, rtnl.IpvlanL3, rtnl.IpvlanL3S)
			d.Mode = &mode
			if !ok {
				p.fail("Error: mode must be l2, l3 or l3s, not \"" + v + "\"")
			}
		}
		for w, f := range map[string]rtnl.IpvlanFlags{"bridge": rtnl.IpvlanBridge, "private": rtnl.IpvlanPrivate, "vepa": rtnl.IpvlanVEPA} {
			if p.take(w) {
				d.Flags = &f
			}
		}
	})
	return d
}
