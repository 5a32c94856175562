package main

import (
	"context"
	"net/netip"
	"strconv"

	"github.com/nlkit/nlkit/rtnl"
)

// vxlan reads the settings of `type vxlan` (ip's vxlan_parse_opt). When
// creating, ip sends learning unless told otherwise.
func (c *command) vxlan(ctx context.Context, p *kindParser) *rtnl.Vxlan {
	v := &rtnl.Vxlan{}
	var learning *bool
	p.each(func() {
		for _, kw := range []string{"id", "vni"} {
			if n, ok := p.num(kw, "invalid id", 32); ok {
				if n >= 1<<24 {
					p.invarg("invalid id", p.prevValue())
				}
				id := uint32(n)
				v.ID = &id
			}
		}
		for _, kw := range []string{"group", "remote", "local"} {
			if s, ok := p.opt(kw); ok {
				a, err := netip.ParseAddr(s)
				if err != nil || (kw == "group") != a.IsMulticast() {
					p.invarg("invalid "+kw+" address", s)
					return
				}
				if kw == "local" {
					v.Local = a
				} else {
					v.Remote = a
				}
			}
		}
		if dev, ok := p.opt("dev"); ok {
			index := c.tunnelDev(ctx, p, dev)
			v.LinkIndex = &index
		}
		for _, kw := range []string{"ttl", "hoplimit"} {
			if s, ok := p.opt(kw); ok {
				p.vxlanTTL(v, s)
			}
		}
		for _, kw := range []string{"tos", "dsfield"} {
			if s, ok := p.opt(kw); ok {
				tos, ok := parseDSField(s)
				if !ok {
					p.invarg("bad TOS value", s)
				}
				v.TOS = &tos
			}
		}
		optNamed(p, &v.DF, "df", "DF must be 'unset', 'set' or 'inherit'", false, rtnl.VxlanDFUnset, rtnl.VxlanDFSet, rtnl.VxlanDFInherit)
		for _, kw := range []string{"label", "flowlabel"} {
			if n, ok := p.num(kw, "invalid flowlabel", 20); ok {
				l := uint32(n)
				v.Label = &l
			}
		}
		p.optNumOr(&v.Ageing, "ageing", "none", "ageing timer")
		p.optNumOr(&v.Limit, "maxaddress", "unlimited", "max addresses")
		for _, kw := range []string{"port", "srcport"} {
			if lo, ok := p.num(kw, "min port", 16); ok {
				hi := p.next()
				n, err := parseCUint(hi, 16)
				if p.err == nil && err != nil {
					p.invarg("max port", hi)
				}
				if lo != 0 || n != 0 {
					v.SrcPortRange = &rtnl.VxlanPortRange{Low: uint16(lo), High: uint16(n)}
				}
			}
		}
		p.opt16(&v.Port, "dstport", "dst port")
		p.noFlag(&learning, "learning")
		p.noFlag(&v.Proxy, "proxy")
		p.noFlag(&v.RSC, "rsc")
		p.noFlag(&v.L2Miss, "l2miss")
		p.noFlag(&v.L3Miss, "l3miss")
		p.noFlag(&v.UDPCsum, "udpcsum")
		p.noFlag(&v.UDPZeroCsum6Tx, "udp6zerocsumtx")
		p.noFlag(&v.UDPZeroCsum6Rx, "udp6zerocsumrx")
		p.noFlag(&v.RemCsumTx, "remcsumtx")
		p.noFlag(&v.RemCsumRx, "remcsumrx")
		p.noFlag(&v.External, "external")
		if p.word("gbp") {
			v.GBP = true
		}
		if p.word("gpe") {
			v.GPE = true
		}
		p.flagPair(&v.VNIFilter, "vnifilter")
	})
	external := v.External != nil && *v.External
	vnifilter := v.VNIFilter != nil && *v.VNIFilter
	// ip's checks after its loop fail with exit status 1.
	switch {
	case p.err != nil:
	case !external && vnifilter:
		p.err = &exitError{"vxlan: vnifilter is valid only when 'external' is set", 1}
	case external && v.ID != nil:
		p.err = &exitError{"vxlan: both 'external' and vni cannot be specified", 1}
	case !external && !vnifilter && v.ID == nil && !p.set:
		p.err = &exitError{"vxlan: missing virtual network identifier", 1}
	case v.Remote.IsMulticast() && v.LinkIndex == nil:
		p.err = &exitError{"vxlan: 'group' requires 'dev' to be specified", 1}
	}
	switch {
	case learning != nil:
		v.Learning = learning
	case external:
		v.Learning = boolPtr(false)
	case !p.set:
		v.Learning = boolPtr(true)
	}
	if v.Port == nil && v.GPE {
		v.Port = new(uint16)
		*v.Port = 4790
	}
	if v.Port != nil && *v.Port == 0 {
		v.Port = nil // ip sends no port 0: the kernel's default
	}
	return v
}

// vxlanTTL reads the value of `ttl`: inherit, auto (0) or a number.
func (p *kindParser) vxlanTTL(v *rtnl.Vxlan, s string) {
	switch s {
	case "inherit":
		v.TTLInherit = true
		return
	case "auto":
		v.TTL = new(uint8)
		return
	}
	n, err := parseCUint(s, 32)
	if err != nil {
		p.invarg("invalid TTL", s)
		return
	}
	if n > 255 {
		p.invarg("TTL must be <= 255", s)
		return
	}
	ttl := uint8(n)
	v.TTL = &ttl
}

// parseDSField reads a tunnel's TOS as ip does: "inherit" (1), or what
// rtnl_dsfield_a2n reads (a name of rt_dsfield or a hexadecimal number).
func parseDSField(s string) (uint8, bool) {
	if s == "inherit" {
		return 1, true
	}
	n, err := rtnl.ParseDSField(s)
	return n, err == nil
}

// parseHex reads a hexadecimal number as C's strtoul with base 16 does:
// with or without 0x.
func parseHex(s string, bits int) (uint64, error) {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	return strconv.ParseUint(s, 16, bits)
}

// optNumOr reads `kw N|WORD`, WORD standing for 0.
func (p *kindParser) optNumOr(dst **uint32, kw, word, what string) {
	if p.args.left() > 1 && matches(p.args.peek(), kw) && p.args.ahead(1) == word {
		p.args.take()
		p.args.take()
		*dst = new(uint32)
		return
	}
	p.opt32(dst, kw, what)
}

// noFlag reads the flag `noKW` (off) or `KW` (on), either abbreviated, in
// ip's order: the negative form first.
func (p *kindParser) noFlag(dst **bool, kw string) {
	switch {
	case p.word("no" + kw):
		*dst = boolPtr(false)
	case p.word(kw):
		*dst = boolPtr(true)
	}
}
