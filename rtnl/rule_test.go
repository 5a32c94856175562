package rtnl_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// ruleCase is a rule made by `ip rule add` with args (which hold its
// priority) and the same rule for AddRule.
type ruleCase struct {
	args string
	rule rtnl.Rule
}

// ruleCases covers every selector and action of ip rule add, in both
// families.
func ruleCases() []ruleCase {
	p := netip.MustParsePrefix
	v4, v6 := uint8(unix.AF_INET), uint8(unix.AF_INET6)
	return []ruleCase{
		{"from 192.0.2.0/24 table 100 pref 1000", rtnl.Rule{Priority: 1000, Src: p("192.0.2.0/24"), Table: 100}},
		{"to 198.51.100.7 table 1000 pref 1001", rtnl.Rule{Priority: 1001, Dst: p("198.51.100.7/32"), Table: 1000}},
		{"not from 10.0.0.0/8 to 10.1.0.0/16 lookup main pref 1002", rtnl.Rule{Priority: 1002, Flags: rtnl.RuleInvert, Src: p("10.0.0.0/8"), Dst: p("10.1.0.0/16"), Table: rtnl.TableMain}},
		{"tos 0x10 table 10 pref 1003", rtnl.Rule{Priority: 1003, TOS: 0x10, Table: 10}},
		{"-6 dsfield AF11 table 10 pref 1004", rtnl.Rule{Family: unix.AF_INET6, Priority: 1004, TOS: 0x28, Table: 10}},
		{"fwmark 0x10/0xff table 20 pref 1005", rtnl.Rule{Priority: 1005, FwMark: 0x10, FwMask: 0xff, Table: 20}},
		{"fwmark 7 table 20 pref 1006", rtnl.Rule{Priority: 1006, FwMark: 7, Table: 20}},
		{"iif lo table 30 pref 1007", rtnl.Rule{Priority: 1007, IIF: "lo", Table: 30}},
		{"iif nosuch0 oif nosuch1 table 30 pref 1008", rtnl.Rule{Priority: 1008, IIF: "nosuch0", OIF: "nosuch1", Table: 30}},
		{"uidrange 1000-2000 table 40 pref 1009", rtnl.Rule{Priority: 1009, UIDRange: &rtnl.RuleUIDRange{Start: 1000, End: 2000}, Table: 40}},
		{"ipproto tcp sport 80 dport 1000-2000 table 50 pref 1010", rtnl.Rule{Priority: 1010, IPProto: unix.IPPROTO_TCP, SrcPorts: &rtnl.RulePortRange{Start: 80, End: 80}, DstPorts: &rtnl.RulePortRange{Start: 1000, End: 2000}, Table: 50}},
		{"ipproto 200 table 50 pref 1011", rtnl.Rule{Priority: 1011, IPProto: 200, Table: 50}},
		{"tun_id 42 table 60 pref 1012", rtnl.Rule{Priority: 1012, TunID: 42, Table: 60}},
		{"table 70 suppress_prefixlength 0 pref 1013", rtnl.Rule{Priority: 1013, Table: 70, SuppressPrefixLen: ptr[int32](0)}},
		{"table main suppress_ifgroup 5 pref 1014", rtnl.Rule{Priority: 1014, Table: rtnl.TableMain, SuppressIfGroup: ptr[uint32](5)}},
		{"table main suppress_ifgroup default pref 1015", rtnl.Rule{Priority: 1015, Table: rtnl.TableMain, SuppressIfGroup: ptr[uint32](0)}},
		{"realms 1/2 table 80 pref 1016", rtnl.Rule{Priority: 1016, RealmFrom: 1, RealmTo: 2, Table: 80}},
		{"realms 3 table 80 pref 1017", rtnl.Rule{Priority: 1017, RealmTo: 3, Table: 80}},
		{"protocol static table 90 pref 1018", rtnl.Rule{Priority: 1018, Protocol: rtnl.ProtocolStatic, Table: 90}},
		{"protocol 99 table 90 pref 1019", rtnl.Rule{Priority: 1019, Protocol: 99, Table: 90}},
		{"from 192.0.2.1 blackhole pref 1020", rtnl.Rule{Priority: 1020, Src: p("192.0.2.1/32"), Action: rtnl.RuleActionBlackhole}},
		{"unreachable pref 1021", rtnl.Rule{Priority: 1021, Action: rtnl.RuleActionUnreachable}},
		{"prohibit pref 1022", rtnl.Rule{Priority: 1022, Action: rtnl.RuleActionProhibit}},
		{"nop pref 1023", rtnl.Rule{Priority: 1023, Action: rtnl.RuleActionNop}},
		{"goto 32766 pref 1024", rtnl.Rule{Priority: 1024, Action: rtnl.RuleActionGoto, Goto: 32766}},
		{"goto 5000 pref 1025", rtnl.Rule{Priority: 1025, Action: rtnl.RuleActionGoto, Goto: 5000}},
		{"not fwmark 1 iif lo ipproto udp dport 53 unreachable pref 1026", rtnl.Rule{Priority: 1026, Flags: rtnl.RuleInvert, FwMark: 1, IIF: "lo", IPProto: unix.IPPROTO_UDP, DstPorts: &rtnl.RulePortRange{Start: 53, End: 53}, Action: rtnl.RuleActionUnreachable}},
		{"-6 from 2001:db8::/32 table 100 pref 2000", rtnl.Rule{Priority: 2000, Src: p("2001:db8::/32"), Table: 100}},
		{"-6 not to 2001:db8:1::1 table 4000000000 pref 2001", rtnl.Rule{Priority: 2001, Flags: rtnl.RuleInvert, Dst: p("2001:db8:1::1/128"), Table: 4000000000}},
		{"-6 fwmark 0x20/0xf0 iif lo oif nosuch1 table 20 pref 2002", rtnl.Rule{Family: v6, Priority: 2002, FwMark: 0x20, FwMask: 0xf0, IIF: "lo", OIF: "nosuch1", Table: 20}},
		{"-6 tos 0xb8 uidrange 0-0 table 21 pref 2003", rtnl.Rule{Family: v6, Priority: 2003, TOS: 0xb8, UIDRange: &rtnl.RuleUIDRange{}, Table: 21}},
		{"-6 ipproto ipv6-icmp table 22 pref 2004", rtnl.Rule{Family: v6, Priority: 2004, IPProto: unix.IPPROTO_ICMPV6, Table: 22}},
		{"-6 ipproto sctp sport 1-2 dport 443 tun_id 7 table 23 pref 2005", rtnl.Rule{Family: v6, Priority: 2005, IPProto: unix.IPPROTO_SCTP, SrcPorts: &rtnl.RulePortRange{Start: 1, End: 2}, DstPorts: &rtnl.RulePortRange{Start: 443, End: 443}, TunID: 7, Table: 23}},
		{"-6 table main suppress_prefixlength 64 suppress_ifgroup 9 protocol bgp pref 2006", rtnl.Rule{Family: v6, Priority: 2006, Table: rtnl.TableMain, SuppressPrefixLen: ptr[int32](64), SuppressIfGroup: ptr[uint32](9), Protocol: rtnl.ProtocolBGP}},
		{"-6 blackhole pref 2007", rtnl.Rule{Family: v6, Priority: 2007, Action: rtnl.RuleActionBlackhole}},
		{"-6 unreachable pref 2008", rtnl.Rule{Family: v6, Priority: 2008, Action: rtnl.RuleActionUnreachable}},
		{"-6 prohibit pref 2009", rtnl.Rule{Family: v6, Priority: 2009, Action: rtnl.RuleActionProhibit}},
		{"-6 nop pref 2010", rtnl.Rule{Family: v6, Priority: 2010, Action: rtnl.RuleActionNop}},
		{"-6 goto 2013 pref 2011", rtnl.Rule{Family: v6, Priority: 2011, Action: rtnl.RuleActionGoto, Goto: 2013}},
		{"-6 goto 7000 pref 2012", rtnl.Rule{Family: v6, Priority: 2012, Action: rtnl.RuleActionGoto, Goto: 7000}},
		{"-6 from 2001:db8::1 lookup 5 pref 2013", rtnl.Rule{Priority: 2013, Src: p("2001:db8::1/128"), Table: 5}},
		{"l3mdev pref 3000", rtnl.Rule{Family: v4, Priority: 3000, L3MDev: true}},
		{"-6 l3mdev pref 3001", rtnl.Rule{Family: v6, Priority: 3001, L3MDev: true}},
	}
}

