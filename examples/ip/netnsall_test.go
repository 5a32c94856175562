package main

import (
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestNetnsExecAll runs `ip -all netns exec` through ip and the example:
// for each of two test namespaces both must print the same "netns: NAME"
// block. (Other namespaces may come and go meanwhile: only the test's are
// compared.)
func TestNetnsExecAll(t *testing.T) {
	a, b := testns.New(t), testns.New(t)
	a.IP(t, "link", "set", "lo", "up")
	for _, cmd := range []string{"-all netns exec ip -br link show lo", "-a netns exec nosuchcommand"} {
		args := strings.Fields(cmd)
		want, wantErr, _ := runIP(t, "", args, nil)
		got, gotErr, code := runExample("", args, nil)
		if code != 0 {
			t.Errorf("example ip %s: exit %d: %s", cmd, code, gotErr)
		}
		for _, ns := range []*testns.NS{a, b} {
			if w, g := netnsBlock(string(want), ns.Name()), netnsBlock(string(got), ns.Name()); w == "" || w != g {
				t.Errorf("ip %s, namespace %s:\nip:      %q\nexample: %q", cmd, ns.Name(), w, g)
			}
		}
		if strings.Contains(string(wantErr), "failed") != strings.Contains(string(gotErr), "failed") {
			t.Errorf("ip %s: ip's errors %q, the example's %q", cmd, wantErr, gotErr)
		}
	}
}

// netnsBlock returns the block that ip -all netns exec prints for the
// namespace: its header and what the command printed there.
func netnsBlock(out, name string) string {
	header := "\nnetns: " + name + "\n"
	i := strings.Index(out, header)
	if i < 0 {
		return ""
	}
	rest := out[i+len(header):]
	if j := strings.Index(rest, "\nnetns: "); j >= 0 {
		rest = rest[:j]
	}
	return header + rest
}
