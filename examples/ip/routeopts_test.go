package main

import (
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestRouteOptions replays route commands with the options of ip 6.1's
// route add: metrics (locked and not, times with units), realms, tos,
// src, pref, expires, onlink, scope, protocol, tables by name and number,
// and multipath routes whose next hops have weights, realms and onlink.
func TestRouteOptions(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add eth0 type veth peer eth0p",
			"host link set eth0 up",
			"host link set eth0p up",
			"host addr add 10.0.0.1/24 dev eth0",
			"host addr add 2001:db8::1/64 dev eth0 nodad",
			"host route add 10.1.0.0/16 via 10.0.0.2 mtu lock 1400 advmss 1360 rtt 30ms rttvar 10ms reordering 5 window 65535 cwnd 10 initcwnd 20 initrwnd 30 ssthresh 40 features ecn quickack 1 congctl lock cubic fastopen_no_cookie 1 hoplimit 40",
			"host route add 10.2.0.0/16 via 10.0.0.2 rtt 3 rttvar lock 2s rto_min 200ms",
			"host route add 10.3.0.0/16 dev eth0 realms 3/4 tos 0x10 src 10.0.0.1 proto static scope link table 200",
			"host route add 10.4.0.0/16 via 10.0.0.9 dev eth0 onlink metric 7",
			"host route add 10.5.0.0/16 nexthop via 10.0.0.2 dev eth0 weight 3 realms 5 nexthop via 10.0.0.3 dev eth0 onlink",
			"host route prepend 10.6.0.0/16 via 10.0.0.2",
			"host route append 10.6.0.0/16 via 10.0.0.3 metric 1",
			"host route change 10.4.0.0/16 via 10.0.0.9 dev eth0 onlink metric 7 mtu 1300",
			"host route replace 10.2.0.0/16 via 10.0.0.3 congctl reno",
			"host -6 route add 2001:db8:1::/64 via 2001:db8::2 pref high expires 300",
			"host -6 route add 2001:db8:2::/64 from 2001:db8::/64 dev eth0 metric 5",
			"host route add prohibit 10.7.0.0/16 table main",
			"host route add throw 10.8.0.0/16 table 200",
			"host route add local 10.9.0.1 dev eth0 table local",
			"host route del 10.6.0.0/16 via 10.0.0.3 metric 1",
			"host route flush table 200",
			"host route flush cache",
		},
	})
}

// TestRouteGetOptions compares ip route get with its options.
func TestRouteGetOptions(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add eth0 type veth peer eth0p",
			"host link set eth0 up",
			"host link set eth0p up",
			"host link set lo up",
			"host addr add 10.0.0.1/24 dev eth0",
			"host route add 10.1.0.0/16 via 10.0.0.2",
			"host -j route get 10.1.0.5 from 10.0.0.1 oif eth0 mark 7 uid 1000 ipproto tcp sport 1000 dport 80 tos 0x10 =",
			"host route get 10.1.0.5 fibmatch =",
			"host route get to 10.1.0.5 ipproto udp dport 53 =",
			"host -j route get 10.1.0.5 connected =",
			"host route get 10.1.0.5 connected =",
		},
	})
}

// TestRouteErrors runs failing route commands through ip and the example
// in twin namespaces: the message and the exit status must be ip's.
func TestRouteErrors(t *testing.T) {
	sameErrors(t, []string{"link add v0 type veth peer v1"},
		"route show table 555",
		"-6 route show table 555",
		"route flush table 555",
		"route save table 555",
		"route add 10.0.0.0/8 dev v0 pref high mtu lock",
		"route add 10.0.0.0/8 dev v0 quickack 2",
		"route add 10.0.0.0/8 dev v0 features foo",
		"route add 10.0.0.0/8 dev v0 metric 1_0",
		"route add 10.0.0.0/8 dev v0 mtu 0o1400",
		"route add 10.0.0.0/8 dev v0 nexthop via 10.1.0.1 weight 300",
		"rule add from 10.0.0.0/8 table foo",
		"nexthop add id 1 blackhole",
		"nexthop add id 1 blackhole",
	)
}

