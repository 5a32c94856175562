package rtnl_test

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// A mirror is what a consumer of Watch holds: the objects of the events,
// by key.
type mirror struct {
	links     map[int32]rtnl.Link
	addresses map[string]rtnl.Address
	routes    map[string]rtnl.Route
	neighbors map[string]rtnl.Neighbor
	resyncing bool // between EventResync and EventSynced
	resyncs   int
}

func newMirror() *mirror {
	return &mirror{links: map[int32]rtnl.Link{}, addresses: map[string]rtnl.Address{},
		routes: map[string]rtnl.Route{}, neighbors: map[string]rtnl.Neighbor{}}
}

// mirrorRouteKey identifies a route as the kernel does.
func mirrorRouteKey(r *rtnl.Route) string {
	return fmt.Sprint(r.Family, r.Table, r.Dst, r.Src, r.TOS, r.Metric, r.Type, r.Gateway, r.LinkIndex, r.NexthopID)
}

// apply applies one event.
func (m *mirror) apply(t *testing.T, ev rtnl.Event) {
	switch ev.Kind {
	case rtnl.EventResync:
		if m.resyncing {
			t.Errorf("EventResync before the EventSynced of the resynchronisation before")
		}
		m.resyncing = true
		m.resyncs++
		return
	case rtnl.EventSynced:
		m.resyncing = false
		return
	}
	del := ev.Kind == rtnl.EventDelete
	switch {
	case ev.Link != nil:
		if del {
			delete(m.links, ev.Link.Index)
		} else {
			m.links[ev.Link.Index] = *ev.Link
		}
	case ev.Address != nil:
		k := fmt.Sprint(ev.Address.LinkIndex, ev.Address.Prefix, ev.Address.Peer)
		if del {
			delete(m.addresses, k)
		} else {
			m.addresses[k] = *ev.Address
		}
	case ev.Route != nil:
		k := mirrorRouteKey(ev.Route)
		if del {
			delete(m.routes, k)
		} else {
			m.routes[k] = *ev.Route
		}
	case ev.Neighbor != nil:
		k := fmt.Sprint(ev.Neighbor.LinkIndex, ev.Neighbor.Dst)
		if del {
			delete(m.neighbors, k)
		} else {
			m.neighbors[k] = *ev.Neighbor
		}
	default:
		t.Errorf("Watch yielded an event of no watched table: %+v", ev)
	}
}

// watchUntil runs Watch on c in a goroutine of its own, applying the
// events to a mirror, each with the delay given after it (a slow
// consumer), until done reports the mirror complete outside of a
// resynchronisation; then it cancels the watch and returns the mirror.
func watchUntil(t *testing.T, c *rtnl.Conn, tables rtnl.WatchTables, opts []rtnl.MonitorOption,
	start func(), delay func(n int), done func(*mirror) bool) *mirror {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	m := newMirror()
	synced := make(chan struct{})
	result := make(chan error, 1)
	go func() {
		n := 0
		first := true
		for ev, err := range c.Watch(ctx, tables, opts...) {
			if err != nil {
				result <- err
				return
			}
			m.apply(t, ev)
			if ev.Kind == rtnl.EventSynced && first {
				first = false
				close(synced)
			}
			n++
			delay(n)
			if !first && !m.resyncing && done(m) {
				result <- nil
				return
			}
		}
		result <- fmt.Errorf("the watch ended: %v", ctx.Err())
	}()
	select {
	case <-synced:
	case err := <-result:
		t.Fatalf("before the snapshot was complete: %v", err)
	}
	start()
	if err := <-result; err != nil {
		t.Fatalf("watch: %v", err)
	}
	return m
}

// hasAddress reports whether the mirror holds the address prefix.
func (m *mirror) hasAddress(prefix string) bool {
	want := netip.MustParsePrefix(prefix)
	for _, a := range m.addresses {
		if a.Prefix == want {
			return true
		}
	}
	return false
}

// hasNeighbor reports whether the mirror holds a neighbour with address
// dst.
func (m *mirror) hasNeighbor(dst string) bool {
	want := netip.MustParseAddr(dst)
	for _, n := range m.neighbors {
		if n.Dst == want {
			return true
		}
	}
	return false
}

