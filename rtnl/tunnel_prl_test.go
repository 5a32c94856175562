package rtnl_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// TestPotentialRouters adds and deletes potential routers of an ISATAP
// tunnel with nlkit and with ip tunnel prl, and checks that nlkit lists
// what ip tunnel show lists, in the same order; sit is the VM kernels'.
func TestPotentialRouters(t *testing.T) {
	ctx := context.Background()
	ns := testns.New(t)
	c := dial(t, ns)
	addLinkOrSkip(t, c, rtnl.Link{Name: "is0", Info: &rtnl.LinkInfo{Kind: "sit",
		Data: &rtnl.IPTunnel{Kind: "sit", Local: netip.MustParseAddr("10.0.0.1"), ISATAP: ptr(true)}}})
	check := func() {
		t.Helper()
		rs, err := c.PotentialRouters(ctx, "is0")
		if err != nil {
			t.Fatalf("PotentialRouters: %v", err)
		}
		var want strings.Builder
		for _, r := range rs {
			if r.Default {
				want.WriteString(" pdr " + r.Addr.String())
			} else {
				want.WriteString(" pr " + r.Addr.String())
			}
		}
		out := string(ns.IP(t, "tunnel", "show", "is0"))
		_, got, _ := strings.Cut(out, "local 10.0.0.1")
		got, _, _ = strings.Cut(got, " ttl")
		if got != want.String() {
			t.Errorf("ip tunnel show: %q; nlkit lists %q", out, want.String())
		}
	}
	pdr := netip.MustParseAddr("10.0.0.2")
	if err := c.AddPotentialRouter(ctx, "is0", rtnl.PotentialRouter{Addr: pdr, Default: true}); err != nil {
		t.Fatalf("AddPotentialRouter: %v", err)
	}
	ns.IP(t, "tunnel", "prl", "dev", "is0", "prl-nodefault", "10.0.0.3")
	if err := c.AddPotentialRouter(ctx, "is0", rtnl.PotentialRouter{Addr: netip.MustParseAddr("10.0.0.4")}); err != nil {
		t.Fatalf("AddPotentialRouter: %v", err)
	}
	check()
	if err := c.AddPotentialRouter(ctx, "is0", rtnl.PotentialRouter{Addr: pdr}); !errors.Is(err, unix.EEXIST) {
		t.Errorf("AddPotentialRouter(again) error = %v; want EEXIST", err)
	}
	if err := c.DeletePotentialRouter(ctx, "is0", pdr); err != nil {
		t.Fatalf("DeletePotentialRouter: %v", err)
	}
	ns.IP(t, "tunnel", "prl", "dev", "is0", "prl-delete", "10.0.0.3")
	check()
	if err := c.DeletePotentialRouter(ctx, "is0", pdr); !errors.Is(err, unix.ENXIO) {
		t.Errorf("DeletePotentialRouter(missing) error = %v; want ENXIO", err)
	}
	if err := c.DeletePotentialRouter(ctx, "is0", netip.IPv4Unspecified()); err != nil {
		t.Fatalf("DeletePotentialRouter(0.0.0.0): %v", err)
	}
	if rs, err := c.PotentialRouters(ctx, "is0"); len(rs) != 0 || err != nil {
		t.Errorf("PotentialRouters after emptying = %v, %v", rs, err)
	}
}

// TestPotentialRoutersErrors checks the errors of the potential router
// list's calls, for which the host needs no sit.
func TestPotentialRoutersErrors(t *testing.T) {
	ctx := context.Background()
	c := dial(t, testns.New(t))
	if err := c.AddPotentialRouter(ctx, "lo", rtnl.PotentialRouter{Addr: netip.MustParseAddr("2001:db8::1")}); !isInvalid(err) {
		t.Errorf("AddPotentialRouter(IPv6) error = %v; want an InvalidError", err)
	}
	if err := c.DeletePotentialRouter(ctx, "lo", netip.Addr{}); !isInvalid(err) {
		t.Errorf("DeletePotentialRouter(zero Addr) error = %v; want an InvalidError", err)
	}
	if _, err := c.PotentialRouters(ctx, strings.Repeat("x", 16)); !isInvalid(err) {
		t.Errorf("PotentialRouters(long name) error = %v; want an InvalidError", err)
	}
	if _, err := c.PotentialRouters(ctx, "nosuch"); !errors.Is(err, unix.ENODEV) {
		t.Errorf("PotentialRouters(nosuch) error = %v; want ENODEV", err)
	}
	if err := c.AddPotentialRouter(ctx, "lo", rtnl.PotentialRouter{Addr: netip.MustParseAddr("10.0.0.2")}); !errors.Is(err, unix.EOPNOTSUPP) {
		t.Errorf("AddPotentialRouter(lo) error = %v; want EOPNOTSUPP", err)
	}
}
