package rtnl_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// fdbNS returns neighNS with a bridge br0 (fixed address) and its port p0,
// the end of a veth pair p0 and p1, all up, with learning off on p0
// (nothing for the bridge to learn meanwhile), and a vxlan device vx0 over
// v0.
func fdbNS(t *testing.T) *testns.NS {
	t.Helper()
	ns := neighNS(t)
	ns.IPBatch(t, `
link add br0 address 02:00:00:00:00:10 type bridge
link add p0 address 02:00:00:00:00:11 type veth peer name p1 address 02:00:00:00:00:12
link set p0 master br0
link set p0 type bridge_slave learning off
link set br0 up
link set p0 up
link set p1 up
link add vx0 address 02:00:00:00:00:20 type vxlan id 42 dstport 4789 local 10.0.0.1 dev v0
link set vx0 up
`)
	return ns
}

// compareFDB compares what FDB returns with the filters with what
// `bridge -j -d -s fdb show` prints with the selectors, byte for byte but
// for the drift of the timers (see equalJSON).
func compareFDB(t *testing.T, ns *testns.NS, c *rtnl.Conn, selectors []string, filters ...rtnl.FDBFilter) []rtnl.FDBEntry {
	t.Helper()
	args := append([]string{"-j", "-d", "-s", "fdb", "show"}, selectors...)
	want, got := stableTool(t, ns, "bridge", args, func() []rtnl.FDBEntry {
		es, err := c.FDB(context.Background(), filters...)
		if err != nil {
			t.Fatalf("FDB: %v", err)
		}
		return es
	})
	if g := jsonArray(t, got); !equalJSON(g, want) {
		t.Errorf("bridge %s:\n got %s\nwant %s", strings.Join(args, " "), g, want)
	}
	return got
}

