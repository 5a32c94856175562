package rtnl_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

func TestAltNames(t *testing.T) {
	ns := testns.New(t)
	ns.IP(t, "link", "add", "br0", "type", "bridge")
	c := dial(t, ns)
	ctx := context.Background()
	br0 := mustLink(t, c, "br0")

	long := strings.Repeat("n", 127)
	if err := c.AddAltNames(ctx, br0.Index, "br-alt", long); err != nil {
		t.Fatalf("AddAltNames: %v", err)
	}
	var ip struct {
		AltNames []string `json:"altnames"`
	}
	ipLinkField(t, ns, "br0", &ip)
	if !slices.Equal(ip.AltNames, []string{"br-alt", long}) {
		t.Errorf("ip shows altnames %q; want br-alt and the 127-byte name", ip.AltNames)
	}
	byAlt, err := c.LinkByName(ctx, long)
	if err != nil || byAlt.Index != br0.Index {
		t.Errorf("LinkByName(127-byte altname) = %d, %v; want br0", byAlt.Index, err)
	}
	checkLink(t, ns, c, "br0")

	if err := c.AddAltNames(ctx, br0.Index, "br-alt"); !errors.Is(err, rtnl.ErrExist) {
		t.Errorf("AddAltNames(existing) error = %v; want ErrExist", err)
	}
	if err := c.DeleteAltNames(ctx, br0.Index, "br-alt", long); err != nil {
		t.Fatalf("DeleteAltNames: %v", err)
	}
	ip.AltNames = nil
	ipLinkField(t, ns, "br0", &ip)
	if len(ip.AltNames) != 0 {
		t.Errorf("after DeleteAltNames, ip shows altnames %q", ip.AltNames)
	}
	if err := c.DeleteAltNames(ctx, br0.Index, "br-alt"); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("DeleteAltNames(missing) error = %v; want ErrNotExist", err)
	}

	// An altname ip added is read back and removed by nlkit.
	ns.IP(t, "link", "property", "add", "dev", "br0", "altname", "from-ip")
	if l := mustLink(t, c, "br0"); !slices.Equal(l.AltNames, []string{"from-ip"}) {
		t.Errorf("AltNames = %q; want [from-ip]", l.AltNames)
	}
	if err := c.DeleteAltNames(ctx, br0.Index, "from-ip"); err != nil {
		t.Errorf("DeleteAltNames(from-ip): %v", err)
	}

	for _, bad := range [][]string{nil, {""}, {strings.Repeat("x", 128)}, {"a b"}, {"a/b"}} {
		if err := c.AddAltNames(ctx, br0.Index, bad...); !errors.Is(err, unix.EINVAL) {
			t.Errorf("AddAltNames(%q) error = %v; want EINVAL before sending", bad, err)
		}
	}
}
