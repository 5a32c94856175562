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

// mruleMissing skips t when err says the kernel has no multicast policy
// routing for the family.
func mruleMissing(t *testing.T, err error) {
	t.Helper()
	if errors.Is(err, rtnl.ErrNotSupported) {
		kfeature.Missing(t, kfeature.Feature{Name: "multicast routing rules", Since: "4.0",
			Config: []string{"CONFIG_IP_MROUTE_MULTIPLE_TABLES", "CONFIG_IPV6_MROUTE_MULTIPLE_TABLES"}}, err)
	}
}

// TestMulticastRuleWrite adds multicast rules with nlkit and reads them
// with ip, adds one with ip and deletes it with nlkit, and flushes, for
// both families.
func TestMulticastRuleWrite(t *testing.T) {
	ctx := context.Background()
	for _, fam := range []struct {
		flag   string
		family uint8
	}{{"-4", unix.AF_INET}, {"-6", unix.AF_INET6}} {
		ns := testns.New(t)
		c := dial(t, ns)
		err := c.AddMulticastRule(ctx, rtnl.Rule{Family: fam.family, IIF: "lo", Table: 10, Priority: 100})
		mruleMissing(t, err)
		if err != nil {
			t.Fatalf("AddMulticastRule(%s): %v", fam.flag, err)
		}
		if err := c.AddMulticastRule(ctx, rtnl.Rule{Family: fam.family, IIF: "lo", Table: 10, Priority: 100}); !errors.Is(err, rtnl.ErrExist) {
			t.Errorf("AddMulticastRule(%s) again: %v; want ErrExist", fam.flag, err)
		}
		if out := string(ns.IP(t, fam.flag, "mrule", "show")); !strings.Contains(out, "100:\tfrom all iif lo lookup 10") {
			t.Errorf("ip %s mrule show after AddMulticastRule:\n%s", fam.flag, out)
		}
		ns.IP(t, fam.flag, "mrule", "add", "fwmark", "7", "table", "11", "pref", "200")
		if err := c.DeleteMulticastRule(ctx, rtnl.Rule{Family: fam.family, Priority: 200}); err != nil {
			t.Errorf("DeleteMulticastRule(%s, pref 200): %v", fam.flag, err)
		}
		if err := c.DeleteMulticastRule(ctx, rtnl.Rule{Family: fam.family, Priority: 200}); !errors.Is(err, rtnl.ErrNotExist) {
			t.Errorf("DeleteMulticastRule(%s, pref 200) again: %v; want ErrNotExist", fam.flag, err)
		}
		if out := string(ns.IP(t, fam.flag, "mrule", "show")); strings.Contains(out, "200:") {
			t.Errorf("ip %s mrule show after DeleteMulticastRule:\n%s", fam.flag, out)
		}
		if err := c.FlushMulticastRules(ctx, fam.family); err != nil {
			t.Errorf("FlushMulticastRules(%s): %v", fam.flag, err)
		}
		if rs, err := c.MulticastRules(ctx, fam.family); err != nil || len(rs) != 0 {
			t.Errorf("MulticastRules(%s) after the flush: %v, %v; want none", fam.flag, rs, err)
		}
	}
	c := dial(t, testns.New(t))
	if err := c.AddMulticastRule(ctx, rtnl.Rule{Family: unix.AF_PACKET}); !isInvalid(err) {
		t.Errorf("AddMulticastRule(AF_PACKET): %v; want an InvalidError", err)
	}
	if err := c.FlushMulticastRules(ctx, unix.AF_PACKET); !isInvalid(err) {
		t.Errorf("FlushMulticastRules(AF_PACKET): %v; want an InvalidError", err)
	}
}
