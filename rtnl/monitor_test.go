package rtnl_test

import (
	"bufio"
	"context"
	"fmt"
	"iter"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// eventKey names the object of an event the way `ip monitor label` lines
// can be named: the label, "Deleted" for a removal, and the object's
// identity (link index; address; route type, destination and table;
// neighbour address; rule priority; nexthop id).
func eventKey(ev rtnl.Event) string {
	del := ""
	if ev.Kind == rtnl.EventDelete {
		del = "Deleted "
	}
	switch {
	case ev.Link != nil:
		return fmt.Sprintf("[LINK]%s%d", del, ev.Link.Index)
	case ev.Address != nil:
		return fmt.Sprintf("[ADDR]%s%d %s", del, ev.Address.LinkIndex, ev.Address.Prefix)
	case ev.Route != nil:
		return "[ROUTE]" + del + routeKey(ev.Route)
	case ev.Neighbor != nil:
		return "[NEIGH]" + del + ev.Neighbor.Dst.String()
	case ev.Rule != nil:
		return fmt.Sprintf("[RULE]%s%d", del, ev.Rule.Priority)
	case ev.Nexthop != nil:
		return fmt.Sprintf("[NEXTHOP]%sid %d", del, ev.Nexthop.ID)
	}
	return fmt.Sprintf("unexpected event %+v", ev)
}

// routeKey is a route's type (unless unicast), destination as ip prints
// it, and table.
func routeKey(r *rtnl.Route) string {
	dst := "default"
	switch {
	case r.Dst.IsValid() && r.Dst.Bits() == r.Dst.Addr().BitLen():
		dst = r.Dst.Addr().String()
	case r.Dst.IsValid() && r.Dst.Bits() > 0:
		dst = r.Dst.String()
	}
	if r.Type != rtnl.RouteTypeUnicast {
		dst = r.Type.String() + " " + dst
	}
	return dst + " table " + r.Table.String()
}

// ipLineKey names the event of an `ip monitor label` line as eventKey
// does.
func ipLineKey(line string) string {
	label, rest, _ := strings.Cut(line, "]")
	label += "]"
	del := ""
	if r, ok := strings.CutPrefix(rest, "Deleted "); ok {
		del, rest = "Deleted ", r
	}
	f := strings.Fields(rest)
	switch label {
	case "[LINK]":
		return label + del + strings.TrimSuffix(f[0], ":")
	case "[ADDR]":
		return label + del + strings.TrimSuffix(f[0], ":") + " " + f[3]
	case "[ROUTE]":
		dst := f[0]
		switch dst {
		case "local", "broadcast", "multicast", "anycast", "unreachable", "prohibit", "blackhole", "throw", "nat":
			dst += " " + f[1]
		}
		table := "main"
		for i := range len(f) - 1 {
			if f[i] == "table" {
				table = f[i+1]
			}
		}
		return label + del + dst + " table " + table
	case "[NEIGH]":
		return label + del + f[0]
	case "[RULE]":
		return label + del + strings.TrimSuffix(f[0], ":")
	case "[NEXTHOP]":
		return label + del + f[0] + " " + f[1]
	}
	return line
}

// TestMonitorParityWithIP runs `ip monitor label` and nlkit's monitor side
// by side while a script of ip commands changes links, addresses, routes,
// neighbours, rules and nexthop objects: both must report the same objects
// in the same order.
func TestMonitorParityWithIP(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sub, err := c.Subscribe(ctx, rtnl.MonitorLink|rtnl.MonitorAddr|rtnl.MonitorRoute|rtnl.MonitorNeigh|rtnl.MonitorRule|rtnl.MonitorNexthop)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	next, stop := iter.Pull2(sub.Events(ctx))
	defer stop()

	cmd := exec.CommandContext(ctx, "ip", "-n", ns.Name(), "monitor", "label", "link", "address", "route", "neigh", "rule", "nexthop")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	lines := make(chan string, 1000)
	go func() {
		defer close(lines)
		for sc := bufio.NewScanner(out); sc.Scan(); {
			if l := sc.Text(); strings.HasPrefix(l, "[") {
				lines <- l
			}
		}
	}()

	// Add marker addresses on lo (down, so no routes follow) until ip
	// reports one: both listen from then on.
	var marker string
	for i := 1; marker == ""; i++ {
		m := fmt.Sprintf("192.0.2.%d", i)
		ns.IP(t, "address", "add", m+"/32", "dev", "lo")
		select {
		case l := <-lines:
			if !strings.Contains(l, "192.0.2.") {
				t.Fatalf("ip monitor printed %q before the marker", l)
			}
			marker = l[strings.Index(l, "192.0.2."):]
			marker = marker[:strings.Index(marker, "/")]
		case <-time.After(500 * time.Millisecond):
		}
	}
	for {
		ev, err, ok := next()
		if !ok || err != nil {
			t.Fatalf("nlkit's events ended before the marker %s: %v", marker, err)
		}
		if ev.Address != nil && ev.Address.Prefix.Addr().String() == marker {
			break
		}
	}

	script := [][]string{
		{"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
		{"link", "set", "v0", "up"},
		{"address", "add", "10.0.0.1/24", "dev", "v0"},
		{"address", "add", "2001:db8::1/64", "dev", "v0", "nodad"},
		{"link", "set", "v1", "up"},
		{"route", "add", "192.168.1.0/24", "via", "10.0.0.254"},
		{"route", "add", "2001:db8:1::/64", "via", "2001:db8::fe"},
		{"neigh", "add", "10.0.0.2", "lladdr", "02:00:00:00:00:02", "dev", "v0", "nud", "permanent"},
		{"neigh", "del", "10.0.0.2", "dev", "v0"},
		{"rule", "add", "pref", "1000", "from", "10.1.0.0/16", "lookup", "100"},
		{"-6", "rule", "add", "pref", "1001", "from", "2001:db8:2::/48", "lookup", "100"},
		{"rule", "del", "pref", "1000"},
		{"-6", "rule", "del", "pref", "1001"},
		{"nexthop", "add", "id", "10", "via", "10.0.0.254", "dev", "v0"},
		{"route", "add", "192.168.3.0/24", "nhid", "10"},
		{"nexthop", "del", "id", "10"},
		{"route", "del", "192.168.1.0/24"},
		{"address", "del", "10.0.0.1/24", "dev", "v0"},
		{"link", "set", "v0", "down"},
		{"link", "del", "v0"},
		{"address", "add", "198.51.100.1/32", "dev", "lo"}, // the end marker
	}
	for _, args := range script {
		ns.IP(t, args...)
	}
	const end = "[ADDR]1 198.51.100.1/32"
	var fromIP, fromNlkit []string
	for k := ""; k != end; {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("ip monitor ended before the end marker; it printed %q", fromIP)
			}
			k = ipLineKey(l)
			fromIP = append(fromIP, k)
		case <-ctx.Done():
			t.Fatalf("no end marker from ip monitor; it printed %q", fromIP)
		}
	}
	for k := ""; k != end; {
		ev, err, ok := next()
		if !ok || err != nil {
			t.Fatalf("nlkit's events ended before the end marker (%v); got %q", err, fromNlkit)
		}
		k = eventKey(ev)
		fromNlkit = append(fromNlkit, k)
	}
	if strings.Join(fromIP, "\n") != strings.Join(fromNlkit, "\n") {
		t.Errorf("nlkit's events:\n%s\nip monitor's:\n%s", strings.Join(fromNlkit, "\n"), strings.Join(fromIP, "\n"))
	}
	t.Logf("%d events, the same from ip monitor and nlkit", len(fromIP))
}

