package rtnl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"net"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// brTimerRE matches the running bridge and bridge port timers in ip's JSON
// (and nlkit's): they move between two reads.
var brTimerRE = regexp.MustCompile(`"(hello_timer|tcn_timer|topology_change_timer|gc_timer|hold_timer|message_age_timer|forward_delay_timer)":(-?[0-9]+\.[0-9][0-9])([,}])`)

// brMaskTimers replaces the timers' values with 0 and returns them.
func brMaskTimers(b []byte) ([]byte, map[string]float64) {
	timers := make(map[string]float64)
	masked := brTimerRE.ReplaceAllFunc(b, func(m []byte) []byte {
		s := brTimerRE.FindSubmatch(m)
		v, _ := strconv.ParseFloat(string(s[2]), 64)
		timers[string(s[1])] = v
		return []byte(`"` + string(s[1]) + `":0` + string(s[3]))
	})
	return masked, timers
}

// brDiff compares nlkit's JSON for a link with ip's: exactly, except that
// timers (which must have ip's 2-decimal format) may differ by up to a
// second, and links of kinds whose data nlkit does not decode are compared
// without linkinfo.
func brDiff(t *testing.T, got rtnl.Link, want []byte) string {
	t.Helper()
	g, gt := brMaskTimers(marshal(t, got))
	w, wt := brMaskTimers(want)
	gm, wm := members(t, g), members(t, w)
	if got.Info != nil && (!rtnl.DecodesKindData(got.Info.Kind) || !rtnl.DecodesSlaveData(got.Info.SlaveKind)) {
		gm, wm = without(gm, "linkinfo"), without(wm, "linkinfo")
	}
	if diff := cmp.Diff(wm, gm); diff != "" {
		return diff
	}
	for k, v := range wt {
		if g, ok := gt[k]; !ok || math.Abs(g-v) > 1 {
			return "timer " + k + ": ip " + strconv.FormatFloat(v, 'f', 2, 64) + ", nlkit " + strconv.FormatFloat(g, 'f', 2, 64)
		}
	}
	return ""
}

