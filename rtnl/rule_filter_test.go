package rtnl_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// addRuleCases adds every rule of ruleCases with ip.
func addRuleCases(t *testing.T, ns *testns.NS) {
	t.Helper()
	for _, tc := range ruleCases() {
		family, args := ipRuleArgs(tc.args)
		if out, ok := ipRuleAdd(ns, family, args); !ok && !tc.rule.L3MDev {
			t.Fatalf("ip rule add %s: %s", tc.args, out)
		}
	}
}

// TestRuleFilters compares the lists of ip rule show with selectors with
// the lists Rules returns with the same filters.
func TestRuleFilters(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	addRuleCases(t, ns)
	p := netip.MustParsePrefix
	v4, v6 := rtnl.FilterRuleFamily(unix.AF_INET), rtnl.FilterRuleFamily(unix.AF_INET6)
	for _, tc := range []struct {
		ip      string
		filters []rtnl.RuleFilter
	}{
		{"-4", []rtnl.RuleFilter{v4}},
		{"-6", []rtnl.RuleFilter{v6}},
		{"-4 pref 1005", []rtnl.RuleFilter{v4, rtnl.FilterRulePriority(1005)}},
		{"-4 pref 0", []rtnl.RuleFilter{v4, rtnl.FilterRulePriority(0)}},
		{"-4 not", []rtnl.RuleFilter{v4, rtnl.FilterRuleInvert()}},
		{"-6 not", []rtnl.RuleFilter{v6, rtnl.FilterRuleInvert()}},
		{"-4 from 192.0.2.0/24", []rtnl.RuleFilter{v4, rtnl.FilterRuleSrc(p("192.0.2.0/24"))}},
		{"-4 from 192.0.0.0/8", []rtnl.RuleFilter{v4, rtnl.FilterRuleSrc(p("192.0.0.0/8"))}},
		{"-4 from 0/0", []rtnl.RuleFilter{v4, rtnl.FilterRuleSrc(p("0.0.0.0/0"))}},
		{"-6 from 2001:db8::/16", []rtnl.RuleFilter{v6, rtnl.FilterRuleSrc(p("2001:db8::/16"))}},
		{"-4 to 10.1.0.0/16", []rtnl.RuleFilter{v4, rtnl.FilterRuleDst(p("10.1.0.0/16"))}},
		{"-6 to 2001:db8:1::1", []rtnl.RuleFilter{v6, rtnl.FilterRuleDst(p("2001:db8:1::1/128"))}},
		{"-4 tos 0x10", []rtnl.RuleFilter{v4, rtnl.FilterRuleTOS(0x10)}},
		{"-4 fwmark 0x10", []rtnl.RuleFilter{v4, rtnl.FilterRuleFwMark(0x10, 0)}},
		{"-4 fwmark 0x10/0xff", []rtnl.RuleFilter{v4, rtnl.FilterRuleFwMark(0x10, 0xff)}},
		{"-4 iif lo", []rtnl.RuleFilter{v4, rtnl.FilterRuleIIF("lo")}},
		{"-6 oif nosuch1", []rtnl.RuleFilter{v6, rtnl.FilterRuleOIF("nosuch1")}},
		{"-4 l3mdev", []rtnl.RuleFilter{v4, rtnl.FilterRuleL3MDev()}},
		{"-4 uidrange 1000-2000", []rtnl.RuleFilter{v4, rtnl.FilterRuleUIDRange(1000, 2000)}},
		{"-4 ipproto tcp", []rtnl.RuleFilter{v4, rtnl.FilterRuleIPProto(unix.IPPROTO_TCP)}},
		{"-4 sport 80", []rtnl.RuleFilter{v4, rtnl.FilterRuleSrcPorts(80, 80)}},
		{"-4 dport 1000-2000", []rtnl.RuleFilter{v4, rtnl.FilterRuleDstPorts(1000, 2000)}},
		{"-6 tun_id 7", []rtnl.RuleFilter{v6, rtnl.FilterRuleTunID(7)}},
		{"-4 table 20", []rtnl.RuleFilter{v4, rtnl.FilterRuleTable(20)}},
		{"-6 lookup main", []rtnl.RuleFilter{v6, rtnl.FilterRuleTable(rtnl.TableMain)}},
		{"-6 table 4000000000", []rtnl.RuleFilter{v6, rtnl.FilterRuleTable(4000000000)}},
	} {
		args := strings.Fields(tc.ip)
		want := strings.TrimSpace(string(ns.IP(t, append(append([]string{"-j", "-d", args[0]}, "rule", "show"), args[1:]...)...)))
		rules, err := c.Rules(context.Background(), tc.filters...)
		if err != nil {
			t.Fatalf("%s: %v", tc.ip, err)
		}
		if got := string(marshal(t, rules)); got != want {
			t.Errorf("ip rule show %s:\n  ip: %s\nnlkit: %s", tc.ip, want, got)
		}
		var streamed []rtnl.Rule
		for r, err := range c.RulesSeq(context.Background(), tc.filters...) {
			if err != nil {
				t.Fatal(err)
			}
			streamed = append(streamed, r)
		}
		if got := string(marshal(t, streamed)); got != want {
			t.Errorf("RulesSeq, ip rule show %s:\n  ip: %s\nnlkit: %s", tc.ip, want, got)
		}
	}
}

