package xfrm_test

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/xfrm"
)

// deleteAllPolicies are the policies both namespaces of
// TestDeleteAllPolicies start with. None is of ptype sub: ip 6.1's
// deleteall sends no policy type, so the kernel cannot find a sub policy
// and ip fails ("Failed to send delete-all request: No such file or
// directory"); DeleteAllPolicies deletes them.
var deleteAllPolicies = []string{
	"xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out",
	"xfrm policy add src 10.1.1.0/24 dst 10.2.0.0/16 proto tcp dport 22 dir in",
	"xfrm policy add src 10.3.0.0/16 dst 10.2.0.0/16 dir fwd flag localok",
	"xfrm policy add src fd00::/64 dst fd01::/64 dir in",
	"xfrm policy add src fd00::/64 dst fd02::/64 dir out mark 5",
}

// TestDeleteAllPolicies deletes policies with ip xfrm policy deleteall in
// one namespace and with DeleteAllPolicies and the same selection in
// another: what is left must be the same.
func TestDeleteAllPolicies(t *testing.T) {
	p := netip.MustParsePrefix
	for _, tc := range []struct {
		ip      string
		filters []xfrm.PolicyFilter
	}{
		{"", nil},
		{"src 10.1.0.0/16", []xfrm.PolicyFilter{xfrm.FilterPolicySelector(xfrm.Selector{Src: p("10.1.0.0/16")})}},
		{"dst 10.2.0.0/16 proto tcp", []xfrm.PolicyFilter{xfrm.FilterPolicySelector(xfrm.Selector{Dst: p("10.2.0.0/16"), Proto: unix.IPPROTO_TCP})}},
		{"dir out", []xfrm.PolicyFilter{xfrm.FilterPolicyDir(xfrm.DirOut)}},
		{"flag localok", []xfrm.PolicyFilter{xfrm.FilterPolicyFlags(xfrm.PolicyLocalOK)}},
		{"-6", []xfrm.PolicyFilter{xfrm.FilterPolicyFamily(unix.AF_INET6)}},
	} {
		ipNS, nlNS := testns.New(t), testns.New(t)
		ipNS.IPBatch(t, deleteAllPolicies...)
		nlNS.IPBatch(t, deleteAllPolicies...)
		args := append([]string{"xfrm", "policy", "deleteall"}, strings.Fields(tc.ip)...)
		if tc.ip == "-6" {
			args = []string{"-6", "xfrm", "policy", "deleteall"}
		}
		ipNS.IP(t, args...)
		n, err := dial(t, nlNS).DeleteAllPolicies(context.Background(), tc.filters...)
		if err != nil {
			t.Fatalf("%s: %v", tc.ip, err)
		}
		want, got := string(ipNS.IP(t, "xfrm", "policy", "show")), string(nlNS.IP(t, "xfrm", "policy", "show"))
		checkText(t, "policies left after deleteall "+tc.ip, want, got)
		if left := strings.Count(got, "\n\tdir "); left+n != len(deleteAllPolicies) {
			t.Errorf("%s: %d deleted and %d left of %d", tc.ip, n, left, len(deleteAllPolicies))
		}
	}
}

// TestDeleteAllSubPolicies deletes policies of ptype sub, which ip's
// deleteall cannot (see deleteAllPolicies).
func TestDeleteAllSubPolicies(t *testing.T) {
	ns := testns.New(t)
	ns.IPBatch(t, "xfrm policy add src 10.1.0.0/16 dst 10.4.0.0/16 dir out ptype sub", "xfrm policy add dst 10.5.0.0/16 dir in")
	n, err := dial(t, ns).DeleteAllPolicies(context.Background(), xfrm.FilterPolicyType(xfrm.PolicySub))
	if err != nil || n != 1 {
		t.Errorf("DeleteAllPolicies = %d, %v; want 1 deleted", n, err)
	}
	if left := string(ns.IP(t, "xfrm", "policy", "show")); strings.Contains(left, "ptype sub") || !strings.Contains(left, "10.5.0.0/16") {
		t.Errorf("policies left:\n%s", left)
	}
}

// TestDeleteAllStates deletes states with ip xfrm state deleteall in one
// namespace and with DeleteAllStates in another: what is left must be the
// same. It needs IPComp.
func TestDeleteAllStates(t *testing.T) {
	ipNS, nlNS := testns.New(t), testns.New(t)
	for _, ns := range []*testns.NS{ipNS, nlNS} {
		addCompState(t, ns, 0x100)
		addCompState(t, ns, 0x101, "flag", "noecn")
		ns.IP(t, "xfrm", "state", "add", "src", "10.0.0.3", "dst", "10.0.0.4", "proto", "comp", "spi", "0x102", "comp", "deflate")
	}
	ipNS.IP(t, "xfrm", "state", "deleteall", "src", "10.0.0.1", "flag", "noecn")
	c := dial(t, nlNS)
	n, err := c.DeleteAllStates(context.Background(), xfrm.FilterStateSrc(netip.MustParsePrefix("10.0.0.1/32")),
		xfrm.FilterStateFlags(xfrm.StateNoECN))
	if err != nil || n != 1 {
		t.Errorf("DeleteAllStates = %d, %v; want 1 deleted", n, err)
	}
	checkText(t, "states left after deleteall", string(ipNS.IP(t, "xfrm", "state", "show")), string(nlNS.IP(t, "xfrm", "state", "show")))
	ipNS.IP(t, "xfrm", "state", "deleteall")
	if _, err := c.DeleteAllStates(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkText(t, "states left after deleteall", string(ipNS.IP(t, "xfrm", "state", "show")), string(nlNS.IP(t, "xfrm", "state", "show")))
}