// TestFDBWrittenByNlkit adds entries with nlkit on a bridge port and on a
// vxlan device and compares bridge's reading with nlkit's.
func TestFDBWrittenByNlkit(t *testing.T) {
	ns := fdbNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	p0, vx0, v1 := addrLink(t, c, "p0"), addrLink(t, c, "vx0"), addrLink(t, c, "v1")
	br0 := addrLink(t, c, "br0")
	a := netip.MustParseAddr
	zero := net.HardwareAddr{0, 0, 0, 0, 0, 0}
	ns.IPBatch(t, `
nexthop add id 1 via 10.0.0.2 fdb
nexthop add id 10 group 1 fdb
`)
	for _, e := range []rtnl.FDBEntry{
		{LinkIndex: p0, MAC: mac("02:00:00:00:00:05"), Flags: rtnl.NeighMaster, State: rtnl.FDBStatic},
		{LinkIndex: p0, MAC: mac("02:00:00:00:00:06"), Flags: rtnl.NeighMaster, State: rtnl.FDBDynamic},
		{LinkIndex: p0, MAC: mac("02:00:00:00:00:07"), Flags: rtnl.NeighMaster | rtnl.NeighSticky, State: rtnl.FDBStatic},
		{LinkIndex: p0, MAC: mac("02:00:00:00:00:08"), Flags: rtnl.NeighMaster | rtnl.NeighExternLearn, State: rtnl.FDBStatic},
		{LinkIndex: p0, MAC: mac("02:00:00:00:00:09"), Flags: rtnl.NeighMaster},
		{LinkIndex: vx0, MAC: zero, Dst: a("10.0.0.2")},
		{LinkIndex: vx0, MAC: mac("02:00:00:00:00:33"), Dst: a("10.0.0.3"), Port: ptr(uint16(4790)), VNI: ptr(uint32(43)), ViaIndex: v1},
		{LinkIndex: vx0, MAC: mac("02:00:00:00:00:34"), Dst: a("10.0.0.34"), State: rtnl.FDBStatic},
		{LinkIndex: vx0, MAC: mac("02:00:00:00:00:50"), NHID: 10},
	} {
		if err := c.AddFDB(ctx, e); err != nil {
			t.Fatalf("AddFDB(%s): %v", e.MAC, err)
		}
	}
	// A further remote for the all-zeros entry, as `bridge fdb append`.
	if err := c.AppendFDB(ctx, rtnl.FDBEntry{LinkIndex: vx0, MAC: zero, Dst: a("10.0.0.4"), VNI: ptr(uint32(44))}); err != nil {
		t.Fatalf("AppendFDB: %v", err)
	}
	if err := c.AddFDB(ctx, rtnl.FDBEntry{LinkIndex: vx0, MAC: zero, Dst: a("10.0.0.5")}); !errors.Is(err, rtnl.ErrExist) {
		t.Errorf("AddFDB of a second remote: %v, want ErrExist", err)
	}
	compareFDB(t, ns, c, nil)
	compareFDB(t, ns, c, []string{"dev", "vx0"}, rtnl.FilterFDBPort(vx0))
	compareFDB(t, ns, c, []string{"br", "br0"}, rtnl.FilterFDBBridge(br0))
	compareFDB(t, ns, c, []string{"br", "br0", "brport", "p0"}, rtnl.FilterFDBBridge(br0), rtnl.FilterFDBPort(p0))
	compareFDB(t, ns, c, []string{"state", "static"}, rtnl.FilterFDBState(rtnl.NeighNoARP))
	compareFDB(t, ns, c, []string{"state", "dynamic", "state", "permanent"}, rtnl.FilterFDBState(rtnl.NeighReachable|rtnl.NeighPermanent))
	compareFDB(t, ns, c, []string{"dynamic"}, rtnl.FilterFDBDynamic())

	// Replace and delete.
	if err := c.ReplaceFDB(ctx, rtnl.FDBEntry{LinkIndex: p0, MAC: mac("02:00:00:00:00:05"), Flags: rtnl.NeighMaster, State: rtnl.FDBDynamic}); err != nil {
		t.Fatalf("ReplaceFDB: %v", err)
	}
	if err := c.DeleteFDB(ctx, rtnl.FDBEntry{LinkIndex: vx0, MAC: zero, Dst: a("10.0.0.4")}); err != nil {
		t.Fatalf("DeleteFDB of one remote: %v", err)
	}
	got := compareFDB(t, ns, c, []string{"dev", "vx0"}, rtnl.FilterFDBPort(vx0))
	for _, e := range got {
		if err := c.DeleteFDB(ctx, e); err != nil {
			t.Errorf("DeleteFDB(%s): %v", e.MAC, err)
		}
	}
	compareFDB(t, ns, c, []string{"dev", "vx0"}, rtnl.FilterFDBPort(vx0))
	if err := c.DeleteFDB(ctx, rtnl.FDBEntry{LinkIndex: vx0, MAC: zero, Dst: a("10.0.0.2")}); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("DeleteFDB of a missing entry: %v, want ErrNotExist", err)
	}
	compareFDB(t, ns, c, []string{"br", "br0"}, rtnl.FilterFDBBridge(br0))

	// The entries added by hand, deleted as the bridge lists them for its
	// port.
	byHand := func(e rtnl.FDBEntry) bool { return strings.HasPrefix(e.MAC.String(), "02:00:00:00:00:0") }
	for _, e := range compareFDB(t, ns, c, []string{"brport", "p0"}, rtnl.FilterFDBPort(p0)) {
		if err := c.DeleteFDB(ctx, e); err != nil && byHand(e) {
			t.Errorf("DeleteFDB(%s): %v", e.MAC, err)
		}
	}
	for _, e := range compareFDB(t, ns, c, []string{"br", "br0", "brport", "p0"}, rtnl.FilterFDBBridge(br0), rtnl.FilterFDBPort(p0)) {
		if byHand(e) {
			t.Errorf("entry %s left after its deletion", e.MAC)
		}
	}
}

