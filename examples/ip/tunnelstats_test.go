package main

import (
	"testing"
)

// TestTunnelShowStats compares ip tunnel show -s and ip -6 tunnel show -s,
// which print each tunnel's link counters under it, with ip's; the tunnel
// kinds are the VM kernels'.
func TestTunnelShowStats(t *testing.T) {
	needKinds(t, "ipip", "gre", "sit", "ip6tnl", "ip6gre")
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add v0 type veth peer v1",
			"host link add ipip1 type ipip remote 10.0.0.2 local 10.0.0.1 ttl 64 dev v0",
			"host link add gre1 type gre remote 10.0.0.3 local 10.0.0.1 key 7",
			"host link add sit1 type sit remote 10.0.0.5 local 10.0.0.1 ttl inherit",
			"host link add t6a type ip6tnl remote 2001:db8::2 local 2001:db8::1 dev v0",
			"host link add g6a type ip6gre remote 2001:db8::4 local 2001:db8::1 key 7 hoplimit 9",
		},
	}, "-s tunnel show", "-s tunnel", "-s tunnel show gre1", "-s tunnel show remote 10.0.0.3", "-s -s tunnel show dev v0",
		"-s -6 tunnel show", "-6 -s tunnel show t6a", "-s -6 tunnel show mode ip6gre", "-o -s -6 tunnel show")
}
