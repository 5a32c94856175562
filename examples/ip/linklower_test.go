package main

import (
	"testing"
)

// TestLowerSettings sends protodown, xdp and vf settings, which a veth
// refuses, through ip and the example in twin namespaces: the kernel's
// refusal, printed as ip prints it, and the exit status must be ip's; so
// must the state of the vxlan device that takes protodown.
func TestLowerSettings(t *testing.T) {
	sameErrors(t, []string{"link add v0 type veth peer v1"},
		"link set v0 vf 0 mac 02:00:00:00:00:01",
		"link set v0 vf 1 vlan 5 qos 2 proto 802.1ad spoofchk on trust off state auto",
		"link set v0 vf 0 rate 10 max_tx_rate 100 min_tx_rate 10 query_rss on",
		"link set v0 vf 0 node_guid 00:11:22:33:44:55:66:77",
		"link set v0 xdp off",
		"link set v0 xdpgeneric off",
		"link set v0 xdpdrv none",
		"link set v0 protodown on",
		"link set v0 protodown_reason 3 on",
		"link set v0 vf 0",
		"link set v0 protodown maybe",
	)
}

// TestProtodown replays protodown and its reasons on a vxlan device,
// which takes them.
func TestProtodown(t *testing.T) {
	replay(t, scenario{
		kind: "vxlan", roles: []string{"host"}, shows: detailShows(),
		cmds: []string{
			"host link add vx0 type vxlan id 4 dstport 4789",
			"host link set vx0 protodown on",
			"host link set vx0 protodown_reason 3 on",
			"host link set vx0 protodown_reason 5 on",
			"host link set vx0 protodown_reason 3 off",
		},
	})
}