// TestFDBWrittenByBridge adds entries with bridge and compares nlkit's
// reading with bridge's, through the slice and the streaming list.
func TestFDBWrittenByBridge(t *testing.T) {
	ns := fdbNS(t)
	c := dial(t, ns)
	for _, cmd := range []string{
		"fdb add 02:00:00:00:00:05 dev p0 master static",
		"fdb add 02:00:00:00:00:06 dev p0 master dynamic",
		"fdb add 02:00:00:00:00:07 dev p0 master static sticky",
		"fdb add 00:00:00:00:00:00 dev vx0 dst 10.0.0.2",
		"fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.3 port 4790 vni 43 via v1",
		// The kernel (6.18) cannot delete this entry again, bridge neither.
		"fdb add 02:00:00:00:00:34 dev vx0 dst 10.0.0.34 src_vni 7",
	} {
		runIn(t, ns, "bridge", strings.Fields(cmd)...)
	}
	compareFDB(t, ns, c, nil)
	compareFDB(t, ns, c, []string{"brport", "p0"}, rtnl.FilterFDBPort(addrLink(t, c, "p0")))

	want, err := c.FDB(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for e, err := range c.FDBSeq(context.Background()) {
		if err != nil {
			t.Fatalf("FDBSeq: %v", err)
		}
		if n >= len(want) {
			t.Fatalf("FDBSeq streams more than the %d entries FDB returned", len(want))
		}
		if w, s := marshal(t, want[n]), marshal(t, e); !equalJSON(s, w) {
			t.Errorf("entry %d streamed as %s, listed as %s", n, s, w)
		}
		n++
	}
	if n != len(want) {
		t.Errorf("FDBSeq streamed %d entries, FDB returned %d", n, len(want))
	}
}

// TestFDBErrors checks the input refused before sending and the kernel's
// errors.
func TestFDBErrors(t *testing.T) {
	ns := fdbNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	p0 := addrLink(t, c, "p0")
	for _, bad := range []rtnl.FDBEntry{
		{MAC: mac("02:00:00:00:00:05")},
		{LinkIndex: p0, MAC: net.HardwareAddr{1, 2, 3}},
		{LinkIndex: p0, MAC: mac("02:00:00:00:00:05"), VLAN: 4095},
		{LinkIndex: p0, MAC: mac("02:00:00:00:00:05"), VNI: ptr(uint32(1 << 24))},
		{LinkIndex: p0, MAC: mac("02:00:00:00:00:05"), NHID: 1, Dst: netip.MustParseAddr("10.0.0.2")},
	} {
		if err := c.AddFDB(ctx, bad); !isInvalid(err) {
			t.Errorf("AddFDB(%+v) = %v, want an InvalidError", bad, err)
		}
	}
	if err := c.AddFDB(ctx, rtnl.FDBEntry{LinkIndex: 999, MAC: mac("02:00:00:00:00:05")}); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("AddFDB on a missing device: %v, want ErrNotExist", err)
	}
	e := rtnl.FDBEntry{LinkIndex: p0, MAC: mac("02:00:00:00:00:05"), Flags: rtnl.NeighMaster, State: rtnl.FDBStatic}
	if err := c.AddFDB(ctx, e); err != nil {
		t.Fatal(err)
	}
	if err := c.AddFDB(ctx, e); !errors.Is(err, rtnl.ErrExist) {
		t.Errorf("AddFDB twice: %v, want ErrExist", err)
	}
	if _, err := c.FDB(ctx, rtnl.FilterFDBBridge(999)); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("FDB of a missing bridge: %v, want ErrNotExist", err)
	}
	if _, err := c.FDB(ctx, rtnl.FilterFDBVLAN(0)); !isInvalid(err) {
		t.Errorf("FDB with vlan 0: %v, want an InvalidError", err)
	}
}

