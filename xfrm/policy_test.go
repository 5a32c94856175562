package xfrm_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/xfrm"
)

// testPolicies are policies that together use every field ip prints.
func testPolicies() []xfrm.Policy {
	a, p := netip.MustParseAddr, netip.MustParsePrefix
	return []xfrm.Policy{
		{
			Selector: xfrm.Selector{Src: p("10.1.0.0/16"), Dst: p("10.2.0.0/16"), Proto: unix.IPPROTO_TCP,
				SrcPort: 80, DstPort: 443, LinkName: "lo"},
			Dir: xfrm.DirIn, Action: xfrm.ActionBlock, Priority: 7, Type: xfrm.PolicySub,
			Flags: xfrm.PolicyLocalOK | xfrm.PolicyICMP, Mark: xfrm.Mark{Value: 5, Mask: 0xff}, IfID: 9,
			Lifetime: xfrm.LifetimeConfig{SoftByteLimit: 100, HardByteLimit: 200, SoftPacketLimit: 3, HardPacketLimit: 4,
				SoftAddExpires: 50, HardAddExpires: 60, SoftUseExpires: 70, HardUseExpires: 80},
			Templates: []xfrm.Template{
				{Src: a("192.0.2.1"), Dst: a("192.0.2.2"), Proto: xfrm.ProtoESP, SPI: 0x10, ReqID: 5, Mode: xfrm.ModeTunnel, Level: xfrm.LevelUse},
				{Proto: xfrm.ProtoAH, Mode: xfrm.ModeTransport, Level: 2, EncAlgos: 0xf0, AuthAlgos: 0x0f, CompAlgos: 1},
			},
		},
		{
			Selector: xfrm.Selector{Src: p("2001:db8::/32"), Proto: unix.IPPROTO_ICMPV6, SrcPort: 128, DstPort: 0, DstPortMask: 0xffff},
			Dir:      xfrm.DirFwd, Priority: 100, Index: 0,
			Templates: []xfrm.Template{{Proto: xfrm.ProtoComp, Mode: xfrm.ModeTunnel,
				Src: a("2001:db8::1"), Dst: a("2001:db8::2"), Share: xfrm.ShareUnique}},
		},
		{Dir: xfrm.DirOut, Mark: xfrm.Mark{Value: 1}, Templates: []xfrm.Template{
			{Src: a("10.0.0.1"), Dst: a("10.0.0.2"), Proto: xfrm.ProtoESP, SPI: 1, Mode: xfrm.ModeTunnel}}},
		{Selector: xfrm.Selector{Src: p("10.0.0.0/8"), Dst: p("10.0.0.0/8"), Proto: unix.IPPROTO_GRE, SrcPortMask: 0xffff, DstPort: 1000},
			Dir: xfrm.DirOut, Priority: 1},
	}
}

