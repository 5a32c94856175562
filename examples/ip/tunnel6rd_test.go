package main

import (
	"testing"
)

// TestTunnel6rd sets and resets the 6rd prefixes of sit tunnels with ip
// tunnel 6rd and with the example and compares the tunnels ip shows; sit
// is the VM kernels'.
func TestTunnel6rd(t *testing.T) {
	needKinds(t, "sit")
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add v0 type veth peer v1",
			"host link add sit1 type sit remote 10.0.0.5 local 10.0.0.1 ttl 64 dev v0",
			"host link add sit2 type sit local 10.0.0.1",
			"host tunnel 6rd dev sit1 6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.0/8",
			"host tunnel 6rd dev sit2 6rd-prefix 2001:db8:1::/48 6rd-relay_prefix 10.0.0.0/16",
			"host tunnel 6rd dev sit1 6rd-reset 6rd-relay_prefix 10.1.0.0/16",
			"host tunnel 6rd dev sit2 6rd-reset",
		},
	}, "tunnel show", "-j tunnel show", "-d link show sit1", "-d link show sit2")
	sameErrors(t, []string{"link add sit1 type sit local 10.0.0.1"},
		"tunnel 6rd dev sit1 6rd-prefix 2001:db8::1/32", "tunnel 6rd dev sit1 6rd-relay_prefix 10.0.0.1/8",
		"tunnel 6rd dev sit1 6rd-prefix 2001:db8::/60 6rd-relay_prefix 10.0.0.0/8", "tunnel 6rd dev sit1 6rd-prefix 2001:db8:1::/48",
		"tunnel 6rd dev sit1")
}

// TestTunnel6rdErrors checks the example's errors for ip tunnel 6rd
// against ip's.
func TestTunnel6rdErrors(t *testing.T) {
	sameErrors(t, nil, "tunnel 6rd dev lo 6rd-prefix 2001:db8::/32", "tunnel 6rd dev nosuch 6rd-reset", "tunnel 6rd 6rd-reset",
		"tunnel 6rd dev lo", "tunnel 6rd dev lo 6rd-prefix x", "tunnel 6rd dev lo frob", "tunnel 6rd dev lo 6rd-relay_prefix 1.2.3.4/33",
		"tunnel 6rd dev lo 6rd-prefix", "tunnel 6rd dev lo 6rd-relay_prefix 2001:db8::/32", "tunnel 6rd dev a/b 6rd-reset")
}

// TestTunnelPRL adds and deletes potential routers of ISATAP tunnels with
// ip tunnel prl and with the example and compares the tunnels ip tunnel
// show lists; sit is the VM kernels'.
func TestTunnelPRL(t *testing.T) {
	needKinds(t, "sit")
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add is0 type sit local 10.0.0.1 isatap",
			"host link add is1 type sit isatap",
			"host tunnel prl dev is0 prl-default 10.0.0.2",
			"host tunnel prl prl-nodefault 10.0.0.3 dev is0",
			"host tunnel prl dev is0 prl-nodefault 10.0.0.4",
			"host tunnel prl dev is1 prl-default 10.0.0.5",
			"host tunnel prl dev is0 prl-delete 10.0.0.3",
		},
	}, "tunnel show", "-j tunnel show", "tunnel show is0", "-j -p tunnel show dev lo")
	sameErrors(t, []string{"link add is0 type sit isatap", "tunnel prl dev is0 prl-default 10.0.0.2"},
		"tunnel prl dev is0 prl-default 10.0.0.2", "tunnel prl dev is0 prl-delete 10.0.0.9")
}

// TestTunnelPRLErrors checks the example's errors for ip tunnel prl
// against ip's.
func TestTunnelPRLErrors(t *testing.T) {
	sameErrors(t, nil, "tunnel prl dev lo prl-default 10.0.0.1", "tunnel prl dev lo prl-default x", "tunnel prl prl-default 10.0.0.1",
		"tunnel prl dev lo", "tunnel prl dev lo prl-default 10.0.0.1 prl-delete 10.0.0.2", "tunnel prl dev lo frob",
		"tunnel prl dev nosuch prl-delete 10.0.0.1", "tunnel prl dev lo prl-nodefault", "tunnel prl dev lo prl-nodefault ::1")
}
