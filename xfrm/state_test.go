package xfrm_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/xfrm"
)

// key returns n bytes counting from first.
func key(first byte, n int) []byte {
	k := make([]byte, n)
	for i := range k {
		k[i] = first + byte(i)
	}
	return k
}

// testStates are states that together use every field ip prints.
func testStates() []xfrm.State {
	a, p := netip.MustParseAddr, netip.MustParsePrefix
	return []xfrm.State{
		{
			Src: a("10.0.0.1"), Dst: a("10.0.0.2"), Proto: xfrm.ProtoESP, SPI: 0x100, ReqID: 7, Mode: xfrm.ModeTunnel,
			ReplayWindow: 32, Flags: xfrm.StateNoECN | xfrm.StateDecapDSCP | xfrm.StateWildRecv,
			ExtraFlags: xfrm.ExtraDontEncapDSCP,
			Mark:       xfrm.Mark{Value: 5, Mask: 0xff}, OutputMark: xfrm.Mark{Value: 0x10, Mask: 0xf0}, IfID: 9,
			Enc:      &xfrm.Algorithm{Name: "aes", Key: key(0, 32)},
			Auth:     &xfrm.Algorithm{Name: "sha256", Key: key(0x20, 32)},
			Encap:    &xfrm.Encap{Type: xfrm.EncapESPInUDP, SrcPort: 4500, DstPort: 4501, OriginalAddr: a("192.0.2.9")},
			TFCPad:   16,
			Selector: xfrm.Selector{Src: p("10.1.0.0/16"), Dst: p("10.2.0.0/16"), Proto: unix.IPPROTO_TCP, DstPort: 80},
			Lifetime: xfrm.LifetimeConfig{SoftByteLimit: 1 << 20, HardByteLimit: 2 << 20, SoftPacketLimit: 1000, HardPacketLimit: 2000,
				SoftAddExpires: 3000, HardAddExpires: 3600, SoftUseExpires: 600, HardUseExpires: 700},
		},
		{
			Src: a("2001:db8::1"), Dst: a("2001:db8::2"), Proto: xfrm.ProtoAH, SPI: 0x200, Mode: xfrm.ModeTransport,
			AuthTrunc: &xfrm.Algorithm{Name: "hmac(sha256)", Key: key(0x40, 32), TruncLen: 128},
		},
		{
			Src: a("10.0.0.2"), Dst: a("10.0.0.1"), Proto: xfrm.ProtoAH, SPI: 0x300, ReqID: 1, Mode: xfrm.ModeTransport,
			AuthTrunc: &xfrm.Algorithm{Name: "hmac(sha1)", Key: key(0x60, 20), TruncLen: 96},
			Replay:    &xfrm.Replay{Seq: 3, OSeq: 4, Bitmap: 0x7},
			Selector:  xfrm.Selector{Src: p("10.0.0.2/32"), Dst: p("10.0.0.1/32"), LinkName: "lo"},
		},
	}
}

// addOrSkip adds s; a kernel built without the protocol skips the test.
func addOrSkip(t *testing.T, c *xfrm.Conn, s xfrm.State) {
	t.Helper()
	err := c.AddState(context.Background(), s)
	if err != nil {
		f := featESP
		if s.Proto == xfrm.ProtoAH {
			f = featAH
		}
		kfeature.Check(t, f, err)
		t.Fatalf("add state %v %#x: %v", s.Proto, s.SPI, err)
	}
}

