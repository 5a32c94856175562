package main

import (
	"context"
	"net/netip"

	"github.com/nlkit/nlkit/rtnl"
)

// tunnelSettings are the settings of the IP tunnel kinds as ip's
// *_parse_opt functions hold them: ip sends them all, its defaults when
// creating, the tunnel's current values when changing one.
type tunnelSettings struct {
	kind                     string
	v6, gre                  bool
	external                 bool
	proto                    uint8
	local, remote            netip.Addr
	link                     int32
	ttl, tos                 uint8
	pmtudisc                 bool
	ignoreDF                 *bool
	ikey, okey               *uint32
	iseq, oseq, icsum, ocsum bool
	fwmark                   uint32
	ip6                      rtnl.IP6TunnelOptions
	encap                    rtnl.TunnelEncap
	isatap                   bool
	sixRD, sixRDRelay        netip.Prefix
	erspanVer                uint8
	erspanIndex              uint32
	erspanDir                rtnl.ErspanDir
	erspanHwID               uint16
	encapLimit, tclass       uint8
	flowLabel                uint32
	erspanKind               bool
}

// defaultTunnel is what ip sends for a new tunnel of kind without options.
func defaultTunnel(kind string) *tunnelSettings {
	t := &tunnelSettings{kind: kind, pmtudisc: true}
	switch kind {
	case "ip6tnl", "ip6gre", "ip6gretap", "ip6erspan":
		t.v6, t.ttl, t.encapLimit = true, 64, 4
		t.encap.Checksum6 = true
	}
	switch kind {
	case "gre", "gretap", "erspan", "ip6gre", "ip6gretap", "ip6erspan":
		t.gre = true
	}
	t.erspanKind = kind == "erspan" || kind == "ip6erspan"
	if t.erspanKind {
		t.erspanVer = 1
	}
	return t
}

// currentTunnel is what ip reads of an existing tunnel before changing it.
func currentTunnel(kind string, cur rtnl.LinkData) *tunnelSettings {
	t := defaultTunnel(kind)
	u8 := func(p *uint8, d uint8) uint8 {
		if p != nil {
			return *p
		}
		return d
	}
	u32 := func(p *uint32) uint32 {
		if p != nil {
			return *p
		}
		return 0
	}
	ip6 := func(o *rtnl.IP6TunnelOptions) {
		if o != nil {
			t.ip6 = *o
			t.encapLimit, t.tclass, t.flowLabel = u8(o.EncapLimit, t.encapLimit), u8(o.TClass, 0), u32(o.FlowLabel)
		}
	}
	switch d := cur.(type) {
	case *rtnl.Gre:
		t.local, t.remote, t.ikey, t.okey = d.Local, d.Remote, d.IKey, d.OKey
		t.iseq, t.oseq, t.icsum, t.ocsum = d.ISeq, d.OSeq, d.ICsum, d.OCsum
		t.ttl, t.tos, t.fwmark = u8(d.TTL, t.ttl), u8(d.TOS, 0), u32(d.FwMark)
		t.pmtudisc = d.PMTUDisc == nil || *d.PMTUDisc
		if d.LinkIndex != nil {
			t.link = *d.LinkIndex
		}
		ip6(d.IP6)
		if d.Encap != nil {
			t.encap = *d.Encap
		}
		t.erspanVer, t.erspanIndex = u8(d.ErspanVersion, t.erspanVer), u32(d.ErspanIndex)
		if d.ErspanDir != nil {
			t.erspanDir = *d.ErspanDir
		}
		if d.ErspanHwID != nil {
			t.erspanHwID = *d.ErspanHwID
		}
	case *rtnl.IPTunnel:
		t.local, t.remote, t.proto = d.Local, d.Remote, u8(d.Proto, 0)
		t.ttl, t.tos, t.fwmark = u8(d.TTL, t.ttl), u8(d.TOS, 0), u32(d.FwMark)
		t.pmtudisc = d.PMTUDisc == nil || *d.PMTUDisc
		if d.LinkIndex != nil {
			t.link = *d.LinkIndex
		}
		ip6(d.IP6)
		if d.Encap != nil {
			t.encap = *d.Encap
		}
		t.isatap = d.ISATAP != nil && *d.ISATAP
		t.sixRD, t.sixRDRelay = d.SixRDPrefix, d.SixRDRelayPrefix
	}
	return t
}

