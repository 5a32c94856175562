package rtnl_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

func bondP[T any](v T) *T { return &v }

// bondData returns the *rtnl.Bond of a link.
func bondData(t *testing.T, l rtnl.Link) *rtnl.Bond {
	t.Helper()
	if l.Info == nil {
		t.Fatalf("%s: no link info", l.Name)
	}
	b, ok := l.Info.Data.(*rtnl.Bond)
	if !ok {
		t.Fatalf("%s: Info.Data is %T, want *rtnl.Bond", l.Name, l.Info.Data)
	}
	return b
}

// bondCheckSet checks that every pointer or slice field set in want reads
// back the same in got (which the kernel fills in completely).
func bondCheckSet(t *testing.T, name string, want, got any) {
	t.Helper()
	w, g := reflect.ValueOf(want).Elem(), reflect.ValueOf(got).Elem()
	for i := range w.NumField() {
		f := w.Type().Field(i)
		wv, gv := w.Field(i), g.Field(i)
		if !f.IsExported() {
			continue
		}
		switch f.Type.Kind() {
		case reflect.Pointer:
			if wv.IsNil() {
				continue
			}
			if gv.IsNil() {
				t.Errorf("%s: %s not read back, set %v", name, f.Name, wv.Elem())
			} else if !reflect.DeepEqual(wv.Elem().Interface(), gv.Elem().Interface()) {
				t.Errorf("%s: %s read back %v, set %v", name, f.Name, gv.Elem(), wv.Elem())
			}
		case reflect.Slice:
			if wv.Len() > 0 && !reflect.DeepEqual(wv.Interface(), gv.Interface()) {
				t.Errorf("%s: %s read back %v, set %v", name, f.Name, gv, wv)
			}
		}
	}
}

// bondIPData returns ip's info_data (or info_slave_data) for a link.
func bondIPData(t *testing.T, ns *testns.NS, name, key string) map[string]any {
	t.Helper()
	var v struct {
		LinkInfo map[string]json.RawMessage `json:"linkinfo"`
	}
	ipLinkField(t, ns, name, &v)
	var data map[string]any
	if err := json.Unmarshal(v.LinkInfo[key], &data); err != nil {
		t.Fatalf("%s: %s: %v", name, key, err)
	}
	return data
}

