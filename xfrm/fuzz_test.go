package xfrm

import (
	"encoding/json"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/corpus"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// fuzzState is a state with most attributes, as a seed.
func fuzzState() State {
	a, p := netip.MustParseAddr, netip.MustParsePrefix
	return State{Src: a("10.0.0.1"), Dst: a("10.0.0.2"), Proto: ProtoESP, SPI: 1, Mode: ModeTunnel, ReqID: 3,
		Mark: Mark{1, 2}, OutputMark: Mark{3, 4}, IfID: 5, TFCPad: 6, ExtraFlags: 1, Dir: SADirOut, PCPUNum: new(uint32),
		Enc:       &Algorithm{Name: "aes", Key: make([]byte, 16)},
		AuthTrunc: &Algorithm{Name: "hmac(sha256)", Key: make([]byte, 32), TruncLen: 128},
		Encap:     &Encap{Type: EncapESPInUDP, SrcPort: 4500, DstPort: 4500},
		CareOf:    a("10.0.0.9"),
		Replay:    &Replay{1, 2, 3}, ReplayESN: &ReplayESN{ReplayWindow: 64},
		Offload:  &Offload{LinkIndex: 2, Flags: OffloadInbound},
		Selector: Selector{Src: p("10.1.0.0/16"), Proto: unix.IPPROTO_UDP, DstPort: 53}}
}

// FuzzDecodeState decodes arbitrary bytes as an XFRM_MSG_NEWSA payload:
// neither decoding, marshalling nor the text form may panic, and the JSON
// must be valid.
// A state decoded without error is written again and must decode the same.
func FuzzDecodeState(f *testing.F) {
	s := fuzzState()
	var e attrs.Encoder
	if err := s.request(&e); err != nil {
		f.Fatal(err)
	}
	f.Add(e.Bytes())
	f.Add([]byte{})
	for _, name := range []string{"xfrm_state_add_esp", "xfrm_state_show"} {
		for _, m := range corpus.LoadCase(f, name).Messages {
			if m.Protocol == "NETLINK_XFRM" && m.Type == msgNewSA {
				f.Add(m.Payload())
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := decodeState(b)
		for _, o := range fuzzTextOptions() {
			s.Text(o)
		}
		out, jerr := s.MarshalJSON()
		if jerr != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON = %s, %v", out, jerr)
		}
		if err != nil {
			return
		}
		var e attrs.Encoder
		if s.request(&e) != nil {
			return // not something nlkit would send
		}
		if _, err := decodeState(e.Bytes()); err != nil {
			t.Fatalf("a state nlkit wrote does not decode: %v", err)
		}
	})
}

// FuzzDecodePolicy decodes arbitrary bytes as an XFRM_MSG_NEWPOLICY
// payload.
func FuzzDecodePolicy(f *testing.F) {
	for _, name := range []string{"xfrm_policy_add_out", "xfrm_policy_show"} {
		for _, m := range corpus.LoadCase(f, name).Messages {
			if m.Protocol == "NETLINK_XFRM" && m.Type == msgNewPolicy {
				f.Add(m.Payload())
			}
		}
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodePolicy(b)
		for _, o := range fuzzTextOptions() {
			p.Text(o)
		}
		out, jerr := p.MarshalJSON()
		if jerr != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON = %s, %v", out, jerr)
		}
		if err != nil {
			return
		}
		var e attrs.Encoder
		if p.request(&e) != nil {
			return
		}
		if _, err := decodePolicy(e.Bytes()); err != nil {
			t.Fatalf("a policy nlkit wrote does not decode: %v", err)
		}
	})
}

// FuzzDecodeEvent decodes arbitrary bytes as the payload of each kind of
// notification.
func FuzzDecodeEvent(f *testing.F) {
	s := fuzzState()
	var e attrs.Encoder
	if err := s.request(&e); err != nil {
		f.Fatal(err)
	}
	f.Add(uint16(msgNewSA), e.Bytes())
	f.Add(uint16(msgExpire), append(e.Bytes()[:sizeUserSAInfo:sizeUserSAInfo], 1, 0, 0, 0, 0, 0, 0, 0))
	f.Add(uint16(msgAcquire), make([]byte, sizeUserAcquire))
	f.Add(uint16(msgMapping), make([]byte, sizeUserMapping))
	f.Add(uint16(msgReport), make([]byte, sizeUserReport))
	f.Add(uint16(msgDelSA), make([]byte, sizeUserSAID+4+sizeUserSAInfo))
	f.Add(uint16(msgPolExpire), make([]byte, sizePolExpire))
	f.Add(uint16(msgNewAE), aeventBytes())
	f.Fuzz(func(t *testing.T, typ uint16, b []byte) {
		ev, _, _ := decodeEvent(nlconn.Message{Type: typ, Data: b})
		for _, o := range fuzzTextOptions() {
			ev.Text(o)
		}
		out, err := json.Marshal(ev)
		if err != nil || !json.Valid(out) {
			t.Fatalf("Marshal = %s, %v", out, err)
		}
	})
}

// fuzzTextOptions are the text forms the fuzz targets print: plain, with
// -s, and with -s -s, keys hidden and IPv6 for selectors without a family.
func fuzzTextOptions() []TextOptions {
	return []TextOptions{{}, {Stats: 1}, {Stats: 2, NoKeys: true, Family: unix.AF_INET6}}
}

// FuzzDecodeAEvent feeds XFRM_MSG_NEWAE payloads to the decoder, its text
// and its JSON: errors, never a panic or invalid JSON.
func FuzzDecodeAEvent(f *testing.F) {
	f.Add(aeventBytes())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		ae, _ := decodeAEvent(b)
		ae.Text()
		out, err := ae.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON = %s, %v", out, err)
		}
	})
}
