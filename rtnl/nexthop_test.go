package rtnl_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// nexthopCase is a nexthop made by `ip nexthop add` with args and the same
// nexthop for AddNexthop, the device index left to fill in.
type nexthopCase struct {
	args string
	nh   rtnl.Nexthop
	dev  string
}

// nexthopCases covers every form of nexthop object, each after those it
// refers to.
func nexthopCases() []nexthopCase {
	a := netip.MustParseAddr
	v6 := uint8(unix.AF_INET6)
	return []nexthopCase{
		{"id 1 via 10.0.0.254 dev veth0", rtnl.Nexthop{ID: 1, Gateway: a("10.0.0.254")}, "veth0"},
		{"id 2 via 10.0.0.253 dev veth0 onlink", rtnl.Nexthop{ID: 2, Gateway: a("10.0.0.253"), Flags: rtnl.RouteOnLink}, "veth0"},
		{"id 3 dev veth0", rtnl.Nexthop{ID: 3}, "veth0"},
		{"id 4 blackhole", rtnl.Nexthop{ID: 4, Blackhole: true}, ""},
		{"id 5 via 2001:db8::2 dev veth0", rtnl.Nexthop{ID: 5, Gateway: a("2001:db8::2")}, "veth0"},
		{"-6 id 6 dev veth0", rtnl.Nexthop{ID: 6, Family: v6}, "veth0"},
		{"-6 id 7 blackhole", rtnl.Nexthop{ID: 7, Family: v6, Blackhole: true}, ""},
		{"id 8 via 192.0.2.1 dev veth0 onlink", rtnl.Nexthop{ID: 8, Gateway: a("192.0.2.1"), Flags: rtnl.RouteOnLink}, "veth0"},
		{"id 9 via 10.0.0.252 dev veth0 protocol static", rtnl.Nexthop{ID: 9, Gateway: a("10.0.0.252"), Protocol: rtnl.ProtocolStatic}, "veth0"},
		{"id 10 dev veth2 protocol 99", rtnl.Nexthop{ID: 10, Protocol: 99}, "veth2"},
		{"id 11 group 1/2", rtnl.Nexthop{ID: 11, Group: []rtnl.NexthopGroupMember{{ID: 1}, {ID: 2}}}, ""},
		{"id 12 group 1,3/2,256/9", rtnl.Nexthop{ID: 12, Group: []rtnl.NexthopGroupMember{{ID: 1, Weight: 3}, {ID: 2, Weight: 256}, {ID: 9, Weight: 1}}}, ""},
		{"id 13 group 1/2 type resilient buckets 8 idle_timer 10 unbalanced_timer 20", rtnl.Nexthop{ID: 13, Group: []rtnl.NexthopGroupMember{{ID: 1}, {ID: 2}},
			GroupType: rtnl.NexthopGroupResilient, Resilient: &rtnl.NexthopResilient{Buckets: 8, IdleTimer: 10 * time.Second, UnbalancedTimer: 20 * time.Second}}, ""},
		{"id 14 group 3,2/9 type resilient buckets 6", rtnl.Nexthop{ID: 14, Group: []rtnl.NexthopGroupMember{{ID: 3, Weight: 2}, {ID: 9}},
			GroupType: rtnl.NexthopGroupResilient, Resilient: &rtnl.NexthopResilient{Buckets: 6}}, ""},
		{"id 15 group 5/6 type mpath protocol bgp", rtnl.Nexthop{ID: 15, Group: []rtnl.NexthopGroupMember{{ID: 5}, {ID: 6}}, Protocol: rtnl.ProtocolBGP}, ""},
		{"id 16 group 4", rtnl.Nexthop{ID: 16, Group: []rtnl.NexthopGroupMember{{ID: 4}}}, ""},
		{"id 17 encap ip id 5 dst 192.0.2.4 ttl 10 dev veth0", rtnl.Nexthop{ID: 17, Encap: &rtnl.Encap{Type: rtnl.EncapIP, IP: &rtnl.IPEncap{
			ID: ptr[uint64](5), Dst: a("192.0.2.4"), TTL: ptr[uint8](10),
		}}}, "veth0"},
		{"id 20 via 10.0.0.5 fdb", rtnl.Nexthop{ID: 20, Gateway: a("10.0.0.5"), FDB: true}, ""},
		{"id 21 via 2001:db8::5 fdb", rtnl.Nexthop{ID: 21, Gateway: a("2001:db8::5"), FDB: true}, ""},
		{"id 22 group 20 fdb", rtnl.Nexthop{ID: 22, Group: []rtnl.NexthopGroupMember{{ID: 20}}, FDB: true}, ""},
		{"id 23 group 21 fdb type resilient buckets 4", rtnl.Nexthop{ID: 23, Group: []rtnl.NexthopGroupMember{{ID: 21}}, FDB: true,
			GroupType: rtnl.NexthopGroupResilient, Resilient: &rtnl.NexthopResilient{Buckets: 4}}, ""},
	}
}