func TestAddBond(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	kindsAdd(t, c, rtnl.Link{Name: "bond0", Info: &rtnl.LinkInfo{Data: &rtnl.Bond{Mode: bondP(rtnl.BondActiveBackup), MIIMon: bondP(uint32(100))}}})
	kindsCompare(t, ns, c, "bond0")

	for _, tc := range []struct {
		name string
		bond *rtnl.Bond
	}{
		{"ab0", &rtnl.Bond{
			Mode: bondP(rtnl.BondActiveBackup), MIIMon: bondP(uint32(50)), UpDelay: bondP(uint32(100)),
			DownDelay: bondP(uint32(150)), PeerNotifyDelay: bondP(uint32(200)), UseCarrier: bondP(false),
			PrimaryReselect: bondP(rtnl.BondPrimaryReselectFailure), FailOverMAC: bondP(rtnl.BondFailOverMACActive),
			NumPeerNotif: bondP(uint8(3)), ResendIGMP: bondP(uint32(4)), AllSlavesActive: bondP(true),
			MinLinks: bondP(uint32(2)), ARPValidate: bondP(rtnl.BondARPValidateNone),
		}},
		{"arp0", &rtnl.Bond{
			Mode: bondP(rtnl.BondBalanceXOR), ARPInterval: bondP(uint32(250)),
			ARPIPTargets: []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.7"), netip.MustParseAddr("198.51.100.254")},
			ARPValidate:  bondP(rtnl.BondARPValidateFilterActive), ARPAllTargets: bondP(rtnl.BondARPAllTargetsAll),
			XmitHashPolicy: bondP(rtnl.BondXmitHashLayer34), ARPMissedMax: bondP(uint8(5)),
			NSIP6Targets: []netip.Addr{netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("fe80::2")},
		}},
		{"ad0", &rtnl.Bond{
			Mode: bondP(rtnl.Bond8023AD), LACPRate: bondP(rtnl.BondLACPRateFast), ADSelect: bondP(rtnl.BondADSelectBandwidth),
			ADActorSysPrio: bondP(uint16(1000)), ADUserPortKey: bondP(uint16(77)),
			ADActorSystem: net.HardwareAddr{0x02, 0x11, 0x22, 0x33, 0x44, 0x55}, LACPActive: bondP(false),
			XmitHashPolicy: bondP(rtnl.BondXmitHashEncap34), MinLinks: bondP(uint32(1)),
		}},
		{"rr0", &rtnl.Bond{Mode: bondP(rtnl.BondBalanceRR), PacketsPerSlave: bondP(uint32(7)), ResendIGMP: bondP(uint32(0))}},
		{"tlb0", &rtnl.Bond{Mode: bondP(rtnl.BondBalanceTLB), TLBDynamicLB: bondP(false), LPInterval: bondP(uint32(3)),
			XmitHashPolicy: bondP(rtnl.BondXmitHashLayer23)}},
		{"alb0", &rtnl.Bond{Mode: bondP(rtnl.BondBalanceALB), LPInterval: bondP(uint32(2))}},
		{"bc0", &rtnl.Bond{Mode: bondP(rtnl.BondBroadcast), ARPValidate: bondP(rtnl.BondARPValidateAll)}},
		{"def0", &rtnl.Bond{}},
	} {
		if err := c.AddLink(ctx, rtnl.Link{Name: tc.name, Info: &rtnl.LinkInfo{Kind: "bond", Data: tc.bond}}); err != nil {
			t.Errorf("AddLink(%s): %v", tc.name, err)
			continue
		}
		l := mustLink(t, c, tc.name)
		compareLink(t, l, ipLink(t, ns, tc.name))
		bondCheckSet(t, tc.name, tc.bond, bondData(t, l))
	}

	// Created by ip.
	for _, cmd := range []string{
		"link add ipb0 type bond mode 802.3ad lacp_rate fast ad_select count ad_actor_sys_prio 7 ad_user_port_key 9 ad_actor_system 02:00:00:00:00:99 min_links 1",
		"link add ipb1 type bond mode active-backup miimon 100 updelay 200 downdelay 300 num_grat_arp 2 fail_over_mac follow",
		"link add ipb2 type bond mode balance-xor arp_interval 100 arp_ip_target 10.0.0.1,10.0.0.2 arp_validate backup arp_all_targets any xmit_hash_policy vlan+srcmac",
		"link add ipb3 type bond mode balance-tlb tlb_dynamic_lb 1 lp_interval 5",
	} {
		ns.IP(t, strings.Fields(cmd)...)
	}
	kindsCompareAll(t, ns, c)
	kindsCompare(t, ns, c, "ipb0", "ipb1", "ipb2", "ipb3")
	ipb2 := bondData(t, mustLink(t, c, "ipb2"))
	if len(ipb2.ARPIPTargets) != 2 || ipb2.ARPIPTargets[1] != netip.MustParseAddr("10.0.0.2") ||
		*ipb2.ARPValidate != rtnl.BondARPValidateBackup || *ipb2.XmitHashPolicy != rtnl.BondXmitHashVlanSrcMAC {
		t.Errorf("ipb2: %+v", ipb2)
	}
}