// hasLink reports whether the mirror holds a link named name.
func (m *mirror) hasLink(name string) bool {
	for _, l := range m.links {
		if l.Name == name {
			return true
		}
	}
	return false
}

// hasRoute reports whether the mirror holds a route to dst.
func (m *mirror) hasRoute(dst string) bool {
	want := netip.MustParsePrefix(dst)
	for _, r := range m.routes {
		if r.Dst == want {
			return true
		}
	}
	return false
}

// routesJSON returns the mirror's routes as `ip -j -d -s route show table
// all` prints them, one per line, sorted, with the names of their links
// filled in from c.
func (m *mirror) routesJSON(t *testing.T, c *rtnl.Conn) []byte {
	t.Helper()
	links, err := c.Links(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	name := map[int32]string{}
	for _, l := range links {
		name[l.Index] = l.Name
	}
	lines := make([]string, 0, len(m.routes))
	for _, r := range m.routes {
		r.LinkName = name[r.LinkIndex]
		r.InputLinkName = name[r.InputLinkIndex]
		for i := range r.Nexthops {
			r.Nexthops[i].LinkName = name[r.Nexthops[i].LinkIndex]
		}
		lines = append(lines, string(routeMask(marshal(t, r))))
	}
	slices.Sort(lines)
	return []byte(strings.Join(lines, "\n"))
}

// compareMirrorRoutes checks that the mirror's routes are those of ip,
// counting the missing and the extra ones.
func compareMirrorRoutes(t *testing.T, ns *testns.NS, c *rtnl.Conn, m *mirror) {
	t.Helper()
	got := strings.Split(string(m.routesJSON(t, c)), "\n")
	want := strings.Split(string(routeShowAll(t, ns)), "\n")
	var missing, extra []string
	for g, w := 0, 0; g < len(got) || w < len(want); {
		switch {
		case w == len(want) || (g < len(got) && got[g] < want[w]):
			extra = append(extra, got[g])
			g++
		case g == len(got) || want[w] < got[g]:
			missing = append(missing, want[w])
			w++
		default:
			g++
			w++
		}
	}
	t.Logf("mirror: %d routes, ip: %d routes; %d missing, %d extra", len(got), len(want), len(missing), len(extra))
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("the mirror drifted from ip route show table all:\nmissing (first 5) %q\nextra (first 5) %q",
			missing[:min(5, len(missing))], extra[:min(5, len(extra))])
	}
}

