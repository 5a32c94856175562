package rtnl_test

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// macvlanAddrs returns addrs as sorted strings.
func macvlanAddrs(addrs []net.HardwareAddr) []string {
	var s []string
	for _, a := range addrs {
		s = append(s, a.String())
	}
	slices.Sort(s)
	return s
}

// macvlanIPAddrs returns the source addresses ip prints for a link, sorted,
// and the count it prints (-1 when none).
func macvlanIPAddrs(t *testing.T, ns *testns.NS, name string) ([]string, int) {
	t.Helper()
	d := ipInfoDataMap(t, ns, name)
	count := -1
	if n, ok := d["macaddr_count"].(float64); ok {
		count = int(n)
	}
	var s []string
	if list, ok := d["macaddr_data"].([]any); ok {
		for _, a := range list {
			s = append(s, a.(string))
		}
	}
	slices.Sort(s)
	return s, count
}

func TestMacvlanAdd(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	mac := func(s string) net.HardwareAddr {
		a, err := net.ParseMAC(s)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}

	for _, tc := range []struct {
		name string
		data *rtnl.Macvlan
		// wantAddrs are the source addresses to read back.
		wantAddrs []string
	}{
		{name: "mvprivate", data: &rtnl.Macvlan{Mode: ptr(rtnl.MacvlanPrivate)}},
		{name: "mvvepa", data: &rtnl.Macvlan{Mode: ptr(rtnl.MacvlanVEPA), NoDst: ptr(true), BcQueueLen: ptr[uint32](50)}},
		{name: "mvbridge", data: &rtnl.Macvlan{Mode: ptr(rtnl.MacvlanBridge)}},
		{name: "mvpass", data: &rtnl.Macvlan{Mode: ptr(rtnl.MacvlanPassthru), NoPromisc: ptr(true)}},
		{name: "mvpassdst", data: &rtnl.Macvlan{Mode: ptr(rtnl.MacvlanPassthru), NoPromisc: ptr(false), NoDst: ptr(true)}},
		{name: "mvsource", data: &rtnl.Macvlan{Mode: ptr(rtnl.MacvlanSource)}},
		{name: "mvsrcadd", data: &rtnl.Macvlan{Mode: ptr(rtnl.MacvlanSource),
			MACAddrMode: ptr(rtnl.MACAddrAdd), MACAddrs: []net.HardwareAddr{mac("02:00:00:00:01:01")}},
			wantAddrs: []string{"02:00:00:00:01:01"}},
		{name: "mvsrcset", data: &rtnl.Macvlan{Mode: ptr(rtnl.MacvlanSource), NoDst: ptr(true),
			MACAddrMode: ptr(rtnl.MACAddrSet), MACAddrs: []net.HardwareAddr{mac("02:00:00:00:00:0a"), mac("02:00:00:00:00:0b")}},
			wantAddrs: []string{"02:00:00:00:00:0a", "02:00:00:00:00:0b"}},
		{name: "mvdefault", data: &rtnl.Macvlan{}},
		{name: "mtbridge", data: &rtnl.Macvlan{Tap: true, Mode: ptr(rtnl.MacvlanBridge), BcQueueLen: ptr[uint32](0)}},
		{name: "mtsource", data: &rtnl.Macvlan{Tap: true, Mode: ptr(rtnl.MacvlanSource),
			MACAddrMode: ptr(rtnl.MACAddrSet), MACAddrs: []net.HardwareAddr{mac("02:00:00:00:00:0c")}},
			wantAddrs: []string{"02:00:00:00:00:0c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A lower device each: passthru wants one to itself, and the
			// broadcast queue length in use is shared by the devices on
			// a lower device.
			lower := addVeth(t, ns, c, "lo"+tc.name, "lo"+tc.name+"p")
			err := c.AddLink(ctx, rtnl.Link{Name: tc.name, ParentIndex: &lower, Info: &rtnl.LinkInfo{Data: tc.data}})
			if err != nil {
				t.Fatalf("AddLink: %v", err)
			}
			got := mustLink(t, c, tc.name)
			compareLink(t, got, ipLink(t, ns, tc.name))
			wantKind := map[bool]string{false: "macvlan", true: "macvtap"}[tc.data.Tap]
			if got.Info == nil || got.Info.Kind != wantKind {
				t.Fatalf("read back %+v; want kind %s", got.Info, wantKind)
			}
			m, ok := got.Info.Data.(*rtnl.Macvlan)
			if !ok || m.Tap != tc.data.Tap || m.LinkKind() != wantKind {
				t.Fatalf("read back data %#v; want a *rtnl.Macvlan of kind %s", got.Info.Data, wantKind)
			}
			checkSetFields(t, tc.name, tc.data, m, "MACAddrMode", "MACAddrs")
			if m.Mode == nil || m.BcQueueLen == nil || m.BcQueueLenUsed == nil || m.MACAddrCount == nil || m.NoDst == nil {
				t.Errorf("read back %+v; want mode, flags, queue lengths and count reported", m)
			}
			if g := macvlanAddrs(m.MACAddrs); !slices.Equal(g, tc.wantAddrs) {
				t.Errorf("source addresses read back %v; want %v", g, tc.wantAddrs)
			}
			if ipAddrs, count := macvlanIPAddrs(t, ns, tc.name); !slices.Equal(ipAddrs, tc.wantAddrs) ||
				(tc.data.Mode != nil && *tc.data.Mode == rtnl.MacvlanSource && count != len(tc.wantAddrs)) {
				t.Errorf("ip shows source addresses %v (count %d); want %v", ipAddrs, count, tc.wantAddrs)
			}
			if ml := mustLink(t, c, tc.name); ml.ParentName != "lo"+tc.name {
				t.Errorf("parent %q; want lo%s", ml.ParentName, tc.name)
			}
		})
	}
	compareAllLinks(t, ns, c)
}

