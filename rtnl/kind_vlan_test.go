package rtnl_test

import (
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

func TestVlanAdd(t *testing.T) {
	tnlRunCases(t, []tnlCase{
		{name: "id", dev: true, data: &rtnl.Vlan{ID: ptr(uint16(100))}, ip: "link u0 type vlan id 100"},
		{name: "802.1Q", dev: true, data: &rtnl.Vlan{ID: ptr(uint16(4094)), Protocol: ptr(rtnl.VlanProtocol8021Q)},
			ip: "link u0 type vlan protocol 802.1Q id 4094"},
		{name: "options", dev: true, data: &rtnl.Vlan{
			ID: ptr(uint16(200)), Protocol: ptr(rtnl.VlanProtocol8021AD),
			ReorderHeader: ptr(false), GVRP: ptr(true), MVRP: ptr(true), LooseBinding: ptr(true), BridgeBinding: ptr(true),
			IngressQoS: []rtnl.VlanQoSMapping{{From: 1, To: 2}, {From: 3, To: 4}},
			EgressQoS:  []rtnl.VlanQoSMapping{{From: 2, To: 3}, {From: 4, To: 5}},
		}, ip: "link u0 type vlan id 200 protocol 802.1ad reorder_hdr off gvrp on mvrp on loose_binding on " +
			"bridge_binding on ingress-qos-map 1:2 3:4 egress-qos-map 2:3 4:5"},
		{name: "flags off", dev: true, data: &rtnl.Vlan{
			ID: ptr(uint16(0)), ReorderHeader: ptr(true), GVRP: ptr(false), BridgeBinding: ptr(false),
		}, ip: "link u0 type vlan id 0 reorder_hdr on gvrp off bridge_binding off"},
	})
}

func TestVlanSetLink(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	u0 := addVeth(t, ns, c, "u0", "u1")
	addLinkOrSkip(t, c, rtnl.Link{Name: "u0.100", ParentIndex: &u0, Info: &rtnl.LinkInfo{Data: &rtnl.Vlan{ID: ptr(uint16(100))}}})

	// The flags and the maps change one by one.
	want := mustLink(t, c, "u0.100").Info.Data.(*rtnl.Vlan)
	want.GVRP, want.ReorderHeader = ptr(true), ptr(false)
	want.IngressQoS = []rtnl.VlanQoSMapping{{From: 2, To: 3}}
	want.EgressQoS = []rtnl.VlanQoSMapping{{From: 1, To: 7}}
	tnlSetAndCheck(t, c, ns, "u0.100", &rtnl.Vlan{
		GVRP: ptr(true), ReorderHeader: ptr(false),
		IngressQoS: want.IngressQoS, EgressQoS: want.EgressQoS,
	}, want)
	want.LooseBinding = ptr(true)
	want.IngressQoS = []rtnl.VlanQoSMapping{{From: 2, To: 3}, {From: 5, To: 6}}
	tnlSetAndCheck(t, c, ns, "u0.100", &rtnl.Vlan{
		LooseBinding: ptr(true), IngressQoS: []rtnl.VlanQoSMapping{{From: 5, To: 6}},
	}, want)
}

func TestVlanInvalid(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	u0 := addVeth(t, ns, c, "u0", "u1")
	for _, v := range []*rtnl.Vlan{
		{ID: ptr(uint16(4095))},
		{ID: ptr(uint16(1)), Protocol: ptr(rtnl.VlanProtocol(0x0800))},
		{ID: ptr(uint16(1)), IngressQoS: []rtnl.VlanQoSMapping{{From: 8, To: 1}}},
		{ID: ptr(uint16(1)), EgressQoS: []rtnl.VlanQoSMapping{{From: 1, To: 8}}},
	} {
		checkAddInvalid(t, c, rtnl.Link{Name: "bad0", ParentIndex: &u0, Info: &rtnl.LinkInfo{Data: v}})
	}
}

// TestVlanScenario is the guide's VLAN walk-through: VLAN 100 devices on
// two namespaces' veths, which a bridge in a third joins, reach each other;
// a VLAN 101 device does not.
func TestVlanScenario(t *testing.T) {
	hub, ns0, ns1 := tnlUnderlay(t)
	for i, ns := range []*testns.NS{ns0, ns1} {
		c := dial(t, ns)
		parent := []string{"veth0n", "veth1n"}[i]
		name := parent + ".100"
		p := mustLink(t, c, parent).Index
		addLinkOrSkip(t, c, rtnl.Link{Name: name, ParentIndex: &p, Info: &rtnl.LinkInfo{Data: &rtnl.Vlan{ID: ptr(uint16(100))}}})
		checkLink(t, ns, c, name)
		ns.IP(t, "addr", "add", []string{"10.0.1.1/24", "10.0.1.2/24"}[i], "dev", name)
		tnlUp(t, c, name)
	}
	if !tnlPing(t, ns0, "10.0.1.2", 3) {
		t.Errorf("no reply from 10.0.1.2 over VLAN 100")
	}
	if !tnlPing(t, ns1, "10.0.1.1", 3) {
		t.Errorf("no reply from 10.0.1.1 over VLAN 100")
	}

	// A third namespace on the bridge, on VLAN 101: the same subnet,
	// another VLAN. Untagged, it reaches the others.
	ns2 := testns.New(t)
	hub.IP(t, "link", "add", "veth2", "type", "veth", "peer", "name", "veth2n", "netns", ns2.Name())
	hub.IP(t, "link", "set", "veth2", "master", "br0", "up")
	c2 := dial(t, ns2)
	p := mustLink(t, c2, "veth2n").Index
	addLinkOrSkip(t, c2, rtnl.Link{Name: "veth2n.101", ParentIndex: &p, Info: &rtnl.LinkInfo{Data: &rtnl.Vlan{ID: ptr(uint16(101))}}})
	ns2.IP(t, "addr", "add", "10.0.0.3/24", "dev", "veth2n")
	ns2.IP(t, "addr", "add", "10.0.1.3/24", "dev", "veth2n.101")
	tnlUp(t, c2, "veth2n")
	tnlUp(t, c2, "veth2n.101")
	if !tnlPing(t, ns2, "10.0.0.1", 3) {
		t.Fatalf("no reply from 10.0.0.1 untagged: the third namespace is not on the bridge")
	}
	if tnlPing(t, ns0, "10.0.1.3", 1) {
		t.Errorf("10.0.1.3, on VLAN 101, answered over VLAN 100")
	}
}
