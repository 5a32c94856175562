package main

import "testing"

// TestNetconf compares the example's netconf shows with ip's, in a
// namespace with a veth pair.
func TestNetconf(t *testing.T) {
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds:  []string{"host link add v0 type veth peer v1", "host link set v0 up"},
	}, "netconf", "-j netconf", "-j -p netconf show dev v0", "-4 netconf show dev v0",
		"-4 -j netconf show dev lo", "-6 -j netconf show dev v1", "-6 netconf list", "-4 -j netconf", "netconf show v0")
}

// TestNetconfErrors checks the example's errors for netconf against ip's.
func TestNetconfErrors(t *testing.T) {
	sameErrors(t, nil, "netconf show dev nosuch", "netconf frob", "netconf show dev")
}