func TestBondPorts(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	kindsAdd(t, c, rtnl.Link{Name: "bond0", Info: &rtnl.LinkInfo{Data: &rtnl.Bond{Mode: bondP(rtnl.BondActiveBackup), MIIMon: bondP(uint32(10))}}})
	for _, cmd := range []string{
		"link add a0 address 02:00:00:00:00:a0 type veth peer name a1",
		"link add b0 address 02:00:00:00:00:b0 type veth peer name b1",
		"link add c0 type veth peer name c1",
		"link set a1 up",
		"link set b1 up",
	} {
		ns.IP(t, strings.Fields(cmd)...)
	}
	bond := mustLink(t, c, "bond0")
	for _, name := range []string{"a0", "b0"} {
		if err := c.SetLink(ctx, mustLink(t, c, name).Index, rtnl.LinkChange{MasterIndex: &bond.Index}); err != nil {
			t.Fatalf("SetLink(%s master bond0): %v", name, err)
		}
	}
	ns.IP(t, "link", "set", "c0", "master", "bond0")
	up := true
	if err := c.SetLink(ctx, bond.Index, rtnl.LinkChange{Up: &up}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a0", "b0", "c0"} {
		l := mustLink(t, c, name)
		p, ok := l.Info.SlaveData.(*rtnl.BondPort)
		if l.Info.SlaveKind != "bond" || !ok {
			t.Fatalf("%s: slave kind %q, data %T", name, l.Info.SlaveKind, l.Info.SlaveData)
		}
		if p.State == nil || p.MIIStatus == nil || p.LinkFailureCount == nil || p.PermHWAddr == nil || p.QueueID == nil {
			t.Errorf("%s: port data %+v lacks what the kernel reports", name, p)
		}
	}
	if p := mustLink(t, c, "a0").Info.SlaveData.(*rtnl.BondPort); p.PermHWAddr.String() != "02:00:00:00:00:a0" {
		t.Errorf("a0: perm_hwaddr %v", p.PermHWAddr)
	}

	// Port settings.
	err := c.SetLink(ctx, mustLink(t, c, "b0").Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{SlaveData: &rtnl.BondPort{QueueID: bondP(uint16(3))}}})
	if err != nil {
		t.Fatalf("SetLink(b0 queue_id 3): %v", err)
	}
	if got := bondIPData(t, ns, "b0", "info_slave_data")["queue_id"]; got != 3.0 {
		t.Errorf("b0: ip shows queue_id %v, want 3", got)
	}
	// prio: Linux 6.0 and later.
	err = c.SetLink(ctx, mustLink(t, c, "c0").Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{SlaveKind: "bond", SlaveData: &rtnl.BondPort{Prio: bondP(int32(-5))}}})
	if err != nil {
		t.Fatalf("SetLink(c0 prio -5): %v", err)
	}
	if got := bondIPData(t, ns, "c0", "info_slave_data")["prio"]; got != -5.0 {
		t.Errorf("c0: ip shows prio %v, want -5", got)
	}
	if p := mustLink(t, c, "c0").Info.SlaveData.(*rtnl.BondPort); p.Prio == nil || *p.Prio != -5 {
		t.Errorf("c0: Prio %v", p.Prio)
	}

	// Primary and active port, named in the bond's data.
	b0 := mustLink(t, c, "b0")
	if err := c.SetLink(ctx, bond.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "bond", Data: &rtnl.Bond{PrimaryIndex: &b0.Index}}}); err != nil {
		t.Fatalf("SetLink(bond0 primary b0): %v", err)
	}
	a0 := mustLink(t, c, "a0")
	if err := c.SetLink(ctx, bond.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "bond", Data: &rtnl.Bond{ActiveSlaveIndex: &a0.Index}}}); err != nil {
		t.Fatalf("SetLink(bond0 active_slave a0): %v", err)
	}
	data := bondIPData(t, ns, "bond0", "info_data")
	if data["primary"] != "b0" || data["active_slave"] != "a0" {
		t.Errorf("ip shows primary %v, active_slave %v; want b0, a0", data["primary"], data["active_slave"])
	}
	b := bondData(t, mustLink(t, c, "bond0"))
	if b.Primary != "b0" || *b.PrimaryIndex != b0.Index || b.ActiveSlave != "a0" || *b.ActiveSlaveIndex != a0.Index {
		t.Errorf("bond0: primary %q (%v), active %q (%v)", b.Primary, b.PrimaryIndex, b.ActiveSlave, b.ActiveSlaveIndex)
	}
	if s := mustLink(t, c, "a0").Info.SlaveData.(*rtnl.BondPort).State; s == nil || *s != rtnl.BondPortActive {
		t.Errorf("a0: state %v, want ACTIVE", s)
	}
	kindsCompareAll(t, ns, c)
	kindsCompare(t, ns, c, "bond0", "a0", "b0", "c0")

	// Bond settings changed on the fly.
	if err := c.SetLink(ctx, bond.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "bond", Data: &rtnl.Bond{
		MIIMon: bondP(uint32(200)), UpDelay: bondP(uint32(400)), ResendIGMP: bondP(uint32(9)),
		ARPIPTargets: []netip.Addr{netip.MustParseAddr("192.0.2.9")},
	}}}); err != nil {
		t.Fatalf("SetLink(bond0 miimon 200 …): %v", err)
	}
	data = bondIPData(t, ns, "bond0", "info_data")
	if data["miimon"] != 200.0 || data["updelay"] != 400.0 || data["resend_igmp"] != 9.0 {
		t.Errorf("after SetLink, ip shows %v", data)
	}
	// An empty target list clears them.
	if err := c.SetLink(ctx, bond.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "bond", Data: &rtnl.Bond{ARPIPTargets: []netip.Addr{}}}}); err != nil {
		t.Fatalf("SetLink(bond0 arp_ip_target none): %v", err)
	}
	if got := bondData(t, mustLink(t, c, "bond0")).ARPIPTargets; got != nil {
		t.Errorf("targets %v after clearing", got)
	}
	// Clear the active port.
	none := int32(0)
	if err := c.SetLink(ctx, bond.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "bond", Data: &rtnl.Bond{ActiveSlaveIndex: &none}}}); err != nil {
		t.Logf("SetLink(bond0 clear_active_slave): %v", err)
	}
	kindsCompare(t, ns, c, "bond0")

	// The kind left to the data: LinkInfo.encode does not send it yet, and
	// the kernel wants it for a change.
	err = c.SetLink(ctx, bond.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Data: &rtnl.Bond{MIIMon: bondP(uint32(300))}}})
	if err != nil {
		t.Logf("SetLink without Info.Kind: %v", err)
	} else if got := bondIPData(t, ns, "bond0", "info_data")["miimon"]; got != 300.0 {
		t.Errorf("after SetLink without Info.Kind, ip shows miimon %v", got)
	}

	// The mode cannot change while the bond is up.
	if err := c.SetLink(ctx, bond.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "bond", Data: &rtnl.Bond{Mode: bondP(rtnl.BondBalanceRR)}}}); err == nil {
		t.Errorf("SetLink(mode balance-rr) of an up bond with ports succeeded")
	}

	// Released ports lose their port data.
	nomaster := int32(0)
	if err := c.SetLink(ctx, a0.Index, rtnl.LinkChange{MasterIndex: &nomaster}); err != nil {
		t.Fatal(err)
	}
	if l := mustLink(t, c, "a0"); l.Info.SlaveKind != "" || l.Info.SlaveData != nil {
		t.Errorf("a0 released: still %q %#v", l.Info.SlaveKind, l.Info.SlaveData)
	}
	if err := c.DeleteLink(ctx, bond.Index); err != nil {
		t.Fatal(err)
	}
	kindsCompareAll(t, ns, c)
}

