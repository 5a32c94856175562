package main

import "testing"

// TestVrf makes VRFs with ip and with the example and compares the VRF
// shows; the VRF kind is the VM kernels'.
func TestVrf(t *testing.T) {
	replayObject(t, scenario{
		kind:  "vrf",
		roles: []string{"host"},
		cmds: []string{
			"host link add vrf-blue type vrf table 10",
			"host link add vrf-red type vrf table 20",
			"host link add v0 type veth peer v1",
			"host link set v0 master vrf-blue",
		},
	}, "vrf", "-j vrf", "-j -p vrf show", "vrf show vrf-blue")
}

// TestVrfErrors checks the example's errors for vrf against ip's.
func TestVrfErrors(t *testing.T) {
	sameErrors(t, []string{"link add v0 type veth peer v1"}, "vrf", "-j vrf", "vrf identify 1 2", "vrf identify x",
		"vrf pids", "vrf pids v0", "vrf exec", "vrf exec v0", "vrf exec v0 true", "vrf show nosuch", "vrf show a b",
		"vrf frob", "vrf help")
}
