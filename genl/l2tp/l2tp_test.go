package l2tp_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/genl/l2tp"
	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
)

// l2tpFeature is L2TPv3 with Ethernet pseudowires, which a kernel may be
// built without.
var l2tpFeature = kfeature.Feature{Name: "L2TPv3 Ethernet pseudowires", Since: "2.6.35", Config: []string{"CONFIG_L2TP", "CONFIG_L2TP_ETH"}}

// compare checks Tunnels and Sessions, their streams, GetTunnel and
// GetSession against `ip -j l2tp show tunnel` and `ip -j l2tp show
// session`. ip 6.1 carries a session's cookies, name and reorder timeout
// over to the sessions it prints next that have none: the tests give every
// session all three but the timeout.
func compare(t *testing.T, ns *testns.NS, c *genl.Conn) ([]l2tp.Tunnel, []l2tp.Session) {
	t.Helper()
	ctx := context.Background()
	ts, err := l2tp.Tunnels(ctx, c)
	if err != nil {
		t.Fatalf("Tunnels: %v", err)
	}
	gtest.CompareJSON(t, "Tunnels", gtest.JSONList(t, ts), ns.IP(t, "-j", "l2tp", "show", "tunnel"))
	ss, err := l2tp.Sessions(ctx, c)
	if err != nil {
		t.Fatalf("Sessions: %v", err)
	}
	gtest.CompareJSON(t, "Sessions", gtest.JSONList(t, ss), ns.IP(t, "-j", "l2tp", "show", "session"))
	n := 0
	for _, err := range l2tp.TunnelsSeq(ctx, c) {
		if err != nil {
			t.Fatalf("TunnelsSeq: %v", err)
		}
		n++
	}
	for _, err := range l2tp.SessionsSeq(ctx, c) {
		if err != nil {
			t.Fatalf("SessionsSeq: %v", err)
		}
		n++
	}
	if n != len(ts)+len(ss) {
		t.Errorf("the streams gave %d values, the lists %d", n, len(ts)+len(ss))
	}
	for _, want := range ts {
		got, err := l2tp.GetTunnel(ctx, c, want.ID)
		if err != nil || got != want {
			t.Errorf("GetTunnel(%d) = %+v, %v; want %+v", want.ID, got, err, want)
		}
	}
	for _, want := range ss {
		got, err := l2tp.GetSession(ctx, c, want.TunnelID, want.ID)
		if err != nil {
			t.Errorf("GetSession(%d, %d): %v", want.TunnelID, want.ID, err)
			continue
		}
		gtest.CompareJSON(t, "GetSession", gtest.Marshal(t, got), gtest.Marshal(t, want))
	}
	return ts, ss
}