// TestBond8023ADPorts reads the 802.3ad data of a bond and its ports: the
// aggregator info and the LACP port states.
func TestBond8023ADPorts(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	kindsAdd(t, c, rtnl.Link{Name: "lacp0", Info: &rtnl.LinkInfo{Data: &rtnl.Bond{
		Mode: bondP(rtnl.Bond8023AD), MIIMon: bondP(uint32(10)), LACPRate: bondP(rtnl.BondLACPRateFast),
	}}})
	kindsAdd(t, c, rtnl.Link{Name: "lacp1", Info: &rtnl.LinkInfo{Data: &rtnl.Bond{
		Mode: bondP(rtnl.Bond8023AD), MIIMon: bondP(uint32(10)), LACPRate: bondP(rtnl.BondLACPRateFast),
	}}})
	for _, cmd := range []string{
		"link add p0 type veth peer name q0",
		"link add p1 type veth peer name q1",
		"link set p0 master lacp0",
		"link set p1 master lacp0",
		"link set q0 master lacp1",
		"link set q1 master lacp1",
		"link set lacp0 up",
		"link set lacp1 up",
	} {
		ns.IP(t, strings.Fields(cmd)...)
	}
	// The aggregator is chosen, and LACP negotiated, after a while.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		b := bondData(t, mustLink(t, c, "lacp0"))
		p := mustLink(t, c, "p0").Info.SlaveData.(*rtnl.BondPort)
		if b.ADInfo != nil && p.ADAggregatorID != nil && p.ADActorOperPortState != nil && p.ADPartnerOperPortState != nil {
			t.Logf("lacp0 ad_info %+v; p0 actor state %#x, partner state %#x", *b.ADInfo, *p.ADActorOperPortState, *p.ADPartnerOperPortState)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no 802.3ad data: bond %+v, port %+v", b, p)
		}
	}
	kindsCompareAll(t, ns, c)
}

