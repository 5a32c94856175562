package main

import "testing"

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
		},
	})
}
