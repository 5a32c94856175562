package l2tp_test

import (
	"context"
	"log"
	"net/netip"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/l2tp"
)

// Make a UDP tunnel and an Ethernet pseudowire in a named namespace, as
// `ip l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 udp_sport 5000 udp_dport
// 5000 local 10.0.0.1 remote 10.0.0.2` and `ip l2tp add session name l2tp0
// tunnel_id 1 session_id 10 peer_session_id 20` do.
func ExampleAddSession() {
	ctx := context.Background()
	c, err := genl.Dial(ctx, genl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	err = l2tp.AddTunnel(ctx, c, l2tp.Tunnel{ID: 1, PeerID: 2, Encap: l2tp.UDP,
		Local: netip.MustParseAddr("10.0.0.1"), Peer: netip.MustParseAddr("10.0.0.2"), LocalPort: 5000, PeerPort: 5000})
	if err != nil {
		log.Fatal(err)
	}
	err = l2tp.AddSession(ctx, c, l2tp.Session{TunnelID: 1, ID: 10, PeerID: 20, InterfaceName: "l2tp0", L2SpecType: l2tp.L2SpecDefault})
	if err != nil {
		log.Fatal(err)
	}
}
