package main

import (
	"strconv"

	"github.com/nlkit/nlkit/rtnl"
)

// lowerSettings are the settings of `ip link set` below the link's kind:
// `protodown on|off`, `protodown_reason REASON on|off`, `xdp off` (and
// xdpgeneric, xdpdrv, xdpoffload) and `vf N …`.
type lowerSettings struct {
	protoDown *bool
	reason    *rtnl.ProtoDownReasonChange
	xdpOff    *rtnl.XDPMode
	vf        *rtnl.VFChange
}

// isLowerOption reports whether w starts a lower setting.
func isLowerOption(w string) bool {
	switch w {
	case "protodown", "protodown_reason", "xdp", "xdpgeneric", "xdpdrv", "xdpoffload", "vf":
		return true
	}
	return false
}

// parseLower reads the lower setting whose keyword r took last and its
// values.
func (s *lowerSettings) parseLower(r *words) error {
	p := &kindParser{kind: "link", args: r}
	switch w := r.last(); w {
	case "protodown":
		switch v := p.next(); v {
		case "on", "off":
			s.protoDown = boolPtr(v == "on")
		default:
			if p.err == nil {
				// ip's parse_on_off, whose error is its exit status.
				return &exitError{"Error: argument of \"protodown\" must be one of \"off\", \"on\", not \"" + v + "\"", 22}
			}
		}
	case "protodown_reason":
		v := p.next()
		n, err := parseCUint(v, 5)
		if p.err == nil && err != nil {
			p.invarg("invalid protodown reason\n", v)
		}
		switch on := p.next(); {
		case p.err != nil:
		case matches(on, "on"), matches(on, "off"):
			s.reason = &rtnl.ProtoDownReasonChange{Reason: uint8(n), On: matches(on, "on")}
		default:
			p.fail("Error: argument of \"protodown_reason\" must be \"on\" or \"off\", not \"" + on + "\"")
		}
	case "xdp", "xdpgeneric", "xdpdrv", "xdpoffload":
		if v := p.next(); p.err == nil && v != "off" && v != "none" {
			p.fail("Error: this example only detaches XDP programs (\"" + w + " off\"); it loads none.")
		}
		mode, _ := named(w, rtnl.XDPModeAny, rtnl.XDPModeGeneric, rtnl.XDPModeDriver, rtnl.XDPModeOffload)
		s.xdpOff = &mode
	case "vf":
		s.vf = p.vfChange()
	}
	return p.err
}

// vfChange reads `N [mac LLADDR] [vlan VLANID [qos QOS] [proto PROTO]]
// [rate RATE] [max_tx_rate RATE] [min_tx_rate RATE] [spoofchk|query_rss|
// trust on|off] [state auto|enable|disable] [node_guid|port_guid GUID]`
// (ip's iplink_parse_vf).
func (p *kindParser) vfChange() *rtnl.VFChange {
	v := &rtnl.VFChange{}
	n := p.next()
	vf, err := strconv.ParseInt(n, 0, 32)
	if p.err == nil && (err != nil || vf < 0) {
		p.invarg("Invalid \"vf\" value\n", n)
	}
	v.VF = uint32(vf)
	start := p.args.left()
	p.each(func() {
		if s, ok := p.opt("mac"); ok {
			hw, err := parseLLAddr(s)
			if err != nil {
				p.err = err
				return
			}
			v.MAC = hw
		}
		if p.word("vlan") {
			v.VLANs = append(v.VLANs, p.vfVlan())
		}
		p.opt32(&v.Rate, "rate", "Invalid \"rate\" value\n")
		p.opt32(&v.MaxTxRate, "max_tx_rate", "Invalid \"max tx rate\" value\n")
		p.opt32(&v.MinTxRate, "min_tx_rate", "Invalid \"min tx rate\" value\n")
		p.optOnOff(&v.SpoofCheck, "spoofchk")
		p.optOnOff(&v.QueryRSS, "query_rss")
		p.optOnOff(&v.Trust, "trust")
		if s, ok := p.opt("state"); ok {
			switch {
			case matches(s, "auto"):
				v.LinkState = linkStatePtr(rtnl.VFLinkStateAuto)
			case matches(s, "enable"):
				v.LinkState = linkStatePtr(rtnl.VFLinkStateEnable)
			case matches(s, "disable"):
				v.LinkState = linkStatePtr(rtnl.VFLinkStateDisable)
			default:
				p.invarg("Invalid \"state\" value\n", s)
			}
		}
		for _, g := range []struct {
			kw  string
			dst **uint64
		}{{"node_guid", &v.NodeGUID}, {"port_guid", &v.PortGUID}} {
			if s, ok := p.opt(g.kw); ok {
				guid, err := parseGUID(s)
				if err != nil {
					p.invarg("Invalid GUID format\n", s)
				}
				*g.dst = &guid
			}
		}
	})
	if p.err == nil && p.args.left() == start {
		p.failWith(incomplete())
	}
	if v.Rate != nil && (v.MaxTxRate != nil || v.MinTxRate != nil) {
		// With the newer rate options, rate stands for max_tx_rate.
		if v.MaxTxRate == nil {
			v.MaxTxRate = v.Rate
		}
		v.Rate = nil
	}
	return v
}

func linkStatePtr(s rtnl.VFLinkState) *rtnl.VFLinkState { return &s }

// vfVlan reads `VLANID [qos QOS] [proto PROTO]`.
func (p *kindParser) vfVlan() rtnl.VFVlan {
	vl := rtnl.VFVlan{Protocol: rtnl.VlanProtocol8021Q}
	s := p.next()
	id, err := parseCUint(s, 32)
	if p.err == nil && (err != nil || id > 4095) {
		p.invarg("Invalid \"vlan\" value\n", s)
	}
	vl.ID = uint32(id)
	if n, ok := p.num("qos", "Invalid \"qos\" value\n", 32); ok {
		vl.QoS = uint32(n)
	}
	if s, ok := p.opt("proto"); ok {
		proto, ok := parseVlanProtocol(s)
		if !ok || (proto != rtnl.VlanProtocol8021Q && proto != rtnl.VlanProtocol8021AD) {
			p.invarg("Invalid \"vlan protocol\" value - supported 802.1Q, 802.1ad\n", s)
		}
		vl.Protocol = proto
	}
	return vl
}

// parseGUID reads a GUID as ip does: eight hexadecimal bytes separated by
// colons.
func parseGUID(s string) (uint64, error) {
	var g uint64
	parts := 0
	for i := 0; i < len(s); i += 3 {
		if i+2 > len(s) || (i+2 < len(s) && s[i+2] != ':') {
			return 0, strconv.ErrSyntax
		}
		b, err := strconv.ParseUint(s[i:i+2], 16, 8)
		if err != nil {
			return 0, err
		}
		g = g<<8 | b
		parts++
	}
	if parts != 8 {
		return 0, strconv.ErrSyntax
	}
	return g, nil
}

// apply puts the settings in ch.
func (s *lowerSettings) apply(ch *rtnl.LinkChange) {
	ch.ProtoDown, ch.ProtoDownReason, ch.XDPDetach, ch.VF = s.protoDown, s.reason, s.xdpOff, s.vf
}