// TestFDBVLAN adds entries for VLANs on a port of a VLAN-filtering bridge,
// with nlkit and with bridge, and lists them by VLAN.
func TestFDBVLAN(t *testing.T) {
	ns := neighNS(t)
	out, err := exec.Command("ip", "-n", ns.Name(), "link", "add", "br0", "type", "bridge", "vlan_filtering", "1").CombinedOutput()
	if err != nil && bytes.Contains(out, []byte("Operation not supported")) {
		kfeature.Missing(t, kfeature.Feature{Name: "bridge VLAN filtering", Since: "4.4", Config: []string{"CONFIG_BRIDGE_VLAN_FILTERING"}},
			fmt.Errorf("ip link add br0 type bridge vlan_filtering 1: %s", bytes.TrimSpace(out)))
	}
	if err != nil {
		t.Fatalf("ip link add br0 type bridge vlan_filtering 1: %v %s", err, out)
	}
	ns.IPBatch(t, `
link add p0 address 02:00:00:00:00:11 type veth peer name p1 address 02:00:00:00:00:12
link set p0 master br0
link set br0 up
link set p0 up
`)
	runIn(t, ns, "bridge", "vlan", "add", "vid", "10", "dev", "p0")
	runIn(t, ns, "bridge", "fdb", "add", "02:00:00:00:00:0a", "dev", "p0", "master", "static", "vlan", "10")
	c := dial(t, ns)
	p0 := addrLink(t, c, "p0")
	err = c.AddFDB(context.Background(), rtnl.FDBEntry{LinkIndex: p0, MAC: mac("02:00:00:00:00:0b"), Flags: rtnl.NeighMaster, State: rtnl.FDBStatic, VLAN: 10})
	if err != nil {
		t.Fatalf("AddFDB with a VLAN: %v", err)
	}
	compareFDB(t, ns, c, nil)
	var macs []string
	for _, e := range compareFDB(t, ns, c, []string{"vlan", "10"}, rtnl.FilterFDBVLAN(10)) {
		macs = append(macs, e.MAC.String())
	}
	if !slices.Contains(macs, "02:00:00:00:00:0a") || !slices.Contains(macs, "02:00:00:00:00:0b") {
		t.Errorf("entries of VLAN 10: %v, want 02:00:00:00:00:0a and 0b among them", macs)
	}
}

// TestFDBOtherNamespace reads the entries of a vxlan device moved to
// another namespace than its underlying device's: bridge prints the via
// device by index, and the namespace id.
func TestFDBOtherNamespace(t *testing.T) {
	ns := neighNS(t)
	other := testns.New(t)
	ns.IPBatch(t, `
link add vx1 type vxlan id 7 dstport 4789 local 10.0.0.1 dev v0
`)
	runIn(t, ns, "bridge", "fdb", "add", "02:00:00:00:00:44", "dev", "vx1", "dst", "10.0.0.44", "via", "v1")
	runIn(t, ns, "bridge", "fdb", "append", "00:00:00:00:00:00", "dev", "vx1", "dst", "10.0.0.45")
	ns.IP(t, "link", "set", "vx1", "netns", other.Name())
	c := dial(t, other)
	got := compareFDB(t, other, c, nil)
	n := 0
	for _, e := range got {
		if e.LinkNetNSID != nil {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d entries with a namespace id, want 2: %+v", n, got)
	}
}

// TestNeighborsMasterFilter lists the entries of the ports of a bridge, as
// `ip neigh show master br0`, and of the links without a master.
func TestNeighborsMasterFilter(t *testing.T) {
	ns := fdbNS(t)
	c := dial(t, ns)
	ns.IPBatch(t, `
neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0
neigh add 10.9.0.2 lladdr 02:00:00:00:00:12 dev p0
neigh add 10.9.0.3 lladdr 02:00:00:00:00:13 dev p0 nud stale
`)
	br0 := addrLink(t, c, "br0")
	if got := compareNeighbors(t, ns, c, nil, []string{"master", "br0"}, rtnl.FilterNeighMaster(br0)); len(got) != 2 {
		t.Errorf("%d entries under br0, want 2", len(got))
	}
	compareNeighbors(t, ns, c, nil, []string{"nomaster"}, rtnl.FilterNeighNoMaster())
	if err := c.FlushNeighbors(context.Background(), rtnl.FilterNeighMaster(br0), rtnl.FilterNeighAllStates()); err != nil {
		t.Fatalf("FlushNeighbors(master br0): %v", err)
	}
	if got := compareNeighbors(t, ns, c, nil, []string{"master", "br0"}, rtnl.FilterNeighMaster(br0)); len(got) != 0 {
		t.Errorf("%d entries under br0 after the flush, want 0", len(got))
	}
	compareNeighbors(t, ns, c, nil, nil)
}
