package main

import "testing"

// TestStats shows the statistics of a bridge and its ports, with their
// selectors, through ip and the example, and turns the L3 counters of a
// link on with each. The links stay down, so that no counter moves
// between the reads.
func TestStats(t *testing.T) {
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add v0 type veth peer v1",
			"host link add br0 type bridge",
			"host link set v1 master br0",
			"host stats set dev v0 l3_stats on",
			"host stats set dev v1 l3_stats off",
		},
	}, "stats", "-j stats", "-s stats show", "-d -j stats show", "-j -p stats show dev v1", "stats show dev v0",
		"-s stats show dev lo group link", "-j -s stats show dev v0 group link", "stats show group link group offload",
		"stats show group xstats subgroup bridge suite mcast group link", "-o stats show dev v0",
		"stats show dev br0 group xstats_slave subgroup bridge suite stp suite mcast", "-j stats show group afstats")
}

// TestStatsErrors checks the example's errors for stats against ip's.
func TestStatsErrors(t *testing.T) {
	sameErrors(t, []string{"link add v0 type veth peer v1"},
		"stats show group link subgroup x", "stats show group frob", "stats show subgroup bridge",
		"stats show group xstats subgroup bond suite x", "stats show frob", "stats show dev nosuch",
		"stats show dev v0 dev v1", "stats show dev a/b", "stats help", "stats show help", "stats frob",
		"stats set dev v0", "stats set l3_stats on", "stats set dev v0 l3_stats maybe",
		"stats set dev v0 l3_stats on l3_stats off", "stats set dev nosuch l3_stats on", "stats set dev v0 x")
}
