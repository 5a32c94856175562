package main

import (
	"strings"
	"testing"
	"time"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestColor compares the example's colored link, address, route,
// neighbour, rule and nexthop text with ip's, for -c, -color=always, -c=auto (standard output not a
// terminal: no color) and -c=never, in the light palette and, with
// COLORFGBG naming a dark background, the dark one.
func TestColor(t *testing.T) {
	ns := testns.New(t)
	ns.IPBatch(t,
		"link add c0 type veth peer name c1",
		"link add br0 type bridge",
		"link set c1 master br0",
		// No link-local addresses: their duplicate address detection
		// would end between ip's read and the example's.
		"link set c0 addrgenmode none",
		"link set c1 addrgenmode none",
		"link set br0 addrgenmode none",
		"address add 10.5.0.1/24 dev c0",
		"address add 10.4.0.1/24 brd + dev c0",
		"address add 2001:db8:5::1/64 dev c0 nodad",
		"link set c0 up",
		"link set br0 up",
		"link set c1 up",
		"link set lo up",
		"route add 10.6.0.0/24 via 10.5.0.254",
		"route add default via 10.5.0.254",
		"route add 2001:db8:6::/64 via 2001:db8:5::fe",
		"neigh add 10.5.0.9 lladdr 02:00:00:00:00:09 dev c0",
		"rule add from 10.1.0.0/16 to 10.2.0.1 lookup 7",
		"nexthop add id 6 via 10.5.0.254 dev c0 onlink",
	)
	// The kernel settles the links' carrier and state a moment after they
	// are set up: both must read them settled.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		out := string(ns.IP(t, "-br", "link", "show", "up"))
		if strings.Count(out, " UP ") == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the links never came up:\n%s", out)
		}
	}
	for _, bg := range []string{"", "15;0"} {
		t.Setenv("COLORFGBG", bg)
		for _, cmd := range []string{
			"-c link", "-color=always addr", "-c route show table all", "-c -6 route show",
			"-c -br link", "-c -br addr", "-c -o addr", "-c -o link", "-c -4 addr", "-c -s link show lo",
			"-c=auto addr", "-c=never link", "-c -j addr", "-c neigh", "-c rule", "-c nexthop",
		} {
			if testns.Emulated() && (bg != "" && cmd != "-c link" || strings.Contains(cmd, "-o") || strings.Contains(cmd, "-s") || strings.Contains(cmd, "-4") || strings.Contains(cmd, "-j")) {
				// Under emulation the dark palette, which differs only in
				// its codes, is checked with one command, and the variants
				// of the same lines are left to the host, to keep the test
				// quick there.
				t.Logf("under emulation, COLORFGBG=%q ip %s is left to the host", bg, cmd)
				continue
			}
			args := strings.Fields(cmd)
			want, _, err := runIP(t, ns.Name(), args, nil)
			if err != nil {
				t.Fatalf("ip %s: %v", cmd, err)
			}
			got, stderr, code := runExample(ns.Name(), args, nil)
			if code != 0 {
				t.Errorf("example ip %s: exit %d: %s", cmd, code, stderr)
				continue
			}
			if string(got) != string(want) {
				t.Errorf("COLORFGBG=%q ip %s:\nip:      %q\nexample: %q", bg, cmd, want, got)
			}
		}
	}
}
