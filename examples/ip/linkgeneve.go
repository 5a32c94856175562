package main

import (
	"net/netip"

	"github.com/nlkit/nlkit/rtnl"
)

// geneve reads the settings of `type geneve` (ip's geneve_parse_opt).
// When creating, ip sends the label, TTL and TOS, 0 unless told.
func (p *kindParser) geneve() *rtnl.Geneve {
	g := &rtnl.Geneve{}
	var label *uint32
	var ttl, tos *uint8
	p.each(func() {
		for _, kw := range []string{"id", "vni"} {
			if n, ok := p.num(kw, "invalid id", 32); ok {
				if n >= 1<<24 {
					p.invarg("invalid id", p.prevValue())
				}
				id := uint32(n)
				g.ID = &id
			}
		}
		if s, ok := p.opt("remote"); ok {
			a, err := netip.ParseAddr(s)
			if err != nil || a.IsMulticast() {
				p.invarg("invalid remote address", s)
				return
			}
			g.Remote = a
		}
		for _, kw := range []string{"ttl", "hoplimit"} {
			if s, ok := p.opt(kw); ok {
				v := &rtnl.Vxlan{}
				if s != "auto" {
					p.vxlanTTL(v, s)
				}
				if v.TTLInherit {
					g.TTLInherit = boolPtr(true)
				}
				if v.TTL != nil {
					ttl = v.TTL
				}
			}
		}
		for _, kw := range []string{"tos", "dsfield"} {
			if s, ok := p.opt(kw); ok {
				t, ok := parseDSField(s)
				if !ok {
					p.invarg("bad TOS value", s)
				}
				tos = &t
			}
		}
		optNamed(p, &g.DF, "df", "DF must be 'unset', 'set' or 'inherit'", false, rtnl.GeneveDFUnset, rtnl.GeneveDFSet, rtnl.GeneveDFInherit)
		for _, kw := range []string{"label", "flowlabel"} {
			if n, ok := p.num(kw, "invalid flowlabel", 20); ok {
				l := uint32(n)
				label = &l
			}
		}
		p.opt16(&g.Port, "dstport", "dstport")
		var ext *bool
		p.flagPairWord(&ext, "external")
		if ext != nil {
			g.External = *ext
		}
		p.flagPairWord(&g.UDPCsum, "udpcsum")
		p.flagPairWord(&g.UDPZeroCsum6Tx, "udp6zerocsumtx")
		p.flagPairWord(&g.UDPZeroCsum6Rx, "udp6zerocsumrx")
		if p.exact("innerprotoinherit") {
			g.InnerProtoInherit = true
		}
	})
	// ip's checks after its loop fail with exit status 1.
	switch {
	case p.err != nil:
	case g.External && g.ID != nil:
		p.err = &exitError{"geneve: both 'external' and vni cannot be specified", 1}
	case !g.External && g.ID == nil:
		p.err = &exitError{"geneve: missing virtual network identifier", 1}
	case !g.External && !p.set && !g.Remote.IsValid():
		p.err = &exitError{"geneve: remote link partner not specified", 1}
	}
	if g.ID == nil {
		g.ID = new(uint32)
	}
	if !p.set {
		zero8, zero32 := uint8(0), uint32(0)
		g.Label, g.TTL, g.TOS = &zero32, &zero8, &zero8
	}
	if label != nil {
		g.Label = label
	}
	if ttl != nil {
		g.TTL = ttl
	}
	if tos != nil {
		g.TOS = tos
	}
	if g.Port != nil && *g.Port == 0 {
		g.Port = nil
	}
	return g
}

// flagPairWord reads the flag `kw` (on) or `nokw` (off), either
// abbreviated, in ip's order: the positive form first.
func (p *kindParser) flagPairWord(dst **bool, kw string) {
	switch {
	case p.word(kw):
		*dst = boolPtr(true)
	case p.word("no" + kw):
		*dst = boolPtr(false)
	}
}