// brCheckLink compares LinkByName's link with ip's JSON for it, reading
// both again while counters or timers move, and returns the link.
func brCheckLink(t *testing.T, ns *testns.NS, c *rtnl.Conn, name string) rtnl.Link {
	t.Helper()
	var diff string
	var l rtnl.Link
	for try := 0; try < 10; try++ {
		want := ipLink(t, ns, name)
		l = mustLink(t, c, name)
		if diff = brDiff(t, l, want); diff == "" {
			return l
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("link %s: JSON differs from ip -j -d -s link show (-ip +nlkit):\n%s", name, diff)
	return l
}

// brCheckLinks compares every link Links returns with ip's JSON for it.
func brCheckLinks(t *testing.T, ns *testns.NS, c *rtnl.Conn) {
	t.Helper()
	var diff string
	for try := 0; try < 10; try++ {
		var objs []json.RawMessage
		if err := json.Unmarshal(ns.IP(t, "-j", "-d", "-s", "link", "show"), &objs); err != nil {
			t.Fatal(err)
		}
		links, err := c.Links(context.Background())
		if err != nil {
			t.Fatalf("Links: %v", err)
		}
		diff = ""
		if len(links) != len(objs) {
			diff = strconv.Itoa(len(links)) + " links, ip shows " + strconv.Itoa(len(objs))
		}
		for i := 0; diff == "" && i < len(links); i++ {
			if d := brDiff(t, links[i], objs[i]); d != "" {
				diff = "link " + links[i].Name + ":\n" + d
			}
		}
		if diff == "" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("Links differ from ip -j -d -s link show (-ip +nlkit): %s", diff)
}

// brIPInfo is the part of ip's bridge info_data the tests check.
type brIPInfo struct {
	ForwardDelay        uint32 `json:"forward_delay"`
	HelloTime           uint32 `json:"hello_time"`
	MaxAge              uint32 `json:"max_age"`
	AgeingTime          uint32 `json:"ageing_time"`
	STPState            uint32 `json:"stp_state"`
	Priority            uint16 `json:"priority"`
	VlanFiltering       int    `json:"vlan_filtering"`
	VlanProtocol        string `json:"vlan_protocol"`
	VlanDefaultPVID     int    `json:"vlan_default_pvid"`
	VlanStatsEnabled    int    `json:"vlan_stats_enabled"`
	VlanStatsPerPort    int    `json:"vlan_stats_per_port"`
	BridgeID            string `json:"bridge_id"`
	GroupFwdMask        string `json:"group_fwd_mask"`
	GroupAddr           string `json:"group_addr"`
	McastSnooping       int    `json:"mcast_snooping"`
	NoLinkLocalLearn    int    `json:"no_linklocal_learn"`
	McastVlanSnooping   int    `json:"mcast_vlan_snooping"`
	McastRouter         int    `json:"mcast_router"`
	McastQueryUseIfaddr int    `json:"mcast_query_use_ifaddr"`
	McastQuerier        int    `json:"mcast_querier"`
	HashMax             int    `json:"mcast_hash_max"`
	LastMemberCnt       int    `json:"mcast_last_member_cnt"`
	StartupQueryCnt     int    `json:"mcast_startup_query_cnt"`
	LastMemberIntvl     int    `json:"mcast_last_member_intvl"`
	MembershipIntvl     int    `json:"mcast_membership_intvl"`
	QuerierIntvl        int    `json:"mcast_querier_intvl"`
	QueryIntvl          int    `json:"mcast_query_intvl"`
	QueryResponseIntvl  int    `json:"mcast_query_response_intvl"`
	StartupQueryIntvl   int    `json:"mcast_startup_query_intvl"`
	McastStats          int    `json:"mcast_stats_enabled"`
	IGMPVersion         int    `json:"mcast_igmp_version"`
	MLDVersion          int    `json:"mcast_mld_version"`
	NFCallIPTables      int    `json:"nf_call_iptables"`
	NFCallIP6Tables     int    `json:"nf_call_ip6tables"`
	NFCallARPTables     int    `json:"nf_call_arptables"`
}

func TestBridgeAddDefault(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	if err := c.AddLink(ctx, rtnl.Link{Name: "br0", Info: &rtnl.LinkInfo{Kind: "bridge"}}); err != nil {
		t.Fatalf("AddLink(bridge): %v", err)
	}
	l := brCheckLink(t, ns, c, "br0")
	b, ok := l.Info.Data.(*rtnl.Bridge)
	if !ok {
		t.Fatalf("bridge data = %T", l.Info.Data)
	}
	if b.ForwardDelay == nil || *b.ForwardDelay != 1500 || b.BridgeID == nil || b.RootID == nil ||
		b.BridgeID.Priority != 0x8000 || b.GroupAddress.String() != "01:80:c2:00:00:00" {
		t.Errorf("default bridge decoded as %+v", b)
	}

	// Up, its gc timer runs.
	ns.IP(t, "link", "set", "br0", "up")
	brCheckLink(t, ns, c, "br0")
	brCheckLinks(t, ns, c)
}

func TestBridgeAddOptions(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	want := &rtnl.Bridge{
		ForwardDelay:               ptr(uint32(1000)),
		HelloTime:                  ptr(uint32(300)),
		MaxAge:                     ptr(uint32(2500)),
		AgeingTime:                 ptr(uint32(12000)),
		STPState:                   ptr(uint32(1)),
		Priority:                   ptr(uint16(0x1234)),
		GroupFwdMask:               ptr(uint16(0x4008)),
		GroupAddress:               net.HardwareAddr{0x01, 0x80, 0xc2, 0, 0, 0x0e},
		FDBFlush:                   true,
		NoLinkLocalLearn:           ptr(true),
		McastVlanSnooping:          ptr(false),
		McastSnooping:              ptr(false),
		McastRouter:                ptr(uint8(2)),
		McastQueryUseIfaddr:        ptr(true),
		McastQuerier:               ptr(true),
		McastHashMax:               ptr(uint32(8192)),
		McastLastMemberCount:       ptr(uint32(3)),
		McastStartupQueryCount:     ptr(uint32(4)),
		McastLastMemberInterval:    ptr(uint64(200)),
		McastMembershipInterval:    ptr(uint64(30000)),
		McastQuerierInterval:       ptr(uint64(26000)),
		McastQueryInterval:         ptr(uint64(13000)),
		McastQueryResponseInterval: ptr(uint64(1100)),
		McastStartupQueryInterval:  ptr(uint64(3000)),
		McastStatsEnabled:          ptr(true),
		McastIGMPVersion:           ptr(uint8(3)),
		McastMLDVersion:            ptr(uint8(2)),
		NFCallIPTables:             ptr(true),
		NFCallIP6Tables:            ptr(true),
		NFCallARPTables:            ptr(true),
	}
	err := c.AddLink(ctx, rtnl.Link{
		Name:    "br0",
		Address: net.HardwareAddr{2, 0, 0, 0, 0, 0x10},
		Info:    &rtnl.LinkInfo{Data: want},
	})
	if err != nil {
		t.Fatalf("AddLink(bridge with options): %v", err)
	}
	var ip brIPInfo
	ipInfoData(t, ns, "br0", false, &ip)
	exp := brIPInfo{
		ForwardDelay: 1000, HelloTime: 300, MaxAge: 2500, AgeingTime: 12000, STPState: 1, Priority: 0x1234,
		BridgeID: "1234.2:0:0:0:0:10", GroupFwdMask: "0x4008", GroupAddr: "01:80:c2:00:00:0e",
		NoLinkLocalLearn: 1, McastRouter: 2, McastQueryUseIfaddr: 1, McastQuerier: 1,
		HashMax: 8192, LastMemberCnt: 3, StartupQueryCnt: 4, LastMemberIntvl: 200, MembershipIntvl: 30000,
		QuerierIntvl: 26000, QueryIntvl: 13000, QueryResponseIntvl: 1100, StartupQueryIntvl: 3000,
		McastStats: 1, IGMPVersion: 3, MLDVersion: 2, NFCallIPTables: 1, NFCallIP6Tables: 1, NFCallARPTables: 1,
	}
	// Fields the kernel reports only with VLAN filtering compiled in.
	exp.VlanProtocol, exp.VlanDefaultPVID, exp.VlanStatsEnabled, exp.VlanStatsPerPort =
		ip.VlanProtocol, ip.VlanDefaultPVID, ip.VlanStatsEnabled, ip.VlanStatsPerPort
	if ip != exp {
		t.Errorf("ip shows the new bridge as\n%+v\nwant\n%+v", ip, exp)
	}
	l := brCheckLink(t, ns, c, "br0")
	got := l.Info.Data.(*rtnl.Bridge)
	if *got.ForwardDelay != 1000 || *got.Priority != 0x1234 || !*got.NoLinkLocalLearn || *got.McastSnooping ||
		*got.McastRouter != 2 || *got.McastQueryInterval != 13000 || *got.McastIGMPVersion != 3 || !*got.NFCallARPTables ||
		got.BridgeID.String() != "1234.2:0:0:0:0:10" || got.GroupAddress.String() != "01:80:c2:00:00:0e" {
		t.Errorf("nlkit reads the new bridge as %+v", got)
	}
}

func TestBridgeAddWithIP(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ns.IP(t, "link", "add", "br1", "address", "02:00:00:00:0b:01", "type", "bridge",
		"forward_delay", "800", "hello_time", "150", "max_age", "1200", "ageing_time", "600",
		"stp_state", "1", "priority", "4096", "group_fwd_mask", "0x8", "group_address", "01:80:c2:00:00:0d",
		"no_linklocal_learn", "1", "mcast_vlan_snooping", "0", "mcast_snooping", "1", "mcast_router", "0",
		"mcast_query_use_ifaddr", "1", "mcast_querier", "1", "mcast_hash_max", "1024",
		"mcast_last_member_count", "5", "mcast_startup_query_count", "6", "mcast_last_member_interval", "150",
		"mcast_membership_interval", "20000", "mcast_querier_interval", "21000", "mcast_query_interval", "9000",
		"mcast_query_response_interval", "900", "mcast_startup_query_interval", "2000",
		"mcast_stats_enabled", "1", "mcast_igmp_version", "3", "mcast_mld_version", "2",
		"nf_call_iptables", "1", "nf_call_ip6tables", "0", "nf_call_arptables", "1")
	ns.IP(t, "link", "set", "br1", "up")
	l := brCheckLink(t, ns, c, "br1")
	b := l.Info.Data.(*rtnl.Bridge)
	if *b.ForwardDelay != 800 || *b.HelloTime != 150 || *b.MaxAge != 1200 || *b.AgeingTime != 600 || *b.STPState != 1 ||
		*b.Priority != 4096 || *b.GroupFwdMask != 8 || b.GroupAddress.String() != "01:80:c2:00:00:0d" ||
		!*b.NoLinkLocalLearn || *b.McastVlanSnooping || !*b.McastSnooping || *b.McastRouter != 0 ||
		!*b.McastQueryUseIfaddr || !*b.McastQuerier || *b.McastHashMax != 1024 || *b.McastLastMemberCount != 5 ||
		*b.McastStartupQueryCount != 6 || *b.McastLastMemberInterval != 150 || *b.McastMembershipInterval != 20000 ||
		*b.McastQuerierInterval != 21000 || *b.McastQueryInterval != 9000 || *b.McastQueryResponseInterval != 900 ||
		*b.McastStartupQueryInterval != 2000 || !*b.McastStatsEnabled || *b.McastIGMPVersion != 3 ||
		*b.McastMLDVersion != 2 || !*b.NFCallIPTables || *b.NFCallIP6Tables || !*b.NFCallARPTables ||
		b.BridgeID.String() != "1000.2:0:0:0:b:1" {
		t.Errorf("nlkit reads the bridge ip made as %+v", b)
	}
	// The querier the bridge is now.
	deadline := time.Now().Add(5 * time.Second)
	for b.McastQuerierIPv4 == nil && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		b = mustLink(t, c, "br1").Info.Data.(*rtnl.Bridge)
	}
	if b.McastQuerierIPv4 == nil {
		t.Logf("no IPv4 querier state reported (kernel before 5.15?)")
	}
	brCheckLinks(t, ns, c)
}

func TestBridgeSetLink(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	ns.IP(t, "link", "add", "br0", "type", "bridge")
	br := mustLink(t, c, "br0")
	before := br.Info.Data.(*rtnl.Bridge)

	// ip link set dev br0 type bridge forward_delay 700 priority 100 …
	err := c.SetLink(ctx, br.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "bridge", Data: &rtnl.Bridge{
		ForwardDelay:     ptr(uint32(700)),
		Priority:         ptr(uint16(100)),
		McastQuerier:     ptr(true),
		NoLinkLocalLearn: ptr(true),
		FDBFlush:         true,
	}}})
	if err != nil {
		t.Fatalf("SetLink(bridge settings): %v", err)
	}
	var ip brIPInfo
	ipInfoData(t, ns, "br0", false, &ip)
	if ip.ForwardDelay != 700 || ip.Priority != 100 || ip.McastQuerier != 1 || ip.NoLinkLocalLearn != 1 ||
		ip.HelloTime != *before.HelloTime || ip.AgeingTime != *before.AgeingTime || ip.McastSnooping != 1 {
		t.Errorf("after SetLink, ip shows %+v", ip)
	}
	after := brCheckLink(t, ns, c, "br0").Info.Data.(*rtnl.Bridge)
	if *after.ForwardDelay != 700 || *after.HelloTime != *before.HelloTime {
		t.Errorf("after SetLink, nlkit reads %+v", after)
	}

	// The kind can be left to the data.
	err = c.SetLink(ctx, br.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Data: &rtnl.Bridge{HelloTime: ptr(uint32(400))}}})
	if err != nil {
		t.Fatalf("SetLink without Info.Kind: %v", err)
	}
	ipInfoData(t, ns, "br0", false, &ip)
	if ip.HelloTime != 400 || ip.ForwardDelay != 700 {
		t.Errorf("after SetLink without Info.Kind, ip shows %+v", ip)
	}

	// Invalid values are refused before anything is sent.
	for _, b := range []*rtnl.Bridge{
		{GroupAddress: net.HardwareAddr{1, 0x80, 0xc2, 0, 0, 0x20}},
		{GroupAddress: net.HardwareAddr{1, 0x80, 0xc2, 0, 0, 2}},
		{GroupAddress: net.HardwareAddr{1, 0x80, 0xc2, 0, 0}},
		{GroupFwdMask: ptr(uint16(1))},
		{VlanProtocol: ptr(uint16(0x0800))},
		{VlanDefaultPVID: ptr(uint16(4095))},
		{McastRouter: ptr(uint8(3))},
		{McastIGMPVersion: ptr(uint8(1))},
		{McastMLDVersion: ptr(uint8(3))},
	} {
		err := c.SetLink(ctx, br.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "bridge", Data: b}})
		if !isInvalid(err) {
			t.Errorf("SetLink(%+v) error = %v; want an InvalidError", b, err)
		}
		err = c.AddLink(ctx, rtnl.Link{Name: "br9", Info: &rtnl.LinkInfo{Data: b}})
		if !isInvalid(err) {
			t.Errorf("AddLink(%+v) error = %v; want an InvalidError", b, err)
		}
	}
	// The kernel's own refusal: with STP on, forward_delay out of STP's
	// range.
	err = c.SetLink(ctx, br.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "bridge", Data: &rtnl.Bridge{
		STPState: ptr(uint32(1)),
	}}})
	if err != nil {
		t.Fatalf("SetLink(stp_state 1): %v", err)
	}
	err = c.SetLink(ctx, br.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "bridge", Data: &rtnl.Bridge{
		ForwardDelay: ptr(uint32(100000)),
	}}})
	if !errors.Is(err, unix.ERANGE) {
		t.Errorf("SetLink(forward_delay 100000) under STP: error = %v; want ERANGE", err)
	}
}

