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