// TestStateNlkitToIP adds states with nlkit and compares ip -s xfrm state
// show with what nlkit reads back, which must be what was added.
func TestStateNlkitToIP(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	want := testStates()
	for _, s := range want {
		addOrSkip(t, c, s)
	}
	got, err := c.States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d states listed, want %d", len(got), len(want))
	}
	checkStateText(t, ns, got)
	for _, w := range want {
		g, err := c.GetState(ctx, w.ID())
		if err != nil {
			t.Fatalf("get %+v: %v", w.ID(), err)
		}
		checkStateFields(t, w, g)
		m := checkJSON(t, g, "src", "dst", "proto", "spi", "reqid", "mode", "replay_window", "flags", "sel",
			"lifetime_config", "lifetime_current", "stats")
		if sel, _ := m["sel"].(map[string]any); w.Selector.LinkName != "" && sel["dev"] != w.Selector.LinkName {
			t.Errorf("state %#x: JSON sel %v, want dev %q", w.SPI, sel, w.Selector.LinkName)
		}
	}
	if err := c.AddState(ctx, want[2]); !errors.Is(err, xfrm.ErrExist) {
		t.Errorf("adding a state twice: %v, want ErrExist", err)
	}
	// update changes the lifetime in place.
	up := want[2]
	up.Lifetime.HardAddExpires = 999
	if err := c.UpdateState(ctx, up); err != nil {
		t.Fatal(err)
	}
	if out := string(ns.IP(t, "-s", "xfrm", "state", "get", "src", "10.0.0.2", "dst", "10.0.0.1", "proto", "ah", "spi", "0x300")); !strings.Contains(out, "hard 999(sec)") {
		t.Errorf("after update, ip xfrm state get shows\n%s", out)
	}
	// filters: in the kernel (protocol, addresses) and in nlkit.
	for _, tc := range []struct {
		filters []xfrm.StateFilter
		n       int
	}{
		{[]xfrm.StateFilter{xfrm.FilterStateProto(xfrm.ProtoAH)}, 2},
		{[]xfrm.StateFilter{xfrm.FilterStateFamily(unix.AF_INET6)}, 1},
		{[]xfrm.StateFilter{xfrm.FilterStateDst(netip.MustParsePrefix("10.0.0.0/24"))}, 2},
		{[]xfrm.StateFilter{xfrm.FilterStateSrc(netip.MustParsePrefix("10.0.0.1/32")), xfrm.FilterStateMode(xfrm.ModeTunnel)}, 1},
		{[]xfrm.StateFilter{xfrm.FilterStateSPI(0x200)}, 1},
		{[]xfrm.StateFilter{xfrm.FilterStateReqID(7)}, 1},
	} {
		n := 0
		for _, err := range c.StreamStates(ctx, tc.filters...) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != tc.n {
			t.Errorf("filter %d: %d states, want %d", len(tc.filters), n, tc.n)
		}
	}
	info, err := c.SADInfo(ctx)
	if err != nil || info.Count != 3 {
		t.Errorf("SAD info %+v, %v; want count 3", info, err)
	}
	if out := string(ns.IP(t, "xfrm", "state", "count")); !strings.Contains(out, "SAD count 3") {
		t.Errorf("ip xfrm state count: %q", out)
	}
	// allocspi makes a larval state with an SPI in the range.
	larval, err := c.AllocSPI(ctx, xfrm.State{Src: netip.MustParseAddr("10.9.0.1"), Dst: netip.MustParseAddr("10.9.0.2"),
		Proto: xfrm.ProtoESP, Mode: xfrm.ModeTunnel, ReqID: 3}, 0x1000, 0x1fff)
	if err != nil {
		t.Fatal(err)
	}
	if larval.SPI < 0x1000 || larval.SPI > 0x1fff {
		t.Errorf("allocated SPI %#x outside 0x1000-0x1fff", larval.SPI)
	}
	if out := string(ns.IP(t, "xfrm", "state", "list", "spi", fmt.Sprintf("%#x", larval.SPI))); !strings.Contains(out, "src 10.9.0.1 dst 10.9.0.2") {
		t.Errorf("ip does not show the allocated SPI %#x:\n%s", larval.SPI, out)
	}
	// delete one, flush the AH ones, then all.
	if err := c.DeleteState(ctx, want[0].ID()); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteState(ctx, want[0].ID()); !errors.Is(err, xfrm.ErrNotExist) {
		t.Errorf("deleting a deleted state: %v, want ErrNotExist", err)
	}
	if err := c.FlushStates(ctx, xfrm.ProtoAH); err != nil {
		t.Fatal(err)
	}
	if out := ns.IP(t, "xfrm", "state", "list", "proto", "ah"); len(out) != 0 {
		t.Errorf("after flushing AH states ip shows\n%s", out)
	}
	if err := c.FlushStates(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if out := ns.IP(t, "xfrm", "state", "show"); len(out) != 0 {
		t.Errorf("after flush ip shows\n%s", out)
	}
}

