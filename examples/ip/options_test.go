package main

import (
	"strings"
	"testing"
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
