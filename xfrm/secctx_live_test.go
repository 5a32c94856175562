package xfrm_test

import (
	"context"
	"errors"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/xfrm"
)

const liveSecCtx = "system_u:object_r:ipsec_spd_t:s0"

// secCtxOutcome checks what the kernel made of a context written with an
// object: a kernel with a security module that labels IPsec (SELinux)
// keeps it (or rejects it with EINVAL, and the test ends there); one
// without accepts it and drops it, and an EINVAL there can only come from
// the context's lengths, checked whatever the module: a failure.
func secCtxOutcome(t *testing.T, what string, writeErr error, read string) bool {
	t.Helper()
	switch {
	case errors.Is(writeErr, unix.EINVAL) && !selinuxActive():
		t.Fatalf("%s: %v, from a kernel without SELinux: the context's encoding is wrong", what, writeErr)
	case errors.Is(writeErr, unix.EINVAL):
		t.Logf("%s: this kernel's security module rejects the context: %v", what, writeErr)
		return false
	case writeErr != nil:
		t.Fatalf("%s: %v", what, writeErr)
	case read != "" && read != liveSecCtx:
		t.Errorf("%s read back with the context %q, want %q or none", what, read, liveSecCtx)
	case read == "":
		t.Logf("%s: this kernel dropped the context (no security module labels IPsec)", what)
	}
	return true
}

// selinuxActive reports whether SELinux, the one security module that
// labels IPsec, is active: its file system is mounted or securityfs lists
// it.
func selinuxActive() bool {
	if _, err := os.Stat("/sys/fs/selinux/enforce"); err == nil {
		return true
	}
	lsm, _ := os.ReadFile("/sys/kernel/security/lsm")
	return slices.Contains(strings.Split(strings.TrimSpace(string(lsm)), ","), "selinux")
}

// TestPolicySecCtx writes policies with a security context with nlkit and
// with ip, reads them with both, and gets and deletes one by its context.
func TestPolicySecCtx(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	p := netip.MustParsePrefix
	pol := xfrm.Policy{Selector: xfrm.Selector{Src: p("10.1.0.0/16"), Dst: p("10.2.0.0/16")}, Dir: xfrm.DirOut,
		SecurityContext: liveSecCtx}
	err := c.AddPolicy(ctx, pol)
	var read string
	if err == nil {
		got, gerr := c.GetPolicy(ctx, pol.ID())
		if gerr != nil {
			t.Fatal(gerr)
		}
		read = got.SecurityContext
	}
	if !secCtxOutcome(t, "policy", err, read) {
		return
	}
	ns.IP(t, "xfrm", "policy", "add", "src", "10.3.0.0/16", "dst", "10.4.0.0/16", "dir", "in", "ctx", liveSecCtx)
	got, err := c.Policies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkPolicyText(t, ns, got)
	if err := c.DeletePolicy(ctx, pol.ID()); err != nil {
		t.Fatal(err)
	}
	ns.IP(t, "xfrm", "policy", "delete", "src", "10.3.0.0/16", "dst", "10.4.0.0/16", "dir", "in", "ctx", liveSecCtx)
	if got, err := c.Policies(ctx); err != nil || len(got) != 0 {
		t.Errorf("policies left: %+v, %v", got, err)
	}
}

// TestStateSecCtx adds an ESP state with a security context with nlkit
// and one with ip and reads both with both.
func TestStateSecCtx(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	a := netip.MustParseAddr
	s := xfrm.State{Src: a("10.0.0.1"), Dst: a("10.0.0.2"), Proto: xfrm.ProtoESP, SPI: 1, Mode: xfrm.ModeTunnel,
		Enc: &xfrm.Algorithm{Name: "cbc(aes)", Key: key(1, 16)}, SecurityContext: liveSecCtx}
	err := c.AddState(ctx, s)
	kfeature.Check(t, featESP, err)
	var read string
	if err == nil {
		got, gerr := c.GetState(ctx, s.ID())
		if gerr != nil {
			t.Fatal(gerr)
		}
		read = got.SecurityContext
	}
	if !secCtxOutcome(t, "state", err, read) {
		return
	}
	ns.IP(t, "xfrm", "state", "add", "src", "10.0.0.1", "dst", "10.0.0.3", "proto", "esp", "spi", "2", "mode", "tunnel",
		"enc", "cbc(aes)", "0x0102030405060708090a0b0c0d0e0f10", "ctx", liveSecCtx)
	got, err := c.States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkStateText(t, ns, got)
}