func TestBridgeVlanOptions(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	b := &rtnl.Bridge{
		VlanFiltering:     ptr(true),
		VlanProtocol:      ptr(uint16(0x88a8)),
		VlanDefaultPVID:   ptr(uint16(10)),
		VlanStatsEnabled:  ptr(true),
		VlanStatsPerPort:  ptr(true),
		McastVlanSnooping: ptr(true),
	}
	err := c.AddLink(ctx, rtnl.Link{Name: "br0", Info: &rtnl.LinkInfo{Data: b}})
	if errors.Is(err, rtnl.ErrNotSupported) {
		kfeature.Missing(t, kfeature.Feature{Name: "bridge VLAN filtering", Since: "4.4", Config: []string{"CONFIG_BRIDGE_VLAN_FILTERING"}}, err)
	}
	if err != nil {
		t.Fatalf("AddLink(bridge with VLAN options): %v", err)
	}
	var ip brIPInfo
	ipInfoData(t, ns, "br0", false, &ip)
	if ip.VlanFiltering != 1 || ip.VlanProtocol != "802.1ad" || ip.VlanDefaultPVID != 10 ||
		ip.VlanStatsEnabled != 1 || ip.VlanStatsPerPort != 1 || ip.McastVlanSnooping != 1 {
		t.Errorf("ip shows the VLAN bridge as %+v", ip)
	}
	got := brCheckLink(t, ns, c, "br0").Info.Data.(*rtnl.Bridge)
	if !*got.VlanFiltering || *got.VlanProtocol != 0x88a8 || *got.VlanDefaultPVID != 10 || !*got.VlanStatsEnabled ||
		!*got.VlanStatsPerPort || !*got.McastVlanSnooping {
		t.Errorf("nlkit reads the VLAN bridge as %+v", got)
	}

	// Changed: back to 802.1Q, another PVID, snooping per VLAN off,
	// filtering off.
	br := mustLink(t, c, "br0")
	err = c.SetLink(ctx, br.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "bridge", Data: &rtnl.Bridge{
		VlanProtocol: ptr(uint16(0x8100)), VlanDefaultPVID: ptr(uint16(20)), McastVlanSnooping: ptr(false),
	}}})
	if err != nil {
		t.Fatalf("SetLink(VLAN options): %v", err)
	}
	err = c.SetLink(ctx, br.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "bridge", Data: &rtnl.Bridge{
		VlanFiltering: ptr(false),
	}}})
	if err != nil {
		t.Fatalf("SetLink(vlan_filtering 0): %v", err)
	}
	ipInfoData(t, ns, "br0", false, &ip)
	if ip.VlanFiltering != 0 || ip.VlanProtocol != "802.1Q" || ip.VlanDefaultPVID != 20 || ip.McastVlanSnooping != 0 {
		t.Errorf("after SetLink, ip shows the VLAN bridge as %+v", ip)
	}
	brCheckLink(t, ns, c, "br0")

	// And made by ip.
	ns.IP(t, "link", "add", "br1", "type", "bridge", "vlan_filtering", "1", "vlan_protocol", "802.1ad",
		"vlan_default_pvid", "0", "vlan_stats_enabled", "1", "vlan_stats_per_port", "0", "mcast_vlan_snooping", "1")
	got = brCheckLink(t, ns, c, "br1").Info.Data.(*rtnl.Bridge)
	if !*got.VlanFiltering || *got.VlanProtocol != 0x88a8 || *got.VlanDefaultPVID != 0 || !*got.VlanStatsEnabled ||
		*got.VlanStatsPerPort || !*got.McastVlanSnooping {
		t.Errorf("nlkit reads the VLAN bridge ip made as %+v", got)
	}
	brCheckLinks(t, ns, c)
}

