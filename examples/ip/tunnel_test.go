package main

import (
	"errors"
	"testing"

	"github.com/nlkit/nlkit/internal/kfeature"
)

// needKinds skips the test, through kfeature, when the kernel cannot make
// a link of one of the kinds: ip's attempt in a namespace of its own says
// why.
func needKinds(t *testing.T, kinds ...string) {
	t.Helper()
	probe := names(t, []string{"probe"})["probe"]
	for _, kind := range kinds {
		if _, stderr, err := runIP(t, probe, []string{"link", "add", "probe-" + kind, "type", kind}, nil); err != nil {
			kfeature.Missing(t, kfeature.LinkKind(kind), errors.New(string(stderr)))
		}
	}
}

// TestTunnel adds, changes and deletes IPv4 tunnels with ip tunnel and
// with the example and compares the tunnels and the outputs; the tunnel
// kinds are the VM kernels'.
func TestTunnel(t *testing.T) {
	needKinds(t, "ipip", "gre", "sit", "vti")
	// ip tunnel adds through the fallback devices (tunl0, gre0, …), which
	// the kernel may make in the initial namespace only: the tunnels are
	// made with ip link, and changed, shown and deleted with ip tunnel.
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add v0 type veth peer v1",
			"host link add ipip1 type ipip remote 10.0.0.2 local 10.0.0.1 ttl 64 dev v0",
			"host link add gre1 type gre remote 10.0.0.3 local 10.0.0.1 key 7",
			"host link add gre2 type gre remote 10.0.0.4 ikey 1 okey 2",
			"host link add sit1 type sit remote 10.0.0.5 local 10.0.0.1 ttl inherit",
			"host link add vti1 type vti remote 10.0.0.6 local 10.0.0.1 key 9",
			"host link add sit2 type sit remote 10.0.0.10 mode ip6ip",
			"host link add ipip2 type ipip remote 10.0.0.7",
			"host tunnel change ipip1 remote 10.0.0.8 ttl 32",
			"host tunnel change gre2 mode gre remote 10.0.0.9 seq csum nopmtudisc",
			"host tunnel del ipip2",
		},
	}, "tunnel", "tunnel show", "-j tunnel show", "-j -p tunnel", "tunnel show gre1", "tunnel show ipip1",
		"tunnel show remote 10.0.0.3", "-j tunnel show dev v0")
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
