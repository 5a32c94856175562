package main

import "testing"

// TestAddrlabel adds, deletes and flushes IPv6 address labels with ip and
// with the example and compares the tables and the outputs.
func TestAddrlabel(t *testing.T) {
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link set lo up",
			"host addrlabel add prefix 2001:db8::/32 dev lo label 100",
			"host addrlabel add prefix 2001:db9::/48 label 7",
			"host addrlabel add prefix 2001:dba::/48 label 8",
			"host addrlabel del prefix 2001:dba::/48 label 8",
			"host -j addrlabel =",
		},
	}, "addrlabel", "addrlabel list", "-j addrlabel show", "-j -p addrlabel")
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds:  []string{"host addrlabel flush", "host addrlabel add prefix 2001:db9::/48 label 7"},
	}, "addrlabel", "-j addrlabel")
}

// TestAddrlabelErrors checks the example's errors for addrlabel against
// ip's.
func TestAddrlabelErrors(t *testing.T) {
	sameErrors(t, []string{"addrlabel add prefix 2001:db9::/48 label 7"},
		"addrlabel add prefix 2001:db9::/48 label 7",
		"addrlabel del prefix 2001:dbf::/48 label 7",
		"addrlabel add prefix 10.0.0.0/8 label 1",
		"addrlabel add 2001::/16 label 1",
		"addrlabel add prefix 2001::/16",
		"addrlabel frob",
		"addrlabel add prefix zz label 1",
		"addrlabel add prefix ::/3 label 0xffffffff",
		"addrlabel add prefix ::/3 dev nosuch label 1",
		"addrlabel show x",
		"addrlabel flush x",
		"addrlabel add prefix",
	)
}