// ipTunnel reads the options of ipip, sit, ip6tnl, gre, gretap, erspan,
// ip6gre, ip6gretap and ip6erspan (ip's link_iptnl.c, link_ip6tnl.c,
// link_gre.c and link_gre6.c). cur is the tunnel's data when changing it.
func (c *command) ipTunnel(ctx context.Context, kind string, p *kindParser, cur rtnl.LinkData) rtnl.LinkData {
	t := defaultTunnel(kind)
	if cur != nil {
		t = currentTunnel(kind, cur)
	}
	p.each(func() {
		c.tunnelOption(ctx, t, p)
	})
	return t.data()
}

// tunnelOption reads one option, if it is one of the tunnel's.
func (c *command) tunnelOption(ctx context.Context, t *tunnelSettings, p *kindParser) {
	if t.gre && t.greKeyOption(p) {
		return
	}
	kw := func(w string) bool { // gre matches abbreviations, the others not
		if t.gre {
			return p.word(w)
		}
		return p.exact(w)
	}
	switch {
	case !t.gre && p.exact("mode"):
		t.mode(p)
	case t.gre && p.word("nopmtudisc"), !t.gre && !t.v6 && p.exact("nopmtudisc"):
		t.pmtudisc = false
	case t.gre && p.word("pmtudisc"), !t.gre && !t.v6 && p.exact("pmtudisc"):
		t.pmtudisc = true
	case kw("remote"), kw("local"):
		// ip reads the address of the tunnel's family.
		w, v := p.prev, p.next()
		a, err := netip.ParseAddr(v)
		if err != nil || a.Is4() == t.v6 {
			p.fail("Error: an inet address is expected rather than \"" + v + "\".")
			return
		}
		if matches(w, "remote") {
			t.remote = a
		} else {
			t.local = a
		}
	case p.word("dev"):
		t.link = c.tunnelDev(ctx, p, p.next())
	case kw("ttl"), kw("hoplimit"), kw("hlim"):
		v := p.next()
		t.ttl = 0
		if v != "inherit" {
			n, err := parseCUint(v, 8)
			if err != nil {
				p.invarg("invalid TTL\n", v)
			}
			t.ttl = uint8(n)
		}
	case kw("tos"), kw("tclass"), p.exact("tc"), p.word("dsfield"):
		t.tosOption(p, p.next())
	case t.v6 && (p.exact("flowlabel") || p.exact("fl")):
		v := p.next()
		t.flowLabel, t.ip6.InheritFlowLabel = 0, v == "inherit"
		if v != "inherit" {
			n, err := parseHex(v, 32)
			if err != nil || n > 0xfffff {
				p.invarg("invalid Flowlabel", v)
			}
			t.flowLabel = uint32(n)
		}
	case t.v6 && p.exact("dscp"):
		if v := p.next(); v != "inherit" {
			p.invarg("not inherit", v)
		}
		t.ip6.DSCPCopy = true
	case t.v6 && p.exact("encaplimit"):
		v := p.next()
		t.ip6.IgnoreEncapLimit = v == "none"
		if v != "none" {
			n, err := parseCUint(v, 8)
			if err != nil {
				p.invarg("invalid ELIM", v)
			}
			t.encapLimit = uint8(n)
		}
	case t.v6 && p.exact("allow-localremote"):
		t.ip6.AllowLocalRemote = true
	case t.v6 && p.exact("noallow-localremote"):
		t.ip6.AllowLocalRemote = false
	case p.exact("fwmark"):
		v := p.next()
		t.ip6.InheritFwMark = t.v6 && v == "inherit"
		t.fwmark = 0
		if !t.ip6.InheritFwMark {
			n, err := parseCUint(v, 32)
			if err != nil {
				p.invarg("invalid fwmark\n", v)
			}
			t.fwmark = uint32(n)
		}
	case p.exact("external"):
		t.external = true
	case !t.v6 && t.gre && p.exact("ignore-df"):
		t.ignoreDF = boolPtr(true)
	case !t.v6 && t.gre && p.exact("noignore-df"):
		t.ignoreDF = boolPtr(false)
	case t.kind == "sit" && p.exact("isatap"):
		t.isatap = true
	case t.kind == "sit" && p.exact("6rd-reset"):
		t.sixRD, t.sixRDRelay = netip.MustParsePrefix("2002::/16"), netip.Prefix{}
	case t.kind == "sit" && (p.exact("6rd-prefix") || p.exact("6rd-relay_prefix")):
		w, v := p.prev, p.next()
		pr, err := netip.ParsePrefix(v)
		if err != nil {
			p.invarg("invalid "+w+"\n", v)
			return
		}
		if w == "6rd-prefix" {
			t.sixRD = pr
		} else {
			t.sixRDRelay = pr
		}
	case t.erspanKind && p.exact("erspan"):
		t.erspanIndex = p.nextU32("invalid erspan index\n")
	case t.erspanKind && p.exact("erspan_ver"):
		t.erspanVer = uint8(p.nextU32("invalid erspan version\n"))
	case t.erspanKind && p.exact("erspan_dir"):
		switch v := p.next(); {
		case matches(v, "ingress"):
			t.erspanDir = rtnl.ErspanIngress
		case matches(v, "egress"):
			t.erspanDir = rtnl.ErspanEgress
		default:
			p.invarg("Invalid erspan direction.", v)
		}
	case t.erspanKind && p.exact("erspan_hwid"):
		t.erspanHwID = uint16(p.nextU32("invalid erspan hwid\n"))
	default:
		t.encapOption(p)
	}
}

