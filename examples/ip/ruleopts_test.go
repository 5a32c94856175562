package main

import "testing"

// TestRuleOptions replays rule commands with the selectors and actions of
// ip 6.1's rule add, shows them with selectors, and saves, flushes and
// restores them.
func TestRuleOptions(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add eth0 type veth peer eth0p",
			"host rule add from 10.0.0.0/8 to 192.168.0.0/16 tos 0x10 table 100 pref 100 protocol static",
			"host rule add fwmark 0x10/0xff iif eth0 oif eth0p lookup 200 pref 110 realms 3/4",
			"host rule add uidrange 100-200 ipproto tcp sport 1000-2000 dport 80 table 300 pref 120",
			"host rule add not from 10.1.0.0/16 dsfield 0x08 goto 150 pref 130",
			"host rule add pref 140 nop",
			"host rule add pref 150 table main suppress_prefixlength 0 suppress_ifgroup 5",
			"host rule add pref 160 l3mdev unreachable",
			"host rule add pref 170 ipproto udp dport 53 type blackhole",
			"host rule add pref 180 tun_id 42 prohibit",
			"host -6 rule add from 2001:db8::/32 to 2001:db8:1::/48 ipproto ipv6-icmp table 300 pref 100",
			"host rule show table 100 =",
			"host -j rule show from 10.0.0.0/8 =",
			"host rule list pref 110 =",
			"host -j rule show fwmark 0x10/0xff =",
			"host -j -d rule show iif eth0 =",
			"host rule show oif eth0p =",
			"host -j rule show uidrange 100-200 =",
			"host rule show ipproto tcp =",
			"host rule show sport 1000-2000 =",
			"host rule show dport 80 =",
			"host rule show not =",
			"host rule show l3mdev =",
			"host rule show to 192.168.0.0/16 =",
			"host rule show tun_id 42 =",
			"host -d rule show protocol static =",
			"host -d rule show =",
			"host -6 -d rule show =",
			"host rule save > rules",
			"host rule del pref 170 ipproto udp dport 53 type blackhole",
			"host rule flush table 300",
			"host rule flush",
			"host rule restore < rules",
		},
	})
}