// brIPPortInfo is the part of ip's info_slave_data the tests check.
type brIPPortInfo struct {
	State           string `json:"state"`
	Priority        int    `json:"priority"`
	Cost            int    `json:"cost"`
	Hairpin         bool   `json:"hairpin"`
	Guard           bool   `json:"guard"`
	RootBlock       bool   `json:"root_block"`
	FastLeave       bool   `json:"fastleave"`
	Learning        bool   `json:"learning"`
	Flood           bool   `json:"flood"`
	ProxyARP        bool   `json:"proxy_arp"`
	ProxyARPWiFi    bool   `json:"proxy_arp_wifi"`
	McastRouter     int    `json:"multicast_router"`
	McastFlood      bool   `json:"mcast_flood"`
	BcastFlood      bool   `json:"bcast_flood"`
	McastToUnicast  bool   `json:"mcast_to_unicast"`
	NeighSuppress   bool   `json:"neigh_suppress"`
	GroupFwdMask    string `json:"group_fwd_mask"`
	GroupFwdMaskStr string `json:"group_fwd_mask_str"`
	VlanTunnel      bool   `json:"vlan_tunnel"`
	Isolated        bool   `json:"isolated"`
	Locked          bool   `json:"locked"`
	BackupPort      string `json:"backup_port"`
}

