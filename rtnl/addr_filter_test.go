package rtnl_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// TestAddrLabelPatternsLikeIP checks the label filter's shell patterns
// against ip's, which uses fnmatch(3), on labels full of pattern
// characters.
func TestAddrLabelPatternsLikeIP(t *testing.T) {
	ns := addrNS(t)
	labels := []string{"foo", `v0:\q`, "v0:[x", "v0:a*b", "v0:a?", "v0:-]", "v0:.x", "v0:A1", "v0:a/b", "v0:ab", "v0:1", "v0:]", "v0:^x", "v0:!x", "v0: x", "v0:a-b"}
	for i, l := range labels {
		ns.IP(t, "addr", "add", fmt.Sprintf("10.99.%d.1/32", i), "label", l, "dev", "v0")
	}
	c := dial(t, ns)
	ctx := context.Background()
	patterns := []string{
		"*", "v0", "v0*", "v0:?", "v0:??", "v0:???", "v0:[a-z]*", "v0:[!a-z]*", "v0:[^a]*",
		"v0:[[:upper:]]*", "v0:[[:digit:]]", "v0:[[:punct:]]*", "v0:[[:space:]]x", "v0:[[:alpha:][:digit:]]*",
		"*/*", "v0:[x", `v0:\[x`, `v0:a\*b`, `v0:a\?`, `v0:\\q`, `v0:\q`, "v0:[]]", "v0:[]-]*", "v0:[-]]",
		"v0:[a-]*", "v0:[!]]*", `*\`, "v0:.*", ".*", "f[o]o", "f[o-o]?", "[[:alpha:]]0*", "v0:[\\]]",
		"v0:[!^]x", "v0:[\\^]x", "v0:[a-c-e]*", "**", "*:*:*", "v0:*b", "v0:a*", "", "v0:[", "v0:[[:nope:]]*",
	}
	for _, p := range patterns {
		var ipAddrs []struct {
			Info []struct {
				Label string `json:"label"`
			} `json:"addr_info"`
		}
		if err := json.Unmarshal(ns.IP(t, "-4", "-j", "addr", "show", "dev", "v0", "label", p), &ipAddrs); err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, l := range ipAddrs {
			for _, a := range l.Info {
				if a.Label != "" {
					want = append(want, a.Label)
				}
			}
		}
		addrs, err := c.Addresses(ctx, rtnl.FilterAddrFamily(unix.AF_INET), rtnl.FilterAddrLink(addrLink(t, c, "v0")), rtnl.FilterAddrLabel(p))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range addrs {
			got = append(got, a.Label)
		}
		slices.Sort(got)
		slices.Sort(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("label %q: (-ip +nlkit):\n%s", p, diff)
		}
	}
}

func TestAddressesSeqStopsEarly(t *testing.T) {
	ns := addrNS(t)
	addrPopulate(t, ns)
	c := dial(t, ns)
	ctx := context.Background()
	n := 0
	for _, err := range c.AddressesSeq(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 2 {
			break
		}
	}
	// The connection is still usable, and a label filter streams too.
	got := 0
	for a, err := range c.AddressesSeq(ctx, rtnl.FilterAddrLabel("v0:*")) {
		if err != nil {
			t.Fatal(err)
		}
		if a.Label != "v0:sec" && a.Label != "v0:web" {
			t.Errorf("streamed label %q for the pattern v0:*", a.Label)
		}
		got++
	}
	if got != 2 {
		t.Errorf("streamed %d addresses labelled v0:*, want 2", got)
	}
}

func TestAddressPackageLevelFunctionsUseTheCallersNamespace(t *testing.T) {
	ns := addrNS(t)
	ctx := context.Background()
	var v0 int32
	var addErr, listErr, linkErr, seqErr error
	var listed, seen bool
	var las []rtnl.LinkWithAddresses
	inNetNS(t, ns, func() {
		l, err := rtnl.LinkByName(ctx, "v0")
		if err != nil {
			addErr = err
			return
		}
		v0 = l.Index
		a := rtnl.Address{LinkIndex: v0, Prefix: netip.MustParsePrefix("192.0.2.1/24")}
		c, err := rtnl.Dial(ctx)
		if err != nil {
			addErr = err
			return
		}
		addErr = c.AddAddress(ctx, a)
		c.Close()
		var addrs []rtnl.Address
		addrs, listErr = rtnl.Addresses(ctx, rtnl.FilterAddrLink(v0))
		for _, x := range addrs {
			listed = listed || x.Prefix == a.Prefix
		}
		las, linkErr = rtnl.LinkAddresses(ctx, rtnl.FilterAddrTo(a.Prefix))
		for x, err := range rtnl.AddressesSeq(ctx, rtnl.FilterAddrFamily(unix.AF_INET)) {
			if err != nil {
				seqErr = err
			}
			seen = seen || x.Prefix == a.Prefix
		}
	})
	if addErr != nil || listErr != nil || linkErr != nil || seqErr != nil {
		t.Fatalf("errors: add %v, Addresses %v, LinkAddresses %v, AddressesSeq %v", addErr, listErr, linkErr, seqErr)
	}
	if !listed || !seen || len(las) != 1 || las[0].Link.Name != "v0" {
		t.Errorf("from a thread in the namespace: listed %v, streamed %v, LinkAddresses %v; want the new address everywhere", listed, seen, las)
	}
}
