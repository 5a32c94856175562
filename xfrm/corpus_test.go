package xfrm

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/corpus"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// corpusRequest returns the case's one request of the type.
func corpusRequest(t *testing.T, c corpus.Case, typ uint16) corpus.Message {
	t.Helper()
	var out []corpus.Message
	for _, m := range c.Messages {
		if m.Direction == "request" && m.Protocol == "NETLINK_XFRM" && m.Type == typ {
			out = append(out, m)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%s: %d requests of type %d, want 1", c.Name, len(out), typ)
	}
	return out[0]
}

// checkCorpusPayload compares a request payload nlkit built with ip's.
func checkCorpusPayload(t *testing.T, c corpus.Case, m corpus.Message, got []byte, flags uint16) {
	t.Helper()
	full := append(make([]byte, 16), got...)
	want := corpus.Mask(m.Bytes, m.Volatile)[16:]
	if g := corpus.Mask(full, m.Volatile)[16:]; !bytes.Equal(g, want) {
		t.Errorf("%s: request payload\n got %x\nwant %x (volatile bytes zeroed)", c.Command, g, want)
	}
	if f := flags | unix.NLM_F_REQUEST; f != m.Flags {
		t.Errorf("%s: header flags %#x, ip sent %#x", c.Command, f, m.Flags)
	}
}

// corpusKey is the key ip was given in the corpus: bytes from first on.
func corpusKey(first byte) []byte {
	k := make([]byte, 32)
	for i := range k {
		k[i] = first + byte(i)
	}
	return k
}

// TestCorpusRequests builds the requests of the corpus' ip xfrm commands
// and compares them with the bytes iproute2 sent.
func TestCorpusRequests(t *testing.T) {
	a, p := netip.MustParseAddr, netip.MustParsePrefix
	ack := uint16(unix.NLM_F_ACK)
	t.Run("xfrm_state_add_esp", func(t *testing.T) {
		c := corpus.LoadCase(t, "xfrm_state_add_esp")
		s := State{Src: a("10.0.0.1"), Dst: a("10.0.0.2"), Proto: ProtoESP, SPI: 1, Mode: ModeTunnel,
			Enc:  &Algorithm{Name: "aes", Key: corpusKey(0)},
			Auth: &Algorithm{Name: "sha256", Key: corpusKey(0x20)}}
		var e attrs.Encoder
		if err := s.request(&e); err != nil {
			t.Fatal(err)
		}
		checkCorpusPayload(t, c, corpusRequest(t, c, msgNewSA), e.Bytes(), ack)
		back, err := decodeState(e.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if back.Src != s.Src || back.Dst != s.Dst || back.SPI != 1 || back.Enc.Name != "aes" || !bytes.Equal(back.Auth.Key, s.Auth.Key) {
			t.Errorf("request decoded to %+v", back)
		}
	})
	t.Run("xfrm_state_show", func(t *testing.T) {
		c := corpus.LoadCase(t, "xfrm_state_show")
		_, req, err := newStateFilter(nil)
		if err != nil {
			t.Fatal(err)
		}
		checkCorpusPayload(t, c, corpusRequest(t, c, msgGetSA), req, unix.NLM_F_DUMP)
	})
	pol := Policy{Selector: Selector{Src: p("10.0.0.1/32"), Dst: p("10.0.0.2/32")}, Dir: DirOut,
		Mark:      Mark{Value: 1, Mask: 0xffffffff},
		Templates: []Template{{Src: a("10.0.0.1"), Dst: a("10.0.0.2"), Proto: ProtoESP, ReqID: 1, Mode: ModeTunnel}}}
	t.Run("xfrm_policy_add_out", func(t *testing.T) {
		c := corpus.LoadCase(t, "xfrm_policy_add_out")
		var e attrs.Encoder
		if err := pol.request(&e); err != nil {
			t.Fatal(err)
		}
		checkCorpusPayload(t, c, corpusRequest(t, c, msgNewPolicy), e.Bytes(), ack)
	})
	t.Run("xfrm_policy_del", func(t *testing.T) {
		c := corpus.LoadCase(t, "xfrm_policy_del")
		var e attrs.Encoder
		if err := pol.ID().request(&e); err != nil {
			t.Fatal(err)
		}
		checkCorpusPayload(t, c, corpusRequest(t, c, msgDelPolicy), e.Bytes(), ack)
	})
	t.Run("xfrm_policy_flush", func(t *testing.T) {
		c := corpus.LoadCase(t, "xfrm_policy_flush")
		var e attrs.Encoder
		(&Policy{}).idAttrs(&e, false)
		checkCorpusPayload(t, c, corpusRequest(t, c, msgFlushPolicy), e.Bytes(), ack)
	})
	t.Run("xfrm_policy_show", func(t *testing.T) {
		c := corpus.LoadCase(t, "xfrm_policy_show")
		checkCorpusPayload(t, c, corpusRequest(t, c, msgGetPolicy), nil, unix.NLM_F_DUMP)
	})
}

// TestCorpusReplies decodes every xfrm reply of the corpus: the policies
// of ip xfrm policy show, as ip printed them, and the kernel's rejection of
// an ESP state by a kernel without ESP.
func TestCorpusReplies(t *testing.T) {
	c := corpus.LoadCase(t, "xfrm_policy_show")
	var got []Policy
	for _, m := range c.Messages {
		if m.Direction == "reply" && m.Type == msgNewPolicy {
			p, err := decodePolicy(m.Payload())
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, p)
		}
	}
	if len(got) != 2 {
		t.Fatalf("%d policies decoded, want 2", len(got))
	}
	// ip printed: src 10.0.0.2/32 dst 10.0.0.1/32 dir in priority 0 ptype
	// main mark 0x1/0xffffffff tmpl src 10.0.0.2 dst 10.0.0.1 proto esp
	// reqid 1 mode tunnel; then the out policy.
	for i, want := range []struct {
		src, dst string
		dir      Dir
	}{{"10.0.0.2", "10.0.0.1", DirIn}, {"10.0.0.1", "10.0.0.2", DirOut}} {
		p := got[i]
		tm := p.Templates
		if p.Selector.Src.String() != want.src+"/32" || p.Selector.Dst.String() != want.dst+"/32" || p.Dir != want.dir ||
			p.Type != PolicyMain || p.Mark != (Mark{1, 0xffffffff}) || len(tm) != 1 ||
			tm[0].Src.String() != want.src || tm[0].Dst.String() != want.dst || tm[0].Proto != ProtoESP ||
			tm[0].ReqID != 1 || tm[0].Mode != ModeTunnel {
			t.Errorf("policy %d decoded to %+v", i, p)
		}
	}

	c = corpus.LoadCase(t, "xfrm_state_add_esp")
	for _, m := range c.Messages {
		if m.Direction != "reply" || m.Type != unix.NLMSG_ERROR {
			continue
		}
		err := nlconn.ParseError("add state", nlconn.Message{Type: m.Type, Flags: m.Flags, Data: m.Payload()})
		if !errors.Is(err, unix.EPROTONOSUPPORT) || !errors.Is(err, ErrNotSupported) {
			t.Errorf("error %v does not match EPROTONOSUPPORT and ErrNotSupported", err)
		}
		if err == nil || err.Error() != "add state: Requested type not found (protocol not supported)" {
			t.Errorf("error %q", err)
		}
	}
}
