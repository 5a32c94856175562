package rtnl_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// neighNS returns a fresh namespace with lo up and a veth pair v0 and v1,
// both up, v0 with 10.0.0.1/24 and 2001:db8::1/64; duplicate address
// detection is off.
func neighNS(t *testing.T) *testns.NS {
	t.Helper()
	ns := testns.New(t)
	addrSysctl(t, ns, "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0")
	ns.IPBatch(t, `
link set lo up
link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02
link set v0 up
link set v1 up
addr add 10.0.0.1/24 dev v0
addr add 2001:db8::1/64 dev v0
`)
	return ns
}

// runIn runs `tool -n NS args...` (tool is ip or bridge) and returns its
// standard output, failing the test if it fails.
func runIn(t *testing.T, ns *testns.NS, tool string, args ...string) []byte {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(tool, append([]string{"-n", ns.Name()}, args...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s -n %s %s: %v\n%s", tool, ns.Name(), strings.Join(args, " "), err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// neighTimers matches the timers of neighbour and FDB JSON, in seconds.
var neighTimers = regexp.MustCompile(`"(used|confirmed|updated)":([0-9]+)`)

// timersMasked returns b with its timers zeroed, and the timers.
func timersMasked(b []byte) ([]byte, []int) {
	var timers []int
	for _, m := range neighTimers.FindAllSubmatch(b, -1) {
		n, _ := strconv.Atoi(string(m[2]))
		timers = append(timers, n)
	}
	return neighTimers.ReplaceAll(b, []byte(`"${1}":0`)), timers
}

// equalJSON reports whether nlkit's JSON equals ip's byte for byte, but
// for the timers, which may be a second or two apart when the machine is
// slow (a VM without acceleration) and the clock ticks between the reads.
func equalJSON(got, want []byte) bool {
	g, gt := timersMasked(got)
	w, wt := timersMasked(want)
	if !bytes.Equal(g, w) || len(gt) != len(wt) {
		return false
	}
	for i := range gt {
		if d := gt[i] - wt[i]; d < -2 || d > 2 {
			return false
		}
	}
	return true
}

// stableTool runs `tool -n NS args...` around fn until the two outputs
// agree (states move), timers aside, and returns the second output with
// what fn returned.
func stableTool[T any](t *testing.T, ns *testns.NS, tool string, args []string, fn func() T) ([]byte, T) {
	t.Helper()
	for try := 0; ; try++ {
		before := runIn(t, ns, tool, args...)
		v := fn()
		after := runIn(t, ns, tool, args...)
		if equalJSON(before, after) {
			return bytes.TrimSuffix(after, []byte("\n")), v
		}
		if try == 20 {
			t.Fatalf("%s %v keeps changing:\n%s\n%s", tool, args, before, after)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// jsonArray encodes the values as one JSON array, as ip prints a list:
// "[]" for none.
func jsonArray[T any](t *testing.T, vs []T) []byte {
	t.Helper()
	if len(vs) == 0 {
		return []byte("[]")
	}
	return marshal(t, vs)
}

// compareNeighbors compares what Neighbors returns with the filters with
// what `ip -j -d -s neigh show` prints with the selectors (and opts, such
// as -4, before the object), byte for byte but for the drift of the timers
// (see equalJSON).
func compareNeighbors(t *testing.T, ns *testns.NS, c *rtnl.Conn, opts, selectors []string, filters ...rtnl.NeighFilter) []rtnl.Neighbor {
	t.Helper()
	args := append(append(append([]string(nil), opts...), "-j", "-d", "-s", "neigh", "show"), selectors...)
	want, got := stableTool(t, ns, "ip", args, func() []rtnl.Neighbor {
		ns, err := c.Neighbors(context.Background(), filters...)
		if err != nil {
			t.Fatalf("Neighbors: %v", err)
		}
		return ns
	})
	if g := jsonArray(t, got); !equalJSON(g, want) {
		t.Errorf("ip %s:\n got %s\nwant %s", strings.Join(args, " "), g, want)
	}
	return got
}

func mac(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

// TestNeighborsWrittenByNlkit adds entries with nlkit in every state a user
// may set, with each flag, and compares ip's reading with nlkit's.
func TestNeighborsWrittenByNlkit(t *testing.T) {
	ns := neighNS(t)
	ns.IP(t, "addr", "add", "10.0.0.8/24", "dev", "v1") // resolves the managed entry
	c := dial(t, ns)
	ctx := context.Background()
	v0 := addrLink(t, c, "v0")
	a := netip.MustParseAddr
	for _, n := range []rtnl.Neighbor{
		{LinkIndex: v0, Dst: a("10.0.0.2"), LLAddr: mac("11:22:33:44:55:66")}, // the guide's
		{LinkIndex: v0, Dst: a("10.0.0.3"), LLAddr: mac("02:00:00:00:00:03"), State: rtnl.NeighStale, Flags: rtnl.NeighRouter},
		{LinkIndex: v0, Dst: a("10.0.0.4"), LLAddr: mac("02:00:00:00:00:04"), State: rtnl.NeighNoARP},
		{LinkIndex: v0, Dst: a("10.0.0.5"), LLAddr: mac("02:00:00:00:00:05"), State: rtnl.NeighReachable},
		{LinkIndex: v0, Dst: a("10.0.0.6"), State: rtnl.NeighFailed},
		{LinkIndex: v0, Dst: a("10.0.0.7"), LLAddr: mac("02:00:00:00:00:07"), Flags: rtnl.NeighExternLearn, Protocol: rtnl.ProtocolZebra},
		{LinkIndex: v0, Dst: a("10.0.0.8"), ExtFlags: rtnl.NeighExtManaged},
		{LinkIndex: v0, Dst: a("10.0.0.9"), LLAddr: mac("02:00:00:00:00:09"), State: rtnl.NeighDelay},
		{LinkIndex: v0, Dst: a("10.0.0.10"), LLAddr: mac("02:00:00:00:00:0a"), State: rtnl.NeighProbe},
		{LinkIndex: v0, Dst: a("10.0.0.11"), State: rtnl.NeighIncomplete},
		{LinkIndex: v0, Dst: a("10.0.0.12"), LLAddr: mac("02:00:00:00:00:0c"), State: rtnl.NeighNone, Flags: rtnl.NeighUse},
		{LinkIndex: v0, Dst: a("2001:db8::2"), LLAddr: mac("02:00:00:00:00:02")},
		{LinkIndex: v0, Dst: a("2001:db8::3"), LLAddr: mac("02:00:00:00:00:03"), State: rtnl.NeighStale, Flags: rtnl.NeighRouter},
		{LinkIndex: v0, Dst: a("2001:db8::4"), LLAddr: mac("02:00:00:00:00:04"), State: rtnl.NeighNoARP, Protocol: 99},
	} {
		if err := c.AddNeighbor(ctx, n); err != nil {
			t.Fatalf("AddNeighbor(%s): %v", n.Dst, err)
		}
	}
	for _, p := range []rtnl.Neighbor{
		{LinkIndex: v0, Dst: a("10.0.0.100"), Flags: rtnl.NeighProxy},
		{LinkIndex: v0, Dst: a("2001:db8::100"), Flags: rtnl.NeighProxy},
	} {
		if err := c.AddNeighbor(ctx, p); err != nil {
			t.Fatalf("AddNeighbor(proxy %s): %v", p.Dst, err)
		}
	}
	compareNeighbors(t, ns, c, nil, nil)
	compareNeighbors(t, ns, c, nil, []string{"nud", "all"}, rtnl.FilterNeighAllStates())
	compareNeighbors(t, ns, c, nil, []string{"proxy"}, rtnl.FilterNeighProxy())
	compareNeighbors(t, ns, c, []string{"-6"}, []string{"proxy"}, rtnl.FilterNeighProxy(), rtnl.FilterNeighFamily(unix.AF_INET6))
	compareNeighbors(t, ns, c, []string{"-4"}, nil, rtnl.FilterNeighFamily(unix.AF_INET))
	compareNeighbors(t, ns, c, nil, []string{"dev", "v0", "nud", "stale", "nud", "noarp"},
		rtnl.FilterNeighLink(v0), rtnl.FilterNeighState(rtnl.NeighStale), rtnl.FilterNeighState(rtnl.NeighNoARP))
	compareNeighbors(t, ns, c, nil, []string{"nud", "none"}, rtnl.FilterNeighState(rtnl.NeighNone))
	compareNeighbors(t, ns, c, nil, []string{"to", "10.0.0.0/29", "nud", "all"},
		rtnl.FilterNeighTo(netip.MustParsePrefix("10.0.0.0/29")), rtnl.FilterNeighAllStates())
	compareNeighbors(t, ns, c, nil, []string{"protocol", "zebra"}, rtnl.FilterNeighProtocol(rtnl.ProtocolZebra))
	compareNeighbors(t, ns, c, nil, []string{"nomaster", "nud", "all"}, rtnl.FilterNeighNoMaster(), rtnl.FilterNeighAllStates())

	// The guide's entry reads back as it was written.
	got, err := c.GetNeighbor(ctx, v0, a("10.0.0.2"))
	if err != nil {
		t.Fatalf("GetNeighbor: %v", err)
	}
	if got.LinkName != "v0" || got.LLAddr.String() != "11:22:33:44:55:66" || got.State != rtnl.NeighPermanent || got.Family != unix.AF_INET {
		t.Errorf("GetNeighbor = %+v", got)
	}
	if want := runIn(t, ns, "ip", "neigh", "get", "10.0.0.2", "dev", "v0"); !bytes.HasPrefix(want, []byte("10.0.0.2 dev v0 lladdr 11:22:33:44:55:66 PERMANENT")) {
		t.Errorf("ip neigh get: %s", want)
	}
	p, err := c.GetProxyNeighbor(ctx, v0, a("10.0.0.100"))
	if err != nil || p.Flags&rtnl.NeighProxy == 0 || p.Dst != a("10.0.0.100") {
		t.Errorf("GetProxyNeighbor = %+v, %v", p, err)
	}
}

// TestNeighborsWrittenByIP adds entries with ip and compares nlkit's
// reading with ip's, through the slice and the streaming list.
func TestNeighborsWrittenByIP(t *testing.T) {
	ns := neighNS(t)
	c := dial(t, ns)
	ns.IPBatch(t, `
addr add 10.0.0.8/24 dev v1
neigh add 10.0.0.2 lladdr 11:22:33:44:55:66 dev v0
neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev v0 nud stale router
neigh add 10.0.0.4 lladdr 02:00:00:00:00:04 dev v0 nud noarp
neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 nud reachable
neigh add 10.0.0.6 dev v0 nud failed
neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev v0 extern_learn protocol bgp
neigh add 10.0.0.8 dev v0 managed
neigh add 2001:db8::2 lladdr 02:00:00:00:00:02 dev v0 router
neigh add 2001:db8::3 lladdr 02:00:00:00:00:03 dev v0 nud stale
neigh add proxy 10.0.0.100 dev v0
neigh add proxy 2001:db8::100 dev v0
`)
	compareNeighbors(t, ns, c, nil, nil)
	compareNeighbors(t, ns, c, nil, []string{"nud", "all"}, rtnl.FilterNeighAllStates())
	compareNeighbors(t, ns, c, nil, []string{"proxy"}, rtnl.FilterNeighProxy())
	compareNeighbors(t, ns, c, nil, []string{"dev", "v1", "nud", "all"}, rtnl.FilterNeighLink(addrLink(t, c, "v1")), rtnl.FilterNeighAllStates())
	compareNeighbors(t, ns, c, []string{"-6"}, []string{"nud", "all"}, rtnl.FilterNeighFamily(unix.AF_INET6), rtnl.FilterNeighAllStates())

	want, err := c.Neighbors(context.Background(), rtnl.FilterNeighAllStates())
	if err != nil {
		t.Fatal(err)
	}
	var streamed []rtnl.Neighbor
	for n, err := range c.NeighborsSeq(context.Background(), rtnl.FilterNeighAllStates()) {
		if err != nil {
			t.Fatalf("NeighborsSeq: %v", err)
		}
		streamed = append(streamed, n)
	}
	if len(streamed) != len(want) {
		t.Fatalf("NeighborsSeq streamed %d entries, Neighbors returned %d", len(streamed), len(want))
	}
	for i := range want {
		if w, s := marshal(t, want[i]), marshal(t, streamed[i]); !equalJSON(s, w) {
			t.Errorf("entry %d streamed as %s, listed as %s", i, s, w)
		}
	}
}

// TestNeighborWrites changes, replaces and deletes entries, proxy ones
// included, and checks the errors.
func TestNeighborWrites(t *testing.T) {
	ns := neighNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	v0 := addrLink(t, c, "v0")
	a := netip.MustParseAddr
	n := rtnl.Neighbor{LinkIndex: v0, Dst: a("10.0.0.2"), LLAddr: mac("02:00:00:00:00:02")}
	if err := c.ChangeNeighbor(ctx, n); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("ChangeNeighbor of a missing entry: %v, want ErrNotExist", err)
	}
	if err := c.AddNeighbor(ctx, n); err != nil {
		t.Fatal(err)
	}
	if err := c.AddNeighbor(ctx, n); !errors.Is(err, rtnl.ErrExist) {
		t.Errorf("AddNeighbor twice: %v, want ErrExist", err)
	}
	n.LLAddr, n.State = mac("02:00:00:00:00:22"), rtnl.NeighStale
	if err := c.ChangeNeighbor(ctx, n); err != nil {
		t.Fatalf("ChangeNeighbor: %v", err)
	}
	n.Dst = a("10.0.0.3")
	if err := c.ReplaceNeighbor(ctx, n); err != nil {
		t.Fatalf("ReplaceNeighbor: %v", err)
	}
	compareNeighbors(t, ns, c, nil, nil)
	if out := runIn(t, ns, "ip", "-j", "neigh", "show", "10.0.0.2"); !bytes.Contains(out, []byte(`"lladdr":"02:00:00:00:00:22","state":["STALE"]`)) {
		t.Errorf("after ChangeNeighbor ip shows %s", out)
	}
	if err := c.DeleteNeighbor(ctx, n); err != nil {
		t.Fatalf("DeleteNeighbor: %v", err)
	}
	if err := c.DeleteNeighbor(ctx, n); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("DeleteNeighbor twice: %v, want ErrNotExist", err)
	}
	if _, err := c.GetNeighbor(ctx, v0, n.Dst); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("GetNeighbor of a deleted entry: %v, want ErrNotExist", err)
	}

	// A proxy entry, added by nlkit and deleted by it, and one added by ip.
	proxy := rtnl.Neighbor{LinkIndex: v0, Dst: a("2001:db8::100"), Flags: rtnl.NeighProxy}
	if err := c.AddNeighbor(ctx, proxy); err != nil {
		t.Fatalf("AddNeighbor(proxy): %v", err)
	}
	ns.IP(t, "neigh", "add", "proxy", "10.0.0.100", "dev", "v0")
	got := compareNeighbors(t, ns, c, nil, []string{"proxy"}, rtnl.FilterNeighProxy())
	if len(got) != 2 {
		t.Fatalf("%d proxy entries, want 2", len(got))
	}
	if err := c.DeleteNeighbor(ctx, got[0]); err != nil {
		t.Errorf("DeleteNeighbor(proxy %s): %v", got[0].Dst, err)
	}
	if err := c.FlushNeighbors(ctx, rtnl.FilterNeighProxy()); err != nil {
		t.Errorf("FlushNeighbors(proxy): %v", err)
	}
	if out := runIn(t, ns, "ip", "-j", "neigh", "show", "proxy"); string(out) != "[]\n" {
		t.Errorf("proxy entries left: %s", out)
	}

	// Errors of the kernel, and input refused before sending.
	missing := rtnl.Neighbor{LinkIndex: 999, Dst: a("10.0.0.9"), LLAddr: mac("02:00:00:00:00:09")}
	if err := c.AddNeighbor(ctx, missing); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("AddNeighbor on a missing link: %v, want ErrNotExist", err)
	}
	short := rtnl.Neighbor{LinkIndex: v0, Dst: a("10.0.0.9"), LLAddr: net.HardwareAddr{1, 2, 3}}
	var kerr *nlkit.Error
	if err := c.AddNeighbor(ctx, short); !errors.Is(err, unix.EINVAL) || !errors.As(err, &kerr) || kerr.Message == "" {
		t.Errorf("AddNeighbor with a 3-byte address: %v, want the kernel's EINVAL with its message", err)
	}
	for _, bad := range []rtnl.Neighbor{
		{LinkIndex: v0},
		{LinkIndex: v0, Dst: a("10.0.0.9"), Family: unix.AF_INET6},
		{Dst: a("10.0.0.9")},
		{LinkIndex: v0, Dst: a("10.0.0.9"), LLAddr: make(net.HardwareAddr, 21)},
	} {
		if err := c.AddNeighbor(ctx, bad); !isInvalid(err) {
			t.Errorf("AddNeighbor(%+v) = %v, want an InvalidError", bad, err)
		}
	}
	for _, f := range [][]rtnl.NeighFilter{
		{rtnl.FilterNeighFamily(unix.AF_INET6), rtnl.FilterNeighTo(netip.MustParsePrefix("10.0.0.0/8"))},
		{rtnl.FilterNeighLink(0)},
		{rtnl.FilterNeighFamily(unix.AF_BRIDGE)},
	} {
		if _, err := c.Neighbors(ctx, f...); !isInvalid(err) {
			t.Errorf("Neighbors with an invalid filter: %v, want an InvalidError", err)
		}
	}
	if _, err := c.Neighbors(ctx, rtnl.FilterNeighLink(999)); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("Neighbors of a missing link: %v, want ErrNotExist", err)
	}
	if err := c.FlushNeighbors(ctx); !isInvalid(err) {
		t.Errorf("FlushNeighbors without a filter: %v, want an InvalidError", err)
	}
}

// TestFlushNeighbors flushes as ip does: without a state, the permanent
// and NOARP entries stay; with nud permanent, those go too.
func TestFlushNeighbors(t *testing.T) {
	ns := neighNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	ns.IPBatch(t, `
neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0
neigh add 10.0.0.3 lladdr 02:00:00:00:00:03 dev v0 nud stale
neigh add 10.0.0.4 lladdr 02:00:00:00:00:04 dev v0 nud noarp
neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 nud reachable
neigh add 2001:db8::3 lladdr 02:00:00:00:00:03 dev v0 nud stale
`)
	v0 := addrLink(t, c, "v0")
	if err := c.FlushNeighbors(ctx, rtnl.FilterNeighLink(v0), rtnl.FilterNeighFamily(unix.AF_INET)); err != nil {
		t.Fatalf("FlushNeighbors: %v", err)
	}
	// The kernel's hash order of the entries differs between versions.
	if out := runIn(t, ns, "ip", "-4", "-j", "neigh", "show", "dev", "v0", "nud", "all"); strings.Count(string(out), `"dst"`) != 2 ||
		!bytes.Contains(out, []byte(`{"dst":"10.0.0.4","lladdr":"02:00:00:00:00:04","state":["NOARP"]}`)) ||
		!bytes.Contains(out, []byte(`{"dst":"10.0.0.2","lladdr":"02:00:00:00:00:02","state":["PERMANENT"]}`)) {
		t.Errorf("after the flush ip shows\n%s\nwant the PERMANENT and NOARP entries alone", out)
	}
	if err := c.FlushNeighbors(ctx, rtnl.FilterNeighState(rtnl.NeighPermanent)); err != nil {
		t.Fatalf("FlushNeighbors(nud permanent): %v", err)
	}
	compareNeighbors(t, ns, c, nil, []string{"nud", "all"}, rtnl.FilterNeighAllStates())
	v4, err := c.Neighbors(ctx, rtnl.FilterNeighAllStates(), rtnl.FilterNeighTo(netip.MustParsePrefix("10.0.0.0/24")))
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, n := range v4 {
		left = append(left, n.Dst.String())
	}
	if got := strings.Join(left, " "); got != "10.0.0.4" {
		t.Errorf("IPv4 entries left: %s, want the NOARP one alone", got)
	}
}

// TestNeighPackageLevelFunctions lists through the package-level functions,
// which use the calling thread's namespace.
func TestNeighPackageLevelFunctions(t *testing.T) {
	ns := neighNS(t)
	ns.IP(t, "neigh", "add", "10.0.0.2", "lladdr", "02:00:00:00:00:02", "dev", "v0")
	runIn(t, ns, "bridge", "fdb", "add", "02:00:00:00:00:05", "dev", "v0")
	ctx := context.Background()
	inNetNS(t, ns, func() {
		ns, err := rtnl.Neighbors(ctx, rtnl.FilterNeighFamily(unix.AF_INET))
		if err != nil || len(ns) != 1 || ns[0].LinkName != "v0" {
			t.Errorf("Neighbors = %+v, %v; want the entry on v0", ns, err)
		}
		n := 0
		for nb, err := range rtnl.NeighborsSeq(ctx, rtnl.FilterNeighFamily(unix.AF_INET)) {
			if err != nil || nb.Dst.String() != "10.0.0.2" {
				t.Errorf("NeighborsSeq: %+v, %v", nb, err)
			}
			n++
		}
		if n != 1 {
			t.Errorf("NeighborsSeq streamed %d entries, want 1", n)
		}
		found := false
		es, err := rtnl.FDB(ctx)
		for _, e := range es {
			found = found || e.MAC.String() == "02:00:00:00:00:05" && e.LinkName == "v0"
		}
		if err != nil || !found {
			t.Errorf("FDB = %+v, %v; want the entry on v0", es, err)
		}
		for e, err := range rtnl.FDBSeq(ctx) {
			if err != nil || e.LinkName == "" {
				t.Errorf("FDBSeq: %+v, %v", e, err)
			}
		}
	})
}
