package rtnl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/user"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

func tunU32(v uint32) *uint32 { return &v }

// tunCompareShow checks Conn.Tuntaps against `ip -j tuntap show`, member by
// member and in order.
func tunCompareShow(t *testing.T, ns *testns.NS, c *rtnl.Conn) []rtnl.Tuntap {
	t.Helper()
	got, err := c.Tuntaps(context.Background())
	if err != nil {
		t.Fatalf("Tuntaps: %v", err)
	}
	var want []json.RawMessage
	out := ns.IP(t, "-j", "tuntap", "show")
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("ip -j tuntap show: %v\n%s", err, out)
	}
	if len(got) != len(want) {
		t.Fatalf("Tuntaps returned %d devices, ip -j tuntap show %d:\n%s\n%s", len(got), len(want), marshal(t, got), out)
	}
	for i := range got {
		if diff := cmp.Diff(members(t, want[i]), members(t, marshal(t, got[i]))); diff != "" {
			t.Errorf("tuntap %s: JSON differs from ip -j tuntap show (-ip +nlkit):\n%s", got[i].Name, diff)
		}
	}
	return got
}

// tunUserName and tunGroupName return what ip prints for an id: the name
// when it resolves.
func tunUserName(id uint32) string {
	if u, err := user.LookupId(strconv.Itoa(int(id))); err == nil {
		return u.Username
	}
	return ""
}

func tunGroupName(id uint32) string {
	if g, err := user.LookupGroupId(strconv.Itoa(int(id))); err == nil {
		return g.Name
	}
	return ""
}

