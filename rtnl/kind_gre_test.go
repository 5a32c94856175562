package rtnl_test

import (
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// greIPv4 returns a gre, gretap or erspan tunnel from 10.0.0.1 to 10.0.0.2
// with the settings ip sends by default.
func greIPv4(kind string, key *uint32) *rtnl.Gre {
	g := &rtnl.Gre{
		Kind: kind, IKey: key, OKey: key, Local: tnlAddr("10.0.0.1"), Remote: tnlAddr("10.0.0.2"),
		PMTUDisc: ptr(true), TOS: ptr(uint8(0)), TTL: ptr(uint8(0)), FwMark: ptr(uint32(0)),
		Encap: &rtnl.TunnelEncap{},
	}
	if kind == "erspan" {
		g.ErspanVersion = ptr(uint8(1))
	}
	return g
}

// greIPv6 returns an ip6gre, ip6gretap or ip6erspan tunnel from
// 2001:db8::1 to 2001:db8::2 with the settings ip sends by default.
func greIPv6(kind string, key *uint32) *rtnl.Gre {
	return &rtnl.Gre{
		Kind: kind, IKey: key, OKey: key, Local: tnlAddr("2001:db8::1"), Remote: tnlAddr("2001:db8::2"),
		TTL: ptr(uint8(64)), IP6: tnlIP6Defaults(), FwMark: ptr(uint32(0)), ErspanVersion: ptr(uint8(1)),
		Encap: &rtnl.TunnelEncap{Checksum6: true},
	}
}

// greNoErspan skips the ERSPAN version ip sends for every IPv6 kind, which
// the kernel ignores and does not report but for ip6erspan.
var greNoErspan = []string{"ErspanVersion"}

func TestGreAdd(t *testing.T) {
	key := ptr[uint32]
	tnlRunCases(t, []tnlCase{
		{name: "gre", data: greIPv4("gre", key(1)), ip: "type gre key 1 remote 10.0.0.2 local 10.0.0.1"},
		{name: "gre kernel defaults", data: &rtnl.Gre{Local: tnlAddr("10.0.0.1"), Remote: tnlAddr("10.0.0.2")},
			ip: "type gre remote 10.0.0.2 local 10.0.0.1"},
		{name: "gre options", dev: true, data: with(greIPv4("gre", nil), func(g *rtnl.Gre) {
			g.IKey, g.OKey, g.ISeq, g.OSeq, g.ICsum, g.OCsum = key(3), key(4), true, true, true, true
			g.TTL, g.TOS, g.FwMark = ptr(uint8(64)), ptr(uint8(0x10)), ptr(uint32(0x42))
		}), ip: "type gre ikey 3 okey 4 iseq oseq icsum ocsum remote 10.0.0.2 local 10.0.0.1 ttl 64 tos 0x10 dev u0 fwmark 0x42"},
		{name: "gre ignore-df", data: with(greIPv4("gre", nil), func(g *rtnl.Gre) {
			g.PMTUDisc, g.IgnoreDF = ptr(false), ptr(true)
		}), ip: "type gre remote 10.0.0.2 local 10.0.0.1 nopmtudisc ignore-df"},
		{name: "gre gue", data: with(greIPv4("gre", nil), func(g *rtnl.Gre) {
			g.Encap = &rtnl.TunnelEncap{Type: rtnl.TunnelEncapGUE, SourcePort: 1000, DestPort: 2000, Checksum: true}
		}), ip: "type gre remote 10.0.0.2 local 10.0.0.1 encap gue encap-sport 1000 encap-dport 2000 encap-csum"},
		{name: "gre external", data: &rtnl.Gre{External: true}, ip: "type gre external"},
		{name: "gretap", data: greIPv4("gretap", nil), ip: "type gretap remote 10.0.0.2 local 10.0.0.1"},
		{name: "gretap options", data: with(greIPv4("gretap", key(5)), func(g *rtnl.Gre) {
			g.ISeq, g.OSeq, g.ICsum, g.OCsum, g.TOS = true, true, true, true, ptr(uint8(1))
		}), ip: "type gretap seq csum key 5 remote 10.0.0.2 local 10.0.0.1 tos inherit"},
		{name: "erspan v1", data: with(greIPv4("erspan", key(10)), func(g *rtnl.Gre) {
			g.ISeq, g.OSeq, g.ErspanIndex = true, true, ptr(uint32(123))
		}), ip: "type erspan seq key 10 erspan 123 remote 10.0.0.2 local 10.0.0.1"},
		{name: "erspan v2", data: with(greIPv4("erspan", key(11)), func(g *rtnl.Gre) {
			g.ISeq, g.OSeq, g.ErspanVersion = true, true, ptr(uint8(2))
			g.ErspanDir, g.ErspanHwID = ptr(rtnl.ErspanEgress), ptr(uint16(7))
		}), ip: "type erspan seq key 11 erspan_ver 2 erspan_dir egress erspan_hwid 7 remote 10.0.0.2 local 10.0.0.1"},
		{name: "erspan v0", data: with(greIPv4("erspan", nil), func(g *rtnl.Gre) {
			g.ErspanVersion = ptr(uint8(0))
		}), ip: "type erspan erspan_ver 0 remote 10.0.0.2 local 10.0.0.1"},

		{name: "ip6gre", data: greIPv6("ip6gre", nil), ip: "type ip6gre remote 2001:db8::2 local 2001:db8::1",
			unreported: greNoErspan},
		{name: "ip6gre options", dev: true, data: with(greIPv6("ip6gre", key(7)), func(g *rtnl.Gre) {
			g.ISeq, g.OSeq, g.ICsum, g.OCsum, g.TTL = true, true, true, true, ptr(uint8(20))
			g.IP6.IgnoreEncapLimit, g.IP6.TClass, g.IP6.FlowLabel = true, ptr(uint8(0x10)), ptr(uint32(0xabcde))
			g.IP6.DSCPCopy, g.IP6.AllowLocalRemote, g.IP6.InheritFwMark = true, true, true
		}), ip: "type ip6gre key 7 seq csum remote 2001:db8::2 local 2001:db8::1 hoplimit 20 encaplimit none " +
			"tclass 0x10 flowlabel 0xabcde dscp inherit allow-localremote fwmark inherit dev u0",
			unreported: greNoErspan},
		{name: "ip6gretap", data: with(greIPv6("ip6gretap", nil), func(g *rtnl.Gre) {
			g.IP6.InheritTClass, g.IP6.InheritFlowLabel, g.IP6.EncapLimit, g.FwMark = true, true, ptr(uint8(2)), ptr(uint32(5))
		}), ip: "type ip6gretap remote 2001:db8::2 local 2001:db8::1 tclass inherit flowlabel inherit encaplimit 2 fwmark 0x5",
			unreported: greNoErspan},
		{name: "ip6erspan v1", data: with(greIPv6("ip6erspan", key(12)), func(g *rtnl.Gre) {
			g.ISeq, g.OSeq, g.ErspanIndex = true, true, ptr(uint32(456))
		}), ip: "type ip6erspan seq key 12 erspan 456 remote 2001:db8::2 local 2001:db8::1"},
		{name: "ip6erspan v2", data: with(greIPv6("ip6erspan", key(13)), func(g *rtnl.Gre) {
			g.ISeq, g.OSeq, g.ErspanVersion = true, true, ptr(uint8(2))
			g.ErspanDir, g.ErspanHwID = ptr(rtnl.ErspanIngress), ptr(uint16(0x3f))
		}), ip: "type ip6erspan seq key 13 erspan_ver 2 erspan_dir ingress erspan_hwid 0x3f remote 2001:db8::2 local 2001:db8::1"},
		{name: "ip6gre fou", data: with(greIPv6("ip6gre", nil), func(g *rtnl.Gre) {
			g.Encap = &rtnl.TunnelEncap{Type: rtnl.TunnelEncapFOU, DestPort: 5555, Checksum6: true}
		}), ip: "type ip6gre remote 2001:db8::2 local 2001:db8::1 encap fou encap-dport 5555",
			modules: []string{"fou6"}, unreported: greNoErspan},
		{name: "ip6gre external", data: &rtnl.Gre{Kind: "ip6gre", External: true}, ip: "type ip6gre external"},
	})
}

func TestGreSetLink(t *testing.T) {
	for _, tc := range []struct {
		name   string
		data   *rtnl.Gre
		change func(*rtnl.Gre)
	}{
		{"gre", greIPv4("gre", ptr(uint32(1))), func(g *rtnl.Gre) {
			g.TTL, g.IKey, g.OKey, g.OSeq = ptr(uint8(33)), ptr(uint32(2)), nil, true
		}},
		{"gretap", greIPv4("gretap", nil), func(g *rtnl.Gre) {
			g.TOS, g.PMTUDisc, g.Remote = ptr(uint8(0x10)), ptr(false), tnlAddr("10.0.0.3")
		}},
		{"erspan", func() *rtnl.Gre {
			g := greIPv4("erspan", ptr(uint32(10)))
			g.ISeq, g.OSeq, g.ErspanIndex = true, true, ptr(uint32(1))
			return g
		}(), func(g *rtnl.Gre) {
			g.ErspanIndex = ptr(uint32(99))
		}},
		{"ip6gre", greIPv6("ip6gre", nil), func(g *rtnl.Gre) {
			g.IP6.FlowLabel, g.IP6.AllowLocalRemote, g.TTL = ptr(uint32(0x54321)), true, ptr(uint8(5))
		}},
		{"ip6erspan", func() *rtnl.Gre {
			g := greIPv6("ip6erspan", ptr(uint32(10)))
			g.ISeq, g.OSeq, g.ErspanIndex = true, true, ptr(uint32(1))
			return g
		}(), func(g *rtnl.Gre) {
			g.ErspanVersion, g.ErspanIndex = ptr(uint8(2)), nil
			g.ErspanDir, g.ErspanHwID = ptr(rtnl.ErspanEgress), ptr(uint16(3))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { tnlChangeAll(t, tc.data, tc.change) })
	}
}

func TestGreInvalid(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	for _, g := range []*rtnl.Gre{
		{Kind: "ipip"},
		{Local: tnlAddr("2001:db8::1")},
		{Kind: "ip6gretap", Remote: tnlAddr("10.0.0.1")},
		{Kind: "ip6gre", TOS: ptr(uint8(1))},
		{Kind: "ip6gre", PMTUDisc: ptr(false)},
		{Kind: "ip6gre", IgnoreDF: ptr(false)},
		{Kind: "gretap", IP6: &rtnl.IP6TunnelOptions{}},
		{Kind: "ip6gre", IP6: &rtnl.IP6TunnelOptions{FlowLabel: ptr(uint32(1 << 20))}},
		{IgnoreDF: ptr(true)},
		{IgnoreDF: ptr(true), PMTUDisc: ptr(true)},
		{Kind: "erspan", ErspanVersion: ptr(uint8(3))},
		{Kind: "erspan", IKey: ptr(uint32(1)), ISeq: true, ErspanIndex: ptr(uint32(1 << 20))},
		{Kind: "erspan", IKey: ptr(uint32(1)), ISeq: true, ErspanDir: ptr(rtnl.ErspanDir(2))},
		{Kind: "erspan", IKey: ptr(uint32(1)), ISeq: true, ErspanHwID: ptr(uint16(64))},
		{Kind: "erspan"},
		{Kind: "ip6erspan", IKey: ptr(uint32(1))},
		{Kind: "erspan", IKey: ptr(uint32(1)), ISeq: true, OCsum: true},
		{Kind: "erspan", IKey: ptr(uint32(1024)), OKey: ptr(uint32(1024)), ISeq: true, OSeq: true},
	} {
		checkAddInvalid(t, c, rtnl.Link{Name: "bad0", Info: &rtnl.LinkInfo{Data: g}})
	}
}

func TestGreScenario(t *testing.T) {
	tnlScenario(t, func(side int) rtnl.Link {
		local, remote := tnlAddr("10.0.0.1"), tnlAddr("10.0.0.2")
		if side == 1 {
			local, remote = remote, local
		}
		return rtnl.Link{Name: "gre1", Info: &rtnl.LinkInfo{Data: &rtnl.Gre{
			IKey: ptr(uint32(1)), OKey: ptr(uint32(1)), Local: local, Remote: remote,
		}}}
	})
}

func TestGretapScenario(t *testing.T) {
	tnlScenario(t, func(side int) rtnl.Link {
		local, remote := tnlAddr("10.0.0.1"), tnlAddr("10.0.0.2")
		if side == 1 {
			local, remote = remote, local
		}
		return rtnl.Link{Name: "gre1", Info: &rtnl.LinkInfo{Data: &rtnl.Gre{
			Kind: "gretap", IKey: ptr(uint32(1)), OKey: ptr(uint32(1)), Local: local, Remote: remote,
		}}}
	})
}
