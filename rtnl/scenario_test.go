package rtnl_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// addAddr gives a link of c an address, made with nlkit.
func addAddr(t *testing.T, c *rtnl.Conn, link, prefix string) {
	t.Helper()
	a := rtnl.Address{LinkIndex: mustLink(t, c, link).Index, Prefix: netip.MustParsePrefix(prefix)}
	if err := c.AddAddress(context.Background(), a); err != nil {
		t.Fatalf("AddAddress(%s on %s): %v", prefix, link, err)
	}
}

// TestGuideBridgeScenario is the guide's bridge walk-through, made with
// nlkit alone: a bridge in a hub namespace, two veth pairs whose far ends
// are created in two other namespaces, addresses, links up, and pings
// between the two namespaces across the bridge.
func TestGuideBridgeScenario(t *testing.T) {
	hub, ns0, ns1 := testns.New(t), testns.New(t), testns.New(t)
	ctx := context.Background()
	h := dial(t, hub)
	up := rtnl.LinkFlags(unix.IFF_UP)
	if err := h.AddLink(ctx, rtnl.Link{Name: "br0", Flags: up, Info: &rtnl.LinkInfo{Kind: "bridge"}}); err != nil {
		t.Fatal(err)
	}
	br0 := mustLink(t, h, "br0")
	for i, ns := range []*testns.NS{ns0, ns1} {
		name := []string{"veth0", "veth1"}[i]
		err := h.AddLink(ctx, rtnl.Link{Name: name, Flags: up, MasterIndex: br0.Index, Info: &rtnl.LinkInfo{Data: &rtnl.Veth{
			Peer:      rtnl.Link{Name: name + "n"},
			PeerNetNS: rtnl.NetNSFD(ns.FD()),
		}}})
		if err != nil {
			t.Fatalf("AddLink(%s with its peer in another namespace): %v", name, err)
		}
		c := dial(t, ns)
		addAddr(t, c, name+"n", []string{"10.0.0.1/24", "10.0.0.2/24"}[i])
		tnlUp(t, c, name+"n")
		tnlUp(t, c, "lo")
	}
	ports, err := h.Links(ctx, rtnl.FilterMaster(br0.Index))
	if err != nil || len(ports) != 2 {
		t.Fatalf("ports of br0: %d, %v; want veth0 and veth1", len(ports), err)
	}
	if !tnlPing(t, ns0, "10.0.0.2", 3) || !tnlPing(t, ns1, "10.0.0.1", 3) {
		t.Fatal("the namespaces do not reach each other across the bridge")
	}

	// Taking a port out of the bridge cuts the path.
	nomaster := int32(0)
	if err := h.SetLink(ctx, mustLink(t, h, "veth1").Index, rtnl.LinkChange{MasterIndex: &nomaster}); err != nil {
		t.Fatal(err)
	}
	if tnlPing(t, ns0, "10.0.0.2", 1) {
		t.Error("10.0.0.2 still answers with veth1 out of the bridge")
	}
}

