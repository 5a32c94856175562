package rtnl

import (
	"bytes"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

func TestCorpusBondRequest(t *testing.T) {
	mode, miimon := BondActiveBackup, uint32(100)
	kindsRequestPayload(t, "link_add_bond", Link{Name: "bond0", Info: &LinkInfo{Data: &Bond{Mode: &mode, MIIMon: &miimon}}})
}

// bondKernelData is IFLA_INFO_DATA as the kernel (bond_fill_info) sends it
// for an 802.3ad bond with an active port, ARP and NS targets, in its
// order.
func bondKernelData() []byte {
	var e attrs.Encoder
	e.Uint8(unix.IFLA_BOND_MODE, 4)
	e.Uint32(unix.IFLA_BOND_ACTIVE_SLAVE, 7)
	e.Uint32(unix.IFLA_BOND_MIIMON, 100)
	e.Uint32(unix.IFLA_BOND_UPDELAY, 200)
	e.Uint32(unix.IFLA_BOND_DOWNDELAY, 0)
	e.Uint32(unix.IFLA_BOND_PEER_NOTIF_DELAY, 0)
	e.Uint8(unix.IFLA_BOND_USE_CARRIER, 1)
	e.Uint32(unix.IFLA_BOND_ARP_INTERVAL, 0)
	n := e.Nest(unix.IFLA_BOND_ARP_IP_TARGET)
	e.Addr(0, netip.MustParseAddr("192.0.2.1"))
	e.Addr(1, netip.MustParseAddr("192.0.2.2"))
	e.End(n)
	e.Uint32(unix.IFLA_BOND_ARP_VALIDATE, 0)
	e.Uint32(unix.IFLA_BOND_ARP_ALL_TARGETS, 0)
	n = e.Nest(unix.IFLA_BOND_NS_IP6_TARGET)
	e.Addr(0, netip.MustParseAddr("2001:db8::1"))
	e.End(n)
	e.Uint32(unix.IFLA_BOND_PRIMARY, 8)
	e.Uint8(unix.IFLA_BOND_PRIMARY_RESELECT, 0)
	e.Uint8(unix.IFLA_BOND_FAIL_OVER_MAC, 0)
	e.Uint8(unix.IFLA_BOND_XMIT_HASH_POLICY, 1)
	e.Uint32(unix.IFLA_BOND_RESEND_IGMP, 1)
	e.Uint8(unix.IFLA_BOND_NUM_PEER_NOTIF, 1)
	e.Uint8(unix.IFLA_BOND_ALL_SLAVES_ACTIVE, 0)
	e.Uint32(unix.IFLA_BOND_MIN_LINKS, 0)
	e.Uint32(unix.IFLA_BOND_LP_INTERVAL, 1)
	e.Uint32(unix.IFLA_BOND_PACKETS_PER_SLAVE, 1)
	e.Uint8(unix.IFLA_BOND_AD_LACP_ACTIVE, 1)
	e.Uint8(unix.IFLA_BOND_AD_LACP_RATE, 1)
	e.Uint8(unix.IFLA_BOND_AD_SELECT, 2)
	e.Uint8(unix.IFLA_BOND_TLB_DYNAMIC_LB, 1)
	e.Uint8(unix.IFLA_BOND_MISSED_MAX, 2)
	e.Uint16(unix.IFLA_BOND_AD_ACTOR_SYS_PRIO, 65535)
	e.Uint16(unix.IFLA_BOND_AD_USER_PORT_KEY, 0)
	e.Raw(unix.IFLA_BOND_AD_ACTOR_SYSTEM, []byte{0, 0, 0, 0, 0, 0})
	n = e.Nest(unix.IFLA_BOND_AD_INFO)
	e.Uint16(unix.IFLA_BOND_AD_INFO_AGGREGATOR, 1)
	e.Uint16(unix.IFLA_BOND_AD_INFO_NUM_PORTS, 2)
	e.Uint16(unix.IFLA_BOND_AD_INFO_ACTOR_KEY, 9)
	e.Uint16(unix.IFLA_BOND_AD_INFO_PARTNER_KEY, 9)
	e.Raw(unix.IFLA_BOND_AD_INFO_PARTNER_MAC, []byte{2, 0, 0, 0, 0, 0x99})
	e.End(n)
	e.Uint8(unix.IFLA_BOND_COUPLED_CONTROL, 1)
	return e.Bytes()
}

// bondPortKernelData is IFLA_INFO_SLAVE_DATA as bond_fill_slave_info sends
// it for a port of an 802.3ad bond.
func bondPortKernelData() []byte {
	var e attrs.Encoder
	e.Uint8(unix.IFLA_BOND_SLAVE_STATE, 0)
	e.Uint8(unix.IFLA_BOND_SLAVE_MII_STATUS, 0)
	e.Uint32(unix.IFLA_BOND_SLAVE_LINK_FAILURE_COUNT, 0xffffffff)
	e.Raw(unix.IFLA_BOND_SLAVE_PERM_HWADDR, []byte{2, 0, 0, 0, 0, 0xa0})
	e.Uint16(unix.IFLA_BOND_SLAVE_QUEUE_ID, 3)
	e.Int32(unix.IFLA_BOND_SLAVE_PRIO, -5)
	e.Uint16(unix.IFLA_BOND_SLAVE_AD_AGGREGATOR_ID, 1)
	e.Uint8(unix.IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE, 0x3f)
	e.Uint16(unix.IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE, 0x45)
	return e.Bytes()
}

func TestDecodeBond(t *testing.T) {
	l, err := decodeLink(kindsLinkMessage(t, "bond", bondKernelData(), "", nil))
	if err != nil {
		t.Fatal(err)
	}
	b, ok := l.Info.Data.(*Bond)
	if !ok {
		t.Fatalf("Data is %T", l.Info.Data)
	}
	if *b.Mode != Bond8023AD || *b.ActiveSlaveIndex != 7 || *b.PrimaryIndex != 8 || len(b.ARPIPTargets) != 2 ||
		len(b.NSIP6Targets) != 1 || b.ADInfo == nil || b.ADInfo.PartnerMAC.String() != "02:00:00:00:00:99" ||
		!*b.CoupledControl || *b.ADActorSysPrio != 65535 {
		t.Errorf("decoded %+v", b)
	}
	names := map[int32]string{7: "eth7"}
	b.resolveRefs(func(i int32) string { return names[i] })
	out, _ := l.MarshalJSON()
	const want = `"info_data":{"mode":"802.3ad","active_slave":"eth7","miimon":100,"updelay":200,"downdelay":0,` +
		`"peer_notify_delay":0,"use_carrier":1,"arp_interval":0,"arp_missed_max":2,` +
		`"arp_ip_target":["192.0.2.1","192.0.2.2"],"ns_ip6_target":["2001:db8::1"],"arp_validate":null,` +
		`"arp_all_targets":"any","primary":"if8","primary_reselect":"always","fail_over_mac":"none",` +
		`"xmit_hash_policy":"layer3+4","resend_igmp":1,"num_peer_notif":1,"all_slaves_active":0,"min_links":0,` +
		`"lp_interval":1,"packets_per_slave":1,"ad_lacp_active":"on","ad_lacp_rate":"fast","ad_select":"count",` +
		`"ad_info":{"aggregator":1,"num_ports":2,"actor_key":9,"partner_key":9,"partner_mac":"02:00:00:00:00:99"},` +
		`"ad_actor_sys_prio":65535,"ad_user_port_key":0,"ad_actor_system":"00:00:00:00:00:00","tlb_dynamic_lb":1}`
	if !bytes.Contains(out, []byte(want)) {
		t.Errorf("JSON %s\nlacks %s", out, want)
	}

	l, err = decodeLink(kindsLinkMessage(t, "veth", nil, "bond", bondPortKernelData()))
	if err != nil {
		t.Fatal(err)
	}
	out, _ = l.MarshalJSON()
	const wantPort = `"info_slave_kind":"bond","info_slave_data":{"state":"ACTIVE","mii_status":"UP",` +
		`"link_failure_count":-1,"perm_hwaddr":"02:00:00:00:00:a0","queue_id":3,"prio":-5,"ad_aggregator_id":1,` +
		`"ad_actor_oper_port_state":63,"ad_actor_oper_port_state_str":["active","short_timeout","aggregating","in_sync","collecting","distributing"],` +
		`"ad_partner_oper_port_state":69,"ad_partner_oper_port_state_str":["active","aggregating","defaulted"]}`
	if !bytes.Contains(out, []byte(wantPort)) {
		t.Errorf("JSON %s\nlacks %s", out, wantPort)
	}

	// Values ip has no name for.
	var e attrs.Encoder
	e.Uint8(unix.IFLA_BOND_MODE, 9)
	e.Uint32(unix.IFLA_BOND_ARP_VALIDATE, 9)
	e.Uint8(unix.IFLA_BOND_XMIT_HASH_POLICY, 9)
	l, _ = decodeLink(kindsLinkMessage(t, "bond", e.Bytes(), "", nil))
	out, _ = l.MarshalJSON()
	if want := `"info_data":{"mode":"UNKNOWN","arp_validate":"UNKNOWN","xmit_hash_policy":"UNKNOWN"}`; !bytes.Contains(out, []byte(want)) {
		t.Errorf("JSON %s\nlacks %s", out, want)
	}
	e = attrs.Encoder{}
	e.Uint8(unix.IFLA_BOND_SLAVE_STATE, 2)
	e.Uint8(unix.IFLA_BOND_SLAVE_MII_STATUS, 4)
	l, _ = decodeLink(kindsLinkMessage(t, "veth", nil, "bond", e.Bytes()))
	out, _ = l.MarshalJSON()
	if want := `"info_slave_data":{"state_index":2,"mii_status_index":4}`; !bytes.Contains(out, []byte(want)) {
		t.Errorf("JSON %s\nlacks %s", out, want)
	}
}

func TestDecodeBondMalformed(t *testing.T) {
	u32 := func(typ uint16, n int) []byte {
		var e attrs.Encoder
		e.Raw(typ, make([]byte, n))
		return e.Bytes()
	}
	nested := func(typ uint16, inner []byte) []byte {
		var e attrs.Encoder
		e.Raw(typ, inner)
		return e.Bytes()
	}
	good := bondKernelData()
	kindsMalformed(t, "bond", false, map[string][]byte{
		"truncated":             good[:len(good)-6],
		"mode u32":              u32(unix.IFLA_BOND_MODE, 4),
		"miimon u16":            u32(unix.IFLA_BOND_MIIMON, 2),
		"short ARP target":      nested(unix.IFLA_BOND_ARP_IP_TARGET, u32(0, 3)),
		"IPv6 as ARP target":    nested(unix.IFLA_BOND_ARP_IP_TARGET, u32(0, 16)),
		"IPv4 as NS target":     nested(unix.IFLA_BOND_NS_IP6_TARGET, u32(0, 4)),
		"broken target nest":    nested(unix.IFLA_BOND_ARP_IP_TARGET, []byte{9, 0, 0}),
		"short partner MAC":     nested(unix.IFLA_BOND_AD_INFO, u32(unix.IFLA_BOND_AD_INFO_PARTNER_MAC, 5)),
		"aggregator u32":        nested(unix.IFLA_BOND_AD_INFO, u32(unix.IFLA_BOND_AD_INFO_AGGREGATOR, 4)),
		"sys prio u8":           u32(unix.IFLA_BOND_AD_ACTOR_SYS_PRIO, 1),
		"active slave u16":      u32(unix.IFLA_BOND_ACTIVE_SLAVE, 2),
		"arp validate u8":       u32(unix.IFLA_BOND_ARP_VALIDATE, 1),
		"coupled control empty": u32(unix.IFLA_BOND_COUPLED_CONTROL, 0),
	})
	gp := bondPortKernelData()
	kindsMalformed(t, "bond", true, map[string][]byte{
		"truncated":      gp[:len(gp)-5],
		"state u16":      u32(unix.IFLA_BOND_SLAVE_STATE, 2),
		"failures u8":    u32(unix.IFLA_BOND_SLAVE_LINK_FAILURE_COUNT, 1),
		"queue id u32":   u32(unix.IFLA_BOND_SLAVE_QUEUE_ID, 4),
		"prio u16":       u32(unix.IFLA_BOND_SLAVE_PRIO, 2),
		"partner state4": u32(unix.IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE, 4),
	})
}

func FuzzDecodeBond(f *testing.F) {
	f.Add(kindsLinkMessage(f, "bond", bondKernelData(), "", nil))
	f.Add(kindsLinkMessage(f, "veth", nil, "bond", bondPortKernelData()))
	f.Add(kindsLinkMessage(f, "bond", bondKernelData(), "bond", bondPortKernelData()))
	f.Fuzz(kindsFuzzCheck)
}
