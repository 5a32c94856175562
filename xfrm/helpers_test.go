package xfrm_test

import (
	"context"
	"encoding/json"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
	"github.com/nlkit/nlkit/xfrm"
)

// dial opens an xfrm connection in ns, closed when the test ends.
func dial(t *testing.T, ns *testns.NS) *xfrm.Conn {
	t.Helper()
	c, err := xfrm.Dial(context.Background(), xfrm.WithNetNS(ns.FD()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// devNamer names the links of ns by index, as ip prints them.
func devNamer(t *testing.T, ns *testns.NS) func(int32) string {
	t.Helper()
	rc, err := rtnl.Dial(context.Background(), rtnl.WithNetNS(ns.FD()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rc.Close() })
	return func(i int32) string {
		l, err := rc.LinkByIndex(context.Background(), i)
		if err != nil {
			t.Fatal(err)
		}
		return l.Name
	}
}

// checkText compares ip's text with nlkit's rendering of what it read.
func checkText(t *testing.T, what, ip, nlkit string) {
	t.Helper()
	if diff := cmp.Diff(strings.Split(ip, "\n"), strings.Split(nlkit, "\n")); diff != "" {
		t.Errorf("%s: ip's text (-) and nlkit's reading of the same objects (+) differ:\n%s", what, diff)
	}
}

// checkJSON checks that v marshals to valid JSON with the keys given.
func checkJSON(t *testing.T, v any, keys ...string) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("invalid JSON %s: %v", b, err)
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON %s has no key %q", b, k)
		}
	}
	return m
}

// slicesSort sorts s.
func slicesSort(s []string) { slices.Sort(s) }

// checkFields compares what was written with what was read back.
func checkFields(t *testing.T, what string, want, got any) {
	t.Helper()
	if diff := cmp.Diff(want, got, cmp.Comparer(func(x, y netip.Addr) bool { return x == y }),
		cmp.Comparer(func(x, y netip.Prefix) bool { return x == y })); diff != "" {
		t.Errorf("%s read back (-written +read):\n%s", what, diff)
	}
}