// brPorts makes br0 with the ports v0 and w0, both up with their peers.
func brPorts(t *testing.T, ns *testns.NS) {
	t.Helper()
	ns.IPBatch(t, `link add br0 address 02:00:00:00:00:10 type bridge
link add v0 address 02:00:00:00:00:01 type veth peer name v1
link add w0 address 02:00:00:00:00:03 type veth peer name w1
link set v0 master br0
link set w0 master br0
link set v0 up
link set v1 up
link set w0 up
link set w1 up
link set br0 up
`)
}

func TestBridgePortSetLink(t *testing.T) {
	ns := testns.New(t)
	brPorts(t, ns)
	c := dial(t, ns)
	ctx := context.Background()
	v0, w0 := mustLink(t, c, "v0"), mustLink(t, c, "w0")
	if _, ok := v0.Info.SlaveData.(*rtnl.BridgePort); !ok || v0.Info.SlaveKind != "bridge" {
		t.Fatalf("port v0 info %+v", v0.Info)
	}
	brCheckLink(t, ns, c, "v0")

	// ip link set dev v0 type bridge_slave …
	set := func(p *rtnl.BridgePort) {
		t.Helper()
		if err := c.SetLink(ctx, v0.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{SlaveData: p}}); err != nil {
			t.Fatalf("SetLink(port %+v): %v", p, err)
		}
	}
	set(&rtnl.BridgePort{
		Priority:        ptr(uint16(10)),
		Cost:            ptr(uint32(100)),
		Hairpin:         ptr(true),
		Guard:           ptr(true),
		RootBlock:       ptr(true),
		FastLeave:       ptr(true),
		Learning:        ptr(false),
		UnicastFlood:    ptr(false),
		ProxyARP:        ptr(true),
		ProxyARPWiFi:    ptr(true),
		McastRouter:     ptr(uint8(2)),
		McastFlood:      ptr(false),
		BcastFlood:      ptr(false),
		McastToUnicast:  ptr(true),
		NeighSuppress:   ptr(true),
		GroupFwdMask:    ptr(uint16(0x4009)),
		Isolated:        ptr(true),
		Locked:          ptr(true),
		BackupPortIndex: &w0.Index,
		FDBFlush:        true,
	})
	var ip brIPPortInfo
	ipInfoData(t, ns, "v0", true, &ip)
	want := brIPPortInfo{
		State: ip.State, Priority: 10, Cost: 100, Hairpin: true, Guard: true, RootBlock: true, FastLeave: true,
		ProxyARP: true, ProxyARPWiFi: true, McastRouter: 2, McastToUnicast: true, NeighSuppress: true,
		GroupFwdMask: "0x4009", GroupFwdMaskStr: "stp,0x8,lldp", Isolated: true, Locked: true, BackupPort: "w0",
	}
	if ip != want {
		t.Errorf("after SetLink, ip shows the port as\n%+v\nwant\n%+v", ip, want)
	}
	p := brCheckLink(t, ns, c, "v0").Info.SlaveData.(*rtnl.BridgePort)
	if *p.Priority != 10 || *p.Cost != 100 || !*p.Hairpin || *p.Learning || *p.UnicastFlood || *p.McastRouter != 2 ||
		*p.GroupFwdMask != 0x4009 || !*p.Locked || *p.BackupPortIndex != w0.Index || p.BackupPort != "w0" {
		t.Errorf("nlkit reads the port as %+v", p)
	}
	brCheckLinks(t, ns, c)

	// The state: with STP off the kernel puts the port straight back into
	// forwarding (the port state selection, and the carrier check that
	// follows a change). Whatever it does, it must do the same for ip.
	for _, s := range []rtnl.BridgePortState{rtnl.BridgePortBlocking, rtnl.BridgePortDisabled, rtnl.BridgePortListening, rtnl.BridgePortForwarding} {
		set(&rtnl.BridgePort{State: &s})
		ip = brIPPortInfo{}
		ipInfoData(t, ns, "v0", true, &ip)
		nlkitState := ip.State
		ns.IP(t, "link", "set", "dev", "v0", "type", "bridge_slave", "state", strconv.Itoa(int(s)))
		ip = brIPPortInfo{}
		ipInfoData(t, ns, "v0", true, &ip)
		if ip.State != nlkitState || ip.Priority != 10 || !ip.Hairpin {
			t.Errorf("after SetLink(state %v), ip shows the port in state %s, and in %s after ip set it: %+v", s, nlkitState, ip.State, ip)
		}
	}
	// A port that is down takes no state but disabled.
	ns.IP(t, "link", "set", "v0", "down")
	err := c.SetLink(ctx, v0.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{SlaveData: &rtnl.BridgePort{State: ptr(rtnl.BridgePortForwarding)}}})
	if !errors.Is(err, unix.ENETDOWN) {
		t.Errorf("SetLink(state forwarding) of a port that is down: error = %v; want ENETDOWN", err)
	}
	ns.IP(t, "link", "set", "v0", "up")

	// The rest undone, without touching the other settings.
	set(&rtnl.BridgePort{Hairpin: ptr(false), Learning: ptr(true), BackupPortIndex: ptr(int32(0)),
		GroupFwdMask: ptr(uint16(0)), Locked: ptr(false), Isolated: ptr(false)})
	ip = brIPPortInfo{}
	ipInfoData(t, ns, "v0", true, &ip)
	if ip.Hairpin || !ip.Learning || ip.BackupPort != "" || ip.GroupFwdMask != "0" || ip.GroupFwdMaskStr != "0x0" ||
		ip.Priority != 10 || !ip.Guard {
		t.Errorf("after undoing, ip shows the port as %+v", ip)
	}
	brCheckLink(t, ns, c, "v0")

	// VLAN tunnelling needs VLAN filtering in the kernel.
	err = c.SetLink(ctx, v0.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{SlaveData: &rtnl.BridgePort{VlanTunnel: ptr(true)}}})
	switch {
	case errors.Is(err, rtnl.ErrNotSupported):
		kfeature.SkipPart(t, kfeature.Feature{Name: "bridge port VLAN tunnel", Since: "4.11", Config: []string{"CONFIG_BRIDGE_VLAN_FILTERING"}}, err)
	case err != nil:
		t.Errorf("SetLink(vlan_tunnel on): %v", err)
	default:
		ipInfoData(t, ns, "v0", true, &ip)
		if !ip.VlanTunnel {
			t.Errorf("after SetLink(vlan_tunnel on), ip shows the port as %+v", ip)
		}
		brCheckLink(t, ns, c, "v0")
	}

	// Invalid values are refused before anything is sent.
	for _, p := range []*rtnl.BridgePort{
		{State: ptr(rtnl.BridgePortState(5))},
		{Priority: ptr(uint16(64))},
		{Cost: ptr(uint32(0))},
		{Cost: ptr(uint32(65536))},
		{McastRouter: ptr(uint8(4))},
		{GroupFwdMask: ptr(uint16(2))},
		{BackupPortIndex: ptr(int32(-1))},
	} {
		err := c.SetLink(ctx, v0.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{SlaveData: p}})
		if !isInvalid(err) {
			t.Errorf("SetLink(port %+v) error = %v; want an InvalidError", p, err)
		}
	}
	// Port data for another master kind.
	err = c.SetLink(ctx, v0.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{SlaveKind: "bond", SlaveData: &rtnl.BridgePort{}}})
	if !errors.Is(err, unix.EINVAL) {
		t.Errorf("SetLink(bond port with bridge data) error = %v; want EINVAL", err)
	}
	// The kernel's refusal: a backup port that does not exist.
	err = c.SetLink(ctx, v0.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{SlaveData: &rtnl.BridgePort{BackupPortIndex: ptr(int32(4242))}}})
	if !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("SetLink(backup_port missing) error = %v; want ErrNotExist", err)
	}
}