func TestMacvlanFromIP(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	cmds := []string{
		"mi0 link l0 type macvlan mode private",
		"mi1 link l0 type macvlan mode vepa nodst",
		"mi2 link l0 type macvlan mode bridge bcqueuelen 77",
		"mi3 link l1 type macvlan mode passthru nopromisc",
		"mi4 link l0 type macvlan mode source macaddr set 02:00:00:00:00:0a 02:00:00:00:00:0b 02:00:00:00:00:0c",
		"mi5 link l0 type macvlan mode source flag nodst",
		"mi6 link l0 type macvlan",
		"mi7 link l2 type macvtap mode bridge",
		"mi8 link l2 type macvtap mode source macaddr add 02:00:00:00:00:0d",
		"mi9 link l3 type macvtap mode passthru",
	}
	for _, l := range []string{"l0", "l1", "l2", "l3"} {
		ns.IP(t, "link", "add", l, "type", "veth", "peer", "name", l+"p")
	}
	for _, cmd := range cmds {
		ns.IP(t, append([]string{"link", "add"}, strings.Fields(cmd)...)...)
	}
	checkLinksFromIP[*rtnl.Macvlan](t, ns, c, cmds)
	compareAllLinks(t, ns, c)
}

func TestMacvlanSetLink(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	lower := addVeth(t, ns, c, "l0", "l0p")
	for _, kind := range []string{"macvlan", "macvtap"} {
		t.Run(kind, func(t *testing.T) {
			name := "ms" + kind[len(kind)-3:]
			tap := kind == "macvtap"
			err := c.AddLink(ctx, rtnl.Link{Name: name, ParentIndex: &lower, Info: &rtnl.LinkInfo{
				Data: &rtnl.Macvlan{Tap: tap, Mode: ptr(rtnl.MacvlanSource)}}})
			if err != nil {
				t.Fatal(err)
			}
			index := mustLink(t, c, name).Index
			step := 0
			set := func(m rtnl.Macvlan, want ...string) {
				t.Helper()
				step++
				m.Tap = tap
				if err := c.SetLink(ctx, index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: kind, Data: &m}}); err != nil {
					t.Fatalf("step %d: SetLink(%+v): %v", step, m, err)
				}
				got := mustLink(t, c, name)
				compareLink(t, got, ipLink(t, ns, name))
				if want == nil {
					return
				}
				slices.Sort(want)
				if ipAddrs, count := macvlanIPAddrs(t, ns, name); !slices.Equal(ipAddrs, want) || count != len(want) {
					t.Errorf("step %d: ip shows source addresses %v (count %d); want %v", step, ipAddrs, count, want)
				}
				if g := macvlanAddrs(got.Info.Data.(*rtnl.Macvlan).MACAddrs); !slices.Equal(g, want) {
					t.Errorf("step %d: nlkit reads source addresses %v; want %v", step, g, want)
				}
			}
			mac := func(i int) net.HardwareAddr { return net.HardwareAddr{2, 0, 0, 0, 0, byte(i)} }
			macs := func(is ...int) []net.HardwareAddr {
				var s []net.HardwareAddr
				for _, i := range is {
					s = append(s, mac(i))
				}
				return s
			}
			str := func(is ...int) []string {
				s := []string{}
				for _, a := range macs(is...) {
					s = append(s, a.String())
				}
				return s
			}
			set(rtnl.Macvlan{MACAddrMode: ptr(rtnl.MACAddrAdd), MACAddrs: macs(1)}, str(1)...)
			set(rtnl.Macvlan{MACAddrMode: ptr(rtnl.MACAddrAdd), MACAddrs: macs(2)}, str(1, 2)...)
			set(rtnl.Macvlan{MACAddrMode: ptr(rtnl.MACAddrSet), MACAddrs: macs(3, 4, 5)}, str(3, 4, 5)...)
			set(rtnl.Macvlan{MACAddrMode: ptr(rtnl.MACAddrDel), MACAddrs: macs(4)}, str(3, 5)...)
			set(rtnl.Macvlan{MACAddrMode: ptr(rtnl.MACAddrFlush)}, str()...)
			set(rtnl.Macvlan{MACAddrMode: ptr(rtnl.MACAddrSet), MACAddrs: macs(6)}, str(6)...)
			set(rtnl.Macvlan{MACAddrMode: ptr(rtnl.MACAddrSet)}, str()...)

			// Flags and the queue length; flags go together.
			set(rtnl.Macvlan{NoDst: ptr(true), BcQueueLen: ptr[uint32](123)})
			d := ipInfoDataMap(t, ns, name)
			if d["nodst"] != true || d["bcqueuelen"] != 123.0 || d["mode"] != "source" {
				t.Errorf("ip shows %v; want nodst and bcqueuelen 123", d)
			}
			set(rtnl.Macvlan{Mode: ptr(rtnl.MacvlanBridge), NoDst: ptr(false)})
			d = ipInfoDataMap(t, ns, name)
			if _, ok := d["nodst"]; ok || d["mode"] != "bridge" || d["bcqueuelen"] != 123.0 {
				t.Errorf("ip shows %v; want bridge mode without nodst", d)
			}
			// The kernel refuses to enter passthru mode.
			err = c.SetLink(ctx, index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: kind,
				Data: &rtnl.Macvlan{Tap: tap, Mode: ptr(rtnl.MacvlanPassthru)}}})
			if err == nil || isInvalid(err) {
				t.Errorf("SetLink(mode passthru) error = %v; want the kernel's refusal", err)
			}
		})
	}
}

