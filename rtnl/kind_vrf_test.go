package rtnl_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// kindsAdd creates l; when the kernel lacks the kind, its feature gate
// skips or fails the test.
func kindsAdd(t *testing.T, c *rtnl.Conn, l rtnl.Link) {
	t.Helper()
	err := c.AddLink(context.Background(), l)
	kind := l.Info.Kind
	if kind == "" && l.Info.Data != nil {
		kind = l.Info.Data.LinkKind()
	}
	if errors.Is(err, rtnl.ErrNotSupported) {
		kfeature.Missing(t, kfeature.LinkKind(kind), err)
	}
	if err != nil {
		t.Fatalf("AddLink(%s %s): %v", kind, l.Name, err)
	}
}

// kindsCompareAll compares every link of ns, listed by Links, with ip.
func kindsCompareAll(t *testing.T, ns *testns.NS, c *rtnl.Conn) []rtnl.Link {
	t.Helper()
	ipLinks, links := stableIPLinks(t, ns, func() []rtnl.Link {
		links, err := c.Links(context.Background())
		if err != nil {
			t.Fatalf("Links: %v", err)
		}
		return links
	})
	if len(links) != len(ipLinks) {
		t.Fatalf("Links: %d links, ip shows %d", len(links), len(ipLinks))
	}
	for i, l := range links {
		compareLink(t, l, ipLinks[i])
	}
	return links
}

// kindsCompare compares the named links, looked up by name, with ip: read
// with ip around the lookup until the two reads agree, so that counters
// moving meanwhile cannot fail the comparison.
func kindsCompare(t *testing.T, ns *testns.NS, c *rtnl.Conn, names ...string) {
	t.Helper()
	for _, name := range names {
		for try := 0; ; try++ {
			before := ipLink(t, ns, name)
			l := mustLink(t, c, name)
			after := ipLink(t, ns, name)
			if bytes.Equal(before, after) {
				compareLink(t, l, after)
				break
			}
			if try == 20 {
				t.Fatalf("%s keeps changing:\n%s\n%s", name, before, after)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

func TestVrf(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	kindsAdd(t, c, rtnl.Link{Name: "vrf10", Info: &rtnl.LinkInfo{Data: &rtnl.Vrf{Table: 10}}})
	ns.IP(t, "link", "add", "vrf20", "type", "vrf", "table", "20")
	ns.IP(t, "link", "add", "vrfmax", "type", "vrf", "table", "4294967294")
	if err := c.AddLink(ctx, rtnl.Link{Name: "vrf30", Flags: unix.IFF_UP, Info: &rtnl.LinkInfo{Kind: "vrf", Data: &rtnl.Vrf{Table: 30}}}); err != nil {
		t.Fatal(err)
	}
	kindsCompare(t, ns, c, "vrf10", "vrf20", "vrfmax", "vrf30")
	for name, table := range map[string]uint32{"vrf10": 10, "vrf20": 20, "vrfmax": 4294967294, "vrf30": 30} {
		if v, ok := mustLink(t, c, name).Info.Data.(*rtnl.Vrf); !ok || v.Table != table {
			t.Errorf("%s: data %#v, want table %d", name, mustLink(t, c, name).Info.Data, table)
		}
	}

	// Ports, enslaved by nlkit and by ip.
	ns.IP(t, "link", "add", "p0", "type", "veth", "peer", "name", "p1")
	vrf10 := mustLink(t, c, "vrf10")
	if err := c.SetLink(ctx, mustLink(t, c, "p0").Index, rtnl.LinkChange{MasterIndex: &vrf10.Index}); err != nil {
		t.Fatalf("SetLink(p0 master vrf10): %v", err)
	}
	ns.IP(t, "link", "set", "p1", "master", "vrf20")
	for name, table := range map[string]uint32{"p0": 10, "p1": 20} {
		l := mustLink(t, c, name)
		port, ok := l.Info.SlaveData.(*rtnl.VrfPort)
		if l.Info.SlaveKind != "vrf" || !ok || port.Table != table {
			t.Errorf("%s: slave kind %q, data %#v; want a vrf port of table %d", name, l.Info.SlaveKind, l.Info.SlaveData, table)
		}
	}
	kindsCompareAll(t, ns, c)

	// A VRF's table is fixed, and a port has no settings.
	err := c.SetLink(ctx, vrf10.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "vrf", Data: &rtnl.Vrf{Table: 11}}})
	if !errors.Is(err, rtnl.ErrNotSupported) {
		t.Errorf("SetLink(vrf table 11) error = %v; want ErrNotSupported (the kernel changes no VRF settings)", err)
	}
	err = c.SetLink(ctx, mustLink(t, c, "p0").Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{SlaveData: &rtnl.VrfPort{Table: 10}}})
	if !errors.Is(err, unix.EINVAL) {
		t.Errorf("SetLink(vrf port data) error = %v; want EINVAL before sending", err)
	}
	before := string(ns.IP(t, "link", "show"))
	if err := c.AddLink(ctx, rtnl.Link{Name: "vrf0", Info: &rtnl.LinkInfo{Data: &rtnl.Vrf{}}}); !errors.Is(err, unix.EINVAL) {
		t.Errorf("AddLink(vrf table 0) error = %v; want EINVAL", err)
	}
	if err := c.AddLink(ctx, rtnl.Link{Name: "vrf0", Info: &rtnl.LinkInfo{Kind: "vrf"}}); err == nil || !strings.Contains(err.Error(), "VRF") {
		t.Errorf("AddLink(vrf without data) error = %v; want the kernel's complaint", err)
	}
	if after := string(ns.IP(t, "link", "show")); after != before {
		t.Errorf("failed requests changed the namespace:\n%s\nbecame\n%s", before, after)
	}

	// Releasing a port and deleting a VRF.
	nomaster := int32(0)
	if err := c.SetLink(ctx, mustLink(t, c, "p0").Index, rtnl.LinkChange{MasterIndex: &nomaster}); err != nil {
		t.Fatal(err)
	}
	if l := mustLink(t, c, "p0"); l.Info.SlaveKind != "" || l.Info.SlaveData != nil {
		t.Errorf("p0 released: still %q %#v", l.Info.SlaveKind, l.Info.SlaveData)
	}
	if err := c.DeleteLinkByName(ctx, "vrf20"); err != nil {
		t.Fatal(err)
	}
	kindsCompareAll(t, ns, c)
}
