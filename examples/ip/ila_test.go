package main

import (
	"regexp"
	"testing"

	"github.com/nlkit/nlkit/internal/kfeature"
)

// TestIla adds and deletes ILA translations with ip and with the example
// and compares them and the outputs; ILA is the VM kernels'.
func TestIla(t *testing.T) {
	genlFamilyMissing(t, kfeature.Feature{Name: "ILA", Since: "4.7", Config: []string{"CONFIG_IPV6_ILA"}}, "ila", "list")
	// The kernels of the VM dump locators that are not the ones added
	// (and change from one dump to the next): they are left out of the
	// comparisons; the rest of each translation is compared.
	locators := regexp.MustCompile(`\b[0-9a-f]+:[0-9a-f]+:[0-9a-f]+:[0-9a-f]+ *`)
	replayObjectMasked(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add v0 type veth peer v1",
			"host ila add loc_match 2001:db8:1:2 loc 2001:db8:3:4",
			"host ila add loc_match 1:2:3:4 loc 5:6:7:8 dev v0 csum-mode no-action ident-type luid",
			"host ila add loc_match 9:a:b:c loc d:e:f:0 csum-mode neutral-map-auto ident-type use-format",
			"host ila add loc_match 7:7:7:7 loc 8:8:8:8",
			"host ila del loc_match 7:7:7:7",
		},
	}, locators, "ila list", "-j ila list", "-j -p ila list")
}

// TestIlaErrors checks the example's errors for ila against ip's (on a
// kernel without ILA, ip's report of the missing family).
func TestIlaErrors(t *testing.T) {
	sameErrors(t, nil, "ila", "ila help", "ila frob", "ila list x", "ila add loc_match 1:2:3:4 loc 5:6:7:8 frob",
		"ila add loc_match zz loc 1", "ila add loc_match 1 loc 1 csum-mode x", "ila add loc_match 1 loc 1 dev nosuch",
		"ila del loc_match 1:1:1:1")
}
