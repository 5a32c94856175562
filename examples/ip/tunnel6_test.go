package main

import (
	"testing"
)

// TestTunnel6 adds, changes, shows and deletes IPv6 tunnels with ip -6
// tunnel and with the example and compares the tunnels and the outputs;
// the tunnel kinds are the VM kernels'.
func TestTunnel6(t *testing.T) {
	needKinds(t, "ip6tnl", "ip6gre", "vti6")
	// ip -6 tunnel adds through the fallback devices (ip6tnl0, …), which
	// the kernel may make in the initial namespace only: the tunnels are
	// made with ip link, and changed, shown and deleted with ip -6 tunnel.
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add v0 type veth peer v1",
			"host link add t6a type ip6tnl remote 2001:db8::2 local 2001:db8::1 dev v0",
			"host link add t6b type ip6tnl mode ipip6 remote 2001:db8::3 encaplimit none tclass inherit flowlabel 0x12345",
			"host link add g6a type ip6gre remote 2001:db8::4 local 2001:db8::1 key 7 hoplimit 9",
			"host link add g6b type ip6gre remote 2001:db8::5 ikey 1 okey 2 iseq ocsum",
			"host link add x6a type vti6 remote 2001:db8::6 local 2001:db8::1 key 9",
			"host link add t6c type ip6tnl mode ip6ip6 remote 2001:db8::7 local 2001:db8::1 hoplimit 5 tclass 0x10 dscp inherit",
			"host link add g6c type ip6gre remote 2001:db8::8 seq csum key 3",
			"host link add x6b type vti6 remote 2001:db8::9 ikey 4",
			"host -6 tunnel change t6a remote 2001:db8::a hoplimit 32 encaplimit 7 allow-localremote",
			"host -6 tunnel change g6b mode ip6gre remote 2001:db8::b flowlabel inherit",
			"host -6 tunnel del t6b",
		},
	}, "-6 tunnel", "-6 tunnel show", "-j -6 tunnel show", "-j -p -6 tunnel", "-6 tunnel show g6a", "-6 tunnel show remote 2001:db8::a",
		"-j -6 tunnel show dev v0", "-6 tunnel show mode ip6gre", "-6 tunnel show mode vti6", "tunnel show mode ip6gre")
	sameErrors(t, []string{"link add t6 type ip6tnl remote 2001:db8::2"},
		"-6 tunnel add t6 mode ip6ip6 remote 2001:db8::2", "-6 tunnel change nosuch remote 2001:db8::3")
}

// TestTunnel6Errors checks the example's errors for ip -6 tunnel against
// ip's.
func TestTunnel6Errors(t *testing.T) {
	sameErrors(t, nil, "-6 tunnel frob", "-6 tunnel add t1 mode frob", "-6 tunnel add t1 remote 10.0.0.1",
		"-6 tunnel add t1 hoplimit x", "-6 tunnel add t1 tclass 0x100", "-6 tunnel add t1 flowlabel 0x100000",
		"-6 tunnel add t1 dscp 5", "-6 tunnel add t1 dev nosuch", "-6 tunnel add t1 t2", "-6 tunnel add t1 key x",
		"-6 tunnel show nosuch", "-6 tunnel del nosuch", "-6 tunnel add t1 remote", "-4 tunnel add t1 mode ip6gre")
}
