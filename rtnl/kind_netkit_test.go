package rtnl_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// netkitData returns the *rtnl.Netkit of a link.
func netkitData(t *testing.T, l rtnl.Link) *rtnl.Netkit {
	t.Helper()
	n, ok := l.Info.Data.(*rtnl.Netkit)
	if !ok {
		t.Fatalf("%s: Info.Data is %T, want *rtnl.Netkit", l.Name, l.Info.Data)
	}
	return n
}

// netkitIPKind checks that ip sees the link as a netkit device: iproute2
// 6.1 cannot create one, nor print its data.
func netkitIPKind(t *testing.T, ns *testns.NS, name string) {
	t.Helper()
	var v struct {
		LinkInfo map[string]json.RawMessage `json:"linkinfo"`
	}
	ipLinkField(t, ns, name, &v)
	if string(v.LinkInfo["info_kind"]) != `"netkit"` {
		t.Errorf("%s: ip shows linkinfo %v", name, v.LinkInfo)
	}
}

func TestNetkit(t *testing.T) {
	ns, other := testns.New(t), testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	l2, pass, drop := rtnl.NetkitL2, rtnl.NetkitPass, rtnl.NetkitDrop
	kindsAdd(t, c, rtnl.Link{Name: "kit0", Info: &rtnl.LinkInfo{Data: &rtnl.Netkit{
		Mode: &l2, Policy: &pass, PeerPolicy: &drop,
		Peer: rtnl.Link{Name: "kit1", MTU: 1400, Address: net.HardwareAddr{2, 0, 0, 0, 0, 0x21}},
	}}})
	kindsCompare(t, ns, c, "kit0", "kit1")
	netkitIPKind(t, ns, "kit0")
	netkitIPKind(t, ns, "kit1")
	kit0, kit1 := mustLink(t, c, "kit0"), mustLink(t, c, "kit1")
	d0, d1 := netkitData(t, kit0), netkitData(t, kit1)
	if !d0.Primary || d1.Primary {
		t.Errorf("primary: kit0 %v, kit1 %v", d0.Primary, d1.Primary)
	}
	if *d0.Mode != rtnl.NetkitL2 || *d0.Policy != rtnl.NetkitPass || *d0.PeerPolicy != rtnl.NetkitDrop {
		t.Errorf("kit0: mode %v policy %v peer policy %v", d0.Mode, d0.Policy, d0.PeerPolicy)
	}
	if *d1.Policy != rtnl.NetkitDrop || *d1.PeerPolicy != rtnl.NetkitPass {
		t.Errorf("kit1: policy %v peer policy %v", d1.Policy, d1.PeerPolicy)
	}
	if kit1.MTU != 1400 || kit1.Address.String() != "02:00:00:00:00:21" || kit0.ParentName != "kit1" || kit1.ParentName != "kit0" {
		t.Errorf("peers: kit0 %+v\nkit1 %+v", kit0, kit1)
	}

	// Defaults: l3, forward, a peer the kernel names, or in another
	// namespace.
	kindsAdd(t, c, rtnl.Link{Name: "kit2", Info: &rtnl.LinkInfo{Kind: "netkit"}})
	kindsAdd(t, c, rtnl.Link{Name: "kit3", Info: &rtnl.LinkInfo{Data: &rtnl.Netkit{
		Peer: rtnl.Link{Name: "far0"}, PeerNetNS: rtnl.NetNSFD(other.FD()),
	}}})
	d2 := netkitData(t, mustLink(t, c, "kit2"))
	if *d2.Mode != rtnl.NetkitL3 || *d2.Policy != rtnl.NetkitPass {
		t.Errorf("kit2: mode %v policy %v", d2.Mode, d2.Policy)
	}
	other.IP(t, "link", "show", "dev", "far0")
	links := kindsCompareAll(t, ns, c)
	kinds := 0
	for _, l := range links {
		if l.Info != nil && l.Info.Kind == "netkit" {
			kinds++
		}
	}
	if kinds != 5 { // kit0, kit1, kit2 and its peer, kit3
		t.Errorf("%d netkit links, want 5", kinds)
	}
	kindsCompare(t, ns, c, "kit3")
	kindsCompare(t, other, dial(t, other), "far0")

	// Policies change through the primary; the mode does not.
	if err := c.SetLink(ctx, kit0.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "netkit", Data: &rtnl.Netkit{Policy: &drop, PeerPolicy: &pass}}}); err != nil {
		t.Fatalf("SetLink(kit0 policies): %v", err)
	}
	d0, d1 = netkitData(t, mustLink(t, c, "kit0")), netkitData(t, mustLink(t, c, "kit1"))
	if *d0.Policy != rtnl.NetkitDrop || *d0.PeerPolicy != rtnl.NetkitPass || *d1.Policy != rtnl.NetkitPass {
		t.Errorf("after SetLink: kit0 policy %v peer %v, kit1 policy %v", *d0.Policy, *d0.PeerPolicy, *d1.Policy)
	}
	l3 := rtnl.NetkitL3
	if err := c.SetLink(ctx, kit0.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "netkit", Data: &rtnl.Netkit{Mode: &l3}}}); err == nil {
		t.Errorf("SetLink(kit0 mode l3) succeeded")
	} else {
		t.Logf("SetLink(kit0 mode l3): %v", err)
	}
	if err := c.SetLink(ctx, kit1.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "netkit", Data: &rtnl.Netkit{Policy: &pass}}}); err == nil {
		t.Errorf("SetLink(peer kit1 policy) succeeded")
	} else {
		t.Logf("SetLink(kit1 policy): %v", err)
	}
	kindsCompare(t, ns, c, "kit0", "kit1")

	// Scrub settings: Linux 6.10 and later.
	none := rtnl.NetkitScrubNone
	err := c.AddLink(ctx, rtnl.Link{Name: "kit4", Info: &rtnl.LinkInfo{Data: &rtnl.Netkit{Scrub: &none, Peer: rtnl.Link{Name: "kit5"}}}})
	if err != nil {
		t.Logf("AddLink(netkit scrub none): %v", err)
	} else {
		d4 := netkitData(t, mustLink(t, c, "kit4"))
		if d4.Scrub == nil || *d4.Scrub != rtnl.NetkitScrubNone || d4.PeerScrub == nil || *d4.PeerScrub != rtnl.NetkitScrubDefault {
			t.Errorf("kit4: scrub %v, peer scrub %v", d4.Scrub, d4.PeerScrub)
		}
		kindsCompare(t, ns, c, "kit4", "kit5")
	}

	// Errors.
	bad := rtnl.NetkitPolicy(7)
	badMode := rtnl.NetkitMode(2)
	for name, d := range map[string]*rtnl.Netkit{
		"policy 7":      {Policy: &bad},
		"peer policy 7": {PeerPolicy: &bad},
		"mode 2":        {Mode: &badMode},
		"peer kind":     {Peer: rtnl.Link{Name: "x", Info: &rtnl.LinkInfo{Kind: "veth"}}},
		"peer name":     {Peer: rtnl.Link{Name: "a/b"}},
	} {
		if err := c.AddLink(ctx, rtnl.Link{Name: "bad0", Info: &rtnl.LinkInfo{Data: d}}); !errors.Is(err, unix.EINVAL) {
			t.Errorf("AddLink(netkit %s) error = %v; want EINVAL", name, err)
		}
	}
	if err := c.DeleteLink(ctx, kit0.Index); err != nil {
		t.Fatal(err)
	}
	if _, err := c.LinkByName(ctx, "kit1"); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("kit1 survived its primary's deletion (err %v)", err)
	}
}
