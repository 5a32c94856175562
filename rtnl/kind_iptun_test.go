package rtnl_test

import (
	"context"
	"net/netip"
	"os/exec"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// This file holds the helpers of the vlan and tunnel kinds' tests
// (kind_vlan_test.go, kind_iptun_test.go, kind_vti_test.go,
// kind_gre_test.go, kind_geneve_test.go) and the tests of ipip, sit and
// ip6tnl. The host's kernel lacks these kinds: the tests skip there, on
// ErrNotSupported only, and run for real in the full-kernel VM.

// tnlAddr parses an IP address.
func tnlAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

// tnlCheckSet checks that every setting want has (a non-nil pointer, a
// valid address or prefix, a true bool, a non-nil slice) is the same in
// got, as read back from the kernel, except the fields named in skip.
func tnlCheckSet(t *testing.T, want, got rtnl.LinkData, skip ...string) {
	t.Helper()
	wv, gv := reflect.ValueOf(want), reflect.ValueOf(got)
	if wv.Type() != gv.Type() {
		t.Errorf("read back %T data, want %T", got, want)
		return
	}
	tnlCheckFields(t, wv.Type().Elem().Name(), wv.Elem(), gv.Elem(), skip)
}

func tnlCheckFields(t *testing.T, path string, w, g reflect.Value, skip []string) {
	t.Helper()
	for i := range w.NumField() {
		name, wf, gf := path+"."+w.Type().Field(i).Name, w.Field(i), g.Field(i)
		if slices.Contains(skip, w.Type().Field(i).Name) {
			continue
		}
		switch x := wf.Interface().(type) {
		case string:
			continue // Kind, LinkName
		case netip.Addr:
			if x.IsValid() && x != gf.Interface().(netip.Addr) {
				t.Errorf("%s = %v, want %v", name, gf.Interface(), x)
			}
			continue
		case netip.Prefix:
			if x.IsValid() && x != gf.Interface().(netip.Prefix) {
				t.Errorf("%s = %v, want %v", name, gf.Interface(), x)
			}
			continue
		}
		switch wf.Kind() {
		case reflect.Bool:
			if wf.Bool() && !gf.Bool() {
				t.Errorf("%s = false, want true", name)
			}
		case reflect.Slice:
			if !wf.IsNil() && !reflect.DeepEqual(wf.Interface(), gf.Interface()) {
				t.Errorf("%s = %v, want %v", name, gf.Interface(), wf.Interface())
			}
		case reflect.Pointer:
			switch {
			case wf.IsNil():
			case gf.IsNil():
				t.Errorf("%s is not reported; want %v", name, wf.Elem().Interface())
			case wf.Elem().Kind() == reflect.Struct:
				tnlCheckFields(t, name, wf.Elem(), gf.Elem(), skip)
			case !reflect.DeepEqual(wf.Elem().Interface(), gf.Elem().Interface()):
				t.Errorf("%s = %v, want %v", name, gf.Elem().Interface(), wf.Elem().Interface())
			}
		}
	}
}

// tnlSetDev points the data's underlying device (LinkIndex) at index.
func tnlSetDev(t *testing.T, d rtnl.LinkData, index int32) {
	switch v := d.(type) {
	case *rtnl.IPTunnel:
		v.LinkIndex = &index
	case *rtnl.Vti:
		v.LinkIndex = &index
	case *rtnl.Gre:
		v.LinkIndex = &index
	default:
		t.Fatalf("%T has no underlying device", d)
	}
}

// A tnlCase is a link created twice: by nlkit from data, and by
// `ip link add t0 ARGS` in another namespace. Both namespaces hold a veth
// pair u0/u1 first; dev points the data's device (a vlan's parent) at u0.
type tnlCase struct {
	name string
	data rtnl.LinkData
	dev  bool
	ip   string
	// modules are loaded first (the IPv6 FOU and GUE encapsulations need
	// fou6, which the kernel does not load by itself).
	modules []string
	// unreported names the fields the kernel takes but does not report
	// for the kind.
	unreported []string
}

// tnlRunCases checks each case: nlkit's link as ip shows it, the settings
// read back, ip's link as nlkit reads it (LinkByName and Links), and that
// ip's command and nlkit's data made the same link.
func tnlRunCases(t *testing.T, cases []tnlCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			for _, m := range tc.modules {
				if out, err := exec.Command("modprobe", m).CombinedOutput(); err != nil {
					t.Logf("modprobe %s: %v: %s", m, err, out)
				}
			}
			nsA, nsB := testns.New(t), testns.New(t)
			for _, ns := range []*testns.NS{nsA, nsB} {
				ns.IP(t, "link", "add", "u0", "type", "veth", "peer", "name", "u1")
			}
			c := dial(t, nsA)
			l := rtnl.Link{Name: "t0", Info: &rtnl.LinkInfo{Data: tc.data}}
			if tc.dev {
				u0 := mustLink(t, c, "u0").Index
				if _, ok := tc.data.(*rtnl.Vlan); ok {
					l.ParentIndex = &u0
				} else {
					tnlSetDev(t, tc.data, u0)
				}
			}
			addLinkOrSkip(t, c, l)
			got := mustLink(t, c, "t0")
			ipA := ipLink(t, nsA, "t0")
			compareLink(t, got, ipA)
			if got.Info == nil || got.Info.Data == nil {
				t.Fatalf("t0 read back without data: %+v", got.Info)
			}
			tnlCheckSet(t, tc.data, got.Info.Data, tc.unreported...)

			nsB.IP(t, append([]string{"link", "add", "t0"}, strings.Fields(tc.ip)...)...)
			cb := dial(t, nsB)
			ipB := ipLink(t, nsB, "t0")
			compareLink(t, mustLink(t, cb, "t0"), ipB)
			links, err := cb.Links(ctx)
			if err != nil {
				t.Fatalf("Links: %v", err)
			}
			found := false
			for _, l := range links {
				if l.Name == "t0" {
					compareLink(t, l, ipB)
					found = true
				}
			}
			if !found {
				t.Errorf("Links has no t0")
			}
			if a, b := string(infoData(t, ipA, false)), string(infoData(t, ipB, false)); a != b {
				t.Errorf("nlkit's %+v and `ip link add t0 %s` made different links:\nnlkit %s\nip    %s", tc.data, tc.ip, a, b)
			}
		})
	}
}