// ipRuleArgs splits a case's arguments into ip's family option, if any,
// and the rest.
func ipRuleArgs(args string) (family []string, rest []string) {
	f := strings.Fields(args)
	if f[0] == "-6" {
		return []string{"-6"}, f[1:]
	}
	return []string{"-4"}, f
}

// ipRuleJSON returns ip's JSON for the rule of a family at a priority.
func ipRuleJSON(t *testing.T, ns *testns.NS, family []string, pref uint32) string {
	t.Helper()
	args := append(append([]string{"-j", "-d"}, family...), "rule", "show", "pref", strconv.FormatUint(uint64(pref), 10))
	var objs []json.RawMessage
	out := ns.IP(t, args...)
	if err := json.Unmarshal(out, &objs); err != nil || len(objs) != 1 {
		t.Fatalf("ip %v printed %s, want one rule (%v)", args, out, err)
	}
	return string(objs[0])
}

// nlkitRuleJSON returns nlkit's JSON for the rule of a family at a
// priority, and the rule.
func nlkitRuleJSON(t *testing.T, c *rtnl.Conn, family uint8, pref uint32) (string, rtnl.Rule) {
	t.Helper()
	rules, err := c.Rules(context.Background(), rtnl.FilterRuleFamily(family), rtnl.FilterRulePriority(pref))
	if err != nil || len(rules) != 1 {
		t.Fatalf("Rules(family %d, pref %d) = %v, %v; want one rule", family, pref, rules, err)
	}
	return string(marshal(t, rules[0])), rules[0]
}