// TestRuleProtocolFilter checks the one filter ip 6.1 applies in flush
// only.
func TestRuleProtocolFilter(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	addRuleCases(t, ns)
	rules, err := c.Rules(context.Background(), rtnl.FilterRuleProtocol(rtnl.ProtocolBGP))
	if err != nil || len(rules) != 1 || rules[0].Priority != 2006 {
		t.Errorf("Rules(protocol bgp) = %v, %v; want the rule at 2006", rules, err)
	}
}

// TestFlushRules flushes with ip and with nlkit the same rules, and
// compares what remains.
func TestFlushRules(t *testing.T) {
	for _, tc := range []struct {
		ip      string
		filters []rtnl.RuleFilter
	}{
		{"-4", []rtnl.RuleFilter{rtnl.FilterRuleFamily(unix.AF_INET)}},
		{"-6", []rtnl.RuleFilter{rtnl.FilterRuleFamily(unix.AF_INET6)}},
		{"-4 table 20", []rtnl.RuleFilter{rtnl.FilterRuleFamily(unix.AF_INET), rtnl.FilterRuleTable(20)}},
		{"-6 protocol bgp", []rtnl.RuleFilter{rtnl.FilterRuleFamily(unix.AF_INET6), rtnl.FilterRuleProtocol(rtnl.ProtocolBGP)}},
		{"-4 not", []rtnl.RuleFilter{rtnl.FilterRuleFamily(unix.AF_INET), rtnl.FilterRuleInvert()}},
	} {
		t.Run(tc.ip, func(t *testing.T) {
			byIP, byNlkit := testns.New(t), testns.New(t)
			addRuleCases(t, byIP)
			addRuleCases(t, byNlkit)
			args := strings.Fields(tc.ip)
			byIP.IP(t, append([]string{args[0], "rule", "flush"}, args[1:]...)...)
			if err := dial(t, byNlkit).FlushRules(context.Background(), tc.filters...); err != nil {
				t.Fatalf("FlushRules: %v", err)
			}
			for _, family := range []string{"-4", "-6"} {
				want := string(byIP.IP(t, "-j", "-d", family, "rule", "show"))
				if got := string(byNlkit.IP(t, "-j", "-d", family, "rule", "show")); got != want {
					t.Errorf("ip %s rule show after the flush:\n after ip: %s\nafter nlkit: %s", family, want, got)
				}
			}
		})
	}
}

// TestRuleErrors checks the errors of AddRule and DeleteRule: the
// kernel's, and the refusals before sending.
func TestRuleErrors(t *testing.T) {
	ctx := context.Background()
	ns := testns.New(t)
	c := dial(t, ns)
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	r := rtnl.Rule{Priority: 100, Src: p("192.0.2.0/24"), Table: 10}
	if err := c.AddRule(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := c.AddRule(ctx, r); !errors.Is(err, rtnl.ErrExist) || !errors.Is(err, unix.EEXIST) {
		t.Errorf("adding a rule twice: %v; want ErrExist", err)
	}
	if err := c.DeleteRule(ctx, rtnl.Rule{Priority: 101}); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("deleting a missing rule: %v; want ErrNotExist", err)
	}
	err := c.AddRule(ctx, rtnl.Rule{Priority: 102, Action: rtnl.RuleActionGoto, Goto: 50})
	if !strings.Contains(err.Error(), "Backward goto not supported") {
		t.Errorf("a backward goto: %v; want the kernel's message", err)
	}
	if err := c.DeleteRule(ctx, rtnl.Rule{Src: p("192.0.2.0/24")}); err != nil {
		t.Errorf("deleting by source: %v", err)
	}
	for _, bad := range []rtnl.Rule{
		{Family: unix.AF_PACKET},
		{Src: p("192.0.2.0/24"), Dst: p("2001:db8::/32")},
		{Family: unix.AF_INET6, Src: p("192.0.2.0/24")},
		{Src: netip.PrefixFrom(a("192.0.2.0"), 33)},
		{IIF: "a/b"},
		{OIF: "waytoolongname0123"},
		{UIDRange: &rtnl.RuleUIDRange{Start: 2, End: 1}},
		{SrcPorts: &rtnl.RulePortRange{Start: 0, End: 1}},
		{DstPorts: &rtnl.RulePortRange{Start: 9, End: 8}},
		{SuppressPrefixLen: ptr[int32](-2)},
		{L3MDev: true, Table: 5},
		{Goto: 7, Action: rtnl.RuleActionBlackhole},
		{NATGateway: a("192.0.2.1"), Action: rtnl.RuleActionTable},
		{NATGateway: a("2001:db8::1"), Action: rtnl.RuleActionNAT},
		{Family: unix.AF_INET6, RealmTo: 1},
	} {
		if err := c.AddRule(ctx, bad); !isInvalid(err) || !errors.Is(err, unix.EINVAL) {
			t.Errorf("AddRule(%+v) = %v; want an InvalidError", bad, err)
		}
		if err := c.DeleteRule(ctx, bad); !isInvalid(err) && bad.Action == 0 {
			t.Errorf("DeleteRule(%+v) = %v; want an InvalidError", bad, err)
		}
	}
	for _, f := range [][]rtnl.RuleFilter{
		{rtnl.FilterRuleFamily(unix.AF_PACKET)},
		{rtnl.FilterRuleSrc(netip.Prefix{})},
		{rtnl.FilterRuleFamily(unix.AF_INET), rtnl.FilterRuleDst(p("2001:db8::/32"))},
	} {
		if _, err := c.Rules(ctx, f...); !isInvalid(err) {
			t.Errorf("Rules with an invalid filter: %v; want an InvalidError", err)
		}
	}
}
