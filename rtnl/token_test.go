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

// compareTokens checks Tokens and TokensSeq against `ip -j token list`.
func compareTokens(t *testing.T, ns *testns.NS, c *rtnl.Conn) []rtnl.Token {
	t.Helper()
	ctx := context.Background()
	var want []json.RawMessage
	out := ns.IP(t, "-j", "token", "list")
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("ip token list: %v\n%s", err, out)
	}
	got, err := c.Tokens(ctx)
	if err != nil {
		t.Fatalf("Tokens: %v", err)
	}
	compareJSONList(t, "Tokens", got, want)
	var streamed []rtnl.Token
	for tok, err := range c.TokensSeq(ctx) {
		if err != nil {
			t.Fatalf("TokensSeq: %v", err)
		}
		streamed = append(streamed, tok)
	}
	if diff := cmp.Diff(got, streamed, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("TokensSeq differs from Tokens (-list +seq):\n%s", diff)
	}
	return got
}

// tokenNS returns a namespace with lo and a veth pair v0 and v1, whose
// default settings let them have a token.
func tokenNS(t *testing.T) *testns.NS {
	t.Helper()
	ns := testns.New(t)
	ns.IPBatch(t, `
link set lo up
link add v0 type veth peer name v1
`)
	return ns
}

func TestTokensLikeIP(t *testing.T) {
	ns := tokenNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	v0, v1 := addrLink(t, c, "v0"), addrLink(t, c, "v1")
	compareTokens(t, ns, c)

	// ip sets, nlkit reads.
	ns.IP(t, "token", "set", "::1:2:3:4/64", "dev", "v1")
	compareTokens(t, ns, c)
	if tok, err := c.GetToken(ctx, v1); err != nil || tok.Token != netip.MustParseAddr("::1:2:3:4") || tok.LinkName != "v1" {
		t.Errorf("GetToken(v1) = %+v, %v; want ::1:2:3:4 on v1", tok, err)
	}

	// nlkit sets, ip reads: the same as ip's own.
	if err := c.SetToken(ctx, v0, netip.MustParseAddr("2001:db8::1:2:3:4")); err != nil {
		t.Fatalf("SetToken: %v", err)
	}
	if got := ns.IP(t, "-j", "token", "get", "dev", "v0"); string(got) != `[{"token":"::1:2:3:4","ifname":"v0"}]`+"\n" {
		t.Errorf("after SetToken, ip token get prints %s", got)
	}
	compareTokens(t, ns, c)

	// Each deletes what the other set.
	if err := c.DeleteToken(ctx, v1); err != nil {
		t.Fatalf("DeleteToken: %v", err)
	}
	ns.IP(t, "token", "del", "dev", "v0")
	for _, tok := range compareTokens(t, ns, c) {
		if tok.Token != netip.IPv6Unspecified() {
			t.Errorf("after deleting, %s has token %s", tok.LinkName, tok.Token)
		}
	}
}

func TestTokenErrors(t *testing.T) {
	ns := tokenNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	lo := addrLink(t, c, "lo")
	if _, err := c.GetToken(ctx, 999); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("GetToken of a missing link: %v; want ErrNotExist", err)
	}
	if _, err := c.GetToken(ctx, lo); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("GetToken(lo): %v; want ErrNotExist", err)
	}
	if err := c.SetToken(ctx, 999, netip.MustParseAddr("::1")); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("SetToken on a missing link: %v; want ErrNotExist", err)
	}
	if err := c.SetToken(ctx, lo, netip.MustParseAddr("::1")); !errors.Is(err, unix.EINVAL) || isInvalid(err) {
		t.Errorf("SetToken(lo): %v; want the kernel's EINVAL", err)
	}
	for _, tc := range []struct {
		index int32
		token netip.Addr
	}{{0, netip.MustParseAddr("::1")}, {lo, netip.Addr{}}, {lo, netip.MustParseAddr("10.0.0.1")}, {lo, netip.MustParseAddr("fe80::1%lo")}} {
		if err := c.SetToken(ctx, tc.index, tc.token); !isInvalid(err) {
			t.Errorf("SetToken(%d, %s): %v; want an InvalidError", tc.index, tc.token, err)
		}
	}
}