// ipRuleAdd runs ip rule add, returning its error output when it fails.
func ipRuleAdd(ns *testns.NS, family, args []string) (string, bool) {
	cmd := append(append([]string{"-n", ns.Name()}, family...), append([]string{"rule", "add"}, args...)...)
	out, err := exec.Command("ip", cmd...).CombinedOutput()
	return string(out), err == nil
}

func familyOf(flag []string) uint8 {
	if flag[0] == "-6" {
		return unix.AF_INET6
	}
	return unix.AF_INET
}

// TestRuleBothWays creates every rule of ruleCases with ip in one
// namespace and with AddRule in another, and checks that nlkit reads each
// as ip prints it, and that both rules print the same.
func TestRuleBothWays(t *testing.T) {
	ctx := context.Background()
	byIP, byNlkit := testns.New(t), testns.New(t)
	cIP, cNlkit := dial(t, byIP), dial(t, byNlkit)
	for _, tc := range ruleCases() {
		t.Run(tc.args, func(t *testing.T) {
			family, args := ipRuleArgs(tc.args)
			out, ok := ipRuleAdd(byIP, family, args)
			err := cNlkit.AddRule(ctx, tc.rule)
			if !ok {
				if tc.rule.L3MDev && err != nil && strings.Contains(out, "l3mdev") {
					kfeature.Missing(t, kfeature.Feature{Name: "l3mdev rules", Since: "4.8", Config: []string{"CONFIG_NET_L3_MASTER_DEV"}},
						fmt.Errorf("ip: %s; nlkit: %w", strings.TrimSpace(out), err))
				}
				t.Fatalf("ip rule add %s: %s", tc.args, out)
			}
			if err != nil {
				t.Fatalf("AddRule: %v", err)
			}
			pref := tc.rule.Priority
			wantIP := ipRuleJSON(t, byIP, family, pref)
			gotIP, _ := nlkitRuleJSON(t, cIP, familyOf(family), pref)
			if gotIP != wantIP {
				t.Errorf("rule made by ip:\n  ip: %s\nnlkit: %s", wantIP, gotIP)
			}
			wantNlkit := ipRuleJSON(t, byNlkit, family, pref)
			gotNlkit, _ := nlkitRuleJSON(t, cNlkit, familyOf(family), pref)
			if gotNlkit != wantNlkit {
				t.Errorf("rule made by nlkit:\n  ip: %s\nnlkit: %s", wantNlkit, gotNlkit)
			}
			if wantNlkit != wantIP {
				t.Errorf("ip shows the rule AddRule made differently:\n  made by ip: %s\nmade by nlkit: %s", wantIP, wantNlkit)
			}
		})
	}
	// Every family, each in ip's order.
	all, err := cNlkit.Rules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, family := range []uint8{unix.AF_INET, unix.AF_INET6} {
		var ofFamily []rtnl.Rule
		for _, r := range all {
			if r.Family == family {
				ofFamily = append(ofFamily, r)
			}
		}
		want, err := cNlkit.Rules(ctx, rtnl.FilterRuleFamily(family))
		if err != nil {
			t.Fatal(err)
		}
		if a, b := string(marshal(t, ofFamily)), string(marshal(t, want)); a != b {
			t.Errorf("the rules of family %d among every rule:\n%s\nwant %s", family, a, b)
		}
	}
	// The whole lists, default rules included.
	defer func() {
		// Each rule as listed deletes itself, as ip rule del with every
		// selector does.
		for _, tc := range ruleCases() {
			family, _ := ipRuleArgs(tc.args)
			_, r := nlkitRuleJSON(t, cNlkit, familyOf(family), tc.rule.Priority)
			if err := cNlkit.DeleteRule(ctx, r); err != nil {
				t.Errorf("DeleteRule(%s): %v", tc.args, err)
			}
			rules, err := cNlkit.Rules(ctx, rtnl.FilterRuleFamily(familyOf(family)), rtnl.FilterRulePriority(tc.rule.Priority))
			if err != nil || len(rules) != 0 {
				t.Errorf("after DeleteRule(%s): %v, %v", tc.args, rules, err)
			}
		}
	}()
	for _, family := range []string{"-4", "-6"} {
		want := strings.TrimSpace(string(byNlkit.IP(t, "-j", "-d", family, "rule", "show")))
		rules, err := cNlkit.Rules(ctx, rtnl.FilterRuleFamily(familyOf([]string{family})))
		if err != nil {
			t.Fatal(err)
		}
		if got := string(marshal(t, rules)); got != want {
			t.Errorf("ip %s rule show:\n  ip: %s\nnlkit: %s", family, want, got)
		}
	}
}