func TestBridgePortSetWithIP(t *testing.T) {
	ns := testns.New(t)
	brPorts(t, ns)
	c := dial(t, ns)
	ns.IP(t, "link", "set", "dev", "v0", "type", "bridge_slave", "state", "1", "priority", "7", "cost", "33",
		"guard", "on", "hairpin", "on", "fastleave", "on", "root_block", "on", "learning", "off", "flood", "off",
		"proxy_arp", "on", "mcast_router", "3", "mcast_flood", "off", "bcast_flood", "off", "mcast_to_unicast", "on",
		"group_fwd_mask", "0x4004", "neigh_suppress", "on", "isolated", "on", "locked", "on", "backup_port", "w0")
	p := brCheckLink(t, ns, c, "v0").Info.SlaveData.(*rtnl.BridgePort)
	if *p.State != rtnl.BridgePortListening || *p.Priority != 7 || *p.Cost != 33 || !*p.Guard || !*p.Hairpin ||
		!*p.FastLeave || !*p.RootBlock || *p.Learning || *p.UnicastFlood || !*p.ProxyARP || *p.ProxyARPWiFi ||
		*p.McastRouter != 3 || *p.McastFlood || *p.BcastFlood || !*p.McastToUnicast || *p.GroupFwdMask != 0x4004 ||
		!*p.NeighSuppress || !*p.Isolated || !*p.Locked || p.BackupPort != "w0" ||
		p.DesignatedBridge.String() != "8000.2:0:0:0:0:10" || *p.No != 1 {
		t.Errorf("nlkit reads the port ip set as %+v", p)
	}
	brCheckLinks(t, ns, c)

	// A backup port left out of a filtered list is looked up by index.
	ns.IP(t, "link", "set", "v0", "group", "3")
	w0 := mustLink(t, c, "w0")
	links, err := c.Links(context.Background(), rtnl.FilterGroup(3))
	if err != nil || len(links) != 1 {
		t.Fatalf("Links(group 3) = %d links, %v; want v0", len(links), err)
	}
	if bp := links[0].Info.SlaveData.(*rtnl.BridgePort); bp.BackupPort != "w0" || *bp.BackupPortIndex != w0.Index {
		t.Errorf("filtered Links: backup port %q (%d); want w0", bp.BackupPort, *bp.BackupPortIndex)
	}
}

