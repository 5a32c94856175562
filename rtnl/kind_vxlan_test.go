package rtnl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

func TestVxlanAdd(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	ul := addVeth(t, ns, c, "ul0", "ul1")

	for _, tc := range []struct {
		name string
		link rtnl.Link
		skip []string // fields the kernel reports otherwise
	}{
		{name: "vxbasic", link: rtnl.Link{Info: &rtnl.LinkInfo{Data: &rtnl.Vxlan{
			ID: ptr[uint32](42), Remote: netip.MustParseAddr("10.0.0.2"), Local: netip.MustParseAddr("10.0.0.1"),
			LinkIndex: &ul, Port: ptr[uint16](4789),
		}}}},
		{name: "vxgroup6", link: rtnl.Link{Info: &rtnl.LinkInfo{Data: &rtnl.Vxlan{
			ID: ptr[uint32](5), Remote: netip.MustParseAddr("ff05::1"), Local: netip.MustParseAddr("fd00::1"),
			LinkIndex: &ul, TTLInherit: true, TOS: ptr[uint8](1), DF: ptr(rtnl.VxlanDFSet),
			Label: ptr[uint32](0x12345), Ageing: ptr[uint32](1000), Limit: ptr[uint32](12),
			SrcPortRange: &rtnl.VxlanPortRange{Low: 1000, High: 2000}, Port: ptr[uint16](4792),
			Proxy: ptr(true), RSC: ptr(true), L2Miss: ptr(true), L3Miss: ptr(true),
			UDPCsum: ptr(false), UDPZeroCsum6Tx: ptr(true), UDPZeroCsum6Rx: ptr(true),
			RemCsumTx: ptr(true), RemCsumRx: ptr(true), Learning: ptr(false),
		}}}},
		{name: "vxextern", link: rtnl.Link{Info: &rtnl.LinkInfo{Data: &rtnl.Vxlan{
			External: ptr(true), VNIFilter: ptr(true), Port: ptr[uint16](4791),
		}}}},
		{name: "vxgpe", link: rtnl.Link{Info: &rtnl.LinkInfo{Data: &rtnl.Vxlan{
			External: ptr(true), GPE: true,
		}}}},
		{name: "vxgbp", link: rtnl.Link{Info: &rtnl.LinkInfo{Data: &rtnl.Vxlan{
			ID: ptr[uint32](7), GBP: true, Local: netip.MustParseAddr("10.1.1.1"), TTL: ptr[uint8](64),
			TOS: ptr[uint8](0x10), DF: ptr(rtnl.VxlanDFInherit), Port: ptr[uint16](0),
		}}}, skip: []string{"Port"}},
		{name: "vxremote6", link: rtnl.Link{Info: &rtnl.LinkInfo{Data: &rtnl.Vxlan{
			ID: ptr[uint32](8), Remote: netip.MustParseAddr("2001:db8::2"), Local: netip.MustParseAddr("2001:db8::1"),
			Label: ptr[uint32](0xabcde), TTL: ptr[uint8](0), Port: ptr[uint16](4793),
		}}}},
		{name: "vxmcast4", link: rtnl.Link{Info: &rtnl.LinkInfo{Data: &rtnl.Vxlan{
			ID: ptr[uint32](9), Remote: netip.MustParseAddr("239.1.1.1"), LinkIndex: &ul, Port: ptr[uint16](4794),
		}}}},
		// An IPv4-compatible IPv6 address, which ip (glibc) prints with a
		// dotted quad.
		{name: "vxcompat", link: rtnl.Link{Info: &rtnl.LinkInfo{Data: &rtnl.Vxlan{
			ID: ptr[uint32](10), Remote: netip.MustParseAddr("::10.0.0.2"), Port: ptr[uint16](4795),
		}}}},
		{name: "vxlinkattrs", link: rtnl.Link{MTU: 1400, TxQueueLen: 10, Address: net.HardwareAddr{2, 0, 0, 0, 0x42, 1},
			Info: &rtnl.LinkInfo{Kind: "vxlan", Data: &rtnl.Vxlan{ID: ptr[uint32](11), Port: ptr[uint16](4796)}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.link
			l.Name = tc.name
			if err := c.AddLink(ctx, l); err != nil {
				t.Fatalf("AddLink: %v", err)
			}
			got := mustLink(t, c, tc.name)
			compareLink(t, got, ipLink(t, ns, tc.name))
			if got.Info == nil || got.Info.Kind != "vxlan" {
				t.Fatalf("read back %+v; want kind vxlan", got.Info)
			}
			vx, ok := got.Info.Data.(*rtnl.Vxlan)
			if !ok {
				t.Fatalf("read back data %T; want *rtnl.Vxlan", got.Info.Data)
			}
			want := tc.link.Info.Data.(*rtnl.Vxlan)
			checkSetFields(t, tc.name, want, vx, tc.skip...)
			if want.External != nil && *want.External && (vx.Learning == nil || *vx.Learning) {
				t.Errorf("external device read back with learning %v; want it off, as ip makes it", vx.Learning)
			}
			if want.LinkIndex != nil && vx.LinkName != "ul0" {
				t.Errorf("LinkName = %q; want ul0", vx.LinkName)
			}
		})
	}
	compareAllLinks(t, ns, c)
}

// TestVxlanRemCsumNoPartial creates a vxlan device without partial
// checksum offload for remote checksums (IFLA_VXLAN_REMCSUM_NOPARTIAL),
// which ip cannot set but prints. Some recent kernels refuse the flag
// ("remcsum nopartial is not offered", EOPNOTSUPP); the test skips there,
// saying so, and runs on the VM kernels, which accept it.
func TestVxlanRemCsumNoPartial(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	l := rtnl.Link{Name: "vxnp", Info: &rtnl.LinkInfo{Data: &rtnl.Vxlan{
		ID: ptr[uint32](7), GBP: true, Port: ptr[uint16](4789), RemCsumNoPartial: true,
	}}}
	err := c.AddLink(ctx, l)
	if errors.Is(err, unix.EOPNOTSUPP) {
		t.Skipf("this kernel refuses IFLA_VXLAN_REMCSUM_NOPARTIAL: %v", err)
	}
	if err != nil {
		t.Fatalf("AddLink: %v", err)
	}
	got := mustLink(t, c, "vxnp")
	compareLink(t, got, ipLink(t, ns, "vxnp"))
	if vx, ok := got.Info.Data.(*rtnl.Vxlan); !ok || !vx.RemCsumNoPartial {
		t.Errorf("read back %#v; want RemCsumNoPartial", got.Info.Data)
	}
}

func TestVxlanFromIP(t *testing.T) {
	ns, other := testns.New(t), testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	ns.IP(t, "link", "add", "ul0", "type", "veth", "peer", "name", "ul1")
	cmds := []string{
		"vi0 type vxlan id 100 dev ul0 remote 10.0.0.2 local 10.0.0.1 dstport 4789",
		"vi1 type vxlan id 101 group 239.0.0.1 dev ul0 ttl auto tos inherit df unset ageing none maxaddress unlimited dstport 4789 noproxy norsc nol2miss nol3miss udpcsum noudp6zerocsumtx noudp6zerocsumrx noremcsumtx noremcsumrx noexternal learning",
		"vi2 type vxlan id 102 remote 2001:db8::2 local 2001:db8::1 flowlabel 0x123 ttl inherit df inherit srcport 3000 4000 dstport 4800 nolearning proxy rsc l2miss l3miss udp6zerocsumtx udp6zerocsumrx remcsumtx remcsumrx",
		"vi3 type vxlan external vnifilter dstport 4801",
		"vi4 type vxlan external gpe",
		"vi5 type vxlan id 105 gbp tos 0x28 ttl 200 dstport 4802 maxaddress 7 ageing 20",
		"vi6 type vxlan id 106 dev ul0 dstport 4803 group ff02::42",
		"vi7 type vxlan id 107 local 10.9.9.9 remote 10.9.9.8 dstport 4804 noudpcsum",
		"vi8 mtu 1300 address 02:00:00:00:77:01 type vxlan id 108 dstport 0",
		"vi9 type vxlan id 109 dev ul0 dstport 4805",
	}
	for _, cmd := range cmds {
		ns.IP(t, append([]string{"link", "add"}, strings.Fields(cmd)...)...)
	}
	for _, cmd := range cmds {
		name := strings.Fields(cmd)[0]
		got := mustLink(t, c, name)
		if _, ok := got.Info.Data.(*rtnl.Vxlan); !ok {
			t.Errorf("%s: data %T; want *rtnl.Vxlan", name, got.Info.Data)
		}
		compareLink(t, got, ipLink(t, ns, name))
	}
	compareAllLinks(t, ns, c)

	// A vxlan moved to another namespace keeps naming its device by the
	// index in the first: ip and nlkit both look the index up where they
	// are, and print "ifN" when it is not there.
	ns.IP(t, "link", "set", "vi9", "netns", other.Name())
	oc := dial(t, other)
	got := mustLink(t, oc, "vi9")
	compareLink(t, got, ipLink(t, other, "vi9"))
	compareAllLinks(t, other, oc)
	if _, err := c.LinkByName(ctx, "vi9"); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("vi9 still in the first namespace (%v)", err)
	}
}

