package rtnl_test

import (
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// geneveIP returns a Geneve device with the settings ip sends when it
// creates one: the label, TTL and TOS always.
func geneveIP(id uint32, remote string) *rtnl.Geneve {
	g := &rtnl.Geneve{ID: &id, Label: ptr(uint32(0)), TTL: ptr(uint8(0)), TOS: ptr(uint8(0))}
	if remote != "" {
		g.Remote = tnlAddr(remote)
	}
	return g
}

func TestGeneveAdd(t *testing.T) {
	tnlRunCases(t, []tnlCase{
		{name: "ipv4", data: geneveIP(1, "10.0.0.2"), ip: "type geneve id 1 remote 10.0.0.2"},
		{name: "kernel defaults", data: &rtnl.Geneve{ID: ptr(uint32(9)), Remote: tnlAddr("10.0.0.9")},
			ip: "type geneve id 9 remote 10.0.0.9"},
		{name: "ipv6", data: with(geneveIP(2, "2001:db8::2"), func(g *rtnl.Geneve) {
			g.TTL, g.TOS, g.Label, g.Port = ptr(uint8(33)), ptr(uint8(0x10)), ptr(uint32(0x12345)), ptr(uint16(7000))
			g.UDPZeroCsum6Tx, g.UDPZeroCsum6Rx = ptr(true), ptr(true)
		}), ip: "type geneve id 2 remote 2001:db8::2 ttl 33 tos 0x10 flowlabel 0x12345 dstport 7000 udp6zerocsumtx udp6zerocsumrx"},
		{name: "inherit", data: with(geneveIP(3, "10.0.0.3"), func(g *rtnl.Geneve) {
			g.TTLInherit, g.TOS, g.DF, g.UDPCsum = ptr(true), ptr(uint8(1)), ptr(rtnl.GeneveDFInherit), ptr(true)
		}), ip: "type geneve id 3 remote 10.0.0.3 ttl inherit tos inherit df inherit udpcsum"},
		{name: "df set", data: with(geneveIP(4, "10.0.0.4"), func(g *rtnl.Geneve) {
			g.DF, g.UDPCsum = ptr(rtnl.GeneveDFSet), ptr(false)
		}), ip: "type geneve id 4 remote 10.0.0.4 df set noudpcsum"},
		{name: "external", data: with(geneveIP(0, ""), func(g *rtnl.Geneve) { g.External = true }),
			ip: "type geneve external"},
		{name: "innerprotoinherit", data: with(geneveIP(5, "10.0.0.5"), func(g *rtnl.Geneve) { g.InnerProtoInherit = true }),
			ip: "type geneve id 5 remote 10.0.0.5 innerprotoinherit"},
	})
}

func TestGeneveSetLink(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	addLinkOrSkip(t, c, rtnl.Link{Name: "gnv0", Info: &rtnl.LinkInfo{Data: &rtnl.Geneve{ID: ptr(uint32(1)), Remote: tnlAddr("10.0.0.2")}}})
	// A Geneve device changes one setting at a time.
	want := mustLink(t, c, "gnv0").Info.Data.(*rtnl.Geneve)
	want.TTL = ptr(uint8(99))
	tnlSetAndCheck(t, c, ns, "gnv0", &rtnl.Geneve{TTL: ptr(uint8(99))}, want)
	want.Remote, want.TOS, want.DF = tnlAddr("10.0.0.7"), ptr(uint8(0x20)), ptr(rtnl.GeneveDFSet)
	tnlSetAndCheck(t, c, ns, "gnv0", &rtnl.Geneve{Remote: want.Remote, TOS: want.TOS, DF: want.DF}, want)
	tnlCheckSet(t, want, mustLink(t, c, "gnv0").Info.Data)
}

func TestGeneveInvalid(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	for _, g := range []*rtnl.Geneve{
		{ID: ptr(uint32(1 << 24))},
		{Label: ptr(uint32(1 << 20))},
		{Label: ptr(uint32(1)), Remote: tnlAddr("10.0.0.1")},
		{DF: ptr(rtnl.GeneveDF(3))},
		{Remote: tnlAddr("239.1.1.1")},
		{Remote: tnlAddr("ff02::1")},
		{External: true, ID: ptr(uint32(5))},
	} {
		checkAddInvalid(t, c, rtnl.Link{Name: "bad0", Info: &rtnl.LinkInfo{Data: g}})
	}
}

func TestGeneveScenario(t *testing.T) {
	tnlScenario(t, func(side int) rtnl.Link {
		remote := []string{"10.0.0.2", "10.0.0.1"}[side]
		return rtnl.Link{Name: "geneve0", Info: &rtnl.LinkInfo{Data: &rtnl.Geneve{ID: ptr(uint32(1)), Remote: tnlAddr(remote)}}}
	})
}