// TestWatchMirrorsTables watches every table while ip changes them, and
// checks that the mirror ends equal to what ip reads.
func TestWatchMirrorsTables(t *testing.T) {
	ns := testns.New(t)
	// No IPv6 link-local addresses: their duplicate address detection and
	// multicast listener reports would go on changing addresses, routes
	// and neighbours after the script, at times of their own.
	ns.IPBatch(t, `link set lo up
link add v0 type veth peer name v1
link set v0 addrgenmode none
link set v1 addrgenmode none
link set v0 up
link set v1 up
address add 10.0.0.1/24 dev v0
route add 192.168.0.0/24 via 10.0.0.254 dev v0 onlink
neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev v0
`)
	c := dial(t, ns)
	m := watchUntil(t, c, rtnl.WatchAll, nil, func() {
		ns.IPBatch(t, `address add 10.0.1.1/24 dev v1
address add 2001:db8::1/128 dev lo
neigh del 10.0.0.9 dev v0
address del 10.0.0.1/24 dev v0
route add 192.168.1.0/24 via 10.0.1.254
route add 2001:db8:1::/64 dev v1
route append 192.168.2.0/24 via 10.0.1.253
route append 192.168.2.0/24 via 10.0.1.252
route replace 192.168.1.0/24 via 10.0.1.250
neigh add 10.0.1.9 lladdr 02:00:00:00:00:19 dev v1
link add v2 type veth peer name v3
link del v2
nexthop add id 10 via 10.0.1.254 dev v1
route add 192.168.3.0/24 nhid 10
route add 192.168.4.0/24 nhid 10
nexthop del id 10
route add blackhole 198.51.100.0/24
address add 198.51.100.1/32 dev lo
neigh add 10.0.1.99 lladdr 02:00:00:00:00:99 dev v1
link add end0 type veth peer name end1
`)
	}, func(int) {}, func(m *mirror) bool {
		// An end marker in each table: a resynchronisation of the routes
		// alone can bring them past the events of the other tables.
		return m.hasRoute("198.51.100.0/24") && m.hasAddress("198.51.100.1/32") &&
			m.hasNeighbor("10.0.1.99") && m.hasLink("end0") && m.hasLink("end1")
	})

	compareMirrorRoutes(t, ns, c, m)
	links, err := c.Links(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, l := range links {
		want = append(want, fmt.Sprint(l.Index, " ", l.Name))
	}
	for _, l := range m.links {
		got = append(got, fmt.Sprint(l.Index, " ", l.Name))
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("mirrored links %q; want %q", got, want)
	}
	addrs, err := c.Addresses(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got, want = nil, nil
	for _, a := range addrs {
		want = append(want, fmt.Sprint(a.LinkIndex, " ", a.Prefix))
	}
	for _, a := range m.addresses {
		got = append(got, fmt.Sprint(a.LinkIndex, " ", a.Prefix))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("mirrored addresses %q; want %q", got, want)
	}
	neighs, err := c.Neighbors(context.Background(), rtnl.FilterNeighAllStates())
	if err != nil {
		t.Fatal(err)
	}
	got, want = nil, nil
	for _, n := range neighs {
		want = append(want, fmt.Sprint(n.LinkIndex, " ", n.Dst))
	}
	for _, n := range m.neighbors {
		got = append(got, fmt.Sprint(n.LinkIndex, " ", n.Dst))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("mirrored neighbours %q; want %q", got, want)
	}
}

// TestWatchLossResyncs floods routes (100,000 adds, half of them deleted
// again as the flood goes) past a deliberately small receive buffer, to a
// slow consumer: the watch must resynchronise, and the consumer's mirror
// must end equal to ip's table, with no route missing and none extra.
func TestWatchLossResyncs(t *testing.T) {
	adds := 100000
	if testns.Emulated() {
		// Under TCG emulation ip adds routes about 20 times slower: the full
		// flood would take minutes.
		adds = 10000
		t.Logf("in a vmtest VM: the flood is scaled down to %d adds and %d deletes", adds, adds/2)
	}
	ns := testns.New(t)
	ns.IP(t, "link", "set", "lo", "up")
	var flood strings.Builder
	for i := range adds {
		fmt.Fprintf(&flood, "route add blackhole 10.%d.%d.%d/32\n", i>>16, i>>8&255, i&255)
		if i%2 == 1 {
			j := i - 1
			fmt.Fprintf(&flood, "route del blackhole 10.%d.%d.%d/32\n", j>>16, j>>8&255, j&255)
		}
	}
	flood.WriteString("route add blackhole 198.51.100.0/24\n") // the end marker
	c := dial(t, ns)
	var events int
	var mu sync.Mutex
	start := time.Now()
	m := watchUntil(t, c, rtnl.WatchRoutes, []rtnl.MonitorOption{rtnl.WithReceiveBuffer(4096)},
		func() {
			t0 := time.Now()
			ns.IPBatch(t, flood.String())
			t.Logf("the flood took %v", time.Since(t0).Round(time.Millisecond))
		},
		func(n int) {
			mu.Lock()
			events = n
			mu.Unlock()
			if n%100 == 0 {
				time.Sleep(time.Millisecond) // a slow consumer
			}
		},
		func(m *mirror) bool { return m.hasRoute("198.51.100.0/24") })
	mu.Lock()
	t.Logf("%d adds and %d deletes; %d events, %d resyncs, in %v", adds, adds/2, events, m.resyncs, time.Since(start).Round(time.Millisecond))
	mu.Unlock()
	if m.resyncs == 0 {
		t.Errorf("no resync: the buffer never overran, so the test proved nothing")
	}
	compareMirrorRoutes(t, ns, c, m)
}

// TestWatchCancelLeavesNothing starts and cancels 1,000 watches: each must
// end once canceled (within cancelLiveness, a bound of liveness, not of
// speed), and the goroutines and open files of the process must be back to
// what they were.
func TestWatchCancelLeavesNothing(t *testing.T) {
	ns := testns.New(t)
	ns.IP(t, "link", "set", "lo", "up")
	c := dial(t, ns)
	var goroutines, fds int
	for i := range 1001 {
		if i == 1 {
			// The first watch leaves what a connection keeps for reuse
			// (an idle socket): count from after it.
			goroutines, fds = settledCounts(t, -1, -1)
		}
		ctx, cancel := context.WithCancel(context.Background())
		ended := make(chan struct{})
		synced := make(chan struct{})
		go func() {
			defer close(ended)
			for ev, err := range c.Watch(ctx, rtnl.WatchAll) {
				if err != nil {
					t.Errorf("watch %d: %v", i, err)
					return
				}
				if ev.Kind == rtnl.EventSynced {
					close(synced)
				}
			}
		}()
		select {
		case <-synced:
		case <-ended:
			t.Fatalf("watch %d ended before its snapshot", i)
		}
		cancel()
		select {
		case <-ended:
		case <-time.After(cancelLiveness):
			t.Fatalf("watch %d has not ended %v after its cancellation", i, cancelLiveness)
		}
	}
	settledCounts(t, goroutines, fds)
}

// settledCounts returns the number of goroutines and of open files of the
// process. Given counts to return to (not -1), it waits up to five seconds
// for both to come back to them, and fails the test if they do not.
func settledCounts(t *testing.T, goroutines, fds int) (int, int) {
	t.Helper()
	count := func() (int, int) {
		entries, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Fatal(err)
		}
		return runtime.NumGoroutine(), len(entries)
	}
	g, f := count()
	if goroutines < 0 {
		return g, f
	}
	for deadline := time.Now().Add(5 * time.Second); (g > goroutines || f > fds) && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		g, f = count()
	}
	if g > goroutines || f > fds {
		t.Errorf("after the watches: %d goroutines and %d open files; want %d and %d as before", g, f, goroutines, fds)
	}
	return g, f
}

