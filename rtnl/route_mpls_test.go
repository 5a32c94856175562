package rtnl_test

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// mplsNS returns a routeNS with MPLS labels enabled, or skips the test
// when the kernel lacks MPLS.
func mplsNS(t *testing.T) *testns.NS {
	t.Helper()
	if out, err := exec.Command("modprobe", "mpls_router").CombinedOutput(); err != nil {
		t.Logf("modprobe mpls_router: %v: %s", err, out)
	}
	ns := routeNS(t)
	out, err := exec.Command("ip", "netns", "exec", ns.Name(), "sysctl", "-qw", "net.mpls.platform_labels=1000").CombinedOutput()
	if err != nil {
		kfeature.Missing(t, kfeature.Feature{Name: "MPLS routes", Since: "4.1", Config: []string{"CONFIG_MPLS_ROUTING"}},
			fmt.Errorf("no net.mpls.platform_labels: %v: %s", err, bytes.TrimSpace(out)))
	}
	return ns
}

// TestMPLSRoutesMatchIP makes MPLS routes with nlkit in one namespace and
// with ip in another, compares them, and reads ip's with nlkit.
func TestMPLSRoutesMatchIP(t *testing.T) {
	byIP, byNlkit := mplsNS(t), mplsNS(t)
	c := dial(t, byNlkit)
	ix := routeLinks(t, c)
	ctx := context.Background()
	a := netip.MustParseAddr
	for _, tc := range []struct {
		ip    string
		route rtnl.Route
	}{
		{"-M route add 100 as 200/300 via inet 10.0.0.2 dev v0", rtnl.Route{Family: unix.AF_MPLS, Label: 100,
			NewLabels: []uint32{200, 300}, Via: a("10.0.0.2"), LinkIndex: ix.v0}},
		{"-M route add 101 nexthop as 200 via inet 10.0.0.2 dev v0 nexthop via inet6 fe80::1 dev v0", rtnl.Route{
			Family: unix.AF_MPLS, Label: 101, Nexthops: []rtnl.RouteNexthop{
				{NewLabels: []uint32{200}, Via: a("10.0.0.2"), LinkIndex: ix.v0},
				{Via: a("fe80::1"), LinkIndex: ix.v0},
			}}},
		{"-M route add 102 via inet 10.1.0.2 dev v1 proto static ttl-propagate disabled", rtnl.Route{Family: unix.AF_MPLS,
			Label: 102, Via: a("10.1.0.2"), LinkIndex: ix.v1, Protocol: rtnl.ProtocolStatic, TTLPropagate: ptr(false)}},
	} {
		byIP.IP(t, strings.Fields(tc.ip)...)
		if err := c.AddRoute(ctx, tc.route); err != nil {
			t.Errorf("AddRoute for ip %s: %v", tc.ip, err)
		}
	}
	show := func(ns *testns.NS) []byte { return routeSorted(t, ns.IP(t, "-M", "-j", "-d", "-s", "route", "show")) }
	if got, want := show(byNlkit), show(byIP); !bytes.Equal(got, want) {
		t.Errorf("MPLS routes made by nlkit:\n%s\nby ip:\n%s", got, want)
	}
	compareRoutes(t, byIP, dial(t, byIP), []string{"-M"}, nil, []string{"table"}, rtnl.FilterRouteFamily(unix.AF_MPLS))

	byIP.IP(t, "-M", "route", "del", "100")
	if err := c.DeleteRoute(ctx, rtnl.Route{Family: unix.AF_MPLS, Label: 100}); err != nil {
		t.Errorf("DeleteRoute(label 100): %v", err)
	}
	if got, want := show(byNlkit), show(byIP); !bytes.Equal(got, want) {
		t.Errorf("after deleting label 100, nlkit's namespace:\n%s\nip's:\n%s", got, want)
	}
}
