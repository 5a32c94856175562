package mptcp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/genl/mptcp"
	"github.com/nlkit/nlkit/internal/testns"
)

// compareLimits checks GetLimits against the text of `ip mptcp limits
// show` (iproute2 6.1 prints no JSON for limits, even under -j), and
// nlkit's JSON for them against the same values.
func compareLimits(t *testing.T, ns *testns.NS, c *genl.Conn) mptcp.Limits {
	t.Helper()
	l, err := mptcp.GetLimits(context.Background(), c)
	if err != nil {
		t.Fatalf("GetLimits: %v", err)
	}
	if l.AddAddrAccepted == nil || l.Subflows == nil {
		t.Fatalf("GetLimits = %+v; want both limits", l)
	}
	want := fmt.Sprintf("add_addr_accepted %d subflows %d \n", *l.AddAddrAccepted, *l.Subflows)
	if got := string(ns.IP(t, "-j", "mptcp", "limits", "show")); got != want {
		t.Errorf("ip -j mptcp limits show = %q; GetLimits gives %q", got, want)
	}
	j, _ := json.Marshal(l)
	if wantJSON := fmt.Sprintf(`{"add_addr_accepted":%d,"subflows":%d}`, *l.AddAddrAccepted, *l.Subflows); string(j) != wantJSON {
		t.Errorf("Limits JSON = %s; want %s", j, wantJSON)
	}
	return l
}

func TestLimitsLikeIP(t *testing.T) {
	ns := testns.New(t)
	c := gtest.Dial(t, ns)
	ctx := context.Background()
	compareLimits(t, ns, c)

	three, two := uint32(3), uint32(2)
	if err := mptcp.SetLimits(ctx, c, mptcp.Limits{Subflows: &three, AddAddrAccepted: &two}); err != nil {
		t.Fatalf("SetLimits: %v", err)
	}
	if l := compareLimits(t, ns, c); *l.Subflows != 3 || *l.AddAddrAccepted != 2 {
		t.Errorf("after SetLimits(3, 2): %s", strings.TrimSpace(fmt.Sprint(*l.Subflows, *l.AddAddrAccepted)))
	}
	// A nil limit is left as it is.
	one := uint32(1)
	if err := mptcp.SetLimits(ctx, c, mptcp.Limits{Subflows: &one}); err != nil {
		t.Fatalf("SetLimits(subflows 1): %v", err)
	}
	if l := compareLimits(t, ns, c); *l.Subflows != 1 || *l.AddAddrAccepted != 2 {
		t.Errorf("after SetLimits(subflows 1): subflows %d, add_addr_accepted %d", *l.Subflows, *l.AddAddrAccepted)
	}
	ns.IP(t, "mptcp", "limits", "set", "add_addr_accepted", "4")
	if l := compareLimits(t, ns, c); *l.AddAddrAccepted != 4 {
		t.Errorf("after ip set add_addr_accepted 4: %d", *l.AddAddrAccepted)
	}
}
