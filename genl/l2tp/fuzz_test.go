package l2tp

import (
	"net/netip"
	"reflect"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	tun := Tunnel{ID: 1, PeerID: 2, Local: netip.MustParseAddr("2001:db8::1"), Peer: netip.MustParseAddr("2001:db8::2"),
		LocalPort: 1, PeerPort: 2, UDP6ZeroChecksumTx: true}
	if got, err := decodeTunnel(encodeTunnel(tun)); err != nil || got != tun {
		t.Errorf("decode(encode(%+v)) = %+v, %v", tun, got, err)
	}
	s := Session{TunnelID: 1, ID: 2, PeerID: 3, InterfaceName: "l2tpeth0", L2SpecType: L2SpecDefault,
		Cookie: []byte{1, 2, 3, 4}, ReorderTimeoutMillis: 5, SendSeq: true}
	if got, err := decodeSession(encodeSession(s)); err != nil || !reflect.DeepEqual(got, s) {
		t.Errorf("decode(encode(%+v)) = %+v, %v", s, got, err)
	}
	j, _ := s.MarshalJSON()
	if want := `{"session_id":2,"tunnel_id":1,"peer_session_id":3,"peer_tunnel_id":0,"interface":"l2tpeth0","cookie":"01020304","reorder_timeout":5,"send_seq":null}`; string(j) != want {
		t.Errorf("JSON = %s; want %s", j, want)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(encodeTunnel(Tunnel{ID: 1, PeerID: 2, Local: netip.MustParseAddr("10.0.0.1"), Peer: netip.MustParseAddr("10.0.0.2"), UDPChecksum: true}))
	f.Add(encodeSession(Session{TunnelID: 1, ID: 2, PeerID: 3, Cookie: []byte{1, 2, 3, 4, 5, 6, 7, 8}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		if tun, err := decodeTunnel(b); err == nil {
			tun.MarshalJSON()
		}
		if s, err := decodeSession(b); err == nil {
			s.MarshalJSON()
		}
	})
}
