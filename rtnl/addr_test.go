package rtnl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// addrNS returns a fresh namespace set up as the corpus' was: duplicate
// address detection off (so that IPv6 addresses are never tentative while
// they are compared), lo up, and a veth pair v0 and v1 with fixed MAC
// addresses, hence fixed IPv6 link-local addresses, both up. Two namespaces
// made by addrNS are alike, indexes included.
func addrNS(t *testing.T) *testns.NS {
	t.Helper()
	ns := testns.New(t)
	addrSysctl(t, ns, "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0")
	ns.IPBatch(t, `
link set lo up
link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02
link set v0 up
link set v1 up
`)
	addrSettle(t, ns)
	return ns
}

// addrSettle waits until no address of ns is tentative. With duplicate
// address detection off, an IPv6 address is tentative only until the
// kernel's DAD work has run, a moment after it was added or its link came
// up.
func addrSettle(t *testing.T, ns *testns.NS) {
	t.Helper()
	for try := 0; bytes.Contains(ns.IP(t, "-j", "addr", "show"), []byte(`"tentative":true`)); try++ {
		if try == 100 {
			t.Fatalf("addresses of %s stay tentative:\n%s", ns.Name(), ns.IP(t, "addr", "show"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// addrSysctl sets sysctls in ns.
func addrSysctl(t *testing.T, ns *testns.NS, settings ...string) {
	t.Helper()
	args := append([]string{"netns", "exec", ns.Name(), "sysctl", "-qw"}, settings...)
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// addrLink returns the index of the link name in ns.
func addrLink(t *testing.T, c *rtnl.Conn, name string) int32 {
	t.Helper()
	l, err := c.LinkByName(context.Background(), name)
	if err != nil {
		t.Fatalf("LinkByName(%s): %v", name, err)
	}
	return l.Index
}

// addrLifetimes matches the lifetimes in address JSON.
var addrLifetimes = regexp.MustCompile(`"(valid_life_time|preferred_life_time)":(-?[0-9]+)`)

// addrMask zeroes what ticks in ip's address JSON: the lifetimes of
// dynamic addresses (forever stays), and the running timers of bridges.
// Everything else is compared exactly.
func addrMask(b []byte) []byte {
	b = addrLifetimes.ReplaceAllFunc(b, func(m []byte) []byte {
		if bytes.HasSuffix(m, []byte(":4294967295")) {
			return m
		}
		return addrLifetimes.ReplaceAll(m, []byte(`"${1}":0`))
	})
	return maskTimers(b)
}

// addrIPArgs returns the arguments of `ip [opts] -j -d -s addr show
// [selectors]`; opts such as -4 go before the object.
func addrIPArgs(opts, selectors []string) []string {
	args := append(append([]string(nil), opts...), "-j", "-d", "-s", "addr", "show")
	return append(args, selectors...)
}

// addrDropEmpty parses ip's JSON array and drops the empty objects ip
// prints for the links and addresses it filters out itself, in the array
// and in each addr_info.
func addrDropEmpty(t *testing.T, out []byte) []json.RawMessage {
	t.Helper()
	var objs []json.RawMessage
	if err := json.Unmarshal(out, &objs); err != nil {
		t.Fatalf("ip output: %v\n%s", err, out)
	}
	var kept []json.RawMessage
	for _, obj := range objs {
		if string(obj) == "{}" {
			continue
		}
		var b bytes.Buffer
		b.WriteByte('{')
		for i, m := range members(t, obj) {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%q:", m.Key)
			if m.Key != "addr_info" {
				b.WriteString(m.Value)
				continue
			}
			b.WriteByte('[')
			n := 0
			for _, a := range addrInfo(t, m.Value) {
				if string(a) == "{}" {
					continue
				}
				if n > 0 {
					b.WriteByte(',')
				}
				b.Write(a)
				n++
			}
			b.WriteByte(']')
		}
		b.WriteByte('}')
		kept = append(kept, b.Bytes())
	}
	return kept
}

// addrInfo splits an addr_info array into its elements.
func addrInfo(t *testing.T, v string) []json.RawMessage {
	t.Helper()
	var elems []json.RawMessage
	if err := json.Unmarshal([]byte(v), &elems); err != nil {
		t.Fatalf("addr_info: %v in %s", err, v)
	}
	return elems
}

// stableIPAddrs reads `ip -j -d -s addr show` around fn until two reads
// agree (what ticks masked, see addrMask), so that counters or lifetimes
// moving meanwhile cannot fail a comparison, and returns ip's objects, the
// empty ones dropped, with what fn returned.
func stableIPAddrs[T any](t *testing.T, ns *testns.NS, opts, selectors []string, fn func() T) ([]json.RawMessage, T) {
	t.Helper()
	args := addrIPArgs(opts, selectors)
	for try := 0; ; try++ {
		before := ns.IP(t, args...)
		v := fn()
		after := ns.IP(t, args...)
		if bytes.Equal(addrMask(before), addrMask(after)) {
			return addrDropEmpty(t, after), v
		}
		if try == 20 {
			t.Fatalf("the addresses keep changing:\n%s\n%s", before, after)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// compareLinkAddrs checks the JSON of LinkAddresses' result against ip's
// objects, key by key and address by address, what ticks masked.
//
// With ipv6View, ip ran as `ip -6 addr show`, which dumps the links with
// family AF_INET6 and so prints IPv6's view of them: fewer keys (no qdisc,
// group, broadcast, details) and the IPv6 counters as stats64. LinkAddresses
// returns the links in full: then the keys ip prints (stats64 aside) must be
// among ours, in the same order and with the same values.
func compareLinkAddrs(t *testing.T, what string, got []rtnl.LinkWithAddresses, want []json.RawMessage, ipv6View bool) {
	t.Helper()
	if len(got) != len(want) {
		var names []string
		for _, la := range got {
			names = append(names, la.Link.Name)
		}
		t.Errorf("%s: %d links %v, ip shows %d:\n%s", what, len(got), names, len(want), want)
		return
	}
	for i, la := range got {
		g, w := members(t, addrMask(marshal(t, la))), members(t, addrMask(want[i]))
		gInfo, wInfo := addrMember(g, "addr_info"), addrMember(w, "addr_info")
		if ipv6View {
			w = without(w, "stats64")
			g = slices.DeleteFunc(g, func(m member) bool { return addrMember(w, m.Key) == "" })
		}
		if diff := cmp.Diff(without(w, "addr_info"), without(g, "addr_info")); diff != "" {
			t.Errorf("%s: link %s: JSON differs from ip (-ip +nlkit):\n%s", what, la.Link.Name, diff)
		}
		compareAddrInfo(t, fmt.Sprintf("%s: link %s", what, la.Link.Name), addrInfoOf(t, la.Addresses), addrInfo(t, wInfo), gInfo != "")
	}
}

// addrMember returns the value of the member key, or "".
func addrMember(ms []member, key string) string {
	for _, m := range ms {
		if m.Key == key {
			return m.Value
		}
	}
	return ""
}

// addrInfoOf marshals addresses one by one.
func addrInfoOf(t *testing.T, addrs []rtnl.Address) []json.RawMessage {
	t.Helper()
	var out []json.RawMessage
	for _, a := range addrs {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// compareAddrInfo compares addr_info elements one by one, what ticks
// masked.
func compareAddrInfo(t *testing.T, what string, got, want []json.RawMessage, present bool) {
	t.Helper()
	if !present {
		t.Errorf("%s: no addr_info", what)
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d addresses, ip shows %d:\n got %s\nwant %s", what, len(got), len(want), got, want)
		return
	}
	for i := range got {
		if diff := cmp.Diff(members(t, addrMask(want[i])), members(t, addrMask(got[i]))); diff != "" {
			t.Errorf("%s: address %d: JSON differs from ip (-ip +nlkit):\n%s", what, i, diff)
		}
	}
}

// compareAddresses checks the addresses of a list against ip's addr_info,
// link by link: the list has the kernel's order, IPv4 first, and ip the
// same order within each link.
func compareAddresses(t *testing.T, what string, got []rtnl.Address, want []json.RawMessage) {
	t.Helper()
	byLink := make(map[int32][]rtnl.Address)
	for _, a := range got {
		byLink[a.LinkIndex] = append(byLink[a.LinkIndex], a)
	}
	for _, obj := range want {
		ms := members(t, obj)
		var index int32
		if v := addrMember(ms, "ifindex"); v != "" {
			fmt.Sscan(v, &index)
		} else {
			// A label filter: ip printed addr_info alone. Find the link
			// by the first address.
			for idx, addrs := range byLink {
				if len(addrs) > 0 {
					info := addrInfo(t, addrMember(ms, "addr_info"))
					if len(info) > 0 && bytes.Equal(addrMask(marshal(t, addrs[0])), addrMask(info[0])) {
						index = idx
					}
				}
			}
		}
		info := addrInfo(t, addrMember(ms, "addr_info"))
		compareAddrInfo(t, fmt.Sprintf("%s: link %d", what, index), addrInfoOf(t, byLink[index]), info, true)
		delete(byLink, index)
	}
	for index, addrs := range byLink {
		if len(addrs) > 0 {
			t.Errorf("%s: addresses on link %d that ip does not show: %v", what, index, addrs)
		}
	}
}

// addrPopulate adds the addresses and links the filter and flush tests
// select from, with ip: every kind of address, on links of several kinds,
// up and down.
func addrPopulate(t *testing.T, ns *testns.NS) {
	t.Helper()
	ns.IPBatch(t, `
link add br0 type bridge
link set v1 master br0
link set br0 up
link add w0 address 02:00:00:00:00:03 type veth peer name w1 address 02:00:00:00:00:04
addr add 127.0.0.2/8 dev lo
addr add 10.0.0.1/24 brd + dev v0
addr add 10.0.0.2/24 label v0:sec dev v0
addr add 10.0.0.3/24 label v0:web dev v0
addr add 10.0.1.1 peer 10.0.1.2/24 dev v0
addr add 192.168.5.5/16 scope link dev v0
addr add 10.9.0.1/24 valid_lft 1000 preferred_lft 500 dev v0
addr add 10.8.0.1/24 metric 77 dev v0
addr add 2001:db8::1/64 nodad dev v0
addr add 2001:db8:1::1/64 noprefixroute dev v0
addr add 2001:db8:2::1/64 valid_lft 1000 preferred_lft 0 dev v0
addr add 2001:db8:4::1/64 mngtmpaddr dev v0
addr add 172.16.0.1/12 label br0:x dev br0
addr add 2001:db8:3::1/64 dev br0
addr add 10.20.0.1/24 dev w0
`)
	addrSettle(t, ns)
}

// addrFilterCase is a selector of ip addr show and its filters.
type addrFilterCase struct {
	opts, sel []string
	filters   func(ids map[string]int32) []rtnl.AddrFilter
}

func addrFilterCases() []addrFilterCase {
	none := func(map[string]int32) []rtnl.AddrFilter { return nil }
	just := func(fs ...rtnl.AddrFilter) func(map[string]int32) []rtnl.AddrFilter {
		return func(map[string]int32) []rtnl.AddrFilter { return fs }
	}
	pfx := netip.MustParsePrefix
	return []addrFilterCase{
		{nil, nil, none},
		{nil, []string{"dev", "v0"}, func(ids map[string]int32) []rtnl.AddrFilter {
			return []rtnl.AddrFilter{rtnl.FilterAddrLink(ids["v0"])}
		}},
		{[]string{"-4"}, nil, just(rtnl.FilterAddrFamily(unix.AF_INET))},
		{[]string{"-6"}, nil, just(rtnl.FilterAddrFamily(unix.AF_INET6))},
		{[]string{"-4"}, []string{"dev", "v0", "scope", "global"}, func(ids map[string]int32) []rtnl.AddrFilter {
			return []rtnl.AddrFilter{rtnl.FilterAddrFamily(unix.AF_INET), rtnl.FilterAddrLink(ids["v0"]), rtnl.FilterAddrScope(rtnl.ScopeGlobal)}
		}},
		{nil, []string{"scope", "host"}, just(rtnl.FilterAddrScope(rtnl.ScopeHost))},
		{nil, []string{"scope", "link"}, just(rtnl.FilterAddrScope(rtnl.ScopeLink))},
		{nil, []string{"scope", "global"}, just(rtnl.FilterAddrScope(rtnl.ScopeGlobal))},
		{nil, []string{"to", "10.0.0.0/16"}, just(rtnl.FilterAddrTo(pfx("10.0.0.0/16")))},
		{nil, []string{"to", "10.0.0.1"}, just(rtnl.FilterAddrTo(pfx("10.0.0.1/32")))},
		{nil, []string{"to", "10.0.0.1/24"}, just(rtnl.FilterAddrTo(pfx("10.0.0.1/24")))},
		{nil, []string{"to", "2001:db8::/32"}, just(rtnl.FilterAddrTo(pfx("2001:db8::/32")))},
		{nil, []string{"to", "0.0.0.0/0"}, just(rtnl.FilterAddrTo(pfx("0.0.0.0/0")))},
		{nil, []string{"label", "v0*"}, just(rtnl.FilterAddrLabel("v0*"))},
		{nil, []string{"label", "v0:*"}, just(rtnl.FilterAddrLabel("v0:*"))},
		{nil, []string{"label", "*:[a-s]??"}, just(rtnl.FilterAddrLabel("*:[a-s]??"))},
		{nil, []string{"label", "br0"}, just(rtnl.FilterAddrLabel("br0"))},
		{nil, []string{"permanent"}, just(rtnl.FilterAddrFlags(rtnl.AddrPermanent))},
		{nil, []string{"dynamic"}, just(rtnl.FilterAddrNoFlags(rtnl.AddrPermanent))},
		{nil, []string{"secondary"}, just(rtnl.FilterAddrFlags(rtnl.AddrSecondary))},
		{nil, []string{"primary"}, just(rtnl.FilterAddrNoFlags(rtnl.AddrSecondary))},
		{nil, []string{"deprecated"}, just(rtnl.FilterAddrFlags(rtnl.AddrDeprecated))},
		{nil, []string{"-deprecated"}, just(rtnl.FilterAddrNoFlags(rtnl.AddrDeprecated))},
		{nil, []string{"nodad"}, just(rtnl.FilterAddrFlags(rtnl.AddrNoDAD))},
		{nil, []string{"noprefixroute"}, just(rtnl.FilterAddrFlags(rtnl.AddrNoPrefixRoute))},
		{nil, []string{"mngtmpaddr"}, just(rtnl.FilterAddrFlags(rtnl.AddrManageTempAddr))},
		{[]string{"-6"}, []string{"dev", "v0", "dynamic"}, func(ids map[string]int32) []rtnl.AddrFilter {
			return []rtnl.AddrFilter{rtnl.FilterAddrFamily(unix.AF_INET6), rtnl.FilterAddrLink(ids["v0"]), rtnl.FilterAddrNoFlags(rtnl.AddrPermanent)}
		}},
		{nil, []string{"type", "veth"}, just(rtnl.FilterAddrLinks(rtnl.FilterKind("veth")))},
		{nil, []string{"type", "bridge"}, just(rtnl.FilterAddrLinks(rtnl.FilterKind("bridge")))},
		{nil, []string{"type", "bridge_slave"}, just(rtnl.FilterAddrLinks(rtnl.FilterSlaveKind("bridge")))},
		{nil, []string{"master", "br0"}, func(ids map[string]int32) []rtnl.AddrFilter {
			return []rtnl.AddrFilter{rtnl.FilterAddrLinks(rtnl.FilterMaster(ids["br0"]))}
		}},
		{nil, []string{"up"}, just(rtnl.FilterAddrLinks(rtnl.FilterUp()))},
		{nil, []string{"group", "default"}, just(rtnl.FilterAddrLinks(rtnl.FilterGroup(0)))},
		{nil, []string{"up", "scope", "global", "type", "veth"}, just(rtnl.FilterAddrLinks(rtnl.FilterUp(), rtnl.FilterKind("veth")), rtnl.FilterAddrScope(rtnl.ScopeGlobal))},
	}
}

func TestAddressFiltersMatchIP(t *testing.T) {
	ns := addrNS(t)
	addrPopulate(t, ns)
	c := dial(t, ns)
	ctx := context.Background()
	ids := map[string]int32{"v0": addrLink(t, c, "v0"), "br0": addrLink(t, c, "br0")}

	for _, tc := range addrFilterCases() {
		what := "ip " + strings.Join(append(append(append([]string(nil), tc.opts...), "addr", "show"), tc.sel...), " ")
		t.Run(what, func(t *testing.T) {
			filters := tc.filters(ids)
			want, got := stableIPAddrs(t, ns, tc.opts, tc.sel, func() []rtnl.LinkWithAddresses {
				las, err := c.LinkAddresses(ctx, filters...)
				if err != nil {
					t.Fatalf("LinkAddresses: %v", err)
				}
				return las
			})
			compareLinkAddrs(t, "LinkAddresses", got, want, slices.Contains(tc.opts, "-6"))

			want, addrs := stableIPAddrs(t, ns, tc.opts, tc.sel, func() []rtnl.Address {
				addrs, err := c.Addresses(ctx, filters...)
				if err != nil {
					t.Fatalf("Addresses: %v", err)
				}
				return addrs
			})
			compareAddresses(t, "Addresses", addrs, want)

			var streamed []rtnl.Address
			for a, err := range c.AddressesSeq(ctx, filters...) {
				if err != nil {
					t.Fatalf("AddressesSeq: %v", err)
				}
				streamed = append(streamed, a)
			}
			// Lifetimes may tick between the two lists.
			mask := func(addrs []rtnl.Address) []string {
				var out []string
				for _, b := range addrInfoOf(t, addrs) {
					out = append(out, string(addrMask(b)))
				}
				return out
			}
			if diff := cmp.Diff(mask(addrs), mask(streamed)); diff != "" {
				t.Errorf("AddressesSeq differs from Addresses (-Addresses +AddressesSeq):\n%s", diff)
			}
		})
	}
}

// TestAddressesReadWhatIPAdds adds addresses of every kind with ip and
// reads them back: LinkAddresses, Addresses and AddressesSeq give the JSON
// ip prints.
func TestAddressesReadWhatIPAdds(t *testing.T) {
	ns := addrNS(t)
	addrPopulate(t, ns)
	c := dial(t, ns)
	ctx := context.Background()

	want, got := stableIPAddrs(t, ns, nil, nil, func() []rtnl.LinkWithAddresses {
		las, err := c.LinkAddresses(ctx)
		if err != nil {
			t.Fatalf("LinkAddresses: %v", err)
		}
		return las
	})
	compareLinkAddrs(t, "LinkAddresses", got, want, false)

	// The lifetimes of dynamic addresses are masked in the comparisons:
	// check them against ip's here, within the seconds between the reads.
	var ipAddrs []struct {
		Index int32 `json:"ifindex"`
		Info  []struct {
			Local     string `json:"local"`
			Valid     int64  `json:"valid_life_time"`
			Preferred int64  `json:"preferred_life_time"`
		} `json:"addr_info"`
	}
	if err := json.Unmarshal(ns.IP(t, "-j", "addr", "show"), &ipAddrs); err != nil {
		t.Fatal(err)
	}
	addrs, err := c.Addresses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, l := range ipAddrs {
		for _, ia := range l.Info {
			for _, a := range addrs {
				if a.LinkIndex != l.Index || a.Prefix.Addr().String() != ia.Local || a.Lifetimes == nil {
					continue
				}
				if a.Lifetimes.Valid == rtnl.LifetimeForever {
					continue
				}
				checked++
				if d := int64(a.Lifetimes.Valid) - ia.Valid; d > 0 || d < -3 {
					t.Errorf("%s: valid lifetime %d, ip showed %d a moment before", ia.Local, a.Lifetimes.Valid, ia.Valid)
				}
				if d := int64(int32(a.Lifetimes.Preferred)) - ia.Preferred; d > 0 || d < -3 {
					t.Errorf("%s: preferred lifetime %d, ip showed %d a moment before", ia.Local, a.Lifetimes.Preferred, ia.Preferred)
				}
			}
		}
	}
	if checked != 2 {
		t.Errorf("checked the lifetimes of %d dynamic addresses, want 2", checked)
	}
}

// addrCase is an `ip addr add` command and the Address that asks for the
// same.
type addrCase struct {
	name string
	ip   string // the arguments after `ip addr add`; dev names the link
	addr func(v0, lo int32) rtnl.Address
}

func addrAddCases() []addrCase {
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	on := func(prefix string, fill func(*rtnl.Address)) func(v0, lo int32) rtnl.Address {
		return func(v0, lo int32) rtnl.Address {
			addr := rtnl.Address{LinkIndex: v0, Prefix: p(prefix)}
			if fill != nil {
				fill(&addr)
			}
			return addr
		}
	}
	lifetimes := func(valid, preferred uint32) *rtnl.AddrLifetimes {
		return &rtnl.AddrLifetimes{Valid: valid, Preferred: preferred}
	}
	return []addrCase{
		// The guide's example.
		{"guide", "10.0.0.1/24 dev v0", on("10.0.0.1/24", nil)},
		{"brd given", "10.0.0.1/24 brd 10.0.0.255 dev v0", on("10.0.0.1/24", func(x *rtnl.Address) { x.Broadcast = a("10.0.0.255") })},
		{"brd odd", "10.0.0.1/24 brd 10.0.0.7 dev v0", on("10.0.0.1/24", func(x *rtnl.Address) { x.Broadcast = a("10.0.0.7") })},
		{"brd +", "10.0.0.1/24 brd + dev v0", on("10.0.0.1/24", func(x *rtnl.Address) { x.AutoBroadcast = rtnl.BroadcastPlus })},
		{"brd -", "10.0.0.1/22 brd - dev v0", on("10.0.0.1/22", func(x *rtnl.Address) { x.AutoBroadcast = rtnl.BroadcastMinus })},
		{"brd + /31", "10.0.0.1/31 brd + dev v0", on("10.0.0.1/31", func(x *rtnl.Address) { x.AutoBroadcast = rtnl.BroadcastPlus })},
		{"peer", "10.0.0.1 peer 10.0.0.2/24 dev v0", on("10.0.0.1/24", func(x *rtnl.Address) { x.Peer = a("10.0.0.2") })},
		{"peer brd +", "10.0.0.1 peer 10.0.1.2/23 brd + dev v0", on("10.0.0.1/23", func(x *rtnl.Address) {
			x.Peer, x.AutoBroadcast = a("10.0.1.2"), rtnl.BroadcastPlus
		})},
		{"label", "10.0.0.1/24 label v0:web dev v0", on("10.0.0.1/24", func(x *rtnl.Address) { x.Label = "v0:web" })},
		{"scope host", "10.0.0.1/24 scope host dev v0", on("10.0.0.1/24", func(x *rtnl.Address) { x.Scope = rtnl.ScopeHost })},
		{"scope link", "10.0.0.1/24 scope link dev v0", on("10.0.0.1/24", func(x *rtnl.Address) { x.Scope = rtnl.ScopeLink })},
		{"scope site", "10.0.0.1/24 scope site dev v0", on("10.0.0.1/24", func(x *rtnl.Address) { x.Scope = rtnl.ScopeSite })},
		{"scope number", "10.0.0.1/24 scope 17 dev v0", on("10.0.0.1/24", func(x *rtnl.Address) { x.Scope = 17 })},
		{"loopback default scope", "127.0.0.2/8 dev lo", func(v0, lo int32) rtnl.Address {
			return rtnl.Address{LinkIndex: lo, Prefix: p("127.0.0.2/8")}
		}},
		{"metric", "10.0.0.1/24 metric 100 dev v0", on("10.0.0.1/24", func(x *rtnl.Address) { x.Metric = 100 })},
		{"anycast", "10.0.0.1/24 anycast 10.0.0.9 dev v0", on("10.0.0.1/24", func(x *rtnl.Address) { x.Anycast = a("10.0.0.9") })},
		{"noprefixroute v4", "10.0.0.1/24 noprefixroute dev v0", on("10.0.0.1/24", func(x *rtnl.Address) { x.Flags = rtnl.AddrNoPrefixRoute })},
		{"lifetimes v4", "10.0.0.1/24 valid_lft 100 preferred_lft 50 dev v0", on("10.0.0.1/24", func(x *rtnl.Address) { x.Lifetimes = lifetimes(100, 50) })},
		{"deprecated v4", "10.0.0.1/24 valid_lft 100 preferred_lft 0 dev v0", on("10.0.0.1/24", func(x *rtnl.Address) { x.Lifetimes = lifetimes(100, 0) })},
		{"preferred_lft only", "10.0.0.1/24 preferred_lft 100 dev v0", on("10.0.0.1/24", func(x *rtnl.Address) {
			x.Lifetimes = lifetimes(rtnl.LifetimeForever, 100)
		})},
		{"forever", "10.0.0.1/24 valid_lft forever preferred_lft forever dev v0", on("10.0.0.1/24", func(x *rtnl.Address) {
			x.Lifetimes = lifetimes(rtnl.LifetimeForever, rtnl.LifetimeForever)
		})},
		{"autojoin", "239.1.2.3/32 autojoin dev v0", on("239.1.2.3/32", func(x *rtnl.Address) { x.Flags = rtnl.AddrMcAutoJoin })},
		{"everything v4", "10.0.0.1/24 brd + label v0:all scope link metric 9 noprefixroute valid_lft 300 preferred_lft 200 dev v0",
			on("10.0.0.1/24", func(x *rtnl.Address) {
				x.AutoBroadcast, x.Label, x.Scope, x.Metric = rtnl.BroadcastPlus, "v0:all", rtnl.ScopeLink, 9
				x.Flags, x.Lifetimes = rtnl.AddrNoPrefixRoute, lifetimes(300, 200)
			})},
		{"ipv6", "2001:db8::1/64 dev v0", on("2001:db8::1/64", nil)},
		{"nodad", "2001:db8::1/64 nodad dev v0", on("2001:db8::1/64", func(x *rtnl.Address) { x.Flags = rtnl.AddrNoDAD })},
		{"noprefixroute", "2001:db8::1/64 noprefixroute dev v0", on("2001:db8::1/64", func(x *rtnl.Address) { x.Flags = rtnl.AddrNoPrefixRoute })},
		{"mngtmpaddr", "2001:db8::1/64 mngtmpaddr dev v0", on("2001:db8::1/64", func(x *rtnl.Address) { x.Flags = rtnl.AddrManageTempAddr })},
		{"home", "2001:db8::1/64 home dev v0", on("2001:db8::1/64", func(x *rtnl.Address) { x.Flags = rtnl.AddrHome })},
		{"optimistic", "2001:db8::1/64 optimistic dev v0", on("2001:db8::1/64", func(x *rtnl.Address) { x.Flags = rtnl.AddrOptimistic })},
		{"all ipv6 flags", "2001:db8::1/64 nodad noprefixroute mngtmpaddr home optimistic dev v0", on("2001:db8::1/64", func(x *rtnl.Address) {
			x.Flags = rtnl.AddrNoDAD | rtnl.AddrNoPrefixRoute | rtnl.AddrManageTempAddr | rtnl.AddrHome | rtnl.AddrOptimistic
		})},
		{"lifetimes v6", "2001:db8::1/64 valid_lft 200 preferred_lft 100 dev v0", on("2001:db8::1/64", func(x *rtnl.Address) { x.Lifetimes = lifetimes(200, 100) })},
		{"deprecated v6", "2001:db8::1/64 valid_lft 200 preferred_lft 0 dev v0", on("2001:db8::1/64", func(x *rtnl.Address) { x.Lifetimes = lifetimes(200, 0) })},
		{"peer v6", "2001:db8::1 peer 2001:db8::2/64 dev v0", on("2001:db8::1/64", func(x *rtnl.Address) { x.Peer = a("2001:db8::2") })},
		{"metric v6", "2001:db8::1/64 metric 300 dev v0", on("2001:db8::1/64", func(x *rtnl.Address) { x.Metric = 300 })},
		{"ipv4-mapped v6", "::ffff:10.0.0.1/128 dev v0", on("::ffff:10.0.0.1/128", nil)},
		{"ipv4-compatible v6", "::10.0.0.1/96 dev v0", on("::10.0.0.1/96", nil)},
		{"autojoin v6", "ff05::1:3/128 autojoin dev v0", on("ff05::1:3/128", func(x *rtnl.Address) { x.Flags = rtnl.AddrMcAutoJoin })},
	}
}

// addrSameAsIP runs the setup with ip in two fresh namespaces, then more
// ip commands in one and has nlkit do the same in the other, and requires
// the two namespaces to show the same addresses, and nlkit to read back what
// ip shows.
func addrSameAsIP(t *testing.T, setup, ipCommands string, lib func(c *rtnl.Conn, v0, lo int32) error) {
	t.Helper()
	ipNS, libNS := addrNS(t), addrNS(t)
	ipNS.IPBatch(t, setup)
	libNS.IPBatch(t, setup)
	ipNS.IPBatch(t, ipCommands)
	c := dial(t, libNS)
	if err := lib(c, addrLink(t, c, "v0"), addrLink(t, c, "lo")); err != nil {
		t.Fatalf("nlkit: %v", err)
	}
	addrSettle(t, ipNS)
	addrSettle(t, libNS)
	args := []string{"-j", "-d", "addr", "show"}
	if want, got := addrMask(ipNS.IP(t, args...)), addrMask(libNS.IP(t, args...)); !bytes.Equal(got, want) {
		t.Errorf("after `%s`, ip shows\n%s\nand after nlkit\n%s", strings.TrimSpace(ipCommands), want, got)
	}

	// And nlkit reads back what ip shows, in both.
	for _, ns := range []*testns.NS{ipNS, libNS} {
		c := dial(t, ns)
		want, got := stableIPAddrs(t, ns, nil, nil, func() []rtnl.LinkWithAddresses {
			las, err := c.LinkAddresses(context.Background())
			if err != nil {
				t.Fatalf("LinkAddresses: %v", err)
			}
			return las
		})
		compareLinkAddrs(t, "LinkAddresses", got, want, false)
	}
}

func TestAddAddressLikeIP(t *testing.T) {
	for _, tc := range addrAddCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addrSameAsIP(t, "", "addr add "+tc.ip, func(c *rtnl.Conn, v0, lo int32) error {
				return c.AddAddress(context.Background(), tc.addr(v0, lo))
			})
		})
	}
}

func TestReplaceAndChangeAddressLikeIP(t *testing.T) {
	p := netip.MustParsePrefix
	ctx := context.Background()
	for _, tc := range []struct {
		name, ip string
		lib      func(c *rtnl.Conn, v0 int32) error
	}{
		{"replace new", "addr replace 10.0.0.1/24 metric 5 dev v0", func(c *rtnl.Conn, v0 int32) error {
			return c.ReplaceAddress(ctx, rtnl.Address{LinkIndex: v0, Prefix: p("10.0.0.1/24"), Metric: 5})
		}},
		{"replace existing v4", `
addr add 10.0.0.1/24 dev v0
addr replace 10.0.0.1/24 brd + metric 5 valid_lft 100 preferred_lft 100 dev v0`, func(c *rtnl.Conn, v0 int32) error {
			a := rtnl.Address{LinkIndex: v0, Prefix: p("10.0.0.1/24")}
			if err := c.AddAddress(ctx, a); err != nil {
				return err
			}
			a.AutoBroadcast, a.Metric, a.Lifetimes = rtnl.BroadcastPlus, 5, &rtnl.AddrLifetimes{Valid: 100, Preferred: 100}
			return c.ReplaceAddress(ctx, a)
		}},
		{"replace existing v6", `
addr add 2001:db8::1/64 dev v0
addr replace 2001:db8::1/64 noprefixroute valid_lft 100 preferred_lft 50 dev v0`, func(c *rtnl.Conn, v0 int32) error {
			a := rtnl.Address{LinkIndex: v0, Prefix: p("2001:db8::1/64")}
			if err := c.AddAddress(ctx, a); err != nil {
				return err
			}
			a.Flags, a.Lifetimes = rtnl.AddrNoPrefixRoute, &rtnl.AddrLifetimes{Valid: 100, Preferred: 50}
			return c.ReplaceAddress(ctx, a)
		}},
		{"change v4", `
addr add 10.0.0.1/24 dev v0
addr change 10.0.0.1/24 metric 7 dev v0`, func(c *rtnl.Conn, v0 int32) error {
			a := rtnl.Address{LinkIndex: v0, Prefix: p("10.0.0.1/24")}
			if err := c.AddAddress(ctx, a); err != nil {
				return err
			}
			a.Metric = 7
			return c.ChangeAddress(ctx, a)
		}},
		// The kernel creates a missing address even without NLM_F_CREATE.
		{"change missing v4", "addr change 10.0.0.1/24 dev v0", func(c *rtnl.Conn, v0 int32) error {
			return c.ChangeAddress(ctx, rtnl.Address{LinkIndex: v0, Prefix: p("10.0.0.1/24")})
		}},
		{"change missing v6", "addr change 2001:db8::1/64 dev v0", func(c *rtnl.Conn, v0 int32) error {
			return c.ChangeAddress(ctx, rtnl.Address{LinkIndex: v0, Prefix: p("2001:db8::1/64")})
		}},
		{"change v6", `
addr add 2001:db8::1/64 dev v0
addr change 2001:db8::1/64 valid_lft 100 preferred_lft 0 dev v0`, func(c *rtnl.Conn, v0 int32) error {
			a := rtnl.Address{LinkIndex: v0, Prefix: p("2001:db8::1/64")}
			if err := c.AddAddress(ctx, a); err != nil {
				return err
			}
			a.Lifetimes = &rtnl.AddrLifetimes{Valid: 100, Preferred: 0}
			return c.ChangeAddress(ctx, a)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addrSameAsIP(t, "", tc.ip, func(c *rtnl.Conn, v0, _ int32) error { return tc.lib(c, v0) })
		})
	}
}

func TestDeleteAddressLikeIP(t *testing.T) {
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	ctx := context.Background()
	setup := `
addr add 10.0.0.1/24 dev v0
addr add 10.0.0.2/24 label v0:two dev v0
addr add 10.0.1.1 peer 10.0.1.2/24 dev v0
addr add 2001:db8::1/64 dev v0
addr add 2001:db8::2/64 dev v0`
	for _, tc := range []struct {
		name, ip string
		addr     func(v0 int32) rtnl.Address
	}{
		{"v4", "addr del 10.0.0.1/24 dev v0", func(v0 int32) rtnl.Address { return rtnl.Address{LinkIndex: v0, Prefix: p("10.0.0.1/24")} }},
		{"v4 secondary by label", "addr del 10.0.0.2/24 label v0:two dev v0", func(v0 int32) rtnl.Address {
			return rtnl.Address{LinkIndex: v0, Prefix: p("10.0.0.2/24"), Label: "v0:two"}
		}},
		{"v4 peer", "addr del 10.0.1.1 peer 10.0.1.2/24 dev v0", func(v0 int32) rtnl.Address {
			return rtnl.Address{LinkIndex: v0, Prefix: p("10.0.1.1/24"), Peer: a("10.0.1.2")}
		}},
		{"v6", "addr del 2001:db8::1/64 dev v0", func(v0 int32) rtnl.Address { return rtnl.Address{LinkIndex: v0, Prefix: p("2001:db8::1/64")} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addrSameAsIP(t, setup, tc.ip, func(c *rtnl.Conn, v0, _ int32) error {
				return c.DeleteAddress(ctx, tc.addr(v0))
			})
		})
	}

	// Addresses as listed can be deleted as they are.
	ns := addrNS(t)
	ns.IPBatch(t, setup)
	c := dial(t, ns)
	v0 := addrLink(t, c, "v0")
	addrs, err := c.Addresses(ctx, rtnl.FilterAddrLink(v0), rtnl.FilterAddrScope(rtnl.ScopeGlobal))
	if err != nil || len(addrs) != 5 {
		t.Fatalf("Addresses = %d addresses, %v; want 5", len(addrs), err)
	}
	// Secondaries first: deleting a primary IPv4 address deletes its
	// secondaries too, unless promote_secondaries is set.
	for _, a := range slices.Backward(addrs) {
		if err := c.DeleteAddress(ctx, a); err != nil {
			t.Errorf("DeleteAddress(%s): %v", a.Prefix, err)
		}
	}
	if left, err := c.Addresses(ctx, rtnl.FilterAddrLink(v0), rtnl.FilterAddrScope(rtnl.ScopeGlobal)); err != nil || len(left) != 0 {
		t.Errorf("after deleting every listed address: %v, %v; want none", left, err)
	}

	// A missing address.
	out, ipErr := addrRunIP(ns.Name(), "addr", "del", "10.9.9.9/24", "dev", "v0")
	if ipErr == nil {
		t.Fatal("ip addr del of a missing address succeeded")
	}
	err = c.DeleteAddress(ctx, rtnl.Address{LinkIndex: v0, Prefix: p("10.9.9.9/24")})
	var nlErr *nlkit.Error
	if !errors.Is(err, rtnl.ErrNotExist) || !errors.As(err, &nlErr) || nlErr.Message != ipErrorMessage(out) {
		t.Errorf("DeleteAddress(missing IPv4) error = %v; want ErrNotExist with ip's message %q", err, ipErrorMessage(out))
	}
	if err := c.DeleteAddress(ctx, rtnl.Address{LinkIndex: v0, Prefix: p("2001:db8::9/64")}); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("DeleteAddress(missing IPv6) error = %v; want ErrNotExist", err)
	}
}
