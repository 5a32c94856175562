package main

import (
	"errors"
	"testing"

	"github.com/nlkit/nlkit/internal/kfeature"
)

// TestTunnel adds, changes and deletes IPv4 tunnels with ip tunnel and
// with the example and compares the tunnels and the outputs; the tunnel
// kinds are the VM kernels'.
func TestTunnel(t *testing.T) {
	probe := names(t, []string{"probe"})["probe"]
	for _, kind := range []string{"ipip", "gre", "sit", "vti"} {
		if _, stderr, err := runIP(t, probe, []string{"link", "add", "probe-" + kind, "type", kind}, nil); err != nil {
			kfeature.Missing(t, kfeature.LinkKind(kind), errors.New(string(stderr)))
		}
	}
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add v0 type veth peer v1",
			"host tunnel add ipip1 mode ipip remote 10.0.0.2 local 10.0.0.1 ttl 64 dev v0",
			"host tunnel add gre1 mode gre remote 10.0.0.3 local 10.0.0.1 key 7 seq csum",
			"host tunnel add gre2 mode gre remote 10.0.0.4 ikey 1 okey 2 tos inherit nopmtudisc",
			"host tunnel add sit1 mode sit remote 10.0.0.5 local 10.0.0.1",
			"host tunnel add vti1 mode vti remote 10.0.0.6 local 10.0.0.1 key 9",
			"host tunnel add ipip2 mode ipip remote 10.0.0.7",
			"host tunnel change ipip1 remote 10.0.0.8 ttl 32",
			"host tunnel del ipip2",
		},
	}, "tunnel", "tunnel show", "-j tunnel show", "-j -p tunnel", "tunnel show gre1", "tunnel show ipip1",
		"tunnel show remote 10.0.0.3", "-j tunnel show dev v0", "-j -d link show")
}

// TestTunnelErrors checks the example's errors for ip tunnel against
// ip's (on a kernel without the kinds, ip's report of the missing
// fallback device).
func TestTunnelErrors(t *testing.T) {
	sameErrors(t, nil, "tunnel frob", "tunnel add t1 mode ipip remote 10.0.0.2 local 10.0.0.1", "tunnel add t1 mode ipip key 5",
		"tunnel add mode frob", "tunnel show nosuch", "tunnel add t1 mode ipip ttl 5 nopmtudisc", "tunnel add t1",
		"tunnel add t1 mode gre remote 10.0.0.2 dev nosuch", "tunnel change nosuch mode gre", "tunnel del nosuch",
		"tunnel add t1 mode gre remote 239.1.1.1")
}
