package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestNexthopOptions replays nexthop commands with the options of ip
// 6.1's nexthop add: gateways of both families, onlink, protocols, fdb
// nexthops and groups, weighted and resilient groups, and shows them with
// selectors, gets them, and lists the buckets of the resilient group.
func TestNexthopOptions(t *testing.T) {
	replay(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add eth0 type veth peer eth0p",
			"host link set eth0 up",
			"host link set eth0p up",
			"host link set lo up",
			"host addr add 10.0.0.1/24 dev eth0",
			"host addr add 2001:db8::1/64 dev eth0 nodad",
			"host nexthop add id 1 via 10.0.0.2 dev eth0 proto static",
			"host nexthop add id 2 via 10.0.0.3 dev eth0",
			"host nexthop add id 3 via 10.9.0.3 dev eth0 onlink",
			"host -6 nexthop add id 4 via 2001:db8::2 dev eth0",
			"host nexthop add id 5 dev eth0",
			"host nexthop add id 6 blackhole protocol 99",
			"host nexthop add id 7 via 10.0.0.4 fdb",
			"host nexthop add id 8 via 10.0.0.5 fdb",
			"host nexthop add id 10 group 1,5/2,3",
			"host nexthop add id 11 group 1/2 type resilient buckets 8 idle_timer 60 unbalanced_timer 120",
			"host nexthop add id 12 group 7/8 fdb",
			"host nexthop replace id 2 via 10.0.0.6 dev eth0",
			"host nexthop add id 13 group 1/2 type mpath",
			"host route add 10.5.0.0/16 nhid 10",
			"host nexthop show id 10 =",
			"host -j nexthop show dev eth0 =",
			"host nexthop show groups =",
			"host nexthop show protocol 4 =",
			"host -j -d nexthop get id 11 =",
			"host -d nexthop show =",
			"host -d route show 10.5.0.0/16 =",
			"host nexthop del id 13",
			"host nexthop flush protocol 4",
			"host nexthop flush",
		},
	})
}

// TestNexthopBuckets compares ip nexthop bucket show and get, their idle
// times masked: they move between two reads.
func TestNexthopBuckets(t *testing.T) {
	ns := testns.New(t)
	for _, cmd := range []string{
		"link add eth0 type veth peer eth0p",
		"link set eth0 up",
		"link set eth0p up",
		"addr add 10.0.0.1/24 dev eth0",
		"nexthop add id 1 via 10.0.0.2 dev eth0",
		"nexthop add id 2 via 10.0.0.3 dev eth0",
		"nexthop add id 11 group 1/2 type resilient buckets 4 idle_timer 60",
	} {
		ns.IP(t, strings.Fields(cmd)...)
	}
	idle := regexp.MustCompile(`idle_time"?:? ?[0-9.]+`)
	for _, show := range []string{
		"-j nexthop bucket show id 11", "nexthop bucket show nhid 1", "nexthop bucket show dev eth0",
		"nexthop bucket list", "-j nexthop bucket get id 11 index 3", "nexthop bucket get id 11 index 0",
	} {
		args := strings.Fields(show)
		want, _, err := runIP(t, ns.Name(), args, nil)
		if err != nil {
			t.Fatalf("ip %s: %v", show, err)
		}
		got, stderr, code := runExample(ns.Name(), args, nil)
		if code != 0 {
			t.Fatalf("example ip %s: exit %d: %s", show, code, stderr)
		}
		if w, g := idle.ReplaceAll(want, nil), idle.ReplaceAll(got, nil); string(w) != string(g) {
			t.Errorf("ip %s:\nip:      %s\nexample: %s", show, want, got)
		}
	}
}
