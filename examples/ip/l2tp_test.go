package main

import (
	"testing"

	"github.com/nlkit/nlkit/internal/kfeature"
)

// TestL2tp adds and deletes L2TPv3 tunnels and sessions with ip and with
// the example and compares them and the outputs.
func TestL2tp(t *testing.T) {
	genlFamilyMissing(t, kfeature.Feature{Name: "L2TP", Since: "2.6.35", Config: []string{"CONFIG_L2TP"}}, "l2tp", "show", "tunnel")
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add v0 type veth peer v1",
			"host addr add 10.0.0.1/24 dev v0",
			"host addr add 2001:db8::1/64 dev v0 nodad",
			"host link set v0 up",
			"host l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 local 10.0.0.1 remote 10.0.0.2 udp_sport 5000 udp_dport 5001 udp_csum on",
			"host l2tp add tunnel tunnel_id 3 peer_tunnel_id 4 encap ip local 10.0.0.1 remote 10.0.0.3",
			"host l2tp add tunnel tunnel_id 5 peer_tunnel_id 6 local 2001:db8::1 remote 2001:db8::2 udp_sport 5002 udp_dport 5003 udp6_csum_rx off",
			"host l2tp add session name l2tp0 tunnel_id 1 session_id 10 peer_session_id 20 cookie 0011223344556677 peer_cookie 8899aabb seq both",
			"host l2tp add session tunnel_id 3 session_id 11 peer_session_id 21 l2spec_type none seq recv",
			"host l2tp add tunnel tunnel_id 7 peer_tunnel_id 8 encap ip local 10.0.0.1 remote 10.0.0.4",
			"host l2tp del tunnel tunnel_id 7",
			"host l2tp add session tunnel_id 1 session_id 12 peer_session_id 22",
			"host l2tp del session tunnel_id 1 session_id 12",
		},
	}, "l2tp show tunnel", "-j l2tp show tunnel", "l2tp show session", "-j -p l2tp show session", "l2tp show tunnel tunnel_id 3")
}

// TestL2tpErrors checks the example's errors for l2tp against ip's (on a
// kernel without L2TP, ip's report of the missing family).
func TestL2tpErrors(t *testing.T) {
	sameErrors(t, nil, "l2tp", "l2tp help", "l2tp frob", "l2tp show", "l2tp show frob", "l2tp add tunnel tunnel_id 1",
		"l2tp add tunnel tunnel_id 1 peer_tunnel_id 2 local 10.0.0.1 remote 10.0.0.2", "l2tp add tunnel tunnel_id x",
		"l2tp add session tunnel_id 1 session_id 2", "l2tp add session tunnel_id 1 session_id 2 peer_session_id 3 cookie 12",
		"l2tp add session tunnel_id 9 session_id 2 peer_session_id 3", "l2tp del tunnel tunnel_id 9", "l2tp del session tunnel_id 9",
		"l2tp add tunnel encap gre", "l2tp add session seq maybe", "l2tp add session l2spec_type x", "l2tp show tunnel")
}