// tnlSetAndCheck sends change (the link's whole data, for a tunnel) with
// SetLink and checks that ip then shows the link as nlkit reads it, with
// the info_data nlkit renders for want.
func tnlSetAndCheck(t *testing.T, c *rtnl.Conn, ns *testns.NS, name string, change rtnl.LinkData, want rtnl.LinkData) {
	t.Helper()
	l := mustLink(t, c, name)
	info := &rtnl.LinkInfo{Kind: change.LinkKind(), Data: change}
	if err := c.SetLink(context.Background(), l.Index, rtnl.LinkChange{Info: info}); err != nil {
		t.Fatalf("SetLink(%+v): %v", change, err)
	}
	after := mustLink(t, c, name)
	ip := ipLink(t, ns, name)
	compareLink(t, after, ip)
	w := after
	w.Info = &rtnl.LinkInfo{Kind: want.LinkKind(), Data: want}
	if got, want := string(infoData(t, ip, false)), string(infoData(t, marshal(t, w), false)); got != want {
		t.Errorf("after SetLink, ip shows\n%s\nwant\n%s", got, want)
	}
}

// tnlChangeAll creates a tunnel t0 from data in a fresh namespace, then
// changes it as a tunnel is changed: reads its data, applies change to it
// and sends all of it back with SetLink. It checks the link against ip, and
// the settings read back.
func tnlChangeAll[D rtnl.LinkData](t *testing.T, data D, change func(D)) {
	t.Helper()
	ns := testns.New(t)
	c := dial(t, ns)
	addLinkOrSkip(t, c, rtnl.Link{Name: "t0", Info: &rtnl.LinkInfo{Data: data}})
	d := mustLink(t, c, "t0").Info.Data.(D)
	change(d)
	tnlSetAndCheck(t, c, ns, "t0", d, d)
	tnlCheckSet(t, d, mustLink(t, c, "t0").Info.Data)
}

// tnlUnderlay builds the guide's network in three fresh namespaces: a
// bridge br0 in a hub namespace, and namespaces ns0 and ns1 joined to it by
// veth pairs (veth0n 10.0.0.1/24 in ns0, veth1n 10.0.0.2/24 in ns1).
func tnlUnderlay(t *testing.T) (hub, ns0, ns1 *testns.NS) {
	hub, ns0, ns1 = testns.New(t), testns.New(t), testns.New(t)
	hub.IP(t, "link", "add", "br0", "type", "bridge")
	for i, ns := range []*testns.NS{ns0, ns1} {
		veth, peer := []string{"veth0", "veth1"}[i], []string{"veth0n", "veth1n"}[i]
		hub.IP(t, "link", "add", veth, "type", "veth", "peer", "name", peer, "netns", ns.Name())
		hub.IP(t, "link", "set", veth, "master", "br0", "up")
		ns.IP(t, "addr", "add", []string{"10.0.0.1/24", "10.0.0.2/24"}[i], "dev", peer)
		ns.IP(t, "link", "set", peer, "up")
		ns.IP(t, "link", "set", "lo", "up")
	}
	hub.IP(t, "link", "set", "br0", "up")
	return hub, ns0, ns1
}