// nexthopNS makes a namespace with the devices of nexthopCases: lo up
// (for blackholes), veth0 up
// with 10.0.0.1/24 and 2001:db8::1/64, and veth2 up under the bridge br0.
func nexthopNS(t *testing.T) *testns.NS {
	t.Helper()
	ns := testns.New(t)
	for _, cmd := range []string{
		"link set lo up",
		"link add veth0 type veth peer name veth1",
		"link add veth2 type veth peer name veth3",
		"link add br0 type bridge",
		"link set veth2 master br0",
		"link set veth0 up", "link set veth1 up", "link set veth2 up", "link set veth3 up", "link set br0 up",
		"addr add 10.0.0.1/24 dev veth0",
		"addr add 2001:db8::1/64 dev veth0 nodad",
	} {
		ns.IP(t, strings.Fields(cmd)...)
	}
	return ns
}

// addNexthopCases adds the nexthops of nexthopCases with ip.
func addNexthopCases(t *testing.T, ns *testns.NS) {
	t.Helper()
	for _, tc := range nexthopCases() {
		ns.IP(t, ipNexthopAddArgs(tc.args)...)
	}
}

// ipNexthopAddArgs returns the arguments of ip nexthop add for a case.
func ipNexthopAddArgs(args string) []string {
	f := strings.Fields(args)
	if f[0] == "-6" {
		return append([]string{"-6", "nexthop", "add"}, f[1:]...)
	}
	return append([]string{"nexthop", "add"}, f...)
}

// ipNexthopJSON returns ip's JSON for a nexthop.
func ipNexthopJSON(t *testing.T, ns *testns.NS, id uint32) string {
	t.Helper()
	var objs []json.RawMessage
	out := ns.IP(t, "-j", "-d", "nexthop", "show", "id", strconv.FormatUint(uint64(id), 10))
	if err := json.Unmarshal(out, &objs); err != nil || len(objs) != 1 {
		t.Fatalf("ip nexthop show id %d printed %s (%v)", id, out, err)
	}
	return string(objs[0])
}