// TestStateIPToNlkit adds states with ip — those of the guide's VTI
// scenario and others — and checks nlkit reads what ip shows.
func TestStateIPToNlkit(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	aes, sha := "0x"+fmt.Sprintf("%x", key(1, 32)), "0x"+fmt.Sprintf("%x", key(0x21, 32))
	// A kernel without ESP skips here.
	if err := c.AddState(context.Background(), xfrm.State{Src: netip.MustParseAddr("10.0.0.1"), Dst: netip.MustParseAddr("10.0.0.2"),
		Proto: xfrm.ProtoESP, SPI: 99, Enc: &xfrm.Algorithm{Name: "aes", Key: key(0, 16)}}); err != nil {
		kfeature.Check(t, featESP, err)
		t.Fatal(err)
	}
	ns.IPBatch(t,
		"xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc aes "+aes+" auth sha256 "+sha+" mode tunnel",
		"xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 1 enc aes "+aes+" auth sha256 "+sha+" mode tunnel",
		"xfrm state add src 10.0.0.3 dst 10.0.0.4 proto ah spi 0x20 mode transport auth-trunc sha256 0x"+fmt.Sprintf("%x", key(3, 32))+" 128 mark 3 mask 0xf if_id 5 output-mark 0x7 limit time-soft 100 limit byte-hard 5000",
		"xfrm state add src 10.0.0.5 dst 10.0.0.6 proto esp spi 0x30 mode tunnel enc cbc(des3_ede) 0x"+fmt.Sprintf("%x", key(4, 24))+" auth-trunc hmac(md5) 0x"+fmt.Sprintf("%x", key(5, 16))+" 96 encap espinudp 1000 2000 0.0.0.0 flag noecn flag nopmtudisc replay-window 8",
		"xfrm state add src 10.0.0.7 dst 10.0.0.8 proto esp spi 0x40 mode transport enc aes "+aes+" sel src 10.0.0.7 dst 10.0.0.8 dev lo",
	)
	got, err := c.States(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkStateText(t, ns, got)
	guides := 0
	for _, s := range got {
		if s.SPI != 1 {
			continue
		}
		guides++
		if s.Enc == nil || s.Enc.Name != "cbc(aes)" || !bytes.Equal(s.Enc.Key, key(1, 32)) ||
			s.AuthTrunc == nil || s.AuthTrunc.Name != "hmac(sha256)" || s.AuthTrunc.TruncLen != 96 || s.Mode != xfrm.ModeTunnel {
			t.Errorf("guide's state read as %+v", s)
		}
	}
	if guides != 2 {
		t.Errorf("nlkit read %d of the guide's 2 states (spi 1)", guides)
	}
}

// TestStateErrors checks that bad keys are rejected before sending and that
// a protocol or an algorithm the kernel lacks gives ErrNotSupported.
func TestStateErrors(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	a := netip.MustParseAddr
	base := xfrm.State{Src: a("10.0.0.1"), Dst: a("10.0.0.2"), Proto: xfrm.ProtoESP, SPI: 1, Mode: xfrm.ModeTunnel}
	for _, s := range []xfrm.State{
		with(base, func(s *xfrm.State) { s.Enc = &xfrm.Algorithm{Name: "aes", Key: key(0, 15)} }),
		with(base, func(s *xfrm.State) { s.Enc = &xfrm.Algorithm{Name: "cbc(des3_ede)", Key: key(0, 16)} }),
		with(base, func(s *xfrm.State) { s.AEAD = &xfrm.Algorithm{Name: "rfc4106(gcm(aes))", Key: key(0, 16), ICVLen: 128} }),
		with(base, func(s *xfrm.State) { s.Auth = &xfrm.Algorithm{Name: "xcbc(aes)", Key: key(0, 20)} }),
		with(base, func(s *xfrm.State) { s.Comp = &xfrm.Algorithm{Name: "deflate", Key: key(0, 1)} }),
		with(base, func(s *xfrm.State) { s.Src = a("2001:db8::1") }),
	} {
		var inv *xfrm.InvalidError
		if err := c.AddState(ctx, s); !errors.As(err, &inv) || !errors.Is(err, unix.EINVAL) {
			t.Errorf("add %+v: %v, want an InvalidError", s, err)
		}
	}
	// A kernel without ESP says "Requested type not found"
	// (EPROTONOSUPPORT); one with ESP lacks the algorithm (ENOSYS). Both
	// match ErrNotSupported.
	err := c.AddState(ctx, with(base, func(s *xfrm.State) { s.Enc = &xfrm.Algorithm{Name: "no-such-cipher", Key: key(0, 16)} }))
	if !errors.Is(err, xfrm.ErrNotSupported) {
		t.Errorf("unknown algorithm: %v, want ErrNotSupported", err)
	}
	if errors.Is(err, unix.EPROTONOSUPPORT) && !strings.Contains(err.Error(), "Requested type not found") {
		t.Errorf("unsupported protocol: %v, want the kernel's message", err)
	}
	err = c.AddState(ctx, xfrm.State{Src: a("10.0.0.1"), Dst: a("10.0.0.2"), Proto: 99, SPI: 1})
	if !errors.Is(err, xfrm.ErrNotSupported) && !errors.Is(err, unix.EINVAL) {
		t.Errorf("protocol 99: %v, want ErrNotSupported or EINVAL", err)
	}
	// A device named but missing is found missing before the state is
	// sent, whether or not the kernel has ESP.
	for _, s := range []xfrm.State{
		with(base, func(s *xfrm.State) { s.Selector.LinkName = "nosuch0" }),
		with(base, func(s *xfrm.State) { s.Offload = &xfrm.Offload{LinkName: "nosuch0"} }),
	} {
		if err := c.AddState(ctx, s); !errors.Is(err, xfrm.ErrNotExist) || !strings.Contains(err.Error(), "nosuch0") {
			t.Errorf("add %+v: %v, want ErrNotExist naming the device", s, err)
		}
	}
	if _, err := c.AllocSPI(ctx, with(base, func(s *xfrm.State) { s.Selector.LinkName = "nosuch0" }), 1, 10); !errors.Is(err, xfrm.ErrNotExist) {
		t.Errorf("allocspi with a missing device: %v, want ErrNotExist", err)
	}
}

func with[T any](v T, f func(*T)) T {
	f(&v)
	return v
}

// checkStateText compares ip xfrm state show and ip -s xfrm state show
// with State.Text of the states nlkit listed.
func checkStateText(t *testing.T, ns *testns.NS, got []xfrm.State) {
	t.Helper()
	for stats, args := range [][]string{{"xfrm", "state", "show"}, {"-s", "xfrm", "state", "show"}} {
		var b strings.Builder
		for _, s := range got {
			b.WriteString(s.Text(xfrm.TextOptions{Stats: stats}))
		}
		ip := string(ns.IP(t, args...))
		checkText(t, "ip "+strings.Join(args, " "), sortedBlocks(ip), sortedBlocks(b.String()))
	}
}

// checkStateFields compares a state read back with the one added, the
// fields the kernel fills in or rewrites aside.
func checkStateFields(t *testing.T, want, got xfrm.State) {
	t.Helper()
	want.Current, want.Stats, want.LastUsed = got.Current, got.Stats, got.LastUsed
	if want.Replay == nil {
		want.Replay = got.Replay
	}
	if want.ReplayESN != nil && got.ReplayESN != nil && want.ReplayESN.Bitmap == nil {
		want.ReplayESN.Bitmap = got.ReplayESN.Bitmap
	}
	for _, l := range []*uint64{&want.Lifetime.SoftByteLimit, &want.Lifetime.HardByteLimit, &want.Lifetime.SoftPacketLimit, &want.Lifetime.HardPacketLimit} {
		if *l == 0 {
			*l = ^uint64(0)
		}
	}
	if want.Enc != nil {
		e := *want.Enc
		e.Name = xfrm.KernelAlgorithmName("enc", e.Name)
		want.Enc = &e
	}
	if want.Auth != nil { // the kernel reports auth as auth-trunc
		a := *want.Auth
		a.Name = xfrm.KernelAlgorithmName("auth", a.Name)
		a.TruncLen = got.AuthTrunc.TruncLen
		want.Auth, want.AuthTrunc = nil, &a
	}
	if want.Selector.IsZero() {
		want.Selector = got.Selector
	} else if want.Selector.Family == 0 {
		want.Selector.Family = got.Selector.Family
	}
	if want.Selector.DstPort != 0 && want.Selector.DstPortMask == 0 {
		want.Selector.DstPortMask = 0xffff
	}
	if want.Selector.LinkName == "lo" {
		want.Selector.LinkIndex = 1 // written by name, read with both
	}
	checkFields(t, "state", want, got)
}

// TestStateAEADESN adds an AEAD state with extended sequence numbers with
// nlkit and compares it with ip's reading. (An AEAD's first use costs
// seconds of self tests in an emulated VM: this test carries that cost
// alone.)
func TestStateAEADESN(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	a := netip.MustParseAddr
	s := xfrm.State{
		Src: a("2001:db8::1"), Dst: a("2001:db8::2"), Proto: xfrm.ProtoESP, SPI: 0x200, Mode: xfrm.ModeTransport,
		Flags:     xfrm.StateESN,
		AEAD:      &xfrm.Algorithm{Name: "rfc4106(gcm(aes))", Key: key(0x40, 20), ICVLen: 128},
		ReplayESN: &xfrm.ReplayESN{ReplayWindow: 128, OSeq: 5, OSeqHi: 1},
	}
	addOrSkip(t, c, s)
	ns.IPBatch(t, "xfrm state add src 2001:db8::1 dst 2001:db8::2 proto esp spi 0x10 reqid 4 mode beet aead rfc4106(gcm(aes)) 0x"+
		fmt.Sprintf("%x", key(2, 36))+" 64 replay-window 64 flag esn sel src 2001:db8::/64 dst 2001:db8:1::/64")
	got, err := c.States(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkStateText(t, ns, got)
	g, err := c.GetState(context.Background(), s.ID())
	if err != nil {
		t.Fatal(err)
	}
	checkStateFields(t, s, g)
}
