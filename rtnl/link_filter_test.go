package rtnl_test

import (
	"context"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

func TestLinkFilters(t *testing.T) {
	ns := testns.New(t)
	for _, cmd := range []string{
		"link add br0 type bridge",
		"link add br1 type bridge",
		"link add v0 group 5 type veth peer name v1",
		"link add w0 type veth peer name w1",
		"link set v0 master br0",
		"link set w0 master br1",
		"link set v1 group 5",
		"link set br0 up",
		"link set v0 up",
		"link set v1 up",
	} {
		ns.IP(t, strings.Fields(cmd)...)
	}
	c := dial(t, ns)
	ctx := context.Background()
	br0 := mustLink(t, c, "br0")

	for _, tc := range []struct {
		ipArgs  string
		filters []rtnl.LinkFilter
	}{
		{"type bridge", []rtnl.LinkFilter{rtnl.FilterKind("bridge")}},
		{"type veth", []rtnl.LinkFilter{rtnl.FilterKind("veth")}},
		{"type bridge_slave", []rtnl.LinkFilter{rtnl.FilterSlaveKind("bridge")}},
		{"master br0", []rtnl.LinkFilter{rtnl.FilterMaster(br0.Index)}},
		{"nomaster", []rtnl.LinkFilter{rtnl.FilterNoMaster()}},
		{"nomaster type veth", []rtnl.LinkFilter{rtnl.FilterNoMaster(), rtnl.FilterKind("veth")}},
		{"group 5", []rtnl.LinkFilter{rtnl.FilterGroup(5)}},
		{"up", []rtnl.LinkFilter{rtnl.FilterUp()}},
		{"up type veth", []rtnl.LinkFilter{rtnl.FilterUp(), rtnl.FilterKind("veth")}},
		{"type nosuchkind", []rtnl.LinkFilter{rtnl.FilterKind("nosuchkind")}},
	} {
		t.Run(tc.ipArgs, func(t *testing.T) {
			args := append([]string{"-j", "-d", "-s", "link", "show"}, strings.Fields(tc.ipArgs)...)
			want, got := stableIP(t, ns, args, func() []rtnl.Link {
				links, err := c.Links(ctx, tc.filters...)
				if err != nil {
					t.Fatalf("Links: %v", err)
				}
				return links
			})
			if len(got) != len(want) {
				var names []string
				for _, l := range got {
					names = append(names, l.Name)
				}
				t.Fatalf("got %d links %v; ip link show %s lists %d", len(got), names, tc.ipArgs, len(want))
			}
			for i := range got {
				compareLink(t, got[i], want[i])
			}
			n := 0
			for l, err := range c.LinksSeq(ctx, tc.filters...) {
				if err != nil {
					t.Fatal(err)
				}
				if l.Name != got[n].Name {
					t.Errorf("LinksSeq link %d = %s; Links gave %s", n, l.Name, got[n].Name)
				}
				n++
			}
			if n != len(got) {
				t.Errorf("LinksSeq gave %d links; Links gave %d", n, len(got))
			}
		})
	}
}