// TestNexthopBothWays creates every nexthop of nexthopCases with ip in one
// namespace and with AddNexthop in another, and checks that nlkit reads
// each as ip prints it, and that both print the same.
func TestNexthopBothWays(t *testing.T) {
	ctx := context.Background()
	byIP, byNlkit := nexthopNS(t), nexthopNS(t)
	cIP, cNlkit := dial(t, byIP), dial(t, byNlkit)
	for _, tc := range nexthopCases() {
		t.Run(tc.args, func(t *testing.T) {
			byIP.IP(t, ipNexthopAddArgs(tc.args)...)
			nh := tc.nh
			if tc.dev != "" {
				nh.LinkIndex = mustLink(t, cNlkit, tc.dev).Index
			}
			if err := cNlkit.AddNexthop(ctx, nh); err != nil {
				t.Fatalf("AddNexthop: %v", err)
			}
			for _, side := range []struct {
				what string
				ns   *testns.NS
				c    *rtnl.Conn
			}{{"made by ip", byIP, cIP}, {"made by nlkit", byNlkit, cNlkit}} {
				want := ipNexthopJSON(t, side.ns, tc.nh.ID)
				got, err := side.c.GetNexthop(ctx, tc.nh.ID)
				if err != nil {
					t.Fatal(err)
				}
				if g := string(marshal(t, got)); g != want {
					t.Errorf("nexthop %s:\n  ip: %s\nnlkit: %s", side.what, want, g)
				}
			}
			if a, b := ipNexthopJSON(t, byIP, tc.nh.ID), ipNexthopJSON(t, byNlkit, tc.nh.ID); a != b {
				t.Errorf("ip shows the nexthop AddNexthop made differently:\n  made by ip: %s\nmade by nlkit: %s", a, b)
			}
		})
	}
	want := strings.TrimSpace(string(byNlkit.IP(t, "-j", "-d", "nexthop", "show")))
	nhs, err := cNlkit.Nexthops(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(marshal(t, nhs)); got != want {
		t.Errorf("ip nexthop show:\n  ip: %s\nnlkit: %s", want, got)
	}
}

// TestReplaceNexthop replaces nexthops with ip and with nlkit.
func TestReplaceNexthop(t *testing.T) {
	ctx := context.Background()
	byIP, byNlkit := nexthopNS(t), nexthopNS(t)
	addNexthopCases(t, byIP)
	addNexthopCases(t, byNlkit)
	c := dial(t, byNlkit)
	veth0 := mustLink(t, c, "veth0").Index
	for _, tc := range []nexthopCase{
		{"id 1 via 10.0.0.200 dev veth0 protocol ospf", rtnl.Nexthop{ID: 1, Gateway: netip.MustParseAddr("10.0.0.200"), LinkIndex: veth0, Protocol: rtnl.ProtocolOSPF}, ""},
		{"id 11 group 1,5/9", rtnl.Nexthop{ID: 11, Group: []rtnl.NexthopGroupMember{{ID: 1, Weight: 5}, {ID: 9}}}, ""},
		{"id 30 blackhole", rtnl.Nexthop{ID: 30, Blackhole: true}, ""},
	} {
		byIP.IP(t, append([]string{"nexthop", "replace"}, strings.Fields(tc.args)...)...)
		if err := c.ReplaceNexthop(ctx, tc.nh); err != nil {
			t.Fatalf("ReplaceNexthop(%s): %v", tc.args, err)
		}
		if a, b := ipNexthopJSON(t, byIP, tc.nh.ID), ipNexthopJSON(t, byNlkit, tc.nh.ID); a != b {
			t.Errorf("replace %s:\n  by ip: %s\nby nlkit: %s", tc.args, a, b)
		}
	}
}

// TestNexthopFilters compares the lists of ip nexthop show with selectors
// with what Nexthops and NexthopsSeq return with the same filters.
func TestNexthopFilters(t *testing.T) {
	ns := nexthopNS(t)
	c := dial(t, ns)
	addNexthopCases(t, ns)
	veth0, br0 := mustLink(t, c, "veth0").Index, mustLink(t, c, "br0").Index
	for _, tc := range []struct {
		ip      string
		filters []rtnl.NexthopFilter
	}{
		{"", nil},
		{"-4", []rtnl.NexthopFilter{rtnl.FilterNexthopFamily(unix.AF_INET)}},
		{"-6", []rtnl.NexthopFilter{rtnl.FilterNexthopFamily(unix.AF_INET6)}},
		{"dev veth0", []rtnl.NexthopFilter{rtnl.FilterNexthopLink(veth0)}},
		{"master br0", []rtnl.NexthopFilter{rtnl.FilterNexthopMaster(br0)}},
		{"groups", []rtnl.NexthopFilter{rtnl.FilterNexthopGroups()}},
		{"fdb", []rtnl.NexthopFilter{rtnl.FilterNexthopFDB()}},
		{"groups fdb", []rtnl.NexthopFilter{rtnl.FilterNexthopGroups(), rtnl.FilterNexthopFDB()}},
		{"protocol 4", []rtnl.NexthopFilter{rtnl.FilterNexthopProtocol(rtnl.ProtocolStatic)}},
		{"dev veth0 protocol 4", []rtnl.NexthopFilter{rtnl.FilterNexthopLink(veth0), rtnl.FilterNexthopProtocol(rtnl.ProtocolStatic)}},
		{"id 13", []rtnl.NexthopFilter{rtnl.FilterNexthopID(13)}},
	} {
		args := append([]string{"-j", "-d"}, strings.Fields(tc.ip)...)
		if len(args) > 2 && strings.HasPrefix(args[2], "-") {
			args = append(args[:3], append([]string{"nexthop", "show"}, args[3:]...)...)
		} else {
			args = append(args[:2], append([]string{"nexthop", "show"}, args[2:]...)...)
		}
		want := strings.TrimSpace(string(ns.IP(t, args...)))
		if strings.Contains(tc.ip, "fdb") {
			// ip 6.1 sends NHA_FDB, yet this kernel answers it with every
			// nexthop, where nlkit's dump has the fdb ones only: keep
			// those of ip's list.
			want = keepFDB(t, want)
		}
		nhs, err := c.Nexthops(context.Background(), tc.filters...)
		if err != nil {
			t.Fatalf("%s: %v", tc.ip, err)
		}
		if got := string(marshal(t, nhs)); got != want && !(want == "" && got == "null") {
			t.Errorf("ip nexthop show %s:\n  ip: %s\nnlkit: %s", tc.ip, want, got)
		}
		var streamed []rtnl.Nexthop
		for n, err := range c.NexthopsSeq(context.Background(), tc.filters...) {
			if err != nil {
				t.Fatal(err)
			}
			streamed = append(streamed, n)
		}
		if got, all := string(marshal(t, streamed)), string(marshal(t, nhs)); got != all {
			t.Errorf("NexthopsSeq %s: %s, Nexthops: %s", tc.ip, got, all)
		}
	}
}

// keepFDB returns the nexthops of ip's JSON list that have "fdb".
func keepFDB(t *testing.T, list string) string {
	t.Helper()
	var all, kept []json.RawMessage
	if err := json.Unmarshal([]byte(list), &all); err != nil {
		t.Fatal(err)
	}
	for _, o := range all {
		if strings.Contains(string(o), `"fdb":null`) {
			kept = append(kept, o)
		}
	}
	return string(marshal(t, kept))
}

// idleTimes matches the idle times of buckets and the unbalanced time of
// resilient groups, which move between two reads.
var idleTimes = regexp.MustCompile(`"(idle_time|unbalanced_time)":[0-9.e+-]+`)

// TestNexthopBuckets compares the buckets of ip nexthop bucket show with
// NexthopBuckets, idle times masked.
func TestNexthopBuckets(t *testing.T) {
	ctx := context.Background()
	ns := nexthopNS(t)
	c := dial(t, ns)
	addNexthopCases(t, ns)
	veth0 := mustLink(t, c, "veth0").Index
	mask := func(b string) string { return idleTimes.ReplaceAllString(b, `"$1":0`) }
	for _, tc := range []struct {
		ip      string
		filters []rtnl.NexthopBucketFilter
	}{
		{"", nil},
		{"id 13", []rtnl.NexthopBucketFilter{rtnl.FilterBucketGroup(13)}},
		{"nhid 2", []rtnl.NexthopBucketFilter{rtnl.FilterBucketNexthop(2)}},
		{"dev veth0", []rtnl.NexthopBucketFilter{rtnl.FilterBucketLink(veth0)}},
		{"id 14 nhid 9", []rtnl.NexthopBucketFilter{rtnl.FilterBucketGroup(14), rtnl.FilterBucketNexthop(9)}},
	} {
		want := mask(strings.TrimSpace(string(ns.IP(t, append([]string{"-j", "nexthop", "bucket", "show"}, strings.Fields(tc.ip)...)...))))
		bs, err := c.NexthopBuckets(ctx, tc.filters...)
		if err != nil {
			t.Fatalf("%s: %v", tc.ip, err)
		}
		if got := mask(string(marshal(t, bs))); got != want {
			t.Errorf("ip nexthop bucket show %s:\n  ip: %s\nnlkit: %s", tc.ip, want, got)
		}
		n := 0
		for _, err := range c.NexthopBucketsSeq(ctx, tc.filters...) {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != len(bs) {
			t.Errorf("NexthopBucketsSeq %s: %d buckets, NexthopBuckets %d", tc.ip, n, len(bs))
		}
	}
	want := mask(strings.TrimSpace(string(ns.IP(t, "-j", "nexthop", "bucket", "get", "id", "13", "index", "5"))))
	b, err := c.GetNexthopBucket(ctx, 13, 5)
	if err != nil {
		t.Fatal(err)
	}
	if got := mask("[" + string(marshal(t, b)) + "]"); got != want {
		t.Errorf("ip nexthop bucket get id 13 index 5:\n  ip: %s\nnlkit: %s", want, got)
	}
	if _, err := c.GetNexthopBucket(ctx, 99, 0); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("GetNexthopBucket of a missing group: %v; want ErrNotExist", err)
	}
}

// TestFlushNexthops flushes with ip and with nlkit, and compares what
// remains.
func TestFlushNexthops(t *testing.T) {
	for _, tc := range []struct {
		ip      string
		filters func(c *rtnl.Conn) []rtnl.NexthopFilter
	}{
		{"", func(*rtnl.Conn) []rtnl.NexthopFilter { return nil }},
		{"dev veth0", func(c *rtnl.Conn) []rtnl.NexthopFilter {
			return []rtnl.NexthopFilter{rtnl.FilterNexthopLink(mustLink(t, c, "veth0").Index)}
		}},
		{"groups", func(*rtnl.Conn) []rtnl.NexthopFilter { return []rtnl.NexthopFilter{rtnl.FilterNexthopGroups()} }},
		{"fdb", func(*rtnl.Conn) []rtnl.NexthopFilter { return []rtnl.NexthopFilter{rtnl.FilterNexthopFDB()} }},
		{"protocol 4", func(*rtnl.Conn) []rtnl.NexthopFilter {
			return []rtnl.NexthopFilter{rtnl.FilterNexthopProtocol(rtnl.ProtocolStatic)}
		}},
		{"id 12", func(*rtnl.Conn) []rtnl.NexthopFilter { return []rtnl.NexthopFilter{rtnl.FilterNexthopID(12)} }},
	} {
		t.Run(tc.ip, func(t *testing.T) {
			byIP, byNlkit := nexthopNS(t), nexthopNS(t)
			addNexthopCases(t, byIP)
			addNexthopCases(t, byNlkit)
			if tc.ip == "fdb" {
				// ip 6.1's fdb flush deletes every nexthop (see
				// TestNexthopFilters): delete the fdb ones one by one.
				for _, id := range []string{"22", "23", "20", "21"} {
					byIP.IP(t, "nexthop", "del", "id", id)
				}
			} else {
				byIP.IP(t, append([]string{"nexthop", "flush"}, strings.Fields(tc.ip)...)...)
			}
			c := dial(t, byNlkit)
			if err := c.FlushNexthops(context.Background(), tc.filters(c)...); err != nil {
				t.Fatalf("FlushNexthops: %v", err)
			}
			want := string(byIP.IP(t, "-j", "-d", "nexthop", "show"))
			if got := string(byNlkit.IP(t, "-j", "-d", "nexthop", "show")); got != want {
				t.Errorf("after the flush:\n after ip: %s\nafter nlkit: %s", want, got)
			}
		})
	}
}

// TestNexthopErrors checks the kernel's errors and the refusals before
// sending.
func TestNexthopErrors(t *testing.T) {
	ctx := context.Background()
	ns := nexthopNS(t)
	c := dial(t, ns)
	addNexthopCases(t, ns)
	a := netip.MustParseAddr
	veth0 := mustLink(t, c, "veth0").Index
	if err := c.AddNexthop(ctx, rtnl.Nexthop{ID: 1, Blackhole: true}); !errors.Is(err, rtnl.ErrExist) {
		t.Errorf("adding nexthop 1 again: %v; want ErrExist", err)
	}
	if err := c.DeleteNexthop(ctx, 99); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("deleting a missing nexthop: %v; want ErrNotExist", err)
	}
	if _, err := c.GetNexthop(ctx, 99); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("getting a missing nexthop: %v; want ErrNotExist", err)
	}
	if _, err := c.Nexthops(ctx, rtnl.FilterNexthopID(99)); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("listing a missing nexthop: %v; want ErrNotExist", err)
	}
	err := c.AddNexthop(ctx, rtnl.Nexthop{ID: 40, Gateway: a("10.9.9.9"), LinkIndex: veth0})
	if !strings.Contains(err.Error(), "Nexthop has invalid gateway") || !errors.Is(err, unix.ENETUNREACH) {
		t.Errorf("an unreachable gateway: %v; want the kernel's message", err)
	}
	err = c.AddNexthop(ctx, rtnl.Nexthop{ID: 41, Group: []rtnl.NexthopGroupMember{{ID: 98}}})
	if err == nil || !strings.Contains(err.Error(), "Invalid nexthop id") {
		t.Errorf("a group of an unknown nexthop: %v; want the kernel's message", err)
	}
	for _, bad := range []rtnl.Nexthop{
		{Family: unix.AF_PACKET, Blackhole: true},
		{Family: unix.AF_INET6, Gateway: a("10.0.0.9"), LinkIndex: veth0},
		{Gateway: a("fe80::1%veth0"), LinkIndex: veth0},
		{Group: []rtnl.NexthopGroupMember{{ID: 1}}, Gateway: a("10.0.0.9")},
		{Group: []rtnl.NexthopGroupMember{{ID: 1}}, LinkIndex: veth0},
		{Group: []rtnl.NexthopGroupMember{}},
		{Group: []rtnl.NexthopGroupMember{{ID: 0}}},
		{Group: []rtnl.NexthopGroupMember{{ID: 1}, {ID: 1}}},
		{ID: 50, Group: []rtnl.NexthopGroupMember{{ID: 50}}},
		{Group: []rtnl.NexthopGroupMember{{ID: 1, Weight: 257}}},
		{Group: []rtnl.NexthopGroupMember{{ID: 1}}, Resilient: &rtnl.NexthopResilient{}},
		{Group: []rtnl.NexthopGroupMember{{ID: 1}}, GroupType: 7},
		{Group: []rtnl.NexthopGroupMember{{ID: 1}}, GroupType: rtnl.NexthopGroupResilient, Resilient: &rtnl.NexthopResilient{IdleTimer: -time.Second}},
		{Group: []rtnl.NexthopGroupMember{{ID: 1}}, GroupType: rtnl.NexthopGroupResilient, Resilient: &rtnl.NexthopResilient{UnbalancedTimer: 50000000 * time.Second}},
		{Blackhole: true, LinkIndex: veth0},
		{Blackhole: true, FDB: true},
		{Gateway: a("10.0.0.9"), LinkIndex: veth0, FDB: true},
		{Gateway: a("10.0.0.9"), LinkIndex: veth0, Flags: rtnl.RouteDead},
		{LinkIndex: veth0, GroupType: rtnl.NexthopGroupResilient},
	} {
		if err := c.AddNexthop(ctx, bad); !isInvalid(err) {
			t.Errorf("AddNexthop(%+v) = %v; want an InvalidError", bad, err)
		}
	}
	for _, f := range []rtnl.NexthopFilter{rtnl.FilterNexthopID(0), rtnl.FilterNexthopLink(0), rtnl.FilterNexthopMaster(-1), rtnl.FilterNexthopFamily(unix.AF_PACKET)} {
		if _, err := c.Nexthops(ctx, f); !isInvalid(err) {
			t.Errorf("Nexthops with an invalid filter: %v; want an InvalidError", err)
		}
	}
	if err := c.DeleteNexthop(ctx, 0); !isInvalid(err) {
		t.Errorf("DeleteNexthop(0) = %v; want an InvalidError", err)
	}
}
