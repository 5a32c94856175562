package mptcp

import (
	"net/netip"
	"testing"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
)

func TestEndpointRoundTrip(t *testing.T) {
	for _, e := range []Endpoint{
		{Address: netip.MustParseAddr("10.0.0.1"), ID: 3, Port: 1234, Flags: Signal | Backup, LinkIndex: 7},
		{Address: netip.MustParseAddr("2001:db8::1"), ID: 4, Flags: Subflow | Fullmesh},
	} {
		var enc attrs.Encoder
		encodeEndpoint(&enc, e, true)
		got, keep, err := decodeEndpointMessage(genl.Message{Data: enc.Bytes()})
		if err != nil || !keep || got != e {
			t.Errorf("decode(encode(%+v)) = %+v, %v, %v", e, got, keep, err)
		}
	}
	if _, _, err := decodeEndpointMessage(genl.Message{}); err == nil {
		t.Errorf("a message without an endpoint decodes")
	}
}

func FuzzDecodeEndpointMessage(f *testing.F) {
	var enc attrs.Encoder
	encodeEndpoint(&enc, Endpoint{Address: netip.MustParseAddr("2001:db8::1"), ID: 4, Port: 1, Flags: Subflow, LinkIndex: 2}, true)
	f.Add(enc.Bytes())
	three := uint32(3)
	f.Add(encodeLimits(Limits{Subflows: &three, AddAddrAccepted: &three}))
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeEndpointMessage(genl.Message{Data: b}) // must not panic
		decodeLimits(b)
	})
}

func TestEventString(t *testing.T) {
	var enc attrs.Encoder
	enc.Uint32(evAttrToken, 0xabc)
	enc.Uint8(evAttrRemID, 1)
	enc.Addr(evAttrSaddr6, netip.MustParseAddr("2001:db8::1"))
	enc.Addr(evAttrDaddr6, netip.MustParseAddr("2001:db8::2"))
	enc.Port(evAttrSport, 80)
	enc.Uint32(evAttrResetFlags, 10)
	e, err := decodeEvent(genl.Message{Command: uint8(EventSubEstablished), Data: enc.Bytes()})
	if err != nil {
		t.Fatal(err)
	}
	if want := "[SF_ESTABLISHED] token=00000abc remid=1 saddr6=2001:db8::1 daddr6=2001:db8::2 sport=80 reset_flags=0xa"; e.String() != want {
		t.Errorf("String() = %q; want %q", e.String(), want)
	}
	if s := (Event{Type: 42}).String(); s != "[UNKNOWN 42]" {
		t.Errorf("unknown event: %q", s)
	}
}

func FuzzDecodeEvent(f *testing.F) {
	var enc attrs.Encoder
	enc.Uint32(evAttrToken, 1)
	enc.Addr(evAttrSaddr4, netip.MustParseAddr("10.0.0.1"))
	enc.Port(evAttrDport, 1)
	f.Add(uint8(1), enc.Bytes())
	f.Fuzz(func(t *testing.T, cmd uint8, b []byte) {
		if e, err := decodeEvent(genl.Message{Command: cmd, Data: b}); err == nil {
			_ = e.String()
		}
	})
}
