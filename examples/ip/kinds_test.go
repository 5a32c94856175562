package main

import (
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// The kind tests replay `ip link add|set … type KIND OPTIONS` through ip
// and the example and compare the links' state as ip -j -d -s reads it.
// The kinds the host kernel lacks run in the VM tests.

// TestKindVxlan replays vxlan's options.
func TestKindVxlan(t *testing.T) {
	replay(t, scenario{
		shows: detailShows(), kind: "vxlan", roles: []string{"host"},
		cmds: []string{
			"host link add d0 type veth peer d0p",
			"host link add vx0 type vxlan id 42 dstport 4789 srcport 1000 2000 tos 10 ttl 64 df set noudpcsum noproxy rsc l2miss l3miss ageing 100 maxaddress 10 nolearning local 10.0.0.1 remote 10.0.0.2 dev d0",
			"host link add vx1 type vxlan external vnifilter dstport 4790",
			"host link add vx2 type vxlan vni 5 gbp remcsumtx remcsumrx ttl inherit df inherit tos inherit dstport 0",
			"host link add vx9 type vxlan id 43 dstport 4789 tos AF11",
			"host link add vx3 type vxlan id 6 group 239.1.1.1 dev d0 proxy learning ageing none maxaddress unlimited",
			"host link add vx4 type vxlan id 7 local 2001:db8::1 remote 2001:db8::2 udpcsum hoplimit 5 dstport 8472 flowlabel 0x1234 udp6zerocsumtx udp6zerocsumrx",
			"host link set vx0 type vxlan ageing 200",
		},
	})
}

// TestKindBond replays bond's and bond_slave's options.
func TestKindBond(t *testing.T) {
	replay(t, scenario{
		shows: detailShows(), kind: "bond", roles: []string{"host"},
		cmds: []string{
			"host link add bond0 type bond mode active-backup miimon 100 updelay 200 downdelay 200 peer_notify_delay 100 primary_reselect better fail_over_mac active num_grat_arp 3 all_slaves_active 1 min_links 1 resend_igmp 2 use_carrier 0",
			"host link add bond1 type bond mode 802.3ad lacp_rate fast ad_select bandwidth xmit_hash_policy layer3+4 ad_actor_sys_prio 100 ad_user_port_key 5 ad_actor_system 02:00:00:00:00:01 lacp_active off",
			"host link add bond2 type bond mode 0 arp_interval 100 arp_ip_target 10.0.0.1,10.0.0.2 arp_validate all arp_all_targets all packets_per_slave 3 ns_ip6_target 2001:db8::1,2001:db8::2 arp_missed_max 3",
			"host link add bond3 type bond mode balance-tlb tlb_dynamic_lb 0 lp_interval 2",
			"host link add d0 address 02:00:00:00:00:d0 type veth peer d0p",
			"host link set d0 master bond0",
			"host link set d0 type bond_slave queue_id 1 prio 5",
			"host link set bond0 type bond primary d0",
			"host link set bond2 type bond arp_ip_target",
		},
	})
}

// TestKindBridge replays bridge's and bridge_slave's options the
// example takes, for their -d text.
func TestKindBridge(t *testing.T) {
	replay(t, scenario{
		shows: detailShows(), roles: []string{"host"},
		cmds: []string{
			"host link add br0 address 02:00:00:00:00:b0 type bridge forward_delay 400 hello_time 300 max_age 1500 ageing_time 20000 stp_state 0 priority 100 mcast_snooping 0 group_fwd_mask 0x8 group_address 01:80:c2:00:00:0e mcast_router 2 mcast_query_use_ifaddr 1 mcast_querier 1 mcast_hash_max 1024 mcast_last_member_count 3 mcast_startup_query_count 3 mcast_last_member_interval 200 mcast_membership_interval 30000 mcast_querier_interval 30000 mcast_query_interval 15000 mcast_query_response_interval 2000 mcast_startup_query_interval 4000 mcast_stats_enabled 1 mcast_igmp_version 3 mcast_mld_version 2 nf_call_iptables 1 no_linklocal_learn 1",
			"host link add d0 address 02:00:00:00:00:d0 type veth peer d0p",
			"host link set d0 master br0",
			"host link set d0 type bridge_slave cost 7 priority 3 hairpin on guard on root_block on fastleave on learning off flood off proxy_arp on mcast_flood off bcast_flood off neigh_suppress on isolated on",
			"host link add d1 address 02:00:00:00:00:d1 type veth peer d1p",
			"host link set d1 master br0",
			"host link set d1 type bridge_slave mcast_router 2 mcast_fast_leave on proxy_arp_wifi on mcast_to_unicast on group_fwd_mask 0x8 vlan_tunnel off locked on nobackup_port",
			"host link set d0 type bridge_slave fdb_flush",
			"host link set br0 type bridge fdb_flush",
		},
	})
}

// TestKindMacvlan replays macvlan's flags and broadcast queue, for their
// -d text too.
func TestKindMacvlan(t *testing.T) {
	replay(t, scenario{
		shows: detailShows(), roles: []string{"host"},
		cmds: []string{
			"host link add d0 address 02:00:00:00:00:d0 type veth peer d0p",
			"host link add link d0 name mv0 address 02:00:00:00:00:10 type macvlan mode passthru nopromisc",
			"host link add link d0p name mv1 address 02:00:00:00:00:11 type macvlan mode source flag nodst bcqueuelen 500 macaddr add 02:00:00:00:00:99",
			"host link add link d0p name mv2 address 02:00:00:00:00:12 type macvtap mode bridge flag null",
		},
	})
}

// TestKindVlan replays vlan's options.
func TestKindVlan(t *testing.T) {
	replay(t, scenario{
		shows: detailShows(), kind: "vlan", roles: []string{"host"},
		cmds: []string{
			"host link add d0 type veth peer d0p",
			"host link add link d0 name d0.5 type vlan id 5 protocol 802.1ad reorder_hdr off gvrp on mvrp on loose_binding on bridge_binding on ingress-qos-map 1:2 3:4 egress-qos-map 2:5 6:7",
			"host link add link d0 name d0.6 type vlan id 6 protocol 802.1Q",
			"host link set d0.6 type vlan egress-qos-map 1:3 reorder_hdr on",
		},
	})
}

// TestKindVrf replays vrf's option and a port's.
func TestKindVrf(t *testing.T) {
	replay(t, scenario{
		shows: detailShows(), kind: "vrf", roles: []string{"host"},
		cmds: []string{
			"host link add vrf0 type vrf table 10",
			"host link add d0 type veth peer d0p",
			"host link set d0 master vrf0",
		},
	})
}

// TestKindGre replays the options of the GRE kinds.
func TestKindGre(t *testing.T) {
	replay(t, scenario{
		shows: detailShows(), kind: "gre", roles: []string{"host"},
		cmds: []string{
			"host link add d0 type veth peer d0p",
			"host link add gre1 type gre local 10.0.0.1 remote 10.0.0.2 key 5 seq csum ttl 10 tos 10 fwmark 3 dev d0",
			"host link add gre2 type gre remote 10.0.0.3 ikey 1.2.3.4 okey 7 iseq ocsum nopmtudisc ignore-df ttl inherit",
			"host link add gretap1 type gretap local 10.0.0.1 remote 10.0.0.4 okey 9 noseq",
			"host link add gre3 type gre external",
			"host link set gre1 type gre ttl 20 nocsum",
		},
	})
}

// TestKindIP6Tunnels replays the options of ip6gre and ip6tnl.
func TestKindIP6Tunnels(t *testing.T) {
	replay(t, scenario{
		shows: detailShows(), kind: "ip6gre", roles: []string{"host"},
		cmds: []string{
			"host link add g6 type ip6gre local 2001:db8::1 remote 2001:db8::2 key 5 hoplimit 10 tclass 20 flowlabel 12345 encaplimit 3 dscp inherit allow-localremote",
			"host link add g6t type ip6gretap local 2001:db8::1 remote 2001:db8::3 tclass inherit flowlabel inherit encaplimit none fwmark inherit",
			"host link add t6 type ip6tnl mode ip6ip6 local 2001:db8::1 remote 2001:db8::4 encaplimit none hoplimit 30 tclass 0x10 flowlabel 0x1",
			"host link add t4 type ip6tnl mode ipip6 local 2001:db8::1 remote 2001:db8::5 fwmark 7",
			"host link add t0 type ip6tnl mode any remote 2001:db8::6 allow-localremote",
			"host link set t6 type ip6tnl hoplimit 40",
		},
	})
}

// TestKindIPTunnels replays the options of ipip and sit.
func TestKindIPTunnels(t *testing.T) {
	replay(t, scenario{
		shows: detailShows(), kind: "ipip", roles: []string{"host"},
		cmds: []string{
			"host link add ip1 type ipip local 10.0.0.1 remote 10.0.0.2 ttl 10 tos 10 fwmark 5",
			"host link add ip2 type ipip mode any remote 10.0.0.3 nopmtudisc tos inherit",
			"host link add s1 type sit local 10.0.0.1 remote 10.0.0.4 mode ip6ip ttl 20",
			"host link add s2 type sit local 10.0.0.1 isatap",
			"host link add s3 type sit local 10.0.0.9 6rd-prefix 2001:db8::/32 6rd-relay_prefix 10.0.0.0/8",
			"host link add s4 type sit local 10.0.0.7",
			"host link add s5 type sit mode ip6ip remote 10.0.0.8",
			"host link set s4 type sit mode ip6ip",
			"host link set ip1 type ipip ttl 30",
		},
	})
}

// TestKindGeneve replays geneve's options.
func TestKindGeneve(t *testing.T) {
	replay(t, scenario{
		shows: detailShows(), kind: "geneve", roles: []string{"host"},
		cmds: []string{
			"host link add gn0 type geneve id 10 remote 10.0.0.2 ttl 10 tos 10 df set dstport 6082 noudpcsum udp6zerocsumtx udp6zerocsumrx",
			"host link add gn1 type geneve external dstport 6090",
			"host link add gn2 type geneve vni 11 remote 2001:db8::2 ttl inherit df inherit udpcsum flowlabel 5",
			"host link add gn3 type geneve id 12 remote 10.0.0.3 ttl auto tos inherit innerprotoinherit",
		},
	})
}

// TestKindMacsec replays macsec's options.
func TestKindMacsec(t *testing.T) {
	replay(t, scenario{
		shows: detailShows(), kind: "macsec", roles: []string{"host"},
		cmds: []string{
			"host link add d0 address 02:00:00:00:00:d0 type veth peer d0p",
			"host link add link d0 ms0 type macsec port 11 cipher gcm-aes-256 icvlen 16 encrypt on send_sci on protect on replay on window 8 validate check encodingsa 2",
			"host link add link d0 ms1 type macsec sci 0200000000010005 end_station on cipher GCM-AES-XPN-128 offload off",
			"host link add link d0 ms2 type macsec port 12 scb on replay off validate disabled",
			"host link set ms0 type macsec encrypt off encodingsa 3",
		},
	})
}

// detailShows are the text shows of the kinds' details, compared byte for
// byte on every kernel: ip's per-kind text forms. Under emulation, where
// the tests must be quick, only the link show is: the address show writes
// the same lines from the same code.
func detailShows() []string {
	if testns.Emulated() {
		return []string{"-d link show"}
	}
	return []string{"-d link show", "-d addr show"}
}

// TestKindOptionErrors sends kind options ip refuses before it asks the
// kernel anything: the message and the exit status must be ip's.
func TestKindOptionErrors(t *testing.T) {
	sameErrors(t, nil,
		"link add b0 type bond mode fast",
		"link add b0 type bond miimon x",
		"link add b0 type bond lacp_rate medium",
		"link add b0 type bond xmit_hash_policy layer9",
		"link add b0 type bond primary nosuch",
		"link add v0 type vxlan id 16777216",
		"link add v0 type vxlan id 5 ttl 300",
		"link add v0 type vxlan id 5 df maybe",
		"link add v0 type vxlan id 5 tos zz",
		"link add v0 type vxlan id 0b101",
		"link add v0 type vxlan id 5 dev nosuch",
		"link add g0 type gre ttl x",
		"link add g0 type gre key x",
		"link add t0 type ip6tnl mode foo",
		"link add t0 type ip6tnl tclass zz",
		"link add t0 type ip6tnl flowlabel 0x100000",
		"link add g0 type geneve id 5 df no",
		"link add g0 type geneve remote 10.0.0.1",
		"link add g0 type geneve id 5",
		"link add g0 type geneve external id 5",
		"link add v0 type vxlan dstport 4789",
		"link add v0 type vxlan external id 5",
		"link add v0 type vxlan id 5 vnifilter",
		"link add v0 type vxlan id 5 group 239.0.0.1",
		"link add v0 type vlan protocol 802.1x",
		"link add v0 type vlan id x",
		"link add m0 type macsec icvlen 20",
		"link add m0 type macsec encodingsa 4",
		"link add m0 type macsec window 5",
		"link add m0 type macsec cipher foo",
	)
}

// TestKindIpvlan replays ipvlan's mode and flag, for their -d text.
func TestKindIpvlan(t *testing.T) {
	replay(t, scenario{
		kind: "ipvlan", roles: []string{"host"}, shows: detailShows(),
		cmds: []string{
			"host link add d0 address 02:00:00:00:00:d0 type veth peer d0p",
			"host link add link d0 name ipv0 type ipvlan mode l3 private",
			"host link add link d0 name ipv1 type ipvlan mode l2 vepa",
		},
	})
}

// TestKindVti replays vti's and vti6's options, fwmark among them.
func TestKindVti(t *testing.T) {
	replay(t, scenario{
		kind: "vti", roles: []string{"host"}, shows: detailShows(),
		cmds: []string{
			"host link add d0 address 02:00:00:00:00:d0 type veth peer d0p",
			"host link add vti1 type vti local 10.0.0.1 remote 10.0.0.2 ikey 5 okey 6 fwmark 7 dev d0",
			"host link add vti2 type vti6 local 2001:db8::1 remote 2001:db8::2 key 8",
		},
	})
}

// TestKindErspan replays the ERSPAN versions' options.
func TestKindErspan(t *testing.T) {
	replay(t, scenario{
		kind: "erspan", roles: []string{"host"}, shows: detailShows(),
		cmds: []string{
			"host link add es1 type erspan local 10.0.0.1 remote 10.0.0.2 seq key 10 erspan_ver 1 erspan 123",
			"host link add es2 type erspan local 10.0.0.1 remote 10.0.0.3 seq key 11 erspan_ver 2 erspan_dir egress erspan_hwid 7",
			"host link add es6 type ip6erspan local 2001:db8::1 remote 2001:db8::2 seq key 12 erspan_ver 1 erspan 5",
		},
	})
}

// TestKindTun compares the -d text of tun and tap devices.
func TestKindTun(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host"}, shows: detailShows(),
		cmds: []string{
			"host tuntap add dev tp0 mode tap multi_queue",
			"host tuntap add dev tn0 mode tun user 0 group 0 pi vnet_hdr",
		},
	})
}

// TestTuntapOneQueue compares ip tuntap show of a device with one_queue,
// which ip reads from sysfs.
func TestTuntapOneQueue(t *testing.T) {
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host tuntap add dev tp1 mode tap one_queue",
			"host tuntap add dev tn1 mode tun one_queue multi_queue",
			"host tuntap add dev tn2 mode tun",
		},
	}, "tuntap show", "-j tuntap show", "tuntap")
}
