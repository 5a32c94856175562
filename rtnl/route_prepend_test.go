package rtnl_test

import (
	"bytes"
	"context"
	"net/netip"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// TestPrependRouteLikeIP prepends a route to one of the same destination
// with nlkit in one namespace and with `ip route prepend` in another, and
// compares ip's listings in the order the kernel gives them: the prepended
// route must come first, where an appended one would come last.
func TestPrependRouteLikeIP(t *testing.T) {
	byIP, byNlkit := routeNS(t), routeNS(t)
	for _, ns := range []*testns.NS{byIP, byNlkit} {
		ns.IP(t, "route", "add", "192.168.2.0/24", "via", "10.0.0.254")
	}
	byIP.IP(t, "route", "prepend", "192.168.2.0/24", "via", "10.1.0.8")
	c := dial(t, byNlkit)
	err := c.PrependRoute(context.Background(), rtnl.Route{Dst: netip.MustParsePrefix("192.168.2.0/24"), Gateway: netip.MustParseAddr("10.1.0.8")})
	if err != nil {
		t.Fatalf("PrependRoute: %v", err)
	}
	show := []string{"-j", "-d", "route", "show", "192.168.2.0/24"}
	got, want := byNlkit.IP(t, show...), byIP.IP(t, show...)
	if !bytes.Equal(got, want) {
		t.Errorf("routes after PrependRoute:\n%s\nafter ip route prepend:\n%s", got, want)
	}
	if !bytes.Contains(want, []byte(`"gateway":"10.1.0.8"`)) || bytes.Index(want, []byte("10.1.0.8")) > bytes.Index(want, []byte("10.0.0.254")) {
		t.Errorf("ip route prepend did not list the prepended route first:\n%s", want)
	}
}
