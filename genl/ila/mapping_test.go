package ila_test

import (
	"context"
	"errors"
	"regexp"
	"testing"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/ila"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
)

// compare checks Mappings and MappingsSeq against `ip -j ila list`.
func compare(t *testing.T, ns *testns.NS, c *genl.Conn) []ila.Mapping {
	t.Helper()
	ctx := context.Background()
	ms, err := ila.Mappings(ctx, c)
	if err != nil {
		t.Fatalf("Mappings: %v", err)
	}
	// The kernels of the VM dump locators that are not the ones added
	// (and change from one dump to the next): they are left out.
	locators := regexp.MustCompile(`"locator(_match)?":"[0-9a-f:]*"`)
	mask := func(b []byte) []byte { return locators.ReplaceAll(b, []byte(`"locator$1":"X"`)) }
	gtest.CompareJSON(t, "Mappings", mask(gtest.JSONList(t, ms)), mask(ns.IP(t, "-j", "ila", "list")))
	n := 0
	for _, err := range ila.MappingsSeq(ctx, c) {
		if err != nil {
			t.Fatalf("MappingsSeq: %v", err)
		}
		n++
	}
	if n != len(ms) {
		t.Errorf("MappingsSeq streamed %d mappings, Mappings returned %d", n, len(ms))
	}
	return ms
}

// TestMappingsLikeIP adds translations with nlkit and reads them with ip,
// adds them with ip and reads them with nlkit, and each deletes what the
// other added.
func TestMappingsLikeIP(t *testing.T) {
	ns := testns.New(t)
	c := gtest.Dial(t, ns)
	ctx := context.Background()
	if _, err := ila.Mappings(ctx, c); errors.Is(err, genl.ErrNotSupported) {
		kfeature.Missing(t, kfeature.Feature{Name: "ILA", Since: "4.7", Config: []string{"CONFIG_IPV6_ILA"}}, err)
	}
	ns.IP(t, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	v0 := gtest.LinkIndex(t, ns, "v0")
	csum, ident := ila.CsumNoAction, ila.IdentLUID
	match1, _ := ila.ParseLocator("2001:db8:1:2")
	loc1, _ := ila.ParseLocator("2001:db8:3:4")
	match2, _ := ila.ParseLocator("1:2:3:4")
	for _, m := range []ila.Mapping{
		{LocatorMatch: match1, Locator: loc1},
		{LocatorMatch: match2, Locator: loc1, LinkIndex: &v0, CsumMode: &csum, IdentType: &ident},
	} {
		if err := ila.Add(ctx, c, m); err != nil {
			t.Fatalf("Add(%+v): %v", m, err)
		}
	}
	ns.IP(t, "ila", "add", "loc_match", "5:6:7:8", "loc", "9:a:b:c", "csum-mode", "neutral-map-auto", "ident-type", "use-format")
	if ms := compare(t, ns, c); len(ms) != 3 {
		t.Errorf("%d mappings; want 3", len(ms))
	}
	if err := ila.Add(ctx, c, ila.Mapping{LocatorMatch: match1, Locator: loc1}); !errors.Is(err, genl.ErrExist) {
		t.Errorf("Add of an existing mapping: %v; want ErrExist", err)
	}
	match3, _ := ila.ParseLocator("5:6:7:8")
	if err := ila.Delete(ctx, c, ila.Mapping{LocatorMatch: match3}); err != nil {
		t.Errorf("Delete(5:6:7:8): %v", err)
	}
	ns.IP(t, "ila", "del", "loc_match", "2001:db8:1:2")
	if ms := compare(t, ns, c); len(ms) != 1 {
		t.Errorf("%d mappings after the deletions; want 1", len(ms))
	}
	if err := ila.Delete(ctx, c, ila.Mapping{LocatorMatch: match3}); err != nil {
		t.Errorf("Delete of a missing mapping: %v; the kernel answers it with success", err)
	}
}