func TestL2TPLikeIP(t *testing.T) {
	ns := testns.New(t)
	c := gtest.Dial(t, ns)
	ctx := context.Background()
	if _, err := l2tp.Tunnels(ctx, c); errors.Is(err, genl.ErrNotSupported) {
		kfeature.Missing(t, l2tpFeature, err)
	}
	ns.IP(t, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	ns.IP(t, "addr", "add", "10.0.0.1/24", "dev", "v0")
	ns.IP(t, "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad")
	ns.IP(t, "link", "set", "v0", "up")
	compare(t, ns, c)

	// nlkit adds, ip reads; ip adds, nlkit reads.
	for _, tun := range []l2tp.Tunnel{
		{ID: 1, PeerID: 2, Encap: l2tp.UDP, Local: netip.MustParseAddr("10.0.0.1"), Peer: netip.MustParseAddr("10.0.0.2"),
			LocalPort: 5000, PeerPort: 5001, UDPChecksum: true},
		{ID: 3, PeerID: 4, Encap: l2tp.IP, Local: netip.MustParseAddr("2001:db8::1"), Peer: netip.MustParseAddr("2001:db8::2")},
	} {
		if err := l2tp.AddTunnel(ctx, c, tun); err != nil {
			t.Fatalf("AddTunnel(%d): %v", tun.ID, err)
		}
	}
	ns.IP(t, "l2tp", "add", "tunnel", "tunnel_id", "10", "peer_tunnel_id", "20", "encap", "udp", "local", "2001:db8::1",
		"remote", "2001:db8::3", "udp_sport", "6000", "udp_dport", "6001", "udp6_csum_tx", "off")
	ns.IP(t, "l2tp", "add", "tunnel", "tunnel_id", "11", "peer_tunnel_id", "21", "encap", "ip", "local", "10.0.0.1", "remote", "10.0.0.3")
	err := l2tp.AddSession(ctx, c, l2tp.Session{TunnelID: 1, ID: 100, PeerID: 101, InterfaceName: "l2s0", L2SpecType: l2tp.L2SpecDefault,
		Cookie: []byte{1, 2, 3, 4}, PeerCookie: []byte{1, 2, 3, 4, 5, 6, 7, 8}, SendSeq: true, RecvSeq: true})
	if errors.Is(err, genl.ErrNotSupported) {
		kfeature.Missing(t, l2tpFeature, err)
	}
	if err != nil {
		t.Fatalf("AddSession: %v", err)
	}
	ns.IP(t, "l2tp", "add", "session", "name", "l2s1", "tunnel_id", "10", "session_id", "200", "peer_session_id", "201",
		"cookie", "0a0b0c0d0e0f1011", "peer_cookie", "a1a2a3a4", "seq", "send", "l2spec_type", "none")
	if ts, ss := compare(t, ns, c); len(ts) != 4 || len(ss) != 2 {
		t.Errorf("%d tunnels and %d sessions; want 4 and 2", len(ts), len(ss))
	}
	if err := l2tp.AddTunnel(ctx, c, l2tp.Tunnel{ID: 10, PeerID: 1, Encap: l2tp.IP, Local: netip.MustParseAddr("10.0.0.1"), Peer: netip.MustParseAddr("10.0.0.9")}); !errors.Is(err, genl.ErrExist) {
		t.Errorf("AddTunnel of an existing ID: %v; want ErrExist", err)
	}

	// Each deletes what the other added.
	if err := l2tp.DeleteSession(ctx, c, 10, 200); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	ns.IP(t, "l2tp", "del", "session", "tunnel_id", "1", "session_id", "100")
	for _, id := range []uint32{10, 11} {
		if err := l2tp.DeleteTunnel(ctx, c, id); err != nil {
			t.Fatalf("DeleteTunnel(%d): %v", id, err)
		}
	}
	ns.IP(t, "l2tp", "del", "tunnel", "tunnel_id", "1")
	ns.IP(t, "l2tp", "del", "tunnel", "tunnel_id", "3")
	if ts, ss := compare(t, ns, c); len(ts) != 0 || len(ss) != 0 {
		t.Errorf("after deleting: %d tunnels and %d sessions", len(ts), len(ss))
	}
	if err := l2tp.DeleteTunnel(ctx, c, 1); !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("DeleteTunnel of a missing tunnel: %v; want ErrNotExist", err)
	}
	if _, err := l2tp.GetTunnel(ctx, c, 1); !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("GetTunnel of a missing tunnel: %v; want ErrNotExist", err)
	}
	if err := l2tp.DeleteSession(ctx, c, 1, 100); !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("DeleteSession of a missing session: %v; want ErrNotExist", err)
	}
}

func TestInvalid(t *testing.T) {
	ctx := context.Background()
	a4, a6 := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("2001:db8::1")
	for _, tun := range []l2tp.Tunnel{
		{PeerID: 1, Local: a4, Peer: a4},
		{ID: 1, PeerID: 1, Local: a4},
		{ID: 1, PeerID: 1, Local: a4, Peer: a6},
		{ID: 1, PeerID: 1, Encap: 7, Local: a4, Peer: a4},
	} {
		if err := l2tp.AddTunnel(ctx, nil, tun); !genl.IsInvalid(err) {
			t.Errorf("AddTunnel(%+v): %v; want an InvalidError", tun, err)
		}
	}
	for _, s := range []l2tp.Session{
		{ID: 1, PeerID: 1},
		{TunnelID: 1, ID: 1, PeerID: 1, Cookie: []byte{1}},
		{TunnelID: 1, ID: 1, PeerID: 1, PeerCookie: make([]byte, 9)},
		{TunnelID: 1, ID: 1, PeerID: 1, L2SpecType: 3},
		{TunnelID: 1, ID: 1, PeerID: 1, InterfaceName: "a-name-too-long-for-a-link"},
	} {
		if err := l2tp.AddSession(ctx, nil, s); !genl.IsInvalid(err) {
			t.Errorf("AddSession(%+v): %v; want an InvalidError", s, err)
		}
	}
}
