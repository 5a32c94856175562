package rtnl_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// ipLink returns ip's JSON object for one link of ns.
func ipLink(t *testing.T, ns *testns.NS, name string) json.RawMessage {
	t.Helper()
	var objs []json.RawMessage
	if err := json.Unmarshal(ns.IP(t, "-j", "-d", "-s", "link", "show", "dev", name), &objs); err != nil || len(objs) != 1 {
		t.Fatalf("ip link show dev %s: %v", name, err)
	}
	return objs[0]
}

// ipLinkField decodes ip's JSON for a link into v.
func ipLinkField(t *testing.T, ns *testns.NS, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(ipLink(t, ns, name), v); err != nil {
		t.Fatal(err)
	}
}

func mustLink(t *testing.T, c *rtnl.Conn, name string) rtnl.Link {
	t.Helper()
	l, err := c.LinkByName(context.Background(), name)
	if err != nil {
		t.Fatalf("LinkByName(%s): %v", name, err)
	}
	return l
}

func TestAddVeth(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()

	err := c.AddLink(ctx, rtnl.Link{
		Name:       "v0",
		MTU:        1400,
		TxQueueLen: 500,
		Address:    net.HardwareAddr{2, 0, 0, 0, 0, 1},
		Group:      3,
		Flags:      unix.IFF_UP,
		Info: &rtnl.LinkInfo{Data: &rtnl.Veth{Peer: rtnl.Link{
			Name:    "v1",
			MTU:     1400,
			Address: net.HardwareAddr{2, 0, 0, 0, 0, 2},
		}}},
	})
	if err != nil {
		t.Fatalf("AddLink(veth): %v", err)
	}
	// A link created up settles (carrier, operstate) after the reply:
	// compare once ip reads the same twice.
	v0, v1 := checkLink(t, ns, c, "v0"), checkLink(t, ns, c, "v1")
	if v0.MTU != 1400 || v0.TxQueueLen != 500 || v0.Group != 3 ||
		v0.Flags&unix.IFF_UP == 0 || v0.Address.String() != "02:00:00:00:00:01" || v0.ParentName != "v1" {
		t.Errorf("v0 = %+v; not what was asked for", v0)
	}
	if v1.MTU != 1400 || v1.Address.String() != "02:00:00:00:00:02" || v1.ParentName != "v0" {
		t.Errorf("v1 = %+v; not what was asked for", v1)
	}
}

func TestAddVethPeerInOtherNamespace(t *testing.T) {
	ns, other := testns.New(t), testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()

	for i, peerNS := range []rtnl.NetNS{rtnl.NetNSPath(other.Path()), rtnl.NetNSFD(other.FD())} {
		name, peer := []string{"a0", "b0"}[i], []string{"a1", "b1"}[i]
		err := c.AddLink(ctx, rtnl.Link{Name: name, Info: &rtnl.LinkInfo{Data: &rtnl.Veth{
			Peer: rtnl.Link{Name: peer}, PeerNetNS: peerNS,
		}}})
		if err != nil {
			t.Fatalf("AddLink(veth, peer in %v): %v", peerNS, err)
		}
		l := mustLink(t, c, name)
		if l.LinkNetNSID == nil {
			t.Errorf("%s: no link_netnsid; the peer should be in another namespace", name)
		}
		compareLink(t, l, ipLink(t, ns, name))
		other.IP(t, "link", "show", "dev", peer) // fails the test if absent
	}
}

func TestAddLinkInNetNS(t *testing.T) {
	ns, other := testns.New(t), testns.New(t)
	c := dial(t, ns)
	err := c.AddLink(context.Background(), rtnl.Link{Name: "moved0", Info: &rtnl.LinkInfo{Kind: "bridge"}},
		rtnl.InNetNS(rtnl.NetNSName(other.Name())))
	if err != nil {
		t.Fatal(err)
	}
	other.IP(t, "link", "show", "dev", "moved0")
	if _, err := c.LinkByName(context.Background(), "moved0"); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("the link was also found in the dialled namespace (err %v)", err)
	}
}

