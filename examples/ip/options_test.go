package main

import (
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestVersion checks that -V and -Version print a version line, as ip
// does, and stop there, whatever follows.
func TestVersion(t *testing.T) {
	for _, cmd := range []string{"-V", "-Version link show", "--V"} {
		out, stderr, code := runExample("", strings.Fields(cmd), nil)
		if code != 0 || !strings.HasPrefix(string(out), "ip utility, ") || len(stderr) != 0 {
			t.Errorf("ip %s: exit %d, %q, %q", cmd, code, out, stderr)
		}
	}
}

// TestLoops checks that -l/-loops N is read as ip reads it: the flush
// still empties the device, the show prints what ip prints, and a missing
// N is ip's usage error. TestFlushLoops checks the bound itself.
func TestLoops(t *testing.T) {
	ipNS, exNS := testns.New(t), testns.New(t)
	for _, ns := range []*testns.NS{ipNS, exNS} {
		ns.IPBatch(t, "address add 10.1.0.1/24 dev lo", "address add 10.1.0.2/24 dev lo", "address add 10.2.0.1/24 dev lo")
	}
	for _, cmd := range []string{"-l 3 addr flush dev lo", "-loops 5 -j addr show dev lo", "-l"} {
		args := strings.Fields(cmd)
		want, _, err := runIP(t, ipNS.Name(), args, nil)
		ipCode := exitCode(err)
		got, _, code := runExample(exNS.Name(), args, nil)
		if string(got) != string(want) || code != ipCode {
			t.Errorf("ip %s:\nip:      exit %d, %s\nexample: exit %d, %s", cmd, ipCode, want, code, got)
		}
	}
}