// TestMonitorRejectsInvalid checks that Monitor refuses bad groups and
// options before subscribing.
func TestMonitorRejectsInvalid(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	for name, tc := range map[string]struct {
		groups rtnl.MonitorGroups
		opts   []rtnl.MonitorOption
	}{
		"no groups":       {0, nil},
		"unknown group":   {rtnl.MonitorAll + 1, nil},
		"negative buffer": {rtnl.MonitorLink, []rtnl.MonitorOption{rtnl.WithReceiveBuffer(-1)}},
	} {
		if _, err := c.Subscribe(ctx, tc.groups, tc.opts...); !isInvalid(err) {
			t.Errorf("%s: Subscribe error = %v; want an *InvalidError", name, err)
		}
		for _, err := range c.Monitor(ctx, tc.groups, tc.opts...) {
			if !isInvalid(err) {
				t.Errorf("%s: Monitor error = %v; want an *InvalidError", name, err)
			}
		}
	}
}

// TestMonitorAllNSID checks that WithAllNSID delivers the events of a peer
// namespace with its id, and those of the own namespace with -1.
func TestMonitorAllNSID(t *testing.T) {
	ns := testns.New(t)
	peer := testns.New(t)
	ns.IP(t, "netns", "set", peer.Name(), "5")
	c := dial(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sub, err := c.Subscribe(ctx, rtnl.MonitorIPv4Addr, rtnl.WithAllNSID())
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	peer.IP(t, "address", "add", "192.0.2.5/32", "dev", "lo")
	ns.IP(t, "address", "add", "192.0.2.1/32", "dev", "lo")
	want := map[netip.Addr]int32{netip.MustParseAddr("192.0.2.5"): 5, netip.MustParseAddr("192.0.2.1"): -1}
	for ev, err := range sub.Events(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		a := ev.Address.Prefix.Addr()
		if id, ok := want[a]; ok {
			if ev.NSID != id {
				t.Errorf("event of %s has NSID %d; want %d", a, ev.NSID, id)
			}
			delete(want, a)
		}
		if len(want) == 0 {
			break
		}
	}
	if len(want) > 0 {
		t.Errorf("no events of %v", want)
	}
}

// TestMonitorEndsWhenCanceled checks that the events of a subscription
// end, without an error, once their context is canceled. The bound is one
// of liveness (the events end rather than wait for the next one), not of
// speed: speed goals are met in benchmarks, never in timed tests.
func TestMonitorEndsWhenCanceled(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	sub, err := c.Subscribe(context.Background(), rtnl.MonitorAll)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	ctx, cancel := context.WithCancel(context.Background())
	canceled := make(chan time.Time, 1)
	time.AfterFunc(50*time.Millisecond, func() { canceled <- time.Now(); cancel() })
	for _, err := range sub.Events(ctx) {
		if err != nil {
			t.Errorf("Events yielded %v", err)
		}
	}
	if took := time.Since(<-canceled); took > cancelLiveness {
		t.Errorf("the events ended %v after the cancellation; want at most %v", took, cancelLiveness)
	}
}

// cancelLiveness bounds the time a subscription or a watch takes to end
// once its context is canceled: generous enough for a loaded, emulated
// machine, it tells a stream that ends from one that hangs.
const cancelLiveness = 5 * time.Second