// nextU32 reads the number after the keyword just read.
func (p *kindParser) nextU32(what string) uint32 {
	v := p.next()
	n, err := parseCUint(v, 32)
	if err != nil {
		p.invarg(what, v)
	}
	return uint32(n)
}

// mode reads the inner protocol of ipip, sit and ip6tnl.
func (t *tunnelSettings) mode(p *kindParser) {
	v := p.next()
	switch {
	case t.kind == "sit" && (v == "ipv6/ipv4" || v == "ip6ip"):
		t.proto = 41
	case !t.v6 && (v == "ipv4/ipv4" || v == "ipip" || v == "ip4ip4"):
		t.proto = 4
	case !t.v6 && (v == "mpls/ipv4" || v == "mplsip"):
		t.proto = 137
	case t.v6 && (v == "ipv6/ipv6" || v == "ip6ip6"):
		t.proto = 41
	case t.v6 && (v == "ip/ipv6" || v == "ipv4/ipv6" || v == "ipip6" || v == "ip4ip6"):
		t.proto = 4
	case v == "any" || (!t.v6 && v == "any/ipv4") || (t.v6 && v == "any/ipv6"):
		t.proto = 0
	default:
		p.invarg("Cannot guess tunnel mode.", v)
	}
}

// tosOption reads `tos|tclass|dsfield VALUE`.
func (t *tunnelSettings) tosOption(p *kindParser, v string) {
	if t.v6 {
		t.tclass, t.ip6.InheritTClass = 0, v == "inherit"
		if v != "inherit" {
			n, err := parseHex(v, 8)
			if err != nil {
				p.invarg("invalid TClass", v)
			}
			t.tclass = uint8(n)
		}
		return
	}
	tos, ok := parseDSField(v)
	if !ok {
		p.invarg("bad TOS value", v)
	}
	t.tos = tos
}

// greKeyOption reads gre's key, sequence and checksum options.
func (t *tunnelSettings) greKeyOption(p *kindParser) bool {
	key := func(what string) *uint32 {
		k, err := parseKey(what, p.next())
		if err != nil {
			p.err = err
		}
		return &k
	}
	set := func(in, out *bool, on bool) {
		if in != nil {
			*in = on
		}
		if out != nil {
			*out = on
		}
	}
	switch {
	case p.word("key"):
		t.ikey = key("key")
		t.okey = t.ikey
	case p.word("nokey"):
		t.ikey, t.okey = nil, nil
	case p.word("ikey"):
		t.ikey = key("ikey")
	case p.word("noikey"):
		t.ikey = nil
	case p.word("okey"):
		t.okey = key("okey")
	case p.word("nookey"):
		t.okey = nil
	case p.word("seq"), p.word("noseq"):
		set(&t.iseq, &t.oseq, p.prev[0] != 'n')
	case p.word("iseq"), p.word("noiseq"):
		set(&t.iseq, nil, p.prev[0] != 'n')
	case p.word("oseq"), p.word("nooseq"):
		set(nil, &t.oseq, p.prev[0] != 'n')
	case p.word("csum"), p.word("nocsum"):
		set(&t.icsum, &t.ocsum, p.prev[0] != 'n')
	case p.word("icsum"), p.word("noicsum"):
		set(&t.icsum, nil, p.prev[0] != 'n')
	case p.word("ocsum"), p.word("noocsum"):
		set(nil, &t.ocsum, p.prev[0] != 'n')
	default:
		return false
	}
	return true
}

