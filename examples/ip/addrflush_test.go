package main

import (
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestFlushLoops flushes addresses with -l N, with and without -s (and
// with -s -s, which lists the addresses each round deletes), through
// ip and the example in twin namespaces: outputs, errors, exit statuses and
// the addresses left must be ip's. With -l 1 ip reports a flush that
// deleted anything as incomplete (it takes a second round to find nothing
// left); -l 0 has no bound, and a negative N runs no round.
func TestFlushLoops(t *testing.T) {
	ipNS, exNS := testns.New(t), testns.New(t)
	add := []string{"address add 10.1.0.1/24 dev lo", "address add 10.1.0.2/24 dev lo", "address add 10.2.0.1/24 dev lo",
		"address add 2001:db8::1/64 dev lo nodad"}
	for _, cmds := range [][]string{
		{"-l 1 addr flush dev lo"},
		{"-l 1 -s addr flush dev lo", "-l 1 -s addr flush dev lo"},
		{"-loops 2 -s -4 addr flush dev lo primary", "-l 0 -s addr flush dev lo", "-s addr flush dev lo"},
		{"-l -1 addr flush dev lo", "-l x -s -s -o -4 addr flush dev lo", "-j -s -s addr flush dev lo"},
	} {
		for _, ns := range []*testns.NS{ipNS, exNS} {
			ns.IPBatch(t, add...)
		}
		for _, cmd := range cmds {
			args := strings.Fields(cmd)
			want, wantErr, err := runIP(t, ipNS.Name(), args, nil)
			ipCode := exitCode(err)
			got, gotErr, code := runExample(exNS.Name(), args, nil)
			if string(got) != string(want) || string(gotErr) != string(wantErr) || code != ipCode {
				t.Errorf("ip %s:\nip:      exit %d, %q, %q\nexample: exit %d, %q, %q", cmd, ipCode, want, wantErr, code, got, gotErr)
			}
		}
		show := strings.Fields("-j addr show dev lo")
		ipShow, _, _ := runIP(t, ipNS.Name(), show, nil)
		exShow, _, _ := runIP(t, exNS.Name(), show, nil)
		if string(ipShow) != string(exShow) {
			t.Errorf("after ip %s:\nip left:      %s\nexample left: %s", strings.Join(cmds, "; "), ipShow, exShow)
		}
		for _, ns := range []*testns.NS{ipNS, exNS} {
			ns.IP(t, "addr", "flush", "dev", "lo")
		}
	}
}