// TestRouteSaveSelectors saves routes with ip's selectors and shows the
// saved files.
func TestRouteSaveSelectors(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add eth0 type veth peer eth0p",
			"host link set eth0 up",
			"host link set eth0p up",
			"host addr add 10.0.0.1/24 dev eth0",
			"host route add 10.1.0.0/16 via 10.0.0.2 proto static",
			"host route add 10.2.0.0/16 via 10.0.0.2 table 100",
			"host route add 10.3.0.0/16 dev eth0 metric 5 realms 7",
			"host -4 route save table all proto kernel > kernel",
			"host route showdump < kernel =",
			"host route save dev eth0 metric 5 > m5",
			"host route showdump < m5 =",
			"host -j route showdump < m5 =",
			"host route save table 100 > t100",
			"host route flush table 100",
			"host route restore < t100",
		},
	})
}

// TestRouteShowSelectors compares ip route show with its selectors. Under
// emulation only the JSON forms are compared, to keep the test quick.
func TestRouteShowSelectors(t *testing.T) {
	ns := testns.New(t)
	for _, cmd := range []string{
		"link add eth0 type veth peer eth0p",
		"link set eth0 up",
		"link set eth0p up",
		"link set lo up",
		"addr add 10.0.0.1/24 dev eth0",
		"addr add 2001:db8::1/64 dev eth0 nodad",
		"route add 10.1.0.0/16 via 10.0.0.2 proto static realms 3/4",
		"route add 10.1.1.0/24 via 10.0.0.3 metric 5 tos 0x10",
		"route add 10.2.0.0/16 dev eth0 src 10.0.0.1 realms 7",
		"route add blackhole 10.3.0.0/16 table 100",
		"-6 route add 2001:db8:1::/64 from 2001:db8::/64 via 2001:db8::2",
		"-6 route add 2001:db8:2::/64 via 2001:db8::3 metric 7",
	} {
		ns.IP(t, strings.Fields(cmd)...)
	}
	for _, show := range []string{
		"route show root 10.1.0.0/16", "route show match 10.1.1.5", "route show exact 10.1.0.0/16", "-j route show 10.1.1.0/24",
		"route show proto static", "-j route show scope link", "route show type unicast", "route show table 100",
		"-j route show table all type blackhole", "route show dev eth0", "route show via 10.0.0.3", "route show src 10.0.0.1",
		"route show realms 3/4", "route show realms 7", "route show realms 3/", "route show tos 0x10", "route show metric 5",
		"-6 route show from 2001:db8::/64", "-6 route show from root 2001:db8::/32", "-6 route show from match 2001:db8::1",
		"-6 -j route show metric 7", "-j -d route show table all", "-d route show table all", "-j -s route show", "route show cached",
		"-6 route show cached", "route list table main proto kernel",
	} {
		if testns.Emulated() && !strings.HasPrefix(show, "-j") {
			// The text forms are the host's to check: they are quick there.
			t.Logf("under emulation, %q is not compared: the host run compares the text forms", show)
			continue
		}
		args := strings.Fields(show)
		want, _, err := runIP(t, ns.Name(), args, nil)
		if err != nil {
			t.Fatalf("ip %s: %v", show, err)
		}
		got, stderr, code := runExample(ns.Name(), args, nil)
		if code != 0 {
			t.Errorf("example ip %s: exit %d: %s", show, code, stderr)
			continue
		}
		if string(want) != string(got) {
			t.Errorf("ip %s:\nip:      %s\nexample: %s", show, want, got)
		}
	}
}

// TestRouteVRF replays routes put in a VRF's table with `vrf NAME` and
// shows them with the `vrf` selector. The kernel must have VRF devices: a
// kernel without them skips the test, as kfeature decides.
func TestRouteVRF(t *testing.T) {
	replay(t, scenario{
		kind:  "vrf",
		roles: []string{"host"},
		cmds: []string{
			"host link add vrf0 type vrf table 10",
			"host link add eth0 type veth peer eth0p",
			"host link set eth0 master vrf0",
			"host link set vrf0 up",
			"host link set eth0 up",
			"host link set eth0p up",
			"host addr add 10.0.0.1/24 dev eth0",
			"host route add 10.1.0.0/16 via 10.0.0.2 vrf vrf0",
			"host route add unreachable default vrf vrf0 metric 4278198272",
			"host route show vrf vrf0 =",
			"host -j route show vrf vrf0 =",
			"host -j route get 10.1.0.5 vrf vrf0 =",
		},
	})
}