// TestPolicyNlkitToIP adds policies with nlkit and compares ip -s xfrm
// policy show with what nlkit reads back, which must be what was added.
func TestPolicyNlkitToIP(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	ns.IP(t, "link", "set", "lo", "up")
	want := testPolicies()
	for _, p := range want {
		if err := c.AddPolicy(ctx, p); err != nil {
			t.Fatalf("add %+v: %v", p, err)
		}
	}
	got, err := c.Policies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d policies listed, want %d", len(got), len(want))
	}
	checkPolicyText(t, ns, got)
	for _, w := range want {
		g, err := c.GetPolicy(ctx, w.ID())
		if err != nil {
			t.Fatalf("get %+v: %v", w.ID(), err)
		}
		checkPolicyFields(t, w, g)
		byIndex, err := c.GetPolicy(ctx, xfrm.PolicyID{Index: g.Index, Dir: g.Dir, Type: g.Type, Mark: g.Mark, IfID: g.IfID})
		if err != nil || byIndex.Index != g.Index {
			t.Errorf("get by index %d: %v, %+v", g.Index, err, byIndex)
		}
		m := checkJSON(t, g, "src", "dst", "dir", "action", "index", "priority", "ptype", "share", "flags",
			"lifetime_config", "lifetime_current", "tmpl")
		if dev, ok := m["dev"]; (w.Selector.LinkName != "" || ok) && dev != w.Selector.LinkName {
			t.Errorf("policy %d: JSON dev %v, want %q", g.Index, dev, w.Selector.LinkName)
		}
	}
	// A device named but missing is found missing before anything is sent.
	missing := xfrm.Selector{Src: netip.MustParsePrefix("10.9.0.0/16"), LinkName: "nosuch0"}
	if err := c.AddPolicy(ctx, xfrm.Policy{Selector: missing, Dir: xfrm.DirOut}); !errors.Is(err, xfrm.ErrNotExist) || !strings.Contains(err.Error(), "nosuch0") {
		t.Errorf("add a policy on a missing device: %v, want ErrNotExist naming it", err)
	}
	if _, err := c.GetPolicy(ctx, xfrm.PolicyID{Selector: missing, Dir: xfrm.DirOut}); !errors.Is(err, xfrm.ErrNotExist) || !strings.Contains(err.Error(), "nosuch0") {
		t.Errorf("get a policy on a missing device: %v, want ErrNotExist naming it", err)
	}
	if err := c.AddPolicy(ctx, want[2]); !errors.Is(err, xfrm.ErrExist) {
		t.Errorf("adding a policy twice: %v, want ErrExist", err)
	}
	// update changes the priority in place.
	up := want[3]
	up.Priority = 42
	if err := c.UpdatePolicy(ctx, up); err != nil {
		t.Fatal(err)
	}
	if out := string(ns.IP(t, "xfrm", "policy", "get", "src", "10.0.0.0/8", "dst", "10.0.0.0/8", "proto", "gre", "key", "1000", "dir", "out")); !strings.Contains(out, "priority 42") {
		t.Errorf("after update, ip xfrm policy get shows\n%s", out)
	}
	// list filters.
	out, err := c.Policies(ctx, xfrm.FilterPolicyDir(xfrm.DirOut))
	if err != nil || len(out) != 2 {
		t.Errorf("policies dir out: %d, %v; want 2", len(out), err)
	}
	out, err = c.Policies(ctx, xfrm.FilterPolicyType(xfrm.PolicySub))
	if err != nil || len(out) != 1 {
		t.Errorf("policies ptype sub: %d, %v; want 1", len(out), err)
	}
	n := 0
	for _, err := range c.StreamPolicies(ctx, xfrm.FilterPolicyMark(xfrm.Mark{Value: 1, Mask: 0xffffffff})) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 {
		t.Errorf("streamed %d policies with mark 1, want 1", n)
	}
	info, err := c.SPDInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.In != 1 || info.Out != 2 || info.Fwd != 1 || info.MaxBuckets == 0 {
		t.Errorf("SPD info %+v, want in 1 out 2 fwd 1", info)
	}
	// delete by selector, then the rest by flush.
	if err := c.DeletePolicy(ctx, want[2].ID()); err != nil {
		t.Fatal(err)
	}
	if err := c.DeletePolicy(ctx, want[2].ID()); !errors.Is(err, xfrm.ErrNotExist) {
		t.Errorf("deleting a deleted policy: %v, want ErrNotExist", err)
	}
	if err := c.FlushPolicies(ctx, xfrm.PolicyMain); err != nil {
		t.Fatal(err)
	}
	if err := c.FlushPolicies(ctx, xfrm.PolicySub); err != nil {
		t.Fatal(err)
	}
	if out := ns.IP(t, "xfrm", "policy", "show"); len(out) != 0 {
		t.Errorf("after flush, ip xfrm policy show prints\n%s", out)
	}
}