// encapOption reads the fou and gue encapsulation options.
func (t *tunnelSettings) encapOption(p *kindParser) {
	e := &t.encap
	switch {
	case p.exact("noencap"):
		e.Type = rtnl.TunnelEncapNone
	case p.exact("encap"):
		switch v := p.next(); v {
		case "fou":
			e.Type = rtnl.TunnelEncapFOU
		case "gue":
			e.Type = rtnl.TunnelEncapGUE
		case "none":
			e.Type = rtnl.TunnelEncapNone
		default:
			p.invarg("Invalid encap type.", v)
		}
	case p.exact("encap-sport"):
		v := p.next()
		e.SourcePort = 0
		if v != "auto" {
			n, err := parseCUint(v, 16)
			if err != nil {
				p.invarg("Invalid source port.", v)
			}
			e.SourcePort = uint16(n)
		}
	case p.exact("encap-dport"):
		v := p.next()
		n, err := parseCUint(v, 16)
		if err != nil {
			p.invarg("Invalid destination port.", v)
		}
		e.DestPort = uint16(n)
	case p.exact("encap-csum"), p.exact("noencap-csum"):
		e.Checksum = p.prev[0] != 'n'
	case p.exact("encap-udp6-csum"), p.exact("noencap-udp6-csum"):
		e.Checksum6 = p.prev[0] != 'n'
	case p.exact("encap-remcsum"), p.exact("noencap-remcsum"):
		e.RemoteChecksum = p.prev[0] != 'n'
	}
}

// data is the kind data ip sends for the settings.
func (t *tunnelSettings) data() rtnl.LinkData {
	u8 := func(v uint8) *uint8 { return &v }
	u32 := func(v uint32) *uint32 { return &v }
	var ip6 *rtnl.IP6TunnelOptions
	if t.v6 {
		o := t.ip6
		o.EncapLimit, o.TClass, o.FlowLabel = u8(t.encapLimit), u8(t.tclass), u32(t.flowLabel)
		ip6 = &o
	}
	encap := t.encap
	var link *int32
	if t.link != 0 {
		link = &t.link
	}
	if !t.gre {
		it := &rtnl.IPTunnel{Kind: t.kind, Proto: u8(t.proto), External: t.external}
		if t.external {
			return it
		}
		it.Local, it.Remote, it.TTL, it.LinkIndex, it.FwMark, it.Encap, it.IP6 = t.local, t.remote, u8(t.ttl), &t.link, u32(t.fwmark), &encap, ip6
		if !t.v6 {
			it.PMTUDisc, it.TOS = boolPtr(t.pmtudisc), u8(t.tos)
		}
		if t.kind == "sit" {
			it.ISATAP = boolPtr(t.isatap)
			it.SixRDPrefix, it.SixRDRelayPrefix = t.sixRD, t.sixRDRelay
		}
		return it
	}
	g := &rtnl.Gre{Kind: t.kind, External: t.external}
	if t.external {
		return g
	}
	if t.remote.IsMulticast() && t.remote.Is4() {
		// A broadcast tunnel keys its packets with the group's first byte.
		k := uint32(t.remote.As4()[0])
		if t.ikey == nil {
			t.ikey = &k
		}
		if t.okey == nil {
			t.okey = &k
		}
	}
	g.Local, g.Remote, g.IKey, g.OKey = t.local, t.remote, t.ikey, t.okey
	g.ISeq, g.OSeq, g.ICsum, g.OCsum = t.iseq, t.oseq, t.icsum, t.ocsum
	g.LinkIndex, g.TTL, g.FwMark, g.Encap, g.IP6 = link, u8(t.ttl), u32(t.fwmark), &encap, ip6
	if !t.v6 {
		g.PMTUDisc, g.IgnoreDF, g.TOS = boolPtr(t.pmtudisc), t.ignoreDF, u8(t.tos)
	}
	if t.erspanKind {
		g.ErspanVersion = u8(t.erspanVer)
		switch {
		case t.erspanVer == 1 && t.erspanIndex != 0:
			g.ErspanIndex = u32(t.erspanIndex)
		case t.erspanVer == 2:
			dir, hw := t.erspanDir, t.erspanHwID
			g.ErspanDir, g.ErspanHwID = &dir, &hw
		}
	}
	return g
}

// curData is the kind data of the link `ip link set` changes, or nil.
func curData(l *rtnl.Link) rtnl.LinkData {
	if l == nil || l.Info == nil {
		return nil
	}
	return l.Info.Data
}

// tunnelDev is the index of the device named after `dev`; ip exits with
// status 255 when there is none.
func (c *command) tunnelDev(ctx context.Context, p *kindParser, name string) int32 {
	if p.err != nil {
		return 0
	}
	l, err := c.linkByName(ctx, name)
	if ee, ok := err.(*exitError); ok {
		p.err = &exitError{ee.msg, 255}
	} else if err != nil {
		p.err = err
	}
	return l.Index
}
