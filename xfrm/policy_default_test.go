package xfrm_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/xfrm"
)

// TestDefaultPolicies sets the default policies with nlkit and with ip and
// compares ip xfrm policy getdefault with what nlkit reads.
func TestDefaultPolicies(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	check := func(want xfrm.DefaultPolicies) {
		t.Helper()
		got, err := c.DefaultPolicies(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("default policies %+v, want %+v", got, want)
		}
		text := fmt.Sprintf("Default policies:\n in:  %s\n fwd: %s\n out: %s\n", got.In, got.Fwd, got.Out)
		checkText(t, "ip xfrm policy getdefault", string(ns.IP(t, "xfrm", "policy", "getdefault")), text)
	}
	check(xfrm.DefaultPolicies{In: xfrm.DefaultAccept, Fwd: xfrm.DefaultAccept, Out: xfrm.DefaultAccept})
	if err := c.SetDefaultPolicies(ctx, xfrm.DefaultPolicies{In: xfrm.DefaultBlock, Out: xfrm.DefaultBlock}); err != nil {
		t.Fatal(err)
	}
	check(xfrm.DefaultPolicies{In: xfrm.DefaultBlock, Fwd: xfrm.DefaultAccept, Out: xfrm.DefaultBlock})
	ns.IP(t, "xfrm", "policy", "setdefault", "out", "accept", "fwd", "block")
	check(xfrm.DefaultPolicies{In: xfrm.DefaultBlock, Fwd: xfrm.DefaultBlock, Out: xfrm.DefaultAccept})
}
