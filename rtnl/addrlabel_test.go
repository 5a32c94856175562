package rtnl_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// compareAddrLabels checks AddrLabels and AddrLabelsSeq against
// `ip -j addrlabel list`.
func compareAddrLabels(t *testing.T, ns *testns.NS, c *rtnl.Conn) []rtnl.AddrLabel {
	t.Helper()
	ctx := context.Background()
	var want []json.RawMessage
	out := ns.IP(t, "-j", "addrlabel", "list")
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("ip addrlabel list: %v\n%s", err, out)
	}
	got, err := c.AddrLabels(ctx)
	if err != nil {
		t.Fatalf("AddrLabels: %v", err)
	}
	compareJSONList(t, "AddrLabels", got, want)
	var streamed []rtnl.AddrLabel
	for a, err := range c.AddrLabelsSeq(ctx) {
		if err != nil {
			t.Fatalf("AddrLabelsSeq: %v", err)
		}
		streamed = append(streamed, a)
	}
	if diff := cmp.Diff(got, streamed, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
		t.Errorf("AddrLabelsSeq differs from AddrLabels (-list +seq):\n%s", diff)
	}
	return got
}

func TestAddrLabelsReadWhatIPAdds(t *testing.T) {
	ns := netconfNS(t)
	c := dial(t, ns)
	ns.IPBatch(t, `
addrlabel add prefix 2001:db8::/32 dev v0 label 100
addrlabel add prefix 2001:db8:1::/48 label 101
addrlabel add prefix fd00::/8 dev v1 label 4294967294
`)
	got := compareAddrLabels(t, ns, c)
	v0 := addrLink(t, c, "v0")
	want := rtnl.AddrLabel{Prefix: netip.MustParsePrefix("2001:db8::/32"), LinkIndex: v0, LinkName: "v0", Label: 100}
	found := false
	for _, a := range got {
		found = found || a == want
	}
	if !found {
		t.Errorf("AddrLabels = %+v; want %+v among them", got, want)
	}
}

func TestAddrLabelWriteLikeIP(t *testing.T) {
	ns := netconfNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	v0 := addrLink(t, c, "v0")
	labels := []rtnl.AddrLabel{
		{Prefix: netip.MustParsePrefix("2001:db8::/32"), LinkIndex: v0, Label: 100},
		{Prefix: netip.MustParsePrefix("2001:db8:1::/48"), Label: 0},
		{Prefix: netip.MustParsePrefix("fd00::/8"), Label: 7},
	}
	for _, a := range labels {
		if err := c.AddAddrLabel(ctx, a); err != nil {
			t.Fatalf("AddAddrLabel(%+v): %v", a, err)
		}
	}
	// The same as ip's.
	ref := netconfNS(t)
	ref.IPBatch(t, `
addrlabel add prefix 2001:db8::/32 dev v0 label 100
addrlabel add prefix 2001:db8:1::/48 label 0
addrlabel add prefix fd00::/8 label 7
`)
	if got, want := ns.IP(t, "-j", "addrlabel", "list"), ref.IP(t, "-j", "addrlabel", "list"); string(got) != string(want) {
		t.Errorf("after AddAddrLabel, ip lists\n%s\nafter ip addrlabel add\n%s", got, want)
	}
	compareAddrLabels(t, ns, c)

	if err := c.AddAddrLabel(ctx, labels[0]); !errors.Is(err, rtnl.ErrExist) {
		t.Errorf("AddAddrLabel again: %v; want ErrExist", err)
	}
	if err := c.AddAddrLabel(ctx, rtnl.AddrLabel{Prefix: netip.MustParsePrefix("2001:db8:2::/48"), LinkIndex: 999, Label: 1}); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("AddAddrLabel on a missing link: %v; want ErrNotExist", err)
	}
	if err := c.DeleteAddrLabel(ctx, rtnl.AddrLabel{Prefix: labels[0].Prefix, LinkIndex: 999}); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("DeleteAddrLabel on a missing link: %v; want ErrNotExist", err)
	}
	if err := c.DeleteAddrLabel(ctx, labels[0]); err != nil {
		t.Fatalf("DeleteAddrLabel: %v", err)
	}
	ref.IP(t, "addrlabel", "del", "prefix", "2001:db8::/32", "dev", "v0", "label", "100")
	if got, want := ns.IP(t, "-j", "addrlabel", "list"), ref.IP(t, "-j", "addrlabel", "list"); string(got) != string(want) {
		t.Errorf("after DeleteAddrLabel, ip lists\n%s\nafter ip addrlabel del\n%s", got, want)
	}
	if err := c.DeleteAddrLabel(ctx, labels[0]); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("DeleteAddrLabel again: %v; want ErrNotExist", err)
	}
	// ip deletes what nlkit added, nlkit what ip added.
	ns.IP(t, "addrlabel", "del", "prefix", "2001:db8:1::/48", "label", "0")
	if err := c.DeleteAddrLabel(ctx, rtnl.AddrLabel{Prefix: netip.MustParsePrefix("fd00::/8")}); err != nil {
		t.Fatalf("DeleteAddrLabel: %v", err)
	}
	ref.IP(t, "addrlabel", "del", "prefix", "2001:db8:1::/48", "label", "0")
	ref.IP(t, "addrlabel", "del", "prefix", "fd00::/8", "label", "7")
	if got, want := ns.IP(t, "-j", "addrlabel", "list"), ref.IP(t, "-j", "addrlabel", "list"); string(got) != string(want) {
		t.Errorf("after deleting, ip lists\n%s\nnot\n%s", got, want)
	}

	if err := c.FlushAddrLabels(ctx); err != nil {
		t.Fatalf("FlushAddrLabels: %v", err)
	}
	if got := ns.IP(t, "-j", "addrlabel", "list"); string(got) != "[]\n" {
		t.Errorf("after FlushAddrLabels, ip lists %s", got)
	}
	ref.IP(t, "addrlabel", "flush")
	if got := ref.IP(t, "-j", "addrlabel", "list"); string(got) != "[]\n" {
		t.Errorf("after ip addrlabel flush, ip lists %s", got)
	}
}

func TestAddrLabelInvalid(t *testing.T) {
	ns := netconfNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	for _, a := range []rtnl.AddrLabel{
		{},
		{Prefix: netip.MustParsePrefix("10.0.0.0/8"), Label: 1},
		{Prefix: netip.MustParsePrefix("2001:db8::/32"), Label: 0xffffffff},
		{Prefix: netip.MustParsePrefix("2001:db8::/32"), LinkIndex: -1},
	} {
		if err := c.AddAddrLabel(ctx, a); !isInvalid(err) || !errors.Is(err, unix.EINVAL) {
			t.Errorf("AddAddrLabel(%+v): %v; want an InvalidError", a, err)
		}
		if err := c.DeleteAddrLabel(ctx, a); !isInvalid(err) {
			t.Errorf("DeleteAddrLabel(%+v): %v; want an InvalidError", a, err)
		}
	}
}