func TestBridgeSTPRunning(t *testing.T) {
	// With STP on, the ports move through the states and the timers run:
	// the JSON must follow ip's through them.
	ns := testns.New(t)
	brPorts(t, ns)
	c := dial(t, ns)
	br := mustLink(t, c, "br0")
	if err := c.SetLink(context.Background(), br.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "bridge",
		Data: &rtnl.Bridge{STPState: ptr(uint32(1)), ForwardDelay: ptr(uint32(400)), HelloTime: ptr(uint32(100))}}}); err != nil {
		t.Fatalf("SetLink(stp on): %v", err)
	}
	for i := 0; i < 3; i++ {
		brCheckLinks(t, ns, c)
		time.Sleep(300 * time.Millisecond)
	}
	// Kernel STP refuses state changes.
	v0 := mustLink(t, c, "v0")
	err := c.SetLink(context.Background(), v0.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{SlaveData: &rtnl.BridgePort{
		State: ptr(rtnl.BridgePortBlocking)}}})
	if !errors.Is(err, unix.EBUSY) {
		t.Errorf("SetLink(state) under kernel STP: error = %v; want EBUSY", err)
	}
}

func TestBridgeRootIDQuirk(t *testing.T) {
	// iproute2 6.1 prints the bridge id as root_id; with a port whose
	// peer bridge wins the election, the kernel's root id differs.
	ns := testns.New(t)
	ns.IPBatch(t, `link add brA address 02:00:00:00:0a:01 type bridge stp_state 1 forward_delay 200 priority 40000
link add brB address 02:00:00:00:0b:01 type bridge stp_state 1 forward_delay 200 priority 1000
link add a0 type veth peer name b0
link set a0 master brA
link set b0 master brB
link set a0 up
link set b0 up
link set brA up
link set brB up
`)
	c := dial(t, ns)
	var b *rtnl.Bridge
	deadline := time.Now().Add(10 * time.Second)
	for {
		b = mustLink(t, c, "brA").Info.Data.(*rtnl.Bridge)
		if *b.RootID != *b.BridgeID || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if b.RootID.String() != "03e8.2:0:0:0:b:1" || b.BridgeID.String() != "9c40.2:0:0:0:a:1" {
		t.Errorf("brA: bridge id %v, root id %v; want root 03e8.2:0:0:0:b:1", b.BridgeID, b.RootID)
	}
	brCheckLink(t, ns, c, "brA")
	var ip brIPInfo
	ipInfoData(t, ns, "brA", false, &ip)
	if !bytes.Contains(marshal(t, mustLink(t, c, "brA")), []byte(`"root_id":"9c40.2:0:0:0:a:1"`)) || ip.BridgeID != "9c40.2:0:0:0:a:1" {
		t.Errorf("root_id is not printed as ip 6.1 prints it")
	}
	// The port's designated root is the real one.
	p := brCheckLink(t, ns, c, "a0").Info.SlaveData.(*rtnl.BridgePort)
	if p.DesignatedRoot.String() != "03e8.2:0:0:0:b:1" {
		t.Errorf("a0: designated root %v; want 03e8.2:0:0:0:b:1", p.DesignatedRoot)
	}
}

func TestBridgeMSTEnabled(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	err := c.AddLink(ctx, rtnl.Link{Name: "br0", Info: &rtnl.LinkInfo{Data: &rtnl.Bridge{
		VlanFiltering: ptr(true), MSTEnabled: ptr(true),
	}}})
	if errors.Is(err, rtnl.ErrNotSupported) {
		kfeature.Missing(t, kfeature.Feature{Name: "bridge MST", Since: "5.18", Config: []string{"CONFIG_BRIDGE_VLAN_FILTERING"}}, err)
	}
	if err != nil {
		t.Fatalf("AddLink(bridge mst): %v", err)
	}
	b := brCheckLink(t, ns, c, "br0").Info.Data.(*rtnl.Bridge)
	if b.MSTEnabled == nil || !*b.MSTEnabled {
		t.Errorf("MSTEnabled = %v; want true", b.MSTEnabled)
	}
}

func TestBridgeNewerPortOptions(t *testing.T) {
	// Options iproute2 6.1 does not know: checked against the kernel's
	// report and the sysfs files.
	ns := testns.New(t)
	brPorts(t, ns)
	c := dial(t, ns)
	v0 := mustLink(t, c, "v0")
	err := c.SetLink(context.Background(), v0.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{SlaveData: &rtnl.BridgePort{
		McastEHTHostsLimit: ptr(uint32(100)),
		McastMaxGroups:     ptr(uint32(50)),
	}}})
	if err != nil {
		t.Fatalf("SetLink(newer port options): %v", err)
	}
	p := brCheckLink(t, ns, c, "v0").Info.SlaveData.(*rtnl.BridgePort)
	if p.McastEHTHostsLimit == nil || *p.McastEHTHostsLimit != 100 {
		t.Errorf("McastEHTHostsLimit = %v; want 100", p.McastEHTHostsLimit)
	}
	if p.McastMaxGroups != nil && *p.McastMaxGroups != 50 {
		t.Errorf("McastMaxGroups = %d; want 50", *p.McastMaxGroups)
	}
}