func TestAddLinkErrors(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	before := string(ns.IP(t, "link", "show"))

	for _, name := range []string{"", "sixteen-bytes-xx", "a/b", "a b", "tab\tname", ".", "..", "a:b"} {
		err := c.AddLink(ctx, rtnl.Link{Name: name, Info: &rtnl.LinkInfo{Kind: "bridge"}})
		if !isInvalid(err) || !errors.Is(err, unix.EINVAL) {
			t.Errorf("AddLink(name %q) error = %v; want an InvalidError before sending", name, err)
		}
	}
	if err := c.AddLink(ctx, rtnl.Link{Name: "nokind"}); !errors.Is(err, unix.EINVAL) {
		t.Errorf("AddLink without a kind: error = %v; want EINVAL", err)
	}
	if err := c.AddLink(ctx, rtnl.Link{Name: "aliased", Alias: "x", Info: &rtnl.LinkInfo{Kind: "bridge"}}); !errors.Is(err, unix.EINVAL) {
		t.Errorf("AddLink with an alias: error = %v; want EINVAL (the kernel would ignore it)", err)
	}
	if err := c.AddLink(ctx, rtnl.Link{Name: "x", Info: &rtnl.LinkInfo{Kind: "bridge", Data: &rtnl.Veth{}}}); !errors.Is(err, unix.EINVAL) {
		t.Errorf("AddLink with veth data for a bridge: error = %v; want EINVAL", err)
	}
	if after := string(ns.IP(t, "link", "show")); after != before {
		t.Errorf("rejected requests changed the namespace:\n%s\nbecame\n%s", before, after)
	}

	// A kind the kernel does not know.
	err := c.AddLink(ctx, rtnl.Link{Name: "odd0", Info: &rtnl.LinkInfo{Kind: "nosuchkind"}})
	if !errors.Is(err, rtnl.ErrNotSupported) || !strings.Contains(err.Error(), "Unknown device type") {
		t.Errorf("AddLink(unknown kind) error = %v; want ErrNotSupported with the kernel's \"Unknown device type\"", err)
	}

	// An existing name.
	if err := c.AddLink(ctx, rtnl.Link{Name: "lo", Info: &rtnl.LinkInfo{Kind: "bridge"}}); !errors.Is(err, rtnl.ErrExist) {
		t.Errorf("AddLink(existing name) error = %v; want ErrExist", err)
	}
}

func TestSetLink(t *testing.T) {
	ns, other := testns.New(t), testns.New(t)
	ns.IP(t, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	ns.IP(t, "link", "add", "br0", "type", "bridge")
	c := dial(t, ns)
	ctx := context.Background()
	v0 := mustLink(t, c, "v0")
	br0 := mustLink(t, c, "br0")
	set := func(ch rtnl.LinkChange) {
		t.Helper()
		if err := c.SetLink(ctx, v0.Index, ch); err != nil {
			t.Fatalf("SetLink(%+v): %v", ch, err)
		}
	}
	yes, no := true, false
	u32, str := ptr[uint32], ptr[string]
	mode := rtnl.AddrGenModeNone

	set(rtnl.LinkChange{
		Up: &yes, MTU: u32(1280), TxQueueLen: u32(42), Group: u32(7),
		Address: net.HardwareAddr{2, 0, 0, 0, 0, 0x33}, Broadcast: net.HardwareAddr{2, 0xff, 0xff, 0xff, 0xff, 0xff},
		Alias: str("renamed soon"), ARP: &no, Multicast: &no, Promisc: &yes, Allmulti: &yes,
		AddrGenMode: &mode, GSOMaxSize: u32(32768), GSOMaxSegs: u32(100), GROMaxSize: u32(32768),
		MasterIndex: &br0.Index,
	})
	// shown is what the test reads of ip's JSON for the link.
	type shown struct {
		Flags     []string `json:"flags"`
		MTU       int      `json:"mtu"`
		TxQLen    int      `json:"txqlen"`
		Group     string   `json:"group"`
		Address   string   `json:"address"`
		Broadcast string   `json:"broadcast"`
		Alias     string   `json:"ifalias"`
		Master    string   `json:"master"`
		Promisc   int      `json:"promiscuity"`
		GenMode   string   `json:"inet6_addr_gen_mode"`
		GSOSize   int      `json:"gso_max_size"`
		GSOSegs   int      `json:"gso_max_segs"`
		GROSize   int      `json:"gro_max_size"`
	}
	var got shown
	ipLinkField(t, ns, "v0", &got)
	flags := strings.Join(got.Flags, ",")
	if got.MTU != 1280 || got.TxQLen != 42 || got.Group != "7" || got.Address != "02:00:00:00:00:33" ||
		got.Broadcast != "02:ff:ff:ff:ff:ff" || got.Alias != "renamed soon" || got.Master != "br0" ||
		got.Promisc < 1 || got.GenMode != "none" || got.GSOSize != 32768 || got.GSOSegs != 100 || got.GROSize != 32768 ||
		!strings.Contains(flags, "NOARP") || strings.Contains(flags, "MULTICAST") || !strings.Contains(flags, "PROMISC") ||
		!strings.Contains(flags, "ALLMULTI") || !strings.Contains(flags, "UP") {
		t.Errorf("after SetLink, ip shows %+v", got)
	}
	checkLink(t, ns, c, "v0")

	// Undo: down, nomaster, alias removed, flags back; then a new name
	// (Linux 6.1 refuses to rename a link that is up, even in the request
	// that brings it down).
	nomaster := int32(0)
	set(rtnl.LinkChange{Up: &no, MasterIndex: &nomaster, Alias: str(""), ARP: &yes, Multicast: &yes,
		Promisc: &no, Allmulti: &no})
	set(rtnl.LinkChange{Name: str("v0new")})
	got = shown{}
	ipLinkField(t, ns, "v0new", &got)
	if got.Master != "" || got.Alias != "" || got.Promisc != 0 || strings.Contains(strings.Join(got.Flags, ","), "PROMISC") ||
		!strings.HasPrefix(strings.Join(got.Flags, ","), "BROADCAST,MULTICAST") {
		t.Errorf("after undoing, ip shows %+v", got)
	}

	// Move to another namespace.
	set(rtnl.LinkChange{NetNS: rtnl.NetNSPath(other.Path())})
	other.IP(t, "link", "show", "dev", "v0new")

	// Errors.
	if err := c.SetLink(ctx, 4242, rtnl.LinkChange{Up: &yes}); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("SetLink(missing) error = %v; want ErrNotExist", err)
	}
	if err := c.SetLink(ctx, br0.Index, rtnl.LinkChange{Name: str("bad/name")}); !errors.Is(err, unix.EINVAL) {
		t.Errorf("SetLink(bad name) error = %v; want EINVAL", err)
	}
	if err := c.SetLink(ctx, br0.Index, rtnl.LinkChange{MTU: u32(10)}); err == nil || !strings.Contains(strings.ToLower(err.Error()), "mtu") {
		t.Errorf("SetLink(mtu 10) error = %v; want the kernel's complaint about the MTU", err)
	}
}