// TestEventKey checks that Key tells objects apart as the kernel does.
func TestEventKey(t *testing.T) {
	route := func(dst string, link int32) rtnl.Event {
		return rtnl.Event{Kind: rtnl.EventNew, Route: &rtnl.Route{Family: unix.AF_INET6, Table: rtnl.TableMain,
			Type: rtnl.RouteTypeUnicast, Dst: netip.MustParsePrefix(dst), Metric: 256, LinkIndex: link}}
	}
	a, b, c := route("fe80::/64", 2), route("fe80::/64", 3), route("fe80::/64", 2)
	c.Kind = rtnl.EventDelete
	if a.Key() == b.Key() || a.Key() != c.Key() || a.Key() == "" {
		t.Errorf("keys %q, %q, %q: want the routes through links 2 and 3 apart, and a new and a delete of one alike", a.Key(), b.Key(), c.Key())
	}
	if k := (rtnl.Event{Kind: rtnl.EventSynced}).Key(); k != "" {
		t.Errorf("key of EventSynced = %q; want none", k)
	}
	if k := (rtnl.Event{Link: &rtnl.Link{Index: 2}}).Key(); k == (rtnl.Event{Link: &rtnl.Link{Index: 3}}).Key() {
		t.Errorf("links 2 and 3 have the same key %q", k)
	}
}

// TestWatchRejectsInvalid checks that Watch refuses bad tables and options
// before subscribing.
func TestWatchRejectsInvalid(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	for name, tc := range map[string]struct {
		tables rtnl.WatchTables
		opts   []rtnl.MonitorOption
	}{
		"no tables":       {0, nil},
		"unknown table":   {rtnl.WatchAll + 1, nil},
		"all-nsid":        {rtnl.WatchLinks, []rtnl.MonitorOption{rtnl.WithAllNSID()}},
		"negative buffer": {rtnl.WatchLinks, []rtnl.MonitorOption{rtnl.WithReceiveBuffer(-5)}},
	} {
		n := 0
		for _, err := range c.Watch(context.Background(), tc.tables, tc.opts...) {
			n++
			if !isInvalid(err) {
				t.Errorf("%s: Watch yielded %v; want an *InvalidError", name, err)
			}
		}
		if n != 1 {
			t.Errorf("%s: Watch yielded %d times; want once, the error", name, n)
		}
	}
}
