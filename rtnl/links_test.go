package rtnl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// dial opens a connection bound to ns, closed when the test ends.
func dial(t *testing.T, ns *testns.NS, opts ...rtnl.Option) *rtnl.Conn {
	t.Helper()
	c, err := rtnl.Dial(context.Background(), append([]rtnl.Option{rtnl.WithNetNS(ns.FD())}, opts...)...)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// member is one key and its raw JSON value, in the order of the object.
type member struct {
	Key   string
	Value string
}

// members splits a JSON object into its members, keeping their order.
func members(t *testing.T, obj []byte) []member {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(obj))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object: %s", obj)
	}
	var ms []member
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatalf("JSON key: %v in %s", err, obj)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("JSON value: %v in %s", err, obj)
		}
		ms = append(ms, member{k.(string), string(v)})
	}
	return ms
}

// without returns ms less the members with the given keys.
func without(ms []member, keys ...string) []member {
	return slices.DeleteFunc(slices.Clone(ms), func(m member) bool { return slices.Contains(keys, m.Key) })
}

// marshal encodes v as ip does: no HTML escaping, no trailing newline.
func marshal(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// runningTimers matches the bridge and bridge port timers in link JSON:
// countdowns that move between any two reads.
var runningTimers = regexp.MustCompile(`"(gc|hello|tcn|topology_change|hold|message_age|forward_delay)_timer":[0-9.]+`)

// maskTimers zeroes the running timers in link JSON.
func maskTimers(b []byte) []byte {
	return runningTimers.ReplaceAll(b, []byte(`"${1}_timer":0`))
}

// stableIPLinks reads `ip -j -d -s link show` around fn until two reads
// agree (running timers aside), so that counters moving meanwhile cannot
// fail a comparison, and returns ip's objects with what fn returned.
func stableIPLinks[T any](t *testing.T, ns *testns.NS, fn func() T) ([]json.RawMessage, T) {
	t.Helper()
	return stableIP(t, ns, []string{"-j", "-d", "-s", "link", "show"}, fn)
}

// stableIP runs `ip -n NS args...` around fn until two outputs agree
// (running timers aside) and returns the JSON objects ip printed, less the
// {} ip 6.1 prints for each link it filters out itself, with what fn
// returned.
func stableIP[T any](t *testing.T, ns *testns.NS, args []string, fn func() T) ([]json.RawMessage, T) {
	t.Helper()
	for try := 0; ; try++ {
		before := ns.IP(t, args...)
		v := fn()
		after := ns.IP(t, args...)
		if bytes.Equal(maskTimers(before), maskTimers(after)) {
			var all, objs []json.RawMessage
			if err := json.Unmarshal(after, &all); err != nil {
				t.Fatalf("ip output: %v\n%s", err, after)
			}
			for _, obj := range all {
				if string(obj) != "{}" {
					objs = append(objs, obj)
				}
			}
			return objs, v
		}
		if try == 20 {
			t.Fatalf("ip %v keeps changing:\n%s\n%s", args, before, after)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// compareLink checks a link's JSON against ip's object for it, running
// timers masked. Links of a
// kind whose info_data or info_slave_data nlkit does not decode yet are
// compared without linkinfo.
func compareLink(t *testing.T, got rtnl.Link, want json.RawMessage) {
	t.Helper()
	g, w := members(t, maskTimers(marshal(t, got))), members(t, maskTimers(want))
	if got.Info != nil && (!rtnl.DecodesKindData(got.Info.Kind) || !rtnl.DecodesSlaveData(got.Info.SlaveKind)) {
		g, w = without(g, "linkinfo"), without(w, "linkinfo")
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("link %s: JSON differs from ip -j -d -s link show (-ip +nlkit):\n%s", got.Name, diff)
	}
}

// populate builds the devices of the foundation's comparison in ns: lo up,
// a veth pair with one end in a bridge, a veth whose peer is in another
// namespace, vxlan, macvlan and tap, and some link attributes.
func populate(t *testing.T, ns, peer *testns.NS) {
	for _, cmd := range []string{
		"link set lo up",
		"link add v0 type veth peer name v1",
		"link add br0 type bridge",
		"link set v0 master br0",
		"link set br0 up",
		"link set v1 up",
		"link set v1 alias hello\"world mtu 9000 group 5 txqueuelen 0",
		"link property add dev v1 altname v1-alt altname v1-other-name",
		"link add vx0 type vxlan id 42 dstport 4789 local 192.0.2.1 dev v1",
		"link add mv0 link v1 type macvlan mode bridge",
		"link add far0 type veth peer name far1 netns " + peer.Name(),
		"link set far0 address 02:00:00:00:00:aa broadcast 02:ff:ff:ff:ff:ff",
		"tuntap add dev tap0 mode tap",
	} {
		ns.IP(t, strings.Fields(cmd)...)
	}
}

func TestLinksMatchIP(t *testing.T) {
	ns, peer := testns.New(t), testns.New(t)
	populate(t, ns, peer)
	compareAllLinks(t, ns, dial(t, ns))

	// And the other way round: the peer namespace, whose far1 points back
	// at far0 through a namespace id.
	compareAllLinks(t, peer, dial(t, peer))
}

func TestLinkByNameAndIndex(t *testing.T) {
	ns, peer := testns.New(t), testns.New(t)
	populate(t, ns, peer)
	c := dial(t, ns)
	ctx := context.Background()

	ipLinks, _ := stableIPLinks(t, ns, func() struct{} { return struct{}{} })
	for _, raw := range ipLinks {
		var key struct {
			Index int32  `json:"ifindex"`
			Name  string `json:"ifname"`
		}
		if err := json.Unmarshal(raw, &key); err != nil {
			t.Fatal(err)
		}
		// ip reads the link before and after nlkit, until both agree: its
		// counters move while IPv6 sends router solicitations.
		ipLink, byName := stableIP(t, ns, []string{"-j", "-d", "-s", "link", "show", "dev", key.Name}, func() rtnl.Link {
			l, err := c.LinkByName(ctx, key.Name)
			if err != nil {
				t.Fatalf("LinkByName(%q): %v", key.Name, err)
			}
			return l
		})
		if len(ipLink) != 1 {
			t.Fatalf("ip link show dev %s printed %d links", key.Name, len(ipLink))
		}
		compareLink(t, byName, ipLink[0])

		byIndex, err := c.LinkByIndex(ctx, key.Index)
		if err != nil {
			t.Fatalf("LinkByIndex(%d): %v", key.Index, err)
		}
		if byIndex.Name != key.Name || byIndex.ParentName != byName.ParentName || byIndex.Master != byName.Master {
			t.Errorf("LinkByIndex(%d) = %s (parent %q, master %q), LinkByName gave %s (parent %q, master %q)",
				key.Index, byIndex.Name, byIndex.ParentName, byIndex.Master, byName.Name, byName.ParentName, byName.Master)
		}
	}

	// Alternative names find the link too.
	l, err := c.LinkByName(ctx, "v1-other-name")
	if err != nil || l.Name != "v1" {
		t.Errorf("LinkByName(altname) = %q, %v; want v1", l.Name, err)
	}
}

func TestLinkMissing(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()

	_, err := c.LinkByName(ctx, "nosuchlink")
	if !errors.Is(err, rtnl.ErrNotExist) || !errors.Is(err, unix.ENODEV) {
		t.Errorf("LinkByName(missing) error = %v; want ErrNotExist and ENODEV", err)
	}
	_, err = c.LinkByIndex(ctx, 4242)
	if !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("LinkByIndex(missing) error = %v; want ErrNotExist", err)
	}
	for _, name := range []string{"", strings.Repeat("x", 128)} {
		if _, err := c.LinkByName(ctx, name); !errors.Is(err, unix.EINVAL) {
			t.Errorf("LinkByName(%q) error = %v; want EINVAL before sending", name, err)
		}
	}
	if _, err := c.LinkByIndex(ctx, 0); !errors.Is(err, unix.EINVAL) {
		t.Errorf("LinkByIndex(0) error = %v; want EINVAL", err)
	}
}

func TestLinksSeq(t *testing.T) {
	ns, peer := testns.New(t), testns.New(t)
	populate(t, ns, peer)
	c := dial(t, ns)
	ctx := context.Background()

	want, err := c.Links(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for l, err := range c.LinksSeq(ctx) {
		if err != nil {
			t.Fatalf("LinksSeq: %v", err)
		}
		got = append(got, fmt.Sprintf("%d:%s", l.Index, l.Name))
	}
	var wantNames []string
	for _, l := range want {
		wantNames = append(wantNames, fmt.Sprintf("%d:%s", l.Index, l.Name))
	}
	if diff := cmp.Diff(wantNames, got); diff != "" {
		t.Errorf("LinksSeq differs from Links (-Links +LinksSeq):\n%s", diff)
	}

	// Stopping early leaves the connection usable.
	for range c.LinksSeq(ctx) {
		break
	}
	if _, err := c.Links(ctx); err != nil {
		t.Errorf("Links after an abandoned stream: %v", err)
	}
}

func TestConnConcurrentUse(t *testing.T) {
	ns, peer := testns.New(t), testns.New(t)
	populate(t, ns, peer)
	c := dial(t, ns)
	ctx := context.Background()
	all, err := c.Links(ctx)
	if err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				links, err := c.Links(ctx)
				if err == nil && len(links) != len(all) {
					err = fmt.Errorf("got %d links, want %d", len(links), len(all))
				}
				if err == nil {
					_, err = c.LinkByName(ctx, "br0")
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestDialNetNSPath(t *testing.T) {
	ns := testns.New(t)
	ns.IP(t, "link", "add", "pathcheck", "type", "bridge")
	c, err := rtnl.Dial(context.Background(), rtnl.WithNetNSPath(ns.Path()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	links, err := c.Links(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range links {
		names = append(names, l.Name)
	}
	var ipLinks []struct {
		Name string `json:"ifname"`
	}
	if err := json.Unmarshal(ns.IP(t, "-j", "link", "show"), &ipLinks); err != nil {
		t.Fatal(err)
	}
	var ipNames []string
	for _, l := range ipLinks {
		ipNames = append(ipNames, l.Name)
	}
	if !slices.Contains(names, "pathcheck") || !slices.Equal(names, ipNames) {
		t.Errorf("links in the namespace at %s = %v; ip -n shows %v", ns.Path(), names, ipNames)
	}

	if _, err := rtnl.Dial(context.Background(), rtnl.WithNetNSPath("/run/netns/no-such-namespace")); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("Dial(missing path) error = %v; want ErrNotExist", err)
	}
	if _, err := rtnl.Dial(context.Background(), rtnl.WithNetNSPath("/etc/hostname")); err == nil {
		t.Error("Dial(a path that is not a namespace) succeeded")
	}
}

func TestContextDone(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Links(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Links(canceled) error = %v; want context.Canceled", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), -time.Second)
	defer cancel()
	if _, err := c.LinkByName(ctx, "lo"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("LinkByName(expired) error = %v; want context.DeadlineExceeded", err)
	}
	// The connection still works after calls whose context was done.
	if _, err := c.LinkByName(context.Background(), "lo"); err != nil {
		t.Errorf("LinkByName after canceled calls: %v", err)
	}
}

func TestClosedConn(t *testing.T) {
	ns := testns.New(t)
	c, err := rtnl.Dial(context.Background(), rtnl.WithNetNS(ns.FD()))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Links(context.Background()); err == nil {
		t.Error("Links on a closed Conn succeeded")
	}
	if err := c.Close(); err == nil {
		t.Error("second Close succeeded")
	}
}

// inNetNS runs fn on a throw-away thread switched into the namespace ns: the
// thread is never unlocked, so the runtime discards it afterwards.
func inNetNS(t *testing.T, ns *testns.NS, fn func()) {
	t.Helper()
	done := make(chan error)
	go func() {
		runtime.LockOSThread()
		if err := unix.Setns(ns.FD(), unix.CLONE_NEWNET); err != nil {
			done <- err
			return
		}
		fn()
		done <- nil
	}()
	if err := <-done; err != nil {
		t.Fatalf("setns: %v", err)
	}
}

func TestPackageLevelFunctionsUseTheCallersNamespace(t *testing.T) {
	ns := testns.New(t)
	ns.IP(t, "link", "add", "here0", "type", "bridge")
	ctx := context.Background()

	var names []string
	var byName rtnl.Link
	var byIndexErr, byNameErr, listErr error
	inNetNS(t, ns, func() {
		var links []rtnl.Link
		links, listErr = rtnl.Links(ctx)
		for _, l := range links {
			names = append(names, l.Name)
		}
		byName, byNameErr = rtnl.LinkByName(ctx, "here0")
		if byNameErr == nil {
			_, byIndexErr = rtnl.LinkByIndex(ctx, byName.Index)
		}
		for l, err := range rtnl.LinksSeq(ctx) {
			if err != nil {
				listErr = err
			} else if l.Name == "here0" {
				names = append(names, "seq:here0")
			}
		}
	})
	if listErr != nil || byNameErr != nil || byIndexErr != nil {
		t.Fatalf("errors: Links %v, LinkByName %v, LinkByIndex %v", listErr, byNameErr, byIndexErr)
	}
	if !slices.Contains(names, "here0") || !slices.Contains(names, "seq:here0") {
		t.Errorf("links seen from a thread in the namespace = %v; want here0, listed and streamed", names)
	}
}

func TestLinksDumpInterrupted(t *testing.T) {
	ns := testns.New(t)
	// Enough links that a dump spans several datagrams.
	var batch strings.Builder
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&batch, "link add a%d type veth peer name b%d\n", i, i)
	}
	ns.IPBatch(t, batch.String())

	// Keep adding and deleting a link while dumping.
	ctx, stop := context.WithCancel(context.Background())
	churn := exec.CommandContext(ctx, "ip", "-n", ns.Name(), "-force", "-batch", "-")
	stdin, err := churn.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := churn.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		for ctx.Err() == nil {
			if _, err := fmt.Fprint(stdin, "link add churn0 type bridge\nlink del churn0\n"); err != nil {
				return
			}
		}
	}()
	defer func() { stop(); stdin.Close(); churn.Wait() }()

	c := dial(t, ns)
	seen := 0
	for try := 0; try < 2000 && seen == 0; try++ {
		links, err := c.Links(context.Background())
		switch {
		case errors.Is(err, rtnl.ErrDumpInterrupted):
			if len(links) < 200 {
				t.Errorf("interrupted dump returned %d links, want the ones it read (at least 200)", len(links))
			}
			seen++
		case err != nil:
			t.Fatalf("Links: %v", err)
		}
	}
	if seen == 0 {
		t.Fatal("no dump was reported interrupted while links changed")
	}

	// A streamed dump ends with the error too.
	streamSeen := false
	for try := 0; try < 2000 && !streamSeen; try++ {
		for _, err := range c.LinksSeq(context.Background()) {
			if errors.Is(err, rtnl.ErrDumpInterrupted) {
				streamSeen = true
			} else if err != nil {
				t.Fatalf("LinksSeq: %v", err)
			}
		}
	}
	if !streamSeen {
		t.Error("no streamed dump was reported interrupted while links changed")
	}

	// With retries, an interrupted dump is dumped again: the error is rare,
	// and when it comes the data came from the last try.
	retrying := dial(t, ns, rtnl.WithDumpRetries(50))
	for i := 0; i < 20; i++ {
		if _, err := retrying.Links(context.Background()); err != nil {
			t.Errorf("Links with retries: %v", err)
		}
	}
}
