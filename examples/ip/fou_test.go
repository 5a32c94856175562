package main

import (
	"errors"
	"testing"

	"github.com/nlkit/nlkit/internal/kfeature"
)

// genlFamilyMissing skips t, through kfeature, when ip reports that the
// kernel lacks the generic netlink family of feature f.
func genlFamilyMissing(t *testing.T, f kfeature.Feature, cmd ...string) {
	t.Helper()
	ns := names(t, []string{"probe"})["probe"]
	if _, stderr, err := runIP(t, ns, cmd, nil); err != nil {
		kfeature.Missing(t, f, errors.New(string(stderr)))
	}
}

// TestFou adds and deletes FOU receive ports with ip and with the example
// and compares them and the outputs.
func TestFou(t *testing.T) {
	genlFamilyMissing(t, kfeature.Feature{Name: "FOU", Since: "3.18", Config: []string{"CONFIG_NET_FOU"}}, "fou", "show")
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add v0 type veth peer v1",
			"host addr add 10.0.0.1/24 dev v0",
			"host link set v0 up",
			"host fou add port 5555 ipproto 4",
			"host fou add port 5556 gue",
			"host fou add port 5557 ipproto gre local 10.0.0.1 peer 10.0.0.2 peer_port 6000 dev v0",
			"host fou add port 5558 ipproto 41 -6",
			"host fou add port 5559 gue",
			"host fou del port 5559 gue",
		},
	}, "fou show", "-j fou show", "-j -p fou show")
}

// TestFouErrors checks the example's errors for fou against ip's (on a
// kernel without FOU, ip's report of the missing family).
func TestFouErrors(t *testing.T) {
	sameErrors(t, []string{"link add v0 type veth peer v1"}, "fou", "fou help", "fou frob", "fou show x",
		"fou add port 0 ipproto 4", "fou add port x ipproto 4", "fou add port 5 ipproto nosuchproto", "fou add port 5 frob",
		"fou add port 5 ipproto 4 dev nosuch", "fou add port 5 ipproto 4 local zz", "fou del port 9 ipproto 4", "fou add port 5")
}
