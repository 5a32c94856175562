package seg6_test

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"os/exec"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/genl/seg6"
	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
)

// hmacFeature is SRv6 HMAC, which a kernel may be built without.
var hmacFeature = kfeature.Feature{Name: "SRv6 HMAC", Since: "4.10", Config: []string{"CONFIG_IPV6_SEG6_HMAC"}}

func TestTunnelSourceLikeIP(t *testing.T) {
	ns := testns.New(t)
	c := gtest.Dial(t, ns)
	ctx := context.Background()
	compare := func() seg6.TunnelSource {
		t.Helper()
		s, err := seg6.GetTunnelSource(ctx, c)
		if err != nil {
			t.Fatalf("GetTunnelSource: %v", err)
		}
		gtest.CompareJSON(t, "GetTunnelSource", gtest.JSONList(t, []seg6.TunnelSource{s}), ns.IP(t, "-j", "sr", "tunsrc", "show"))
		return s
	}
	if s := compare(); s.Addr != netip.IPv6Unspecified() {
		t.Errorf("a new namespace's tunnel source is %s", s.Addr)
	}
	a := netip.MustParseAddr("2001:db8::5")
	if err := seg6.SetTunnelSource(ctx, c, a); err != nil {
		t.Fatalf("SetTunnelSource: %v", err)
	}
	if s := compare(); s.Addr != a {
		t.Errorf("after SetTunnelSource(%s): %s", a, s.Addr)
	}
	ns.IP(t, "sr", "tunsrc", "set", "fd00::1")
	if s := compare(); s.Addr != netip.MustParseAddr("fd00::1") {
		t.Errorf("after ip sr tunsrc set fd00::1: %s", s.Addr)
	}
	for _, bad := range []netip.Addr{{}, netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("fe80::1%lo")} {
		if err := seg6.SetTunnelSource(ctx, c, bad); !genl.IsInvalid(err) {
			t.Errorf("SetTunnelSource(%s): %v; want an InvalidError", bad, err)
		}
	}
}

// ipSetHMAC runs `ip sr hmac set ID ALGO` with the secret on its input,
// where ip's getpass reads it when there is no terminal.
func ipSetHMAC(t *testing.T, ns *testns.NS, id, algo, secret string) {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command("ip", "-n", ns.Name(), "sr", "hmac", "set", id, algo)
	cmd.Stdin, cmd.Stderr = strings.NewReader(secret+"\n"), &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ip sr hmac set %s %s: %v\n%s", id, algo, err, stderr.Bytes())
	}
}

func TestHMACKeysLikeIP(t *testing.T) {
	ns := testns.New(t)
	c := gtest.Dial(t, ns)
	ctx := context.Background()
	compare := func() []seg6.HMACKey {
		t.Helper()
		ks, err := seg6.HMACKeys(ctx, c)
		if err != nil {
			t.Fatalf("HMACKeys: %v", err)
		}
		gtest.CompareJSON(t, "HMACKeys", gtest.JSONList(t, ks), ns.IP(t, "-j", "sr", "hmac", "show"))
		var n int
		for _, err := range seg6.HMACKeysSeq(ctx, c) {
			if err != nil {
				t.Fatalf("HMACKeysSeq: %v", err)
			}
			n++
		}
		if n != len(ks) {
			t.Errorf("HMACKeysSeq streamed %d keys, HMACKeys returned %d", n, len(ks))
		}
		return ks
	}
	err := seg6.SetHMACKey(ctx, c, seg6.HMACKey{ID: 100, Algorithm: seg6.SHA256, Secret: "nlkit secret"})
	if errors.Is(err, genl.ErrNotSupported) {
		kfeature.Missing(t, hmacFeature, err)
	}
	if err != nil {
		t.Fatalf("SetHMACKey: %v", err)
	}
	ipSetHMAC(t, ns, "7", "sha1", "ip's secret")
	if ks := compare(); len(ks) != 2 {
		t.Errorf("%d keys; want 2", len(ks))
	}
	if err := seg6.DeleteHMACKey(ctx, c, 7); err != nil {
		t.Fatalf("DeleteHMACKey(7): %v", err)
	}
	ipSetHMAC(t, ns, "100", "sha256", "")
	if ks := compare(); len(ks) != 0 {
		t.Errorf("after deleting both: %+v", ks)
	}
	if err := seg6.DeleteHMACKey(ctx, c, 7); !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("DeleteHMACKey of a missing key: %v; want ErrNotExist", err)
	}
	for _, k := range []seg6.HMACKey{{Algorithm: seg6.SHA1}, {ID: 1, Algorithm: 9}, {ID: 1, Algorithm: seg6.SHA1, Secret: strings.Repeat("x", 65)}} {
		if err := seg6.SetHMACKey(ctx, c, k); !genl.IsInvalid(err) {
			t.Errorf("SetHMACKey(%+v): %v; want an InvalidError", k, err)
		}
	}
}
