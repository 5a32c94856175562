package l2tp

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
)

// TestRequestsLikeIP checks that nlkit's requests are the bytes ip sends.
func TestRequestsLikeIP(t *testing.T) {
	ns := testns.New(t)
	if _, err := gtest.Dial(t, ns).Family(context.Background(), familyName); errors.Is(err, genl.ErrNotSupported) {
		kfeature.Missing(t, kfeature.Feature{Name: "L2TPv3", Since: "2.6.35", Config: []string{"CONFIG_L2TP"}}, err)
	}
	for _, tc := range []struct {
		args []string
		cmd  uint8
		data []byte
	}{
		{[]string{"l2tp", "add", "tunnel", "tunnel_id", "1", "peer_tunnel_id", "2", "encap", "udp", "local", "10.0.0.1", "remote", "10.0.0.2",
			"udp_sport", "5000", "udp_dport", "5001", "udp_csum", "on"}, cmdTunnelCreate,
			encodeTunnel(Tunnel{ID: 1, PeerID: 2, Local: netip.MustParseAddr("10.0.0.1"), Peer: netip.MustParseAddr("10.0.0.2"),
				LocalPort: 5000, PeerPort: 5001, UDPChecksum: true})},
		{[]string{"l2tp", "add", "tunnel", "tunnel_id", "3", "peer_tunnel_id", "4", "encap", "ip", "local", "2001:db8::1", "remote", "2001:db8::2"},
			cmdTunnelCreate, encodeTunnel(Tunnel{ID: 3, PeerID: 4, Encap: IP, Local: netip.MustParseAddr("2001:db8::1"), Peer: netip.MustParseAddr("2001:db8::2")})},
		{[]string{"l2tp", "add", "session", "name", "l2s0", "tunnel_id", "1", "session_id", "10", "peer_session_id", "20",
			"cookie", "01020304", "peer_cookie", "0102030405060708", "seq", "both"}, cmdSessionCreate,
			encodeSession(Session{TunnelID: 1, ID: 10, PeerID: 20, InterfaceName: "l2s0", L2SpecType: L2SpecDefault,
				Cookie: []byte{1, 2, 3, 4}, PeerCookie: []byte{1, 2, 3, 4, 5, 6, 7, 8}, SendSeq: true, RecvSeq: true})},
	} {
		gtest.CompareRequest(t, ns, genl.Request{Command: tc.cmd, Version: version, Data: tc.data}, tc.args...)
	}
}