// TestGuideIpvlanL2Scenario is the guide's ipvlan example: two ipvlan l2
// devices on one parent, each created directly in a namespace of its own,
// reach each other.
func TestGuideIpvlanL2Scenario(t *testing.T) {
	host, ns0, ns1 := testns.New(t), testns.New(t), testns.New(t)
	ctx := context.Background()
	h := dial(t, host)
	up := rtnl.LinkFlags(unix.IFF_UP)
	err := h.AddLink(ctx, rtnl.Link{Name: "eth0", Flags: up, Info: &rtnl.LinkInfo{Data: &rtnl.Veth{
		Peer: rtnl.Link{Name: "eth0p"},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	tnlUp(t, h, "eth0p")
	peerUp := rtnl.Link{Name: "x0", Info: &rtnl.LinkInfo{Data: &rtnl.Veth{Peer: rtnl.Link{Name: "x1", Flags: up}}}}
	if err := h.AddLink(ctx, peerUp); !errors.Is(err, unix.EINVAL) {
		t.Errorf("AddLink(veth peer created up) error = %v; want EINVAL before sending", err)
	}
	parent := mustLink(t, h, "eth0").Index
	for i, ns := range []*testns.NS{ns0, ns1} {
		name := []string{"ipvl0", "ipvl1"}[i]
		err := h.AddLink(ctx, rtnl.Link{
			Name: name, ParentIndex: &parent,
			Info: &rtnl.LinkInfo{Data: &rtnl.Ipvlan{Mode: ptr(rtnl.IpvlanL2)}},
		}, rtnl.InNetNS(rtnl.NetNSFD(ns.FD())))
		if errors.Is(err, rtnl.ErrNotSupported) {
			kfeature.Missing(t, kfeature.LinkKind("ipvlan"), err)
		}
		if err != nil {
			t.Fatalf("AddLink(%s in its namespace): %v", name, err)
		}
		c := dial(t, ns)
		addAddr(t, c, name, []string{"10.0.2.1/24", "10.0.2.2/24"}[i])
		tnlUp(t, c, name)
		tnlUp(t, c, "lo")
	}
	if !tnlPing(t, ns0, "10.0.2.2", 3) || !tnlPing(t, ns1, "10.0.2.1", 3) {
		t.Fatal("the ipvlan l2 devices do not reach each other")
	}
}

// TestGuideMacvlanSourceScenario is the guide's source-mode macvlan: it
// receives exactly the frames whose source address is on its list. A
// namespace whose MAC is listed reaches it; once the list is flushed, it
// does not.
func TestGuideMacvlanSourceScenario(t *testing.T) {
	hub, peer := testns.New(t), testns.New(t)
	ctx := context.Background()
	h := dial(t, hub)
	peerMAC := net.HardwareAddr{2, 0, 0, 0, 3, 1}
	err := h.AddLink(ctx, rtnl.Link{Name: "lower0", Flags: unix.IFF_UP, Info: &rtnl.LinkInfo{Data: &rtnl.Veth{
		Peer:      rtnl.Link{Name: "far0", Address: peerMAC},
		PeerNetNS: rtnl.NetNSFD(peer.FD()),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	p := dial(t, peer)
	addAddr(t, p, "far0", "10.0.3.1/24")
	tnlUp(t, p, "far0")
	tnlUp(t, p, "lo")

	lower := mustLink(t, h, "lower0").Index
	err = h.AddLink(ctx, rtnl.Link{Name: "mvsrc0", ParentIndex: &lower, Flags: unix.IFF_UP, Info: &rtnl.LinkInfo{Data: &rtnl.Macvlan{
		Mode:        ptr(rtnl.MacvlanSource),
		MACAddrMode: ptr(rtnl.MACAddrAdd),
		MACAddrs:    []net.HardwareAddr{peerMAC},
	}}})
	if err != nil {
		t.Fatalf("AddLink(macvlan mode source macaddr add %s): %v", peerMAC, err)
	}
	addAddr(t, h, "mvsrc0", "10.0.3.2/24")
	if !tnlPing(t, peer, "10.0.3.2", 3) {
		t.Fatal("the listed source does not reach the source-mode macvlan")
	}

	mv := mustLink(t, h, "mvsrc0")
	err = h.SetLink(ctx, mv.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Data: &rtnl.Macvlan{MACAddrMode: ptr(rtnl.MACAddrFlush)}}})
	if err != nil {
		t.Fatalf("SetLink(macaddr flush): %v", err)
	}
	hub.IP(t, "neigh", "flush", "dev", "mvsrc0")
	peer.IP(t, "neigh", "flush", "dev", "far0")
	if tnlPing(t, peer, "10.0.3.2", 1) {
		t.Error("the source-mode macvlan still answers with its list flushed")
	}
}
