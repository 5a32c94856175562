package main

import (
	"strings"

	"github.com/nlkit/nlkit/rtnl"
)

// vlan reads the settings of `type vlan` (ip's vlan_parse_opt).
func (p *kindParser) vlan() *rtnl.Vlan {
	v := &rtnl.Vlan{}
	p.each(func() {
		if s, ok := p.opt("protocol"); ok {
			proto, ok := parseVlanProtocol(s)
			if !ok {
				p.invarg("protocol is invalid", s)
				return
			}
			v.Protocol = &proto
		}
		p.opt16(&v.ID, "id", "id is invalid")
		p.optOnOff(&v.ReorderHeader, "reorder_hdr")
		p.optOnOff(&v.GVRP, "gvrp")
		p.optOnOff(&v.MVRP, "mvrp")
		p.optOnOff(&v.LooseBinding, "loose_binding")
		p.optOnOff(&v.BridgeBinding, "bridge_binding")
		if p.word("ingress-qos-map") {
			v.IngressQoS = p.qosMap("invalid ingress-qos-map")
		}
		if p.word("egress-qos-map") {
			v.EgressQoS = p.qosMap("invalid egress-qos-map")
		}
	})
	return v
}

// parseVlanProtocol reads a VLAN protocol as ip's ll_proto_a2n does: a
// name, in any case, or a number.
func parseVlanProtocol(s string) (rtnl.VlanProtocol, bool) {
	for _, pr := range []rtnl.VlanProtocol{rtnl.VlanProtocol8021Q, rtnl.VlanProtocol8021AD} {
		if strings.EqualFold(pr.String(), s) {
			return pr, true
		}
	}
	n, err := parseCUint(s, 16)
	return rtnl.VlanProtocol(n), err == nil
}

// qosMap reads the FROM:TO mappings that follow a QoS map keyword, up to
// the first word that is not one.
func (p *kindParser) qosMap(what string) []rtnl.VlanQoSMapping {
	m := []rtnl.VlanQoSMapping{}
	for p.args.more() {
		from, to, ok := strings.Cut(p.args.peek(), ":")
		if !ok {
			break
		}
		f, err1 := parseCUint(from, 32)
		t, err2 := parseCUint(to, 32)
		if err1 != nil || err2 != nil {
			p.invarg(what, p.args.peek())
			return nil
		}
		m = append(m, rtnl.VlanQoSMapping{From: uint32(f), To: uint32(t)})
		p.args.take()
	}
	return m
}

// vrf reads the settings of `type vrf`: `table TABLE`, a number or a
// name of rt_tables.
func (p *kindParser) vrf() *rtnl.Vrf {
	v := &rtnl.Vrf{}
	p.each(func() {
		if s, ok := p.opt("table"); ok {
			t, err := parseTable(s)
			if err != nil {
				p.invarg("invalid table ID\n", s)
				return
			}
			v.Table = uint32(t)
		}
	})
	return v
}