// TestPolicyIPToNlkit adds policies with ip — those of the guide's VTI
// scenario and others — and checks nlkit reads what ip shows.
func TestPolicyIPToNlkit(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ns.IP(t, "link", "set", "lo", "up")
	ns.IPBatch(t,
		"xfrm policy add dir in tmpl src 10.0.0.2 dst 10.0.0.1 proto esp spi 1 mode tunnel mark 1",
		"xfrm policy add dir out tmpl src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 mode tunnel mark 1",
		"xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 dir out mark 0x2 mask 0xffffffff tmpl src 10.0.0.1 dst 10.0.0.2 proto esp reqid 1 mode tunnel",
		"xfrm policy add src 2001:db8::/32 dst ::/0 proto ipv6-icmp type 128 code 0 dir fwd tmpl proto comp mode transport",
		"xfrm policy add src 10.0.0.0/8 dst 10.0.0.0/8 proto udp sport 53 dev lo dir in ptype sub action block flag localok priority 3 if_id 0x7",
		"xfrm policy add src 2001:db8::/32 dst 2001:db8:1::/48 dir in tmpl proto route2 mode in_trigger tmpl proto hao mode ro level use",
		"xfrm policy add src 10.3.0.0/16 dst 10.4.0.0/16 proto sctp dport 9 dir out",
		"xfrm policy add src 10.5.0.0/16 dst 10.6.0.0/16 proto 4 dir out",
	)
	got, err := c.Policies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkPolicyText(t, ns, got)
	// The JSON names a selector's protocol as ip's text does.
	ipText := string(ns.IP(t, "xfrm", "policy", "show"))
	for _, p := range got {
		if p.Selector.Proto == 0 {
			continue
		}
		m := checkJSON(t, p, "proto")
		if word := fmt.Sprintf(" proto %v ", m["proto"]); !strings.Contains(ipText, word) {
			t.Errorf("policy JSON's %q is not in ip's text:\n%s", word, ipText)
		}
	}
	want := "dir in mark 1 tmpl 10.0.0.2->10.0.0.1 esp spi 1 tunnel"
	if g := got[len(got)-1]; g.Dir != xfrm.DirIn || g.Mark != (xfrm.Mark{1, 0xffffffff}) || len(g.Templates) != 1 ||
		g.Templates[0].Src != netip.MustParseAddr("10.0.0.2") || g.Templates[0].SPI != 1 || g.Templates[0].Mode != xfrm.ModeTunnel {
		t.Errorf("first policy read as %+v, want %s", g, want)
	}
}

// checkPolicyText compares ip xfrm policy show and ip -s xfrm policy show
// (all types) with Policy.Text of the policies nlkit listed.
func checkPolicyText(t *testing.T, ns *testns.NS, got []xfrm.Policy) {
	t.Helper()
	for stats, args := range [][]string{{"xfrm", "policy", "show"}, {"-s", "xfrm", "policy", "show"}} {
		var b strings.Builder
		for _, p := range got {
			b.WriteString(p.Text(xfrm.TextOptions{Stats: stats}))
		}
		ip := string(ns.IP(t, args...)) // main and sub
		checkText(t, "ip "+strings.Join(args, " "), sortedBlocks(ip), sortedBlocks(b.String()))
	}
}

// sortedBlocks sorts the objects of ip's text (each starts at a line with
// no tab) so that texts listing them in different orders compare.
func sortedBlocks(s string) string {
	var blocks []string
	for _, line := range strings.SplitAfter(s, "\n") {
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "\t") || len(blocks) == 0 {
			blocks = append(blocks, line)
			continue
		}
		blocks[len(blocks)-1] += line
	}
	slicesSort(blocks)
	return strings.Join(blocks, "")
}

// checkPolicyFields compares a policy read back with the one added: the
// fields the kernel fills in (index, current lifetime, defaults) aside.
func checkPolicyFields(t *testing.T, want, got xfrm.Policy) {
	t.Helper()
	want.Index, want.Current = got.Index, got.Current
	inf := ^uint64(0)
	for _, l := range []*uint64{&want.Lifetime.SoftByteLimit, &want.Lifetime.HardByteLimit, &want.Lifetime.SoftPacketLimit, &want.Lifetime.HardPacketLimit} {
		if *l == 0 {
			*l = inf
		}
	}
	if want.Mark.Value != 0 && want.Mark.Mask == 0 {
		want.Mark.Mask = 0xffffffff
	}
	if want.Selector.Family == 0 {
		want.Selector.Family = got.Selector.Family
	}
	if want.Selector.SrcPort != 0 && want.Selector.SrcPortMask == 0 {
		want.Selector.SrcPortMask = 0xffff
	}
	if want.Selector.DstPort != 0 && want.Selector.DstPortMask == 0 {
		want.Selector.DstPortMask = 0xffff
	}
	if !want.Selector.Src.IsValid() {
		want.Selector.Src = got.Selector.Src
	}
	if !want.Selector.Dst.IsValid() {
		want.Selector.Dst = got.Selector.Dst
	}
	for i := range want.Templates {
		w := &want.Templates[i]
		if w.Family == 0 && i < len(got.Templates) {
			w.Family = got.Templates[i].Family
		}
		for _, m := range []*uint32{&w.AuthAlgos, &w.EncAlgos, &w.CompAlgos} {
			if *m == 0 {
				*m = 0xffffffff
			}
		}
	}
	if want.Selector.LinkName == "lo" {
		want.Selector.LinkIndex = 1 // written by name, read with both
	}
	checkFields(t, "policy", want, got)
}
