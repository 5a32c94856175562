package xfrm

import (
	"encoding/hex"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// The payloads of the requests iproute2 6.1 sent for these commands,
// captured with strace (the header aside):
//
//	ip xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out ctx system_u:object_r:ipsec_spd_t:s0
//	ip xfrm policy delete src 10.1.0.0/16 dst 10.2.0.0/16 dir out ctx system_u:object_r:ipsec_spd_t:s0
//	ip xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc aes 0x000102030405060708090a0b0c0d0e0f ctx system_u:object_r:ipsec_spd_t:s0 mode tunnel
const (
	secCtxPolicyAdd = "0a0200000000000000000000000000000a010000000000000000000000000000000000000000000002001010000000000000000000000000ffffffffffffffff" +
		"ffffffffffffffffffffffffffffffffffffffffffffffff00000000000000000000000000000000000000000000000000000000000000000000000000000000" +
		"000000000000000000000000000000000000000000000000000000000000000001000000000000002d000800290008000101210073797374656d5f753a6f626a" +
		"6563745f723a69707365635f7370645f743a733000000000"
	secCtxPolicyDelete = "0a0200000000000000000000000000000a0100000000000000000000000000000000000000000000020010100000000000000000000000000000000001000000" +
		"2d000800290008000101210073797374656d5f753a6f626a6563745f723a69707365635f7370645f743a733000000000"
	secCtxStateAdd = "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000a00000200000000" +
		"000000000000000000000001320000000a000001000000000000000000000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" +
		"00000000000000000000000000000000000000000200010000000000000000005800020061657300000000000000000000000000000000000000000000000000" +
		"00000000000000000000000000000000000000000000000000000000000000000000000080000000000102030405060708090a0b0c0d0e0f2d00080029000800" +
		"0101210073797374656d5f753a6f626a6563745f723a69707365635f7370645f743a733000000000"
	testSecCtx = "system_u:object_r:ipsec_spd_t:s0"
)

// TestSecCtxRequests builds the requests of a state and a policy with a
// security context, and a policy delete by context, and compares them
// with iproute2's.
func TestSecCtxRequests(t *testing.T) {
	a, p := netip.MustParseAddr, netip.MustParsePrefix
	key, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f")
	pol := Policy{Selector: Selector{Src: p("10.1.0.0/16"), Dst: p("10.2.0.0/16")}, Dir: DirOut, SecurityContext: testSecCtx}
	for _, tc := range []struct {
		name, want string
		put        func(e *attrs.Encoder) error
	}{
		{"policy add", secCtxPolicyAdd, pol.request},
		{"policy delete", secCtxPolicyDelete, pol.ID().request},
		{"state add", secCtxStateAdd, (&State{Src: a("10.0.0.1"), Dst: a("10.0.0.2"), Proto: ProtoESP, SPI: 1, Mode: ModeTunnel,
			Enc: &Algorithm{Name: "aes", Key: key}, SecurityContext: testSecCtx}).request},
	} {
		var e attrs.Encoder
		if err := tc.put(&e); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.want, hex.EncodeToString(e.Bytes())); diff != "" {
			t.Errorf("%s: iproute2's request (-) and nlkit's (+) differ:\n%s", tc.name, diff)
		}
	}
}

// TestSecCtxDecode reads back the context of a captured request's
// attribute without its terminating NUL, and rejects contexts that cannot
// be sent.
func TestSecCtxDecode(t *testing.T) {
	b, _ := hex.DecodeString(secCtxPolicyAdd)
	var pol Policy
	if err := pol.decodeAttrs(b[sizePolicyInfo:]); err != nil || pol.SecurityContext != testSecCtx {
		t.Errorf("decoded context %q, %v; want %q", pol.SecurityContext, err, testSecCtx)
	}
	for _, ctx := range []string{"a\x00b", strings.Repeat("x", 0x10000)} {
		var e attrs.Encoder
		err := (&Policy{Selector: Selector{Dst: netip.MustParsePrefix("10.0.0.0/8")}, SecurityContext: ctx}).request(&e)
		var inv *InvalidError
		if !errors.As(err, &inv) || !errors.Is(err, unix.EINVAL) {
			t.Errorf("context of %d bytes: %v, want an InvalidError", len(ctx), err)
		}
	}
}
