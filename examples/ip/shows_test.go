package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestGuideShows runs the guide's show commands, with their selectors,
// through ip and the example in a namespace that ip set up, and compares
// the outputs byte for byte. Under emulation only the JSON forms are
// compared, to keep the test quick there.
func TestGuideShows(t *testing.T) {
	ns := testns.New(t)
	for _, cmd := range []string{
		"link add eth0 type veth peer eth0p",
		"link add br0 type bridge",
		"link set eth0 up",
		"link set eth0p up",
		"link set lo up",
		"addr add 10.0.0.1/24 dev eth0",
		"addr add 172.24.96.11/20 brd + dev eth0",
		"route add default via 172.24.96.1",
		"route add 10.1.0.0/24 via 10.0.0.2 metric 5",
		"neigh add 192.168.0.1 lladdr 11:22:33:44:55:66 dev eth0",
		"neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev eth0 nud reachable",
		"tuntap add dev tap0 mode tap",
		"tuntap add dev tun0 mode tun multi_queue",
	} {
		ns.IP(t, strings.Fields(cmd)...)
	}
	for _, show := range []string{
		"addr show dev eth0", "-j addr show dev eth0", "addr show type bridge", "-j addr show type bridge",
		"addr show to 10.0.0.1/24", "-j addr show to 10.0.0.0/8", "-4 addr show eth0", "-6 -j addr show eth0",
		"-0 addr show eth0", "-br addr show eth0", "-o addr show eth0", "-s addr show eth0",
		"-j link show eth0", "-br link show eth0", "-j -br link show master br0", "-j link show type veth",
		"-j link show up", "-j link show group default",
		"route show exact 10.1.0.0/24", "-j route show exact default", "-j -d route show exact default",
		"-j route show dev eth0", "-j route show proto kernel", "-j route show scope link", "-j route show via 10.0.0.2",
		"route get 10.1.0.5", "-j route get 10.1.0.5", "-j route get 172.24.96.5 from 172.24.96.11",
		"neigh show to 192.168.0.1", "-j neigh show dev eth0", "-j neigh show nud permanent", "neigh get 192.168.0.1 dev eth0",
		"-s -s link show eth0", "-d link show lo", "-d link show eth0p",
		"-j maddr show dev eth0", "maddr show dev eth0", "tuntap show", "-j tuntap show",
	} {
		if testns.Emulated() && !strings.HasPrefix(show, "-j") {
			// The text forms are the host's to check: they are quick there.
			t.Logf("under emulation, %q is not compared: the host run compares the text forms", show)
			continue
		}
		args := strings.Fields(show)
		// The kernel moves on between the two reads (duplicate address
		// detection ends, a neighbour goes stale): compare again until
		// both read the same state.
		eventually(t, func() string {
			want, _, err := runIP(t, ns.Name(), args, nil)
			if err != nil {
				return fmt.Sprintf("ip -n %s %s: %v", ns.Name(), show, err)
			}
			got, stderr, code := runExample(ns.Name(), args, nil)
			if code != 0 {
				return fmt.Sprintf("example ip %s: exit %d: %s", show, code, stderr)
			}
			if withoutTimers(want) != withoutTimers(got) {
				return fmt.Sprintf("ip %s:\nip:      %s\nexample: %s", show, want, got)
			}
			return ""
		})
	}
}