func TestBondErrors(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	kindsAdd(t, c, rtnl.Link{Name: "bond0", Info: &rtnl.LinkInfo{Kind: "bond"}})
	before := string(ns.IP(t, "link", "show"))
	for name, b := range map[string]*rtnl.Bond{
		"mode 7":              {Mode: bondP(rtnl.BondMode(7))},
		"arp_validate 7":      {ARPValidate: bondP(rtnl.BondARPValidate(7))},
		"arp_all_targets 2":   {ARPAllTargets: bondP(rtnl.BondARPAllTargets(2))},
		"primary_reselect 3":  {PrimaryReselect: bondP(rtnl.BondPrimaryReselect(3))},
		"fail_over_mac 3":     {FailOverMAC: bondP(rtnl.BondFailOverMAC(3))},
		"xmit_hash_policy 6":  {XmitHashPolicy: bondP(rtnl.BondXmitHashPolicy(6))},
		"lacp_rate 2":         {LACPRate: bondP(rtnl.BondLACPRate(2))},
		"ad_select 3":         {ADSelect: bondP(rtnl.BondADSelect(3))},
		"short actor system":  {ADActorSystem: net.HardwareAddr{1, 2, 3}},
		"IPv6 ARP target":     {ARPIPTargets: []netip.Addr{netip.MustParseAddr("2001:db8::1")}},
		"IPv4 NS target":      {NSIP6Targets: []netip.Addr{netip.MustParseAddr("192.0.2.1")}},
		"17 ARP targets":      {ARPIPTargets: make([]netip.Addr, 17)},
		"negative active":     {ActiveSlaveIndex: bondP(int32(-1))},
		"zero primary":        {PrimaryIndex: bondP(int32(0))},
		"invalid ARP target":  {ARPIPTargets: []netip.Addr{{}}},
		"mapped IPv6 NS addr": {NSIP6Targets: []netip.Addr{netip.MustParseAddr("::ffff:192.0.2.1")}},
	} {
		err := c.AddLink(ctx, rtnl.Link{Name: "bad0", Info: &rtnl.LinkInfo{Data: b}})
		var invalid *rtnl.InvalidError
		if !errors.As(err, &invalid) || !errors.Is(err, unix.EINVAL) {
			t.Errorf("AddLink(bond %s) error = %v; want an InvalidError", name, err)
		}
		err = c.SetLink(ctx, mustLink(t, c, "bond0").Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "bond", Data: b}})
		if !errors.As(err, &invalid) {
			t.Errorf("SetLink(bond %s) error = %v; want an InvalidError", name, err)
		}
	}
	if after := string(ns.IP(t, "link", "show")); after != before {
		t.Errorf("rejected requests changed the namespace:\n%s\nbecame\n%s", before, after)
	}
	// The kernel's own checks.
	err := c.AddLink(ctx, rtnl.Link{Name: "bad1", Info: &rtnl.LinkInfo{Data: &rtnl.Bond{ActiveSlaveIndex: bondP(int32(4242))}}})
	if err == nil {
		t.Errorf("AddLink(bond active_slave 4242) succeeded")
	}
}

func ExampleConn_AddLink_bond() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		return
	}
	defer c.Close()
	// ip link add bond0 type bond mode 802.3ad miimon 100 lacp_rate fast
	mode, miimon, rate := rtnl.Bond8023AD, uint32(100), rtnl.BondLACPRateFast
	err = c.AddLink(ctx, rtnl.Link{Name: "bond0", Info: &rtnl.LinkInfo{Data: &rtnl.Bond{
		Mode: &mode, MIIMon: &miimon, LACPRate: &rate,
	}}})
	if err != nil {
		return
	}
	// ip link set eth0 master bond0
	bond, _ := c.LinkByName(ctx, "bond0")
	eth0, _ := c.LinkByName(ctx, "eth0")
	_ = c.SetLink(ctx, eth0.Index, rtnl.LinkChange{MasterIndex: &bond.Index})
}
