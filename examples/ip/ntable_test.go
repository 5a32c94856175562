package main

import (
	"regexp"
	"testing"
)

// TestNtable changes the parameters of a link in the neighbour tables with
// ip and with the example and compares the tables and the outputs. Only
// the initial namespace may change the tables' own settings.
func TestNtable(t *testing.T) {
	// The kernel randomizes each link's current reachable time.
	reachable := regexp.MustCompile(`((?:^|[ "])reachable"?:? ?)[0-9]+`)
	replayObjectMasked(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add v0 type veth peer v1",
			"host ntable change name arp_cache dev v0 queue 10",
			"host ntable change name ndisc_cache dev v0 queue 11 locktime 7 base_reachable 20000 retrans 500",
			"host ntbl chg name arp_cache dev v1 app_probes 2 ucast_probes 4 mcast_probes 5 gc_stale 1000 delay_probe 100 anycast_delay 10 proxy_delay 20 proxy_queue 30",
		},
	}, reachable, "ntable show dev v0", "-j ntable show dev v1", "-j -p ntable show dev v0 name arp_cache",
		"-o ntable show dev v1", "-4 -j ntable show dev v0", "-s ntable show dev v0", "-6 ntable show dev v1")
}

// TestNtableErrors checks the example's errors for ntable against ip's.
func TestNtableErrors(t *testing.T) {
	sameErrors(t, []string{"link add v0 type veth peer v1"},
		"ntable change name arp_cache thresh1 5",
		"ntable change name nosuch dev v0 queue 3",
		"ntable change name arp_cache dev nosuch queue 3",
		"ntable change name arp_cache name x queue 3",
		"ntable change dev v0 queue 3",
		"ntable change name arp_cache dev v0",
		"ntable change name arp_cache dev v0 queue x",
		"ntable change name arp_cache dev v0 frob 1",
		"ntable change name arp_cache dev v0 queue",
		"ntable show dev nosuch",
		"ntable show frob",
		"ntable frob",
	)
}