func TestAddTuntap(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()

	for _, tc := range []rtnl.Tuntap{
		{Name: "tun0", Mode: rtnl.TuntapTun},
		{Name: "tap0", Mode: rtnl.TuntapTap},
		{Name: "tap1", Mode: rtnl.TuntapTap, PI: true, VnetHdr: true},
		{Name: "mq0", Mode: rtnl.TuntapTun, MultiQueue: true, Owner: tunU32(65534), Group: tunU32(65534)},
		{Name: "mq1", Mode: rtnl.TuntapTap, MultiQueue: true, VnetHdr: true, Owner: tunU32(0)},
		// Ids that resolve to no name: ip prints the numbers.
		{Name: "own0", Mode: rtnl.TuntapTun, Owner: tunU32(4242), Group: tunU32(4343)},
		{Name: "grp0", Mode: rtnl.TuntapTap, Group: tunU32(0)},
	} {
		name, err := c.AddTuntap(ctx, tc)
		if err != nil {
			t.Fatalf("AddTuntap(%+v): %v", tc, err)
		}
		if name != tc.Name {
			t.Errorf("AddTuntap(%s) created %q", tc.Name, name)
		}
		l := mustLink(t, c, tc.Name)
		compareLink(t, l, ipLink(t, ns, tc.Name))

		tun, ok := l.Info.Data.(*rtnl.Tun)
		if !ok {
			t.Fatalf("%s: Info.Data is %T, want *rtnl.Tun", tc.Name, l.Info.Data)
		}
		if tun.Mode != tc.Mode || tun.PI != tc.PI || tun.VnetHdr != tc.VnetHdr || tun.MultiQueue != tc.MultiQueue || !tun.Persist {
			t.Errorf("%s: read back %+v, created with %+v", tc.Name, tun, tc)
		}
		if (tun.NumQueues != nil) != tc.MultiQueue || (tun.NumDisabledQueues != nil) != tc.MultiQueue {
			t.Errorf("%s: queue counts %v %v for multi_queue %v", tc.Name, tun.NumQueues, tun.NumDisabledQueues, tc.MultiQueue)
		}
		for _, id := range []struct {
			what     string
			set, got *uint32
		}{
			{"owner", tc.Owner, tun.Owner},
			{"group", tc.Group, tun.Group},
		} {
			switch {
			case id.set == nil && id.got != nil:
				t.Errorf("%s: %s %d, none was set", tc.Name, id.what, *id.got)
			case id.set != nil && (id.got == nil || *id.got != *id.set):
				t.Errorf("%s: %s %v, want %d", tc.Name, id.what, id.got, *id.set)
			}
		}
		if tc.Owner != nil && tun.OwnerName != tunUserName(*tc.Owner) {
			t.Errorf("%s: OwnerName %q, want %q", tc.Name, tun.OwnerName, tunUserName(*tc.Owner))
		}
		if tc.Group != nil && tun.GroupName != tunGroupName(*tc.Group) {
			t.Errorf("%s: GroupName %q, want %q", tc.Name, tun.GroupName, tunGroupName(*tc.Group))
		}

		// The device is in the Conn's namespace only, not in the test
		// process's own.
		if _, err := rtnl.LinkByName(ctx, tc.Name); !errors.Is(err, rtnl.ErrNotExist) {
			t.Errorf("LinkByName(%s) in the test's own namespace: err %v, want ErrNotExist", tc.Name, err)
		}
	}

	got := tunCompareShow(t, ns, c)
	byName := make(map[string]rtnl.Tuntap)
	for _, tt := range got {
		byName[tt.Name] = tt
	}
	if mq := byName["mq0"]; !mq.MultiQueue || mq.Mode != rtnl.TuntapTun || !mq.Persist || mq.Owner == nil || *mq.Owner != 65534 {
		t.Errorf("Tuntaps: mq0 = %+v", mq)
	}

	// The whole list, as ip prints it.
	ipLinks, links := stableIPLinks(t, ns, func() []rtnl.Link {
		links, err := c.Links(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return links
	})
	for i, l := range links {
		compareLink(t, l, ipLinks[i])
	}

	// Delete, as ip link del does.
	if err := c.DeleteLinkByName(ctx, "tun0"); err != nil {
		t.Fatalf("DeleteLinkByName(tun0): %v", err)
	}
	if err := c.DeleteLink(ctx, mustLink(t, c, "mq0").Index); err != nil {
		t.Fatalf("DeleteLink(mq0): %v", err)
	}
	for _, name := range []string{"tun0", "mq0"} {
		if _, err := c.LinkByName(ctx, name); !errors.Is(err, rtnl.ErrNotExist) {
			t.Errorf("%s still exists after delete (err %v)", name, err)
		}
	}
	tunCompareShow(t, ns, c)
}

func TestAddTuntapKernelNamed(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	for _, tc := range []struct {
		t    rtnl.Tuntap
		want string
	}{
		{rtnl.Tuntap{Mode: rtnl.TuntapTap}, "tap0"},
		{rtnl.Tuntap{Mode: rtnl.TuntapTun}, "tun0"},
		{rtnl.Tuntap{Name: "x%d", Mode: rtnl.TuntapTun}, "x0"},
		{rtnl.Tuntap{Name: "x%d", Mode: rtnl.TuntapTun}, "x1"},
	} {
		name, err := c.AddTuntap(ctx, tc.t)
		if err != nil {
			t.Fatalf("AddTuntap(%+v): %v", tc.t, err)
		}
		if name != tc.want {
			t.Errorf("AddTuntap(%+v) = %q, want %q", tc.t, name, tc.want)
		}
		kindsCompare(t, ns, c, name)
	}
	tunCompareShow(t, ns, c)
}

// TestTuntapFromIP reads devices that ip tuntap add created.
func TestTuntapFromIP(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	for _, cmd := range []string{
		"tuntap add dev t0 mode tun",
		"tuntap add dev t1 mode tap pi vnet_hdr",
		"tuntap add dev t2 mode tun multi_queue user 65534 group 65534",
		"tuntap add dev t3 mode tap user 4242 group 4343",
		"tuntap add dev t4 mode tap multi_queue group 0",
		"tuntap add mode tap",
	} {
		ns.IP(t, strings.Fields(cmd)...)
	}
	ipLinks, links := stableIPLinks(t, ns, func() []rtnl.Link {
		links, err := c.Links(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return links
	})
	if len(links) != len(ipLinks) {
		t.Fatalf("Links: %d links, ip shows %d", len(links), len(ipLinks))
	}
	for i, l := range links {
		compareLink(t, l, ipLinks[i])
	}
	for _, name := range []string{"t0", "t1", "t2", "t3", "t4", "tap0"} {
		kindsCompare(t, ns, c, name)
	}
	t2 := mustLink(t, c, "t2").Info.Data.(*rtnl.Tun)
	if t2.Mode != rtnl.TuntapTun || !t2.MultiQueue || t2.Owner == nil || *t2.Owner != 65534 || t2.Group == nil || *t2.Group != 65534 {
		t.Errorf("t2: %+v", t2)
	}
	tunCompareShow(t, ns, c)

	// ip tuntap del removes what AddTuntap made, and the other way round.
	if _, err := c.AddTuntap(ctx, rtnl.Tuntap{Name: "n0", Mode: rtnl.TuntapTap, VnetHdr: true}); err != nil {
		t.Fatal(err)
	}
	ns.IP(t, "tuntap", "del", "dev", "n0", "mode", "tap")
	if err := c.DeleteLinkByName(ctx, "t1"); err != nil {
		t.Fatal(err)
	}
	tunCompareShow(t, ns, c)
}

// TestTuntapOneQueue shows the one documented difference with ip tuntap
// show: IFF_ONE_QUEUE, which sysfs shows and netlink does not.
func TestTuntapOneQueue(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	if _, err := c.AddTuntap(context.Background(), rtnl.Tuntap{Name: "oq0", Mode: rtnl.TuntapTap, OneQueue: true}); err != nil {
		t.Fatal(err)
	}
	kindsCompare(t, ns, c, "oq0")
	got, err := c.Tuntaps(context.Background())
	if err != nil || len(got) != 1 {
		t.Fatalf("Tuntaps = %v, %v", got, err)
	}
	// What ip prints, less one_queue.
	var want []struct {
		Flags []string `json:"flags"`
	}
	if err := json.Unmarshal(ns.IP(t, "-j", "tuntap", "show"), &want); err != nil || len(want) != 1 {
		t.Fatalf("ip -j tuntap show: %v", err)
	}
	var flags []string
	for _, f := range want[0].Flags {
		if f != "one_queue" {
			flags = append(flags, f)
		}
	}
	if !strings.Contains(strings.Join(want[0].Flags, ","), "one_queue") {
		t.Errorf("ip shows no one_queue: %v", want[0].Flags)
	}
	var ours struct {
		Flags []string `json:"flags"`
	}
	if err := json.Unmarshal(marshal(t, got[0]), &ours); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(flags, ours.Flags); diff != "" {
		t.Errorf("flags differ from ip's less one_queue (-ip +nlkit):\n%s", diff)
	}
}

func TestAddTuntapErrors(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	if _, err := c.AddTuntap(ctx, rtnl.Tuntap{Name: "dup0", Mode: rtnl.TuntapTap}); err != nil {
		t.Fatal(err)
	}
	before := string(ns.IP(t, "link", "show"))

	// An existing name, whatever its kind: ip's IFF_TUN_EXCL.
	for _, tc := range []rtnl.Tuntap{
		{Name: "dup0", Mode: rtnl.TuntapTap},
		{Name: "dup0", Mode: rtnl.TuntapTun},
		{Name: "lo", Mode: rtnl.TuntapTun},
	} {
		_, err := c.AddTuntap(ctx, tc)
		if !errors.Is(err, rtnl.ErrExist) || !errors.Is(err, unix.EBUSY) {
			t.Errorf("AddTuntap(%s, existing) error = %v; want ErrExist (EBUSY)", tc.Name, err)
		}
	}
	for _, tc := range []rtnl.Tuntap{
		{Name: "m0"},
		{Name: "m0", Mode: 3},
		{Name: "bad/name", Mode: rtnl.TuntapTun},
		{Name: "sixteen-bytes-xx", Mode: rtnl.TuntapTun},
		{Name: "o0", Mode: rtnl.TuntapTun, Owner: tunU32(^uint32(0))},
		{Name: "g0", Mode: rtnl.TuntapTun, Group: tunU32(^uint32(0))},
	} {
		_, err := c.AddTuntap(ctx, tc)
		var invalid *rtnl.InvalidError
		if !errors.As(err, &invalid) || !errors.Is(err, unix.EINVAL) {
			t.Errorf("AddTuntap(%+v) error = %v; want an InvalidError", tc, err)
		}
	}
	// The kernel creates no tun/tap over rtnetlink.
	err := c.AddLink(ctx, rtnl.Link{Name: "nl0", Info: &rtnl.LinkInfo{Kind: "tun"}})
	if !errors.Is(err, rtnl.ErrNotSupported) {
		t.Errorf("AddLink(kind tun) error = %v; want the kernel's ErrNotSupported", err)
	}
	err = c.AddLink(ctx, rtnl.Link{Name: "nl0", Info: &rtnl.LinkInfo{Data: &rtnl.Tun{Mode: rtnl.TuntapTap}}})
	if !errors.Is(err, unix.EINVAL) {
		t.Errorf("AddLink(Tun data) error = %v; want EINVAL before sending", err)
	}
	err = c.SetLink(ctx, mustLink(t, c, "dup0").Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Data: &rtnl.Tun{}}})
	if !errors.Is(err, unix.EINVAL) {
		t.Errorf("SetLink(Tun data) error = %v; want EINVAL before sending", err)
	}
	if _, err := c.AddTuntap(ctx, rtnl.Tuntap{Name: "late0", Mode: rtnl.TuntapTun}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteLinkByName(ctx, "late0"); err != nil {
		t.Fatal(err)
	}
	if after := string(ns.IP(t, "link", "show")); after != before {
		t.Errorf("failed requests changed the namespace:\n%s\nbecame\n%s", before, after)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.AddTuntap(cancelled, rtnl.Tuntap{Name: "ctx0", Mode: rtnl.TuntapTun}); !errors.Is(err, context.Canceled) {
		t.Errorf("AddTuntap(cancelled context) error = %v", err)
	}
}

// TestAddTuntapKeepsThreads checks that creating devices in other
// namespaces, from many goroutines at once, never moves a thread that runs
// other code: every goroutine checks its own thread's namespace around the
// calls.
func TestAddTuntapKeepsThreads(t *testing.T) {
	var nss []*testns.NS
	var conns []*rtnl.Conn
	for range 3 {
		ns := testns.New(t)
		nss, conns = append(nss, ns), append(conns, dial(t, ns))
	}
	own := func() string {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		var st unix.Stat_t
		if err := unix.Stat("/proc/thread-self/ns/net", &st); err != nil {
			t.Error(err)
		}
		return fmt.Sprint(st.Dev, st.Ino)
	}
	want := own()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				c := conns[(g+i)%len(conns)]
				name := fmt.Sprintf("g%di%d", g, i)
				if _, err := c.AddTuntap(context.Background(), rtnl.Tuntap{Name: name, Mode: rtnl.TuntapTap}); err != nil {
					t.Errorf("AddTuntap(%s): %v", name, err)
					return
				}
				if got := own(); got != want {
					t.Errorf("after AddTuntap(%s) the goroutine's thread is in namespace %s, want %s", name, got, want)
				}
			}
		}()
	}
	wg.Wait()
	n := 0
	for i, ns := range nss {
		var links []struct {
			Name string `json:"ifname"`
		}
		if err := json.Unmarshal(ns.IP(t, "-j", "link", "show"), &links); err != nil {
			t.Fatal(err)
		}
		for _, l := range links {
			if l.Name != "lo" {
				n++
				var g, j int
				if _, err := fmt.Sscanf(l.Name, "g%di%d", &g, &j); err != nil || (g+j)%len(conns) != i {
					t.Errorf("%s is in namespace %d", l.Name, i)
				}
			}
		}
	}
	if n != 8*5 {
		t.Errorf("%d devices in the namespaces, want %d", n, 8*5)
	}
}

func ExampleConn_AddTuntap() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	// ip -n blue tuntap add dev tap0 mode tap vnet_hdr user 1000
	uid := uint32(1000)
	if _, err := c.AddTuntap(ctx, rtnl.Tuntap{Name: "tap0", Mode: rtnl.TuntapTap, VnetHdr: true, Owner: &uid}); err != nil {
		fmt.Println(err)
		return
	}
	taps, err := c.Tuntaps(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range taps {
		b, _ := t.MarshalJSON()
		fmt.Printf("%s\n", bytes.TrimSpace(b))
	}
}
