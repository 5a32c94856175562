package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestNeighRouteFlushRounds flushes neighbour entries and routes with -s
// and -s -s (which lists what each round deletes, as text even with -j)
// through ip and the example in twin namespaces: outputs, errors, exit
// statuses and the objects left must be ip's.
func TestNeighRouteFlushRounds(t *testing.T) {
	ipNS, exNS := testns.New(t), testns.New(t)
	setup := []string{"link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02", "link set v0 up", "link set v1 up",
		"addr add 10.0.0.1/24 dev v0", "addr add 2001:db8::1/64 dev v0 nodad"}
	add := []string{
		"neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev v0 nud stale",
		"neigh add 10.0.0.4 lladdr 02:00:00:00:00:04 dev v0 nud reachable",
		"neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 nud permanent",
		"neigh add 2001:db8::3 lladdr 02:00:00:00:00:03 dev v0 nud stale",
		"route add blackhole 10.9.1.0/24 table 100", "route add unreachable 10.9.2.0/24 table 100 metric 7",
		"route add blackhole 2001:db8:9::/48 table 100", "route add 10.9.3.0/24 dev v0 proto static",
	}
	for _, ns := range []*testns.NS{ipNS, exNS} {
		ns.IPBatch(t, setup...)
	}
	for _, cmds := range [][]string{
		{"-4 -s neigh flush dev v0", "-4 -s neigh flush dev v0", "-s route flush table 100", "-s route flush table 100", "-6 -s route flush table 100"},
		{"-s -s neigh flush to 10.0.0.3", "-s -s -6 neigh flush dev v0", "-s -s route flush table 100", "-s -s route flush proto static", "-6 -s -s route flush table 100"},
		{"-j -s -s -6 neigh flush nud all", "neigh flush dev v0", "-j -s -s route flush table 100", "route flush dev v0", "-s route flush dev v0"},
	} {
		for _, ns := range []*testns.NS{ipNS, exNS} {
			ns.IPBatch(t, add...)
		}
		for _, cmd := range cmds {
			args := strings.Fields(cmd)
			want, wantErr, err := runIP(t, ipNS.Name(), args, nil)
			ipCode := exitCode(err)
			got, gotErr, code := runExample(exNS.Name(), args, nil)
			if withoutAges(got) != withoutAges(want) || string(gotErr) != string(wantErr) || code != ipCode {
				t.Errorf("ip %s:\nip:      exit %d, %q, %q\nexample: exit %d, %q, %q", cmd, ipCode, want, wantErr, code, got, gotErr)
			}
		}
		// The order of neighbour entries is the kernel's hash order,
		// another in each namespace; the NOARP multicast entries come and go.
		for _, show := range []string{"neigh show dev v0", "route show table all dev v0", "route show table 100"} {
			args := strings.Fields(show)
			ipShow, _, _ := runIP(t, ipNS.Name(), args, nil)
			exShow, _, _ := runIP(t, exNS.Name(), args, nil)
			if sortedLines(ipShow) != sortedLines(exShow) {
				t.Errorf("after ip %s, ip %s:\nip left:      %s\nexample left: %s", strings.Join(cmds, "; "), show, ipShow, exShow)
			}
		}
		for _, ns := range []*testns.NS{ipNS, exNS} {
			ns.IPBatch(t, "neigh flush dev v0 nud all", "route flush table 100", "route flush dev v0 proto static")
			ns.IP(t, "-6", "route", "flush", "table", "100")
		}
	}
}

// withoutAges is out with the ages of the neighbour entries (the seconds
// since each was used, confirmed and updated) left out: the entries of the
// two namespaces are not made at the same time, and a slow VM can put a
// second between them.
func withoutAges(out []byte) string {
	return regexp.MustCompile(`used [0-9]+/[0-9]+/[0-9]+`).ReplaceAllString(string(out), "used A/A/A")
}

// sortedLines is out with its lines sorted.
func sortedLines(out []byte) string {
	lines := strings.Split(string(out), "\n")
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
