package main

import (
	"errors"
	"testing"

	"github.com/nlkit/nlkit/internal/kfeature"
)

// TestMrule adds, deletes and flushes multicast routing rules with ip and
// with the example and compares the rules and the outputs. It needs
// multicast policy routing, which only the VM kernels have: on a kernel
// without, TestMruleErrors compares ip's error.
func TestMrule(t *testing.T) {
	if !mrulesWork(t) {
		return
	}
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add v0 type veth peer v1",
			"host mrule add iif v0 table 10 pref 100",
			"host mrule add fwmark 0x7/0xff lookup 11 pref 200",
			"host -6 mrule add iif v1 table 12 pref 300",
			"host mrule del pref 200",
			"host mrule add iif v1 lookup 13",
			"host -j mrule =",
		},
	}, "mrule", "-j mrule", "-6 mrule show", "-j -d mrule list", "-6 -j -p mrule")
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds:  []string{"host mrule add iif lo table 10 pref 100", "host mrule flush", "host -6 mrule flush"},
	}, "mrule", "-6 -j mrule")
}

// mrulesWork reports whether the kernel has multicast policy routing,
// skipping t through kfeature when it has not.
func mrulesWork(t *testing.T) bool {
	t.Helper()
	ns := names(t, []string{"probe"})["probe"]
	_, stderr, err := runIP(t, ns, []string{"mrule", "show"}, nil)
	if err != nil {
		kfeature.Missing(t, kfeature.Feature{Name: "multicast routing rules", Since: "4.0",
			Config: []string{"CONFIG_IP_MROUTE_MULTIPLE_TABLES", "CONFIG_IPV6_MROUTE_MULTIPLE_TABLES"}}, errors.New(string(stderr)))
		return false
	}
	return true
}

// TestMruleErrors checks the example's errors for mrule against ip's.
func TestMruleErrors(t *testing.T) {
	sameErrors(t, []string{"link add v0 type veth peer v1"}, "mrule add from 10.0.0.0/8 table 5", "mrule add to 239.0.0.0/8 table 5",
		"-0 mrule", "mrule frob", "mrule del pref 5", "mrule show", "-6 mrule flush")
}