// tnlPing pings addr once from ns, up to tries times, and reports whether
// a reply came. It uses ping, or busybox's when there is none.
func tnlPing(t *testing.T, ns *testns.NS, addr string, tries int) bool {
	t.Helper()
	ping := []string{"busybox", "ping"}
	if p, err := exec.LookPath("ping"); err == nil {
		ping = []string{p}
	}
	var out []byte
	for range tries {
		args := append(append([]string{"netns", "exec", ns.Name()}, ping...), "-c1", "-W2", addr)
		var err error
		if out, err = exec.Command("ip", args...).CombinedOutput(); err == nil {
			return true
		}
	}
	t.Logf("ping %s from %s: %s", addr, ns.Name(), out)
	return false
}

// tnlUp brings a link up with nlkit.
func tnlUp(t *testing.T, c *rtnl.Conn, name string) {
	t.Helper()
	up := true
	if err := c.SetLink(context.Background(), mustLink(t, c, name).Index, rtnl.LinkChange{Up: &up}); err != nil {
		t.Fatalf("SetLink(%s up): %v", name, err)
	}
}

// tnlScenario creates a tunnel in ns0 and ns1 of the guide's network with
// nlkit (link(0) and link(1)), gives it 10.0.1.1/24 and 10.0.1.2/24, and
// pings across it.
func tnlScenario(t *testing.T, link func(side int) rtnl.Link) {
	_, ns0, ns1 := tnlUnderlay(t)
	for i, ns := range []*testns.NS{ns0, ns1} {
		c := dial(t, ns)
		l := link(i)
		addLinkOrSkip(t, c, l)
		checkLink(t, ns, c, l.Name)
		ns.IP(t, "addr", "add", []string{"10.0.1.1/24", "10.0.1.2/24"}[i], "dev", l.Name)
		tnlUp(t, c, l.Name)
	}
	if !tnlPing(t, ns0, "10.0.0.2", 3) {
		t.Fatal("the underlay does not work: no reply from 10.0.0.2")
	}
	if !tnlPing(t, ns0, "10.0.1.2", 3) {
		t.Errorf("no reply from 10.0.1.2 through the tunnel")
	}
	if !tnlPing(t, ns1, "10.0.1.1", 3) {
		t.Errorf("no reply from 10.0.1.1 through the tunnel")
	}
}

// tnlIPv4Defaults returns an ipip or sit tunnel from 10.0.0.1 to 10.0.0.2
// with the settings ip sends by default.
func tnlIPv4Defaults(kind string) *rtnl.IPTunnel {
	t := &rtnl.IPTunnel{
		Kind: kind, Proto: ptr(uint8(0)), Local: tnlAddr("10.0.0.1"), Remote: tnlAddr("10.0.0.2"),
		PMTUDisc: ptr(true), TOS: ptr(uint8(0)), TTL: ptr(uint8(0)), LinkIndex: ptr(int32(0)),
		FwMark: ptr(uint32(0)), Encap: &rtnl.TunnelEncap{},
	}
	if kind == "sit" {
		t.ISATAP = ptr(false)
	}
	return t
}

// tnlIP6Defaults returns the IPv6 options ip sends by default.
func tnlIP6Defaults() *rtnl.IP6TunnelOptions {
	return &rtnl.IP6TunnelOptions{EncapLimit: ptr(uint8(4)), TClass: ptr(uint8(0)), FlowLabel: ptr(uint32(0))}
}

// tnlIP6tnlDefaults returns an ip6tnl tunnel from 2001:db8::1 to
// 2001:db8::2 with the settings ip sends by default.
func tnlIP6tnlDefaults() *rtnl.IPTunnel {
	return &rtnl.IPTunnel{
		Kind: "ip6tnl", Proto: ptr(uint8(0)), Local: tnlAddr("2001:db8::1"), Remote: tnlAddr("2001:db8::2"),
		TTL: ptr(uint8(64)), IP6: tnlIP6Defaults(), LinkIndex: ptr(int32(0)), FwMark: ptr(uint32(0)),
		Encap: &rtnl.TunnelEncap{Checksum6: true},
	}
}