func TestMacvlanInvalid(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	lower := addVeth(t, ns, c, "l0", "l0p")
	before := string(ns.IP(t, "link", "show"))
	a, b := net.HardwareAddr{2, 0, 0, 0, 0, 1}, net.HardwareAddr{2, 0, 0, 0, 0, 2}
	source := ptr(rtnl.MacvlanSource)
	for _, tc := range []struct {
		name string
		m    rtnl.Macvlan
	}{
		{"unknown mode", rtnl.Macvlan{Mode: ptr(rtnl.MacvlanMode(3))}},
		{"nopromisc outside passthru", rtnl.Macvlan{Mode: ptr(rtnl.MacvlanBridge), NoPromisc: ptr(true)}},
		{"add without address", rtnl.Macvlan{Mode: source, MACAddrMode: ptr(rtnl.MACAddrAdd)}},
		{"add with two addresses", rtnl.Macvlan{Mode: source, MACAddrMode: ptr(rtnl.MACAddrAdd), MACAddrs: []net.HardwareAddr{a, b}}},
		{"del with two addresses", rtnl.Macvlan{Mode: source, MACAddrMode: ptr(rtnl.MACAddrDel), MACAddrs: []net.HardwareAddr{a, b}}},
		{"flush with an address", rtnl.Macvlan{Mode: source, MACAddrMode: ptr(rtnl.MACAddrFlush), MACAddrs: []net.HardwareAddr{a}}},
		{"short address", rtnl.Macvlan{Mode: source, MACAddrMode: ptr(rtnl.MACAddrSet), MACAddrs: []net.HardwareAddr{a[:5]}}},
		{"long address", rtnl.Macvlan{Mode: source, MACAddrMode: ptr(rtnl.MACAddrAdd), MACAddrs: []net.HardwareAddr{append(a, 0)}}},
		{"addresses without operation", rtnl.Macvlan{Mode: source, MACAddrs: []net.HardwareAddr{a}}},
		{"operation outside source mode", rtnl.Macvlan{Mode: ptr(rtnl.MacvlanBridge), MACAddrMode: ptr(rtnl.MACAddrFlush)}},
		{"unknown operation", rtnl.Macvlan{Mode: source, MACAddrMode: ptr(rtnl.MacvlanMACAddrMode(7))}},
	} {
		for _, tap := range []bool{false, true} {
			m := tc.m
			m.Tap = tap
			err := c.AddLink(ctx, rtnl.Link{Name: "bad0", ParentIndex: &lower, Info: &rtnl.LinkInfo{Data: &m}})
			if !isInvalid(err) || !errors.Is(err, unix.EINVAL) {
				t.Errorf("%s (tap %v): AddLink error = %v; want an InvalidError", tc.name, tap, err)
			}
		}
	}
	// One type, two kinds: the data's kind must be the link's.
	for _, tc := range []struct {
		kind string
		tap  bool
	}{{"macvtap", false}, {"macvlan", true}} {
		err := c.AddLink(ctx, rtnl.Link{Name: "bad0", ParentIndex: &lower,
			Info: &rtnl.LinkInfo{Kind: tc.kind, Data: &rtnl.Macvlan{Tap: tc.tap}}})
		if !isInvalid(err) {
			t.Errorf("AddLink(kind %s, Macvlan{Tap: %v}) error = %v; want an InvalidError", tc.kind, tc.tap, err)
		}
	}
	if after := string(ns.IP(t, "link", "show")); after != before {
		t.Errorf("rejected requests changed the namespace:\n%s\nbecame\n%s", before, after)
	}

	// What nlkit lets through, the kernel judges: a multicast source
	// address is refused with EADDRNOTAVAIL.
	err := c.AddLink(ctx, rtnl.Link{Name: "mc0", ParentIndex: &lower, Info: &rtnl.LinkInfo{Data: &rtnl.Macvlan{
		Mode: source, MACAddrMode: ptr(rtnl.MACAddrAdd), MACAddrs: []net.HardwareAddr{{1, 0, 0x5e, 0, 0, 1}}}}})
	if !errors.Is(err, unix.EADDRNOTAVAIL) {
		t.Errorf("AddLink(multicast source address) error = %v; want EADDRNOTAVAIL", err)
	}
}
