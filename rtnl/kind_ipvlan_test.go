package rtnl_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// ipvlanIPAdd runs `ip link add` for an ipvlan; when the kernel lacks the
// kind, its feature gate skips or fails the test.
func ipvlanIPAdd(t *testing.T, ns *testns.NS, kind string, args ...string) {
	t.Helper()
	c := dial(t, ns)
	if err := c.AddLink(context.Background(), rtnl.Link{Name: "probe0", ParentIndex: ptr(mustLink(t, c, args[2]).Index),
		Info: &rtnl.LinkInfo{Kind: kind}}); errors.Is(err, rtnl.ErrNotSupported) {
		kfeature.Missing(t, kfeature.LinkKind(kind), err)
	} else if err == nil {
		ns.IP(t, "link", "del", "probe0")
	}
	ns.IP(t, append([]string{"link", "add"}, args...)...)
}

func TestIpvlanAdd(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	modes := []rtnl.IpvlanMode{rtnl.IpvlanL2, rtnl.IpvlanL3, rtnl.IpvlanL3S}
	flags := []rtnl.IpvlanFlags{rtnl.IpvlanBridge, rtnl.IpvlanPrivate, rtnl.IpvlanVEPA}
	type tcase struct {
		name string
		data *rtnl.Ipvlan
	}
	var cases []tcase
	for _, tap := range []bool{false, true} {
		for _, m := range modes {
			for _, f := range flags {
				prefix := map[bool]string{false: "iv", true: "it"}[tap]
				cases = append(cases, tcase{prefix + m.String() + f.String()[:3], &rtnl.Ipvlan{Tap: tap, Mode: ptr(m), Flags: ptr(f)}})
			}
		}
		cases = append(cases, tcase{map[bool]string{false: "ivdefault", true: "itdefault"}[tap], &rtnl.Ipvlan{Tap: tap}})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The mode and flags belong to the lower device's port, which
			// all ipvlans on it share: one lower device each.
			lower := addVeth(t, ns, c, "l"+tc.name, "l"+tc.name+"p")
			addLinkOrSkip(t, c, rtnl.Link{Name: tc.name, ParentIndex: &lower, Info: &rtnl.LinkInfo{Data: tc.data}})
			got := mustLink(t, c, tc.name)
			compareLink(t, got, ipLink(t, ns, tc.name))
			v, ok := got.Info.Data.(*rtnl.Ipvlan)
			if !ok || v.Tap != tc.data.Tap || got.Info.Kind != tc.data.LinkKind() {
				t.Fatalf("read back kind %s, data %#v; want %s", got.Info.Kind, got.Info.Data, tc.data.LinkKind())
			}
			checkSetFields(t, tc.name, tc.data, v)
			if tc.data.Mode == nil && (v.Mode == nil || *v.Mode != rtnl.IpvlanL3) {
				t.Errorf("default mode read back as %v; want l3", v.Mode)
			}
			if v.Flags == nil {
				t.Error("no flags read back")
			}
		})
	}
	compareAllLinks(t, ns, c)
}

func TestIpvlanFromIP(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	cmds := []string{
		"ii0 link l0 type ipvlan mode l2",
		"ii1 link l1 type ipvlan mode l3 private",
		"ii2 link l2 type ipvlan mode l3s vepa",
		"ii3 link l3 type ipvlan bridge",
		"ii4 link l4 type ipvtap mode l2 vepa",
		"ii5 link l5 type ipvtap",
	}
	for i := range cmds {
		l := "l" + string(rune('0'+i))
		ns.IP(t, "link", "add", l, "type", "veth", "peer", "name", l+"p")
	}
	for _, cmd := range cmds {
		f := strings.Fields(cmd)
		ipvlanIPAdd(t, ns, f[4], f...)
	}
	checkLinksFromIP[*rtnl.Ipvlan](t, ns, c, cmds)
	compareAllLinks(t, ns, c)
}

func TestIpvlanSetLink(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	for _, tap := range []bool{false, true} {
		kind := (&rtnl.Ipvlan{Tap: tap}).LinkKind()
		t.Run(kind, func(t *testing.T) {
			lower := addVeth(t, ns, c, "l"+kind, "l"+kind+"p")
			name := "s" + kind
			addLinkOrSkip(t, c, rtnl.Link{Name: name, ParentIndex: &lower, Info: &rtnl.LinkInfo{Data: &rtnl.Ipvlan{Tap: tap, Mode: ptr(rtnl.IpvlanL2)}}})
			index := mustLink(t, c, name).Index
			for _, ch := range []rtnl.Ipvlan{
				{Mode: ptr(rtnl.IpvlanL3)},
				{Flags: ptr(rtnl.IpvlanPrivate)},
				{Mode: ptr(rtnl.IpvlanL3S), Flags: ptr(rtnl.IpvlanVEPA)},
				{Flags: ptr(rtnl.IpvlanBridge)},
			} {
				ch.Tap = tap
				if err := c.SetLink(ctx, index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: kind, Data: &ch}}); err != nil {
					t.Fatalf("SetLink(%+v): %v", ch, err)
				}
				got := mustLink(t, c, name)
				compareLink(t, got, ipLink(t, ns, name))
				checkSetFields(t, name, &ch, got.Info.Data.(*rtnl.Ipvlan))
				d := ipInfoDataMap(t, ns, name)
				v := got.Info.Data.(*rtnl.Ipvlan)
				if d["mode"] != v.Mode.String() || d[v.Flags.String()] != true {
					t.Errorf("ip shows %v; nlkit reads mode %s, %s", d, v.Mode, v.Flags)
				}
			}
		})
	}
}

func TestIpvlanInvalid(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	lower := addVeth(t, ns, c, "l0", "l0p")
	before := string(ns.IP(t, "link", "show"))
	for _, tc := range []struct {
		name string
		v    rtnl.Ipvlan
	}{
		{"unknown mode", rtnl.Ipvlan{Mode: ptr(rtnl.IpvlanMode(3))}},
		{"private and vepa", rtnl.Ipvlan{Flags: ptr(rtnl.IpvlanPrivate | rtnl.IpvlanVEPA)}},
		{"unknown flag", rtnl.Ipvlan{Flags: ptr(rtnl.IpvlanFlags(4))}},
	} {
		for _, tap := range []bool{false, true} {
			v := tc.v
			v.Tap = tap
			err := c.AddLink(context.Background(), rtnl.Link{Name: "bad0", ParentIndex: &lower, Info: &rtnl.LinkInfo{Data: &v}})
			if !isInvalid(err) || !errors.Is(err, unix.EINVAL) {
				t.Errorf("%s (tap %v): AddLink error = %v; want an InvalidError", tc.name, tap, err)
			}
		}
	}
	err := c.AddLink(context.Background(), rtnl.Link{Name: "bad0", ParentIndex: &lower,
		Info: &rtnl.LinkInfo{Kind: "ipvtap", Data: &rtnl.Ipvlan{}}})
	if !isInvalid(err) {
		t.Errorf("AddLink(kind ipvtap, Ipvlan{}) error = %v; want an InvalidError", err)
	}
	if after := string(ns.IP(t, "link", "show")); after != before {
		t.Errorf("rejected requests changed the namespace:\n%s\nbecame\n%s", before, after)
	}
}