func TestIPTunnelAdd(t *testing.T) {
	tnlRunCases(t, []tnlCase{
		{name: "ipip", data: tnlIPv4Defaults("ipip"), ip: "type ipip remote 10.0.0.2 local 10.0.0.1"},
		{name: "ipip kernel defaults", data: &rtnl.IPTunnel{Local: tnlAddr("10.0.0.1"), Remote: tnlAddr("10.0.0.2")},
			ip: "type ipip mode ipip remote 10.0.0.2 local 10.0.0.1"},
		{name: "ipip options", dev: true, data: with(tnlIPv4Defaults("ipip"), func(d *rtnl.IPTunnel) {
			d.Proto, d.TTL, d.TOS, d.FwMark = ptr(uint8(unix.IPPROTO_IPIP)), ptr(uint8(64)), ptr(uint8(0x10)), ptr(uint32(0x42))
		}), ip: "type ipip mode ipip remote 10.0.0.2 local 10.0.0.1 ttl 64 tos 0x10 dev u0 fwmark 0x42"},
		{name: "ipip nopmtudisc", data: with(tnlIPv4Defaults("ipip"), func(d *rtnl.IPTunnel) {
			d.Proto, d.Local, d.Remote, d.TOS, d.PMTUDisc = ptr(uint8(137)), netip.Addr{}, tnlAddr("10.0.0.3"), ptr(uint8(1)), ptr(false)
		}), ip: "type ipip mode mplsip remote 10.0.0.3 tos inherit nopmtudisc"},
		{name: "ipip fou", data: with(tnlIPv4Defaults("ipip"), func(d *rtnl.IPTunnel) {
			d.Encap = &rtnl.TunnelEncap{Type: rtnl.TunnelEncapFOU, SourcePort: 5000, DestPort: 5555, Checksum: true}
		}), ip: "type ipip remote 10.0.0.2 local 10.0.0.1 encap fou encap-sport 5000 encap-dport 5555 encap-csum"},
		{name: "ipip external", data: &rtnl.IPTunnel{Proto: ptr(uint8(0)), External: true}, ip: "type ipip external"},

		{name: "sit", data: tnlIPv4Defaults("sit"), ip: "type sit remote 10.0.0.2 local 10.0.0.1"},
		{name: "sit options", dev: true, data: with(tnlIPv4Defaults("sit"), func(d *rtnl.IPTunnel) {
			d.Proto, d.TTL, d.TOS, d.FwMark = ptr(uint8(unix.IPPROTO_IPV6)), ptr(uint8(30)), ptr(uint8(0x20)), ptr(uint32(7))
		}), ip: "type sit mode ip6ip remote 10.0.0.2 local 10.0.0.1 ttl 30 tos 0x20 dev u0 fwmark 7"},
		{name: "sit any", data: with(tnlIPv4Defaults("sit"), func(d *rtnl.IPTunnel) {
			d.Proto = ptr(uint8(0))
		}), ip: "type sit mode any remote 10.0.0.2 local 10.0.0.1"},
		{name: "sit isatap", data: with(tnlIPv4Defaults("sit"), func(d *rtnl.IPTunnel) {
			d.Remote, d.ISATAP = netip.Addr{}, ptr(true)
		}), ip: "type sit local 10.0.0.1 isatap"},
		{name: "sit 6rd", data: with(tnlIPv4Defaults("sit"), func(d *rtnl.IPTunnel) {
			d.Remote = netip.Addr{}
			d.SixRDPrefix = netip.MustParsePrefix("2001:db8::/32")
			d.SixRDRelayPrefix = netip.MustParsePrefix("10.0.0.0/8")
		}), ip: "type sit local 10.0.0.1 6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.0/8"},
		{name: "sit gue", data: with(tnlIPv4Defaults("sit"), func(d *rtnl.IPTunnel) {
			d.Encap = &rtnl.TunnelEncap{Type: rtnl.TunnelEncapGUE, DestPort: 6000, Checksum6: true, RemoteChecksum: true}
		}), ip: "type sit remote 10.0.0.2 local 10.0.0.1 encap gue encap-dport 6000 encap-udp6-csum encap-remcsum"},

		{name: "ip6tnl", data: tnlIP6tnlDefaults(), ip: "type ip6tnl remote 2001:db8::2 local 2001:db8::1"},
		{name: "ip6tnl inherit", data: with(tnlIP6tnlDefaults(), func(d *rtnl.IPTunnel) {
			d.Proto, d.TTL = ptr(uint8(unix.IPPROTO_IPV6)), ptr(uint8(10))
			d.IP6.IgnoreEncapLimit, d.IP6.InheritTClass, d.IP6.InheritFlowLabel = true, true, true
			d.IP6.DSCPCopy, d.IP6.InheritFwMark, d.IP6.AllowLocalRemote = true, true, true
		}), ip: "type ip6tnl mode ip6ip6 remote 2001:db8::2 local 2001:db8::1 hoplimit 10 encaplimit none " +
			"tclass inherit flowlabel inherit dscp inherit fwmark inherit allow-localremote"},
		{name: "ip6tnl values", dev: true, data: with(tnlIP6tnlDefaults(), func(d *rtnl.IPTunnel) {
			d.Proto, d.FwMark = ptr(uint8(unix.IPPROTO_IPIP)), ptr(uint32(0x10))
			d.IP6.EncapLimit, d.IP6.TClass, d.IP6.FlowLabel = ptr(uint8(7)), ptr(uint8(0x20)), ptr(uint32(0x12345))
		}), ip: "type ip6tnl mode ipip6 remote 2001:db8::2 local 2001:db8::1 encaplimit 7 tclass 0x20 " +
			"flowlabel 0x12345 fwmark 0x10 dev u0"},
		{name: "ip6tnl fou", data: with(tnlIP6tnlDefaults(), func(d *rtnl.IPTunnel) {
			d.Encap.Type, d.Encap.DestPort = rtnl.TunnelEncapFOU, 5555
		}), ip: "type ip6tnl remote 2001:db8::2 local 2001:db8::1 encap fou encap-dport 5555", modules: []string{"fou6"}},
		{name: "ip6tnl external", data: &rtnl.IPTunnel{Kind: "ip6tnl", Proto: ptr(uint8(0)), External: true},
			ip: "type ip6tnl external"},
	})
}

