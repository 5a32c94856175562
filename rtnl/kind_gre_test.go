package rtnl_test

import (
	"context"
	"errors"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// greIPv4 returns a gre, gretap or erspan tunnel from 10.0.0.1 to 10.0.0.2
// with the settings ip sends by default.
func greIPv4(kind string, key *uint32) *rtnl.Gre {
	g := &rtnl.Gre{
		Kind: kind, IKey: key, OKey: key, Local: tnlAddr("10.0.0.1"), Remote: tnlAddr("10.0.0.2"),
		PMTUDisc: tnlP(true), TOS: tnlP(uint8(0)), TTL: tnlP(uint8(0)), FwMark: tnlP(uint32(0)),
		Encap: &rtnl.TunnelEncap{},
	}
	if kind == "erspan" {
		g.ErspanVersion = tnlP(uint8(1))
	}
	return g
}

// greIPv6 returns an ip6gre, ip6gretap or ip6erspan tunnel from
// 2001:db8::1 to 2001:db8::2 with the settings ip sends by default.
func greIPv6(kind string, key *uint32) *rtnl.Gre {
	return &rtnl.Gre{
		Kind: kind, IKey: key, OKey: key, Local: tnlAddr("2001:db8::1"), Remote: tnlAddr("2001:db8::2"),
		TTL: tnlP(uint8(64)), IP6: tnlIP6Defaults(), FwMark: tnlP(uint32(0)), ErspanVersion: tnlP(uint8(1)),
		Encap: &rtnl.TunnelEncap{Checksum6: true},
	}
}

// greNoErspan skips the ERSPAN version ip sends for every IPv6 kind, which
// the kernel ignores and does not report but for ip6erspan.
var greNoErspan = []string{"ErspanVersion"}

func TestGreAdd(t *testing.T) {
	with := func(g *rtnl.Gre, f func(*rtnl.Gre)) *rtnl.Gre { f(g); return g }
	key := func(k uint32) *uint32 { return &k }
	tnlRunCases(t, []tnlCase{
		{name: "gre", data: greIPv4("gre", key(1)), ip: "type gre key 1 remote 10.0.0.2 local 10.0.0.1"},
		{name: "gre kernel defaults", data: &rtnl.Gre{Local: tnlAddr("10.0.0.1"), Remote: tnlAddr("10.0.0.2")},
			ip: "type gre remote 10.0.0.2 local 10.0.0.1"},
		{name: "gre options", dev: true, data: with(greIPv4("gre", nil), func(g *rtnl.Gre) {
			g.IKey, g.OKey, g.ISeq, g.OSeq, g.ICsum, g.OCsum = key(3), key(4), true, true, true, true
			g.TTL, g.TOS, g.FwMark = tnlP(uint8(64)), tnlP(uint8(0x10)), tnlP(uint32(0x42))
		}), ip: "type gre ikey 3 okey 4 iseq oseq icsum ocsum remote 10.0.0.2 local 10.0.0.1 ttl 64 tos 0x10 dev u0 fwmark 0x42"},
		{name: "gre ignore-df", data: with(greIPv4("gre", nil), func(g *rtnl.Gre) {
			g.PMTUDisc, g.IgnoreDF = tnlP(false), tnlP(true)
		}), ip: "type gre remote 10.0.0.2 local 10.0.0.1 nopmtudisc ignore-df"},
		{name: "gre gue", data: with(greIPv4("gre", nil), func(g *rtnl.Gre) {
			g.Encap = &rtnl.TunnelEncap{Type: rtnl.TunnelEncapGUE, SourcePort: 1000, DestPort: 2000, Checksum: true}
		}), ip: "type gre remote 10.0.0.2 local 10.0.0.1 encap gue encap-sport 1000 encap-dport 2000 encap-csum"},
		{name: "gre external", data: &rtnl.Gre{External: true}, ip: "type gre external"},
		{name: "gretap", data: greIPv4("gretap", nil), ip: "type gretap remote 10.0.0.2 local 10.0.0.1"},
		{name: "gretap options", data: with(greIPv4("gretap", key(5)), func(g *rtnl.Gre) {
			g.ISeq, g.OSeq, g.ICsum, g.OCsum, g.TOS = true, true, true, true, tnlP(uint8(1))
		}), ip: "type gretap seq csum key 5 remote 10.0.0.2 local 10.0.0.1 tos inherit"},
		{name: "erspan v1", data: with(greIPv4("erspan", key(10)), func(g *rtnl.Gre) {
			g.ISeq, g.OSeq, g.ErspanIndex = true, true, tnlP(uint32(123))
		}), ip: "type erspan seq key 10 erspan 123 remote 10.0.0.2 local 10.0.0.1"},
		{name: "erspan v2", data: with(greIPv4("erspan", key(11)), func(g *rtnl.Gre) {
			g.ISeq, g.OSeq, g.ErspanVersion = true, true, tnlP(uint8(2))
			g.ErspanDir, g.ErspanHwID = tnlP(rtnl.ErspanEgress), tnlP(uint16(7))
		}), ip: "type erspan seq key 11 erspan_ver 2 erspan_dir egress erspan_hwid 7 remote 10.0.0.2 local 10.0.0.1"},
		{name: "erspan v0", data: with(greIPv4("erspan", nil), func(g *rtnl.Gre) {
			g.ErspanVersion = tnlP(uint8(0))
		}), ip: "type erspan erspan_ver 0 remote 10.0.0.2 local 10.0.0.1"},

		{name: "ip6gre", data: greIPv6("ip6gre", nil), ip: "type ip6gre remote 2001:db8::2 local 2001:db8::1",
			unreported: greNoErspan},
		{name: "ip6gre options", dev: true, data: with(greIPv6("ip6gre", key(7)), func(g *rtnl.Gre) {
			g.ISeq, g.OSeq, g.ICsum, g.OCsum, g.TTL = true, true, true, true, tnlP(uint8(20))
			g.IP6.IgnoreEncapLimit, g.IP6.TClass, g.IP6.FlowLabel = true, tnlP(uint8(0x10)), tnlP(uint32(0xabcde))
			g.IP6.DSCPCopy, g.IP6.AllowLocalRemote, g.IP6.InheritFwMark = true, true, true
		}), ip: "type ip6gre key 7 seq csum remote 2001:db8::2 local 2001:db8::1 hoplimit 20 encaplimit none " +
			"tclass 0x10 flowlabel 0xabcde dscp inherit allow-localremote fwmark inherit dev u0",
			unreported: greNoErspan},
		{name: "ip6gretap", data: with(greIPv6("ip6gretap", nil), func(g *rtnl.Gre) {
			g.IP6.InheritTClass, g.IP6.InheritFlowLabel, g.IP6.EncapLimit, g.FwMark = true, true, tnlP(uint8(2)), tnlP(uint32(5))
		}), ip: "type ip6gretap remote 2001:db8::2 local 2001:db8::1 tclass inherit flowlabel inherit encaplimit 2 fwmark 0x5",
			unreported: greNoErspan},
		{name: "ip6erspan v1", data: with(greIPv6("ip6erspan", key(12)), func(g *rtnl.Gre) {
			g.ISeq, g.OSeq, g.ErspanIndex = true, true, tnlP(uint32(456))
		}), ip: "type ip6erspan seq key 12 erspan 456 remote 2001:db8::2 local 2001:db8::1"},
		{name: "ip6erspan v2", data: with(greIPv6("ip6erspan", key(13)), func(g *rtnl.Gre) {
			g.ISeq, g.OSeq, g.ErspanVersion = true, true, tnlP(uint8(2))
			g.ErspanDir, g.ErspanHwID = tnlP(rtnl.ErspanIngress), tnlP(uint16(0x3f))
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
		{"gre", greIPv4("gre", tnlP(uint32(1))), func(g *rtnl.Gre) {
			g.TTL, g.IKey, g.OKey, g.OSeq = tnlP(uint8(33)), tnlP(uint32(2)), nil, true
		}},
		{"gretap", greIPv4("gretap", nil), func(g *rtnl.Gre) {
			g.TOS, g.PMTUDisc, g.Remote = tnlP(uint8(0x10)), tnlP(false), tnlAddr("10.0.0.3")
		}},
		{"erspan", func() *rtnl.Gre {
			g := greIPv4("erspan", tnlP(uint32(10)))
			g.ISeq, g.OSeq, g.ErspanIndex = true, true, tnlP(uint32(1))
			return g
		}(), func(g *rtnl.Gre) {
			g.ErspanIndex = tnlP(uint32(99))
		}},
		{"ip6gre", greIPv6("ip6gre", nil), func(g *rtnl.Gre) {
			g.IP6.FlowLabel, g.IP6.AllowLocalRemote, g.TTL = tnlP(uint32(0x54321)), true, tnlP(uint8(5))
		}},
		{"ip6erspan", func() *rtnl.Gre {
			g := greIPv6("ip6erspan", tnlP(uint32(10)))
			g.ISeq, g.OSeq, g.ErspanIndex = true, true, tnlP(uint32(1))
			return g
		}(), func(g *rtnl.Gre) {
			g.ErspanVersion, g.ErspanIndex = tnlP(uint8(2)), nil
			g.ErspanDir, g.ErspanHwID = tnlP(rtnl.ErspanEgress), tnlP(uint16(3))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ns := testns.New(t)
			c := dial(t, ns)
			tnlAdd(t, c, rtnl.Link{Name: "t0", Info: &rtnl.LinkInfo{Data: tc.data}})
			d := mustLink(t, c, "t0").Info.Data.(*rtnl.Gre)
			tc.change(d)
			tnlSetAndCheck(t, c, ns, "t0", d, d)
			tnlCheckSet(t, d, mustLink(t, c, "t0").Info.Data)
		})
	}
}

func TestGreInvalid(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	for _, g := range []*rtnl.Gre{
		{Kind: "ipip"},
		{Local: tnlAddr("2001:db8::1")},
		{Kind: "ip6gretap", Remote: tnlAddr("10.0.0.1")},
		{Kind: "ip6gre", TOS: tnlP(uint8(1))},
		{Kind: "ip6gre", PMTUDisc: tnlP(false)},
		{Kind: "ip6gre", IgnoreDF: tnlP(false)},
		{Kind: "gretap", IP6: &rtnl.IP6TunnelOptions{}},
		{Kind: "ip6gre", IP6: &rtnl.IP6TunnelOptions{FlowLabel: tnlP(uint32(1 << 20))}},
		{IgnoreDF: tnlP(true)},
		{IgnoreDF: tnlP(true), PMTUDisc: tnlP(true)},
		{Kind: "erspan", ErspanVersion: tnlP(uint8(3))},
		{Kind: "erspan", IKey: tnlP(uint32(1)), ISeq: true, ErspanIndex: tnlP(uint32(1 << 20))},
		{Kind: "erspan", IKey: tnlP(uint32(1)), ISeq: true, ErspanDir: tnlP(rtnl.ErspanDir(2))},
		{Kind: "erspan", IKey: tnlP(uint32(1)), ISeq: true, ErspanHwID: tnlP(uint16(64))},
		{Kind: "erspan"},
		{Kind: "ip6erspan", IKey: tnlP(uint32(1))},
		{Kind: "erspan", IKey: tnlP(uint32(1)), ISeq: true, OCsum: true},
		{Kind: "erspan", IKey: tnlP(uint32(1024)), OKey: tnlP(uint32(1024)), ISeq: true, OSeq: true},
	} {
		err := c.AddLink(context.Background(), rtnl.Link{Name: "bad0", Info: &rtnl.LinkInfo{Data: g}})
		var invalid *rtnl.InvalidError
		if !errors.As(err, &invalid) {
			t.Errorf("AddLink(%+v) error = %v; want an InvalidError", g, err)
		}
	}
}

func TestGreScenario(t *testing.T) {
	tnlScenario(t, func(side int) rtnl.Link {
		local, remote := tnlAddr("10.0.0.1"), tnlAddr("10.0.0.2")
		if side == 1 {
			local, remote = remote, local
		}
		return rtnl.Link{Name: "gre1", Info: &rtnl.LinkInfo{Data: &rtnl.Gre{
			IKey: tnlP(uint32(1)), OKey: tnlP(uint32(1)), Local: local, Remote: remote,
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
			Kind: "gretap", IKey: tnlP(uint32(1)), OKey: tnlP(uint32(1)), Local: local, Remote: remote,
		}}}
	})
}