// brIPFails runs an ip command that must fail and returns its error output.
func brIPFails(t *testing.T, ns *testns.NS, args ...string) string {
	t.Helper()
	out, err := exec.Command("ip", append([]string{"-n", ns.Name()}, args...)...).CombinedOutput()
	if err == nil {
		t.Fatalf("ip %s succeeded", strings.Join(args, " "))
	}
	return string(out)
}

func TestBridgeVlanFilteringRefusedLikeIP(t *testing.T) {
	// Where the kernel lacks VLAN filtering, nlkit gets the error ip gets.
	ns := testns.New(t)
	c := dial(t, ns)
	err := c.AddLink(context.Background(), rtnl.Link{Name: "br0", Info: &rtnl.LinkInfo{Data: &rtnl.Bridge{
		STPState: ptr(uint32(1)), VlanFiltering: ptr(true)}}})
	if err == nil {
		t.Skip("this kernel has bridge VLAN filtering")
	}
	if !errors.Is(err, rtnl.ErrNotSupported) {
		t.Fatalf("AddLink(vlan_filtering 1) error = %v; want ErrNotSupported", err)
	}
	if out := brIPFails(t, ns, "link", "add", "br0", "type", "bridge", "stp_state", "1", "vlan_filtering", "1"); !strings.Contains(out, "Operation not supported") {
		t.Errorf("ip says %q", out)
	}
	if _, err := c.LinkByName(context.Background(), "br0"); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("the refused bridge exists (err %v)", err)
	}
}