func TestIPTunnelSetLink(t *testing.T) {
	for _, tc := range []struct {
		name   string
		data   *rtnl.IPTunnel
		change func(*rtnl.IPTunnel)
	}{
		{"ipip", tnlIPv4Defaults("ipip"), func(d *rtnl.IPTunnel) {
			d.TTL, d.Remote, d.FwMark = ptr(uint8(77)), tnlAddr("10.0.0.9"), ptr(uint32(5))
		}},
		{"sit", tnlIPv4Defaults("sit"), func(d *rtnl.IPTunnel) {
			d.TOS, d.SixRDPrefix = ptr(uint8(0x28)), netip.MustParsePrefix("2001:db8::/32")
		}},
		{"ip6tnl", tnlIP6tnlDefaults(), func(d *rtnl.IPTunnel) {
			d.IP6.EncapLimit, d.IP6.TClass, d.IP6.DSCPCopy = ptr(uint8(9)), ptr(uint8(0x40)), true
			d.Encap = &rtnl.TunnelEncap{Type: rtnl.TunnelEncapGUE, DestPort: 7777}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { tnlChangeAll(t, tc.data, tc.change) })
	}
}

func TestIPTunnelInvalid(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	for _, d := range []*rtnl.IPTunnel{
		{Kind: "gre"},
		{Proto: ptr(uint8(unix.IPPROTO_IPV6))},
		{Kind: "ip6tnl", Proto: ptr(uint8(137))},
		{Local: tnlAddr("2001:db8::1")},
		{Kind: "ip6tnl", Remote: tnlAddr("10.0.0.1")},
		{Kind: "ip6tnl", TOS: ptr(uint8(1))},
		{Kind: "ip6tnl", PMTUDisc: ptr(true)},
		{Kind: "ip6tnl", IP6: &rtnl.IP6TunnelOptions{FlowLabel: ptr(uint32(1 << 20))}},
		{IP6: &rtnl.IP6TunnelOptions{}},
		{ISATAP: ptr(true)},
		{SixRDPrefix: netip.MustParsePrefix("2001:db8::/32")},
		{Kind: "sit", SixRDPrefix: netip.MustParsePrefix("10.0.0.0/8")},
		{Kind: "sit", SixRDPrefix: netip.MustParsePrefix("2001:db8::/48")},
		{Kind: "sit", SixRDPrefix: netip.MustParsePrefix("2001:db8::/48"), SixRDRelayPrefix: netip.MustParsePrefix("2001:db8::/8")},
		{TTL: ptr(uint8(64)), PMTUDisc: ptr(false)},
	} {
		checkAddInvalid(t, c, rtnl.Link{Name: "bad0", Info: &rtnl.LinkInfo{Data: d}})
	}
}

func TestIPIPScenario(t *testing.T) {
	tnlScenario(t, func(side int) rtnl.Link {
		local, remote := tnlAddr("10.0.0.1"), tnlAddr("10.0.0.2")
		if side == 1 {
			local, remote = remote, local
		}
		return rtnl.Link{Name: "ipip0", Info: &rtnl.LinkInfo{Data: &rtnl.IPTunnel{Local: local, Remote: remote}}}
	})
}