func TestVxlanSetLink(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	ul0 := addVeth(t, ns, c, "ul0", "ul1")
	ul2 := addVeth(t, ns, c, "ul2", "ul3")

	err := c.AddLink(ctx, rtnl.Link{Name: "vs0", Info: &rtnl.LinkInfo{Data: &rtnl.Vxlan{
		ID: ptr[uint32](300), Remote: netip.MustParseAddr("10.0.0.2"), Local: netip.MustParseAddr("10.0.0.1"),
		LinkIndex: &ul0, Port: ptr[uint16](4789), TTL: ptr[uint8](10),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	vs0 := mustLink(t, c, "vs0")
	set := func(v *rtnl.Vxlan) error {
		return c.SetLink(ctx, vs0.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "vxlan", Data: v}})
	}
	change := &rtnl.Vxlan{
		Remote: netip.MustParseAddr("10.0.0.3"), Local: netip.MustParseAddr("10.0.0.4"), LinkIndex: &ul2,
		TTL: ptr[uint8](20), TOS: ptr[uint8](0x08), DF: ptr(rtnl.VxlanDFSet), Learning: ptr(false),
		Ageing: ptr[uint32](600),
	}
	if err := set(change); err != nil {
		t.Fatalf("SetLink: %v", err)
	}
	d := ipInfoDataMap(t, ns, "vs0")
	if d["remote"] != "10.0.0.3" || d["local"] != "10.0.0.4" || d["link"] != "ul2" || d["ttl"] != 20.0 ||
		d["tos"] != "0x8" || d["df"] != "set" || d["learning"] != false || d["ageing"] != 600.0 || d["id"] != 300.0 || d["port"] != 4789.0 {
		t.Errorf("after SetLink, ip shows %v", d)
	}
	got := mustLink(t, c, "vs0")
	compareLink(t, got, ipLink(t, ns, "vs0"))
	checkSetFields(t, "vs0", change, got.Info.Data.(*rtnl.Vxlan))

	// Settings left out keep their values; the unspecified address clears
	// the remote. (The kind is taken from the data when Kind is empty.)
	if err := c.SetLink(ctx, vs0.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{
		Data: &rtnl.Vxlan{Remote: netip.IPv4Unspecified(), Learning: ptr(true)}}}); err != nil {
		t.Fatalf("SetLink: %v", err)
	}
	d = ipInfoDataMap(t, ns, "vs0")
	if _, ok := d["remote"]; ok || d["learning"] != true || d["ttl"] != 20.0 || d["link"] != "ul2" {
		t.Errorf("after clearing the remote, ip shows %v", d)
	}
	checkLink(t, ns, c, "vs0")

	// What the kernel cannot change, it refuses.
	if err := set(&rtnl.Vxlan{Port: ptr[uint16](4790)}); err == nil || isInvalid(err) {
		t.Errorf("SetLink(port) error = %v; want the kernel's refusal", err)
	}
	if err := set(&rtnl.Vxlan{ID: ptr[uint32](301)}); err == nil {
		t.Error("SetLink(id) succeeded; the kernel cannot change the VNI")
	}

	// IPv6: the flow label can change.
	err = c.AddLink(ctx, rtnl.Link{Name: "vs6", Info: &rtnl.LinkInfo{Data: &rtnl.Vxlan{
		ID: ptr[uint32](306), Remote: netip.MustParseAddr("2001:db8::2"), Port: ptr[uint16](4789),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	vs6 := mustLink(t, c, "vs6")
	if err := c.SetLink(ctx, vs6.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "vxlan", Data: &rtnl.Vxlan{
		Label: ptr[uint32](0xfffff), Remote: netip.MustParseAddr("2001:db8::9"),
	}}}); err != nil {
		t.Fatalf("SetLink(label): %v", err)
	}
	d = ipInfoDataMap(t, ns, "vs6")
	if d["label"] != "0xfffff" || d["remote6"] != "2001:db8::9" {
		t.Errorf("after SetLink, ip shows %v", d)
	}
	checkLink(t, ns, c, "vs6")
}

func TestVxlanInvalid(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	before := string(ns.IP(t, "link", "show"))
	for _, tc := range []struct {
		name string
		v    rtnl.Vxlan
	}{
		{"vni too large", rtnl.Vxlan{ID: ptr[uint32](1 << 24)}},
		{"flow label too large", rtnl.Vxlan{ID: ptr[uint32](1), Label: ptr[uint32](1 << 20)}},
		{"df out of range", rtnl.Vxlan{ID: ptr[uint32](1), DF: ptr(rtnl.VxlanDF(3))}},
		{"port range reversed", rtnl.Vxlan{ID: ptr[uint32](1), SrcPortRange: &rtnl.VxlanPortRange{Low: 2000, High: 1000}}},
		{"multicast local", rtnl.Vxlan{ID: ptr[uint32](1), Local: netip.MustParseAddr("239.0.0.1")}},
		{"families differ", rtnl.Vxlan{ID: ptr[uint32](1), Local: netip.MustParseAddr("10.0.0.1"), Remote: netip.MustParseAddr("2001:db8::1")}},
		{"label on IPv4", rtnl.Vxlan{ID: ptr[uint32](1), Remote: netip.MustParseAddr("10.0.0.1"), Label: ptr[uint32](5)}},
		{"vnifilter without external", rtnl.Vxlan{VNIFilter: ptr(true)}},
		{"gpe without external", rtnl.Vxlan{ID: ptr[uint32](1), GPE: true}},
	} {
		err := c.AddLink(ctx, rtnl.Link{Name: "bad0", Info: &rtnl.LinkInfo{Data: &tc.v}})
		if !isInvalid(err) || !errors.Is(err, unix.EINVAL) {
			t.Errorf("%s: AddLink error = %v; want an InvalidError", tc.name, err)
		}
	}
	// Kind and data must agree.
	err := c.AddLink(ctx, rtnl.Link{Name: "bad0", Info: &rtnl.LinkInfo{Kind: "macvlan", Data: &rtnl.Vxlan{}}})
	if !isInvalid(err) {
		t.Errorf("AddLink(kind macvlan, vxlan data) error = %v; want an InvalidError", err)
	}
	if after := string(ns.IP(t, "link", "show")); after != before {
		t.Errorf("rejected requests changed the namespace:\n%s\nbecame\n%s", before, after)
	}
}

// kindUDPReach reports whether a UDP datagram sent from the namespace from
// to addr (a local address of the namespace to) is answered: a check of
// reachability that needs no ping binary.
func kindUDPReach(t *testing.T, from, to *testns.NS, addr string, tries int) bool {
	t.Helper()
	var srv, cl net.PacketConn
	var srvErr, clErr error
	inNetNS(t, to, func() { srv, srvErr = net.ListenPacket("udp4", net.JoinHostPort(addr, "0")) })
	if srvErr != nil {
		t.Fatalf("listen on %s: %v", addr, srvErr)
	}
	defer srv.Close()
	inNetNS(t, from, func() { cl, clErr = net.ListenPacket("udp4", ":0") })
	if clErr != nil {
		t.Fatalf("listen: %v", clErr)
	}
	defer cl.Close()
	go func() {
		buf := make([]byte, 64)
		for {
			n, peer, err := srv.ReadFrom(buf)
			if err != nil {
				return
			}
			srv.WriteTo(buf[:n], peer)
		}
	}()
	msg := []byte("nlkit says hello")
	buf := make([]byte, 64)
	for range tries {
		if _, err := cl.WriteTo(msg, srv.LocalAddr()); err != nil {
			t.Logf("send to %s: %v", srv.LocalAddr(), err)
		}
		cl.SetReadDeadline(time.Now().Add(time.Second))
		if n, _, err := cl.ReadFrom(buf); err == nil && bytes.Equal(buf[:n], msg) {
			return true
		}
	}
	return false
}

// TestKindScenario is the end-to-end scenario: a VXLAN between two
// namespaces over a veth underlay, and a pair of bridge-mode macvlans that
// reach each other, all made with nlkit and checked with traffic.
func TestKindScenario(t *testing.T) {
	ctx := context.Background()
	up := func(t *testing.T, ns *testns.NS, c *rtnl.Conn, name string) {
		t.Helper()
		if err := c.SetLink(ctx, mustLink(t, c, name).Index, rtnl.LinkChange{Up: ptr(true)}); err != nil {
			t.Fatalf("SetLink(%s up): %v", name, err)
		}
	}

	t.Run("vxlan", func(t *testing.T) {
		nsA, nsB := testns.New(t), testns.New(t)
		a, b := dial(t, nsA), dial(t, nsB)
		err := a.AddLink(ctx, rtnl.Link{Name: "under0", Info: &rtnl.LinkInfo{Data: &rtnl.Veth{
			Peer: rtnl.Link{Name: "under1"}, PeerNetNS: rtnl.NetNSFD(nsB.FD()),
		}}})
		if err != nil {
			t.Fatalf("AddLink(veth): %v", err)
		}
		nsA.IP(t, "addr", "add", "10.77.0.1/24", "dev", "under0")
		nsB.IP(t, "addr", "add", "10.77.0.2/24", "dev", "under1")
		up(t, nsA, a, "under0")
		up(t, nsB, b, "under1")

		for _, side := range []struct {
			ns            *testns.NS
			c             *rtnl.Conn
			under         string
			local, remote string
			inner         string
		}{
			{nsA, a, "under0", "10.77.0.1", "10.77.0.2", "192.168.42.1/24"},
			{nsB, b, "under1", "10.77.0.2", "10.77.0.1", "192.168.42.2/24"},
		} {
			under := mustLink(t, side.c, side.under).Index
			err := side.c.AddLink(ctx, rtnl.Link{Name: "vx42", Flags: unix.IFF_UP, Info: &rtnl.LinkInfo{Data: &rtnl.Vxlan{
				ID: ptr[uint32](42), Remote: netip.MustParseAddr(side.remote), Local: netip.MustParseAddr(side.local),
				LinkIndex: &under, Port: ptr[uint16](4789),
			}}})
			if err != nil {
				t.Fatalf("AddLink(vxlan in %s): %v", side.ns.Name(), err)
			}
			side.ns.IP(t, "addr", "add", side.inner, "dev", "vx42")
			l := mustLink(t, side.c, "vx42")
			if l.Flags&unix.IFF_UP == 0 {
				t.Errorf("vx42 in %s is not up", side.ns.Name())
			}
		}
		if !kindUDPReach(t, nsA, nsB, "192.168.42.2", 10) {
			t.Fatal("192.168.42.2 is not reachable over the vxlan")
		}
		if !kindUDPReach(t, nsB, nsA, "192.168.42.1", 10) {
			t.Fatal("192.168.42.1 is not reachable over the vxlan")
		}
		// Traffic went through the vxlan device.
		if s := mustLink(t, a, "vx42").Stats; s == nil || s.TxPackets == 0 || s.RxPackets == 0 {
			t.Errorf("vx42 counters %+v; want packets both ways", s)
		}
	})

	t.Run("macvlan-bridge", func(t *testing.T) {
		ns, nsA, nsB := testns.New(t), testns.New(t), testns.New(t)
		c := dial(t, ns)
		ns.IP(t, "link", "add", "lower0", "type", "veth", "peer", "name", "lower1")
		up(t, ns, c, "lower0")
		up(t, ns, c, "lower1")
		lower := mustLink(t, c, "lower0").Index
		// The pair is created in ns, on lower0, each straight into a
		// namespace of its own, so that traffic between them cannot take
		// a local shortcut.
		for i, side := range []*testns.NS{nsA, nsB} {
			err := c.AddLink(ctx, rtnl.Link{Name: fmt.Sprintf("mv%d", i), ParentIndex: &lower,
				Info: &rtnl.LinkInfo{Data: &rtnl.Macvlan{Mode: ptr(rtnl.MacvlanBridge)}}},
				rtnl.InNetNS(rtnl.NetNSFD(side.FD())))
			if err != nil {
				t.Fatalf("AddLink(macvlan): %v", err)
			}
			name := fmt.Sprintf("mv%d", i)
			side.IP(t, "addr", "add", fmt.Sprintf("10.88.0.%d/24", i+1), "dev", name)
			sc := dial(t, side)
			up(t, side, sc, name)
			l := mustLink(t, sc, name)
			if m, ok := l.Info.Data.(*rtnl.Macvlan); !ok || m.Mode == nil || *m.Mode != rtnl.MacvlanBridge {
				t.Errorf("%s: data %+v; want bridge mode", name, l.Info.Data)
			}
		}
		if !kindUDPReach(t, nsA, nsB, "10.88.0.2", 10) || !kindUDPReach(t, nsB, nsA, "10.88.0.1", 10) {
			t.Fatal("the bridge-mode macvlans do not reach each other")
		}

		// In private mode they no longer do: lower0's peer does not send
		// their frames back.
		ca := dial(t, nsA)
		err := ca.SetLink(ctx, mustLink(t, ca, "mv0").Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{
			Kind: "macvlan", Data: &rtnl.Macvlan{Mode: ptr(rtnl.MacvlanPrivate)}}})
		if err != nil {
			t.Fatalf("SetLink(mode private): %v", err)
		}
		if d := ipInfoDataMap(t, nsA, "mv0"); d["mode"] != "private" {
			t.Errorf("after SetLink, ip shows %v", d)
		}
		if kindUDPReach(t, nsA, nsB, "10.88.0.2", 2) {
			t.Error("a private-mode macvlan still reaches its sibling")
		}
	})
}

// TestVxlanJSONKeys checks a few members of the JSON of a vxlan made by ip
// against ip's own, by key: a readable complement of compareLink.
func TestVxlanJSONKeys(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ns.IP(t, "link", "add", "vk0", "type", "vxlan", "id", "7", "remote", "10.0.0.2", "tos", "inherit", "ttl", "inherit", "dstport", "4789")
	var got struct {
		LinkInfo struct {
			Data map[string]any `json:"info_data"`
		} `json:"linkinfo"`
	}
	if err := json.Unmarshal(marshal(t, mustLink(t, c, "vk0")), &got); err != nil {
		t.Fatal(err)
	}
	d := got.LinkInfo.Data
	if _, ok := d["ttl"]; ok || d["tos"] != "0x1" || d["remote"] != "10.0.0.2" || d["id"] != 7.0 {
		t.Errorf("nlkit's info_data = %v", d)
	}
}