func TestDeleteLink(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	ns.IP(t, "link", "add", "d1", "type", "bridge")
	ns.IP(t, "link", "add", "d2", "type", "bridge")
	ns.IP(t, "link", "add", "g1", "group", "9", "type", "bridge")
	ns.IP(t, "link", "add", "g2", "group", "9", "type", "veth", "peer", "name", "g3")

	if err := c.DeleteLink(ctx, mustLink(t, c, "d1").Index); err != nil {
		t.Fatalf("DeleteLink: %v", err)
	}
	if err := c.DeleteLinkByName(ctx, "d2"); err != nil {
		t.Fatalf("DeleteLinkByName: %v", err)
	}
	if err := c.DeleteLinkGroup(ctx, 9); err != nil {
		t.Fatalf("DeleteLinkGroup: %v", err)
	}
	for _, name := range []string{"d1", "d2", "g1", "g2", "g3"} {
		if _, err := c.LinkByName(ctx, name); !errors.Is(err, rtnl.ErrNotExist) {
			t.Errorf("%s still exists (err %v)", name, err)
		}
	}
	if err := c.DeleteLinkByName(ctx, "d1"); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("DeleteLinkByName(missing) error = %v; want ErrNotExist", err)
	}
	if err := c.DeleteLink(ctx, 4242); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("DeleteLink(missing) error = %v; want ErrNotExist", err)
	}
}

func TestSetLinkNetNSByPID(t *testing.T) {
	ns, other := testns.New(t), testns.New(t)
	ns.IP(t, "link", "add", "bypid0", "type", "veth", "peer", "name", "bypid1")
	c := dial(t, ns)

	// A process in the other namespace: ip netns exec runs sleep in place,
	// so its pid is the sleeping process's once it has switched.
	sleeper := exec.Command("ip", "netns", "exec", other.Name(), "sleep", "30")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleeper.Process.Kill(); sleeper.Wait() }()
	var want unix.Stat_t
	if err := unix.Fstat(other.FD(), &want); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var have unix.Stat_t
		err := unix.Stat(fmt.Sprintf("/proc/%d/ns/net", sleeper.Process.Pid), &have)
		if err == nil && have.Dev == want.Dev && have.Ino == want.Ino {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sleeper never entered the namespace (%v)", err)
		}
	}

	err := c.SetLink(context.Background(), mustLink(t, c, "bypid0").Index, rtnl.LinkChange{NetNS: rtnl.NetNSPID(sleeper.Process.Pid)})
	if err != nil {
		t.Fatalf("SetLink(netns by pid): %v", err)
	}
	other.IP(t, "link", "show", "dev", "bypid0")
}
