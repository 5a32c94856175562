package rtnl_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/rtnl"
)

func TestMulticastRulesMatchIP(t *testing.T) {
	ns := tokenNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	for _, fam := range []struct {
		flag   string
		family uint8
	}{{"-4", unix.AF_INET}, {"-6", unix.AF_INET6}} {
		got, err := c.MulticastRules(ctx, fam.family)
		if errors.Is(err, rtnl.ErrNotSupported) {
			kfeature.Missing(t, kfeature.Feature{Name: "multicast routing rules", Since: "4.0",
				Config: []string{"CONFIG_IP_MROUTE_MULTIPLE_TABLES", "CONFIG_IPV6_MROUTE_MULTIPLE_TABLES"}}, err)
		}
		if err != nil {
			t.Fatalf("MulticastRules(%s): %v", fam.flag, err)
		}
		var want []json.RawMessage
		out := ns.IP(t, fam.flag, "-j", "-d", "mrule", "show")
		if err := json.Unmarshal(out, &want); err != nil {
			t.Fatalf("ip mrule show: %v\n%s", err, out)
		}
		compareJSONList(t, "MulticastRules "+fam.flag, got, want)
		var streamed []rtnl.Rule
		for r, err := range c.MulticastRulesSeq(ctx, fam.family) {
			if err != nil {
				t.Fatalf("MulticastRulesSeq: %v", err)
			}
			streamed = append(streamed, r)
		}
		compareJSONList(t, "MulticastRulesSeq "+fam.flag, streamed, want)
	}
	if _, err := c.MulticastRules(ctx, unix.AF_PACKET); !isInvalid(err) {
		t.Errorf("MulticastRules(AF_PACKET): %v; want an InvalidError", err)
	}
}
