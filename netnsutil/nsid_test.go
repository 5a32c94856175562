package netnsutil_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/netnsutil"
	"github.com/nlkit/nlkit/netnsutil/nstest"
)

// TestNSIDs assigns nsids in a test namespace (never in the host's) with
// nlkit and with ip, and compares the lists with ip's.
func TestNSIDs(t *testing.T) {
	view := nstest.New(t) // the namespace whose nsids are set and listed
	a, b, c, d := nstest.New(t), nstest.New(t), nstest.New(t), nstest.New(t)
	in := netnsutil.InNetNS(view.NetNS())

	listIDs := func() string {
		ids, err := netnsutil.ListIDs(ctx(t), in)
		if err != nil {
			t.Fatal(err)
		}
		return marshal(t, ids)
	}
	ipListIDs := func() string {
		return strings.TrimSuffix(string(ip(t, "-n", view.Name(), "-j", "netns", "list-id")), "\n")
	}
	if got := listIDs(); got != "[]" {
		t.Errorf("ListIDs in a fresh namespace = %s, want []", got)
	}
	if got, want := listIDs(), ipListIDs(); got != want {
		t.Errorf("fresh list-id: nlkit %s, ip %s", got, want)
	}

	if id, err := netnsutil.ID(ctx(t), a.Name(), in); err != nil || id != -1 {
		t.Errorf("ID before SetID = %d, %v; want -1", id, err)
	}
	if err := netnsutil.SetID(ctx(t), a.Name(), 7, in); err != nil {
		t.Fatalf("SetID: %v", err)
	}
	if id, err := netnsutil.ID(ctx(t), a.Name(), in); err != nil || id != 7 {
		t.Errorf("ID after SetID 7 = %d, %v", id, err)
	}
	// The host's namespace is untouched: a has no nsid there.
	if id, err := netnsutil.ID(ctx(t), a.Name()); err != nil || id != -1 {
		t.Errorf("ID in the host namespace = %d, %v; want -1", id, err)
	}

	auto, err := netnsutil.SetIDAuto(ctx(t), b.Name(), in)
	if err != nil {
		t.Fatalf("SetIDAuto: %v", err)
	}
	if auto < 0 || auto == 7 {
		t.Errorf("SetIDAuto = %d", auto)
	}
	if id, _ := netnsutil.ID(ctx(t), b.Name(), in); id != auto {
		t.Errorf("ID after SetIDAuto = %d, want %d", id, auto)
	}

	// ip's side: set by ip, seen by nlkit; auto by ip, too.
	ip(t, "-n", view.Name(), "netns", "set", c.Name(), "12")
	ip(t, "-n", view.Name(), "netns", "set", d.Name(), "auto")
	if id, _ := netnsutil.ID(ctx(t), c.Name(), in); id != 12 {
		t.Errorf("ID of what ip set to 12 = %d", id)
	}
	dID, _ := netnsutil.ID(ctx(t), d.Name(), in)
	if dID < 0 {
		t.Errorf("ID of what ip set to auto = %d", dID)
	}

	eventually(t, "ip -j netns list-id", func() (string, string) { return listIDs(), ipListIDs() })
	ids, err := netnsutil.ListIDs(ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	want := []netnsutil.PeerID{{7, -1, a.Name()}, {auto, -1, b.Name()}, {12, -1, c.Name()}, {dID, -1, d.Name()}}
	for _, w := range want {
		if !slices.Contains(ids, w) {
			t.Errorf("ListIDs = %v, want %v among them", ids, w)
		}
	}
	eventually(t, "ip -n VIEW -j netns list", func() (string, string) {
		list, err := netnsutil.List(ctx(t), in)
		if err != nil {
			t.Fatal(err)
		}
		return marshal(t, list), strings.TrimSuffix(string(ip(t, "-n", view.Name(), "-j", "netns", "list")), "\n")
	})

	// The kernel's refusals.
	if err := netnsutil.SetID(ctx(t), a.Name(), 8, in); !errors.Is(err, nlkit.ErrExist) {
		t.Errorf("SetID of a namespace with an nsid = %v, want ErrExist", err)
	} else {
		t.Logf("SetID again: %v", err)
	}
	e := nstest.New(t)
	if err := netnsutil.SetID(ctx(t), e.Name(), 7, in); !errors.Is(err, nlkit.ErrExist) {
		t.Errorf("SetID with a taken nsid = %v, want ErrExist", err)
	} else {
		t.Logf("SetID taken: %v", err)
	}
	if _, err := netnsutil.SetIDAuto(ctx(t), a.Name(), in); !errors.Is(err, nlkit.ErrExist) {
		t.Errorf("SetIDAuto of a namespace with an nsid = %v, want ErrExist", err)
	}
	for _, bad := range []int{-1, -7, 1 << 31} {
		if err := netnsutil.SetID(ctx(t), e.Name(), bad, in); err == nil {
			t.Errorf("SetID(%d) succeeded", bad)
		}
	}
	if id, _ := netnsutil.ID(ctx(t), e.Name(), in); id != -1 {
		t.Errorf("after the refusals, e has nsid %d", id)
	}
}

// TestVethPeersGetNSIDs checks nstest's veth pairs: the kernel gives each
// end's namespace an nsid for the other, which list-id shows as ip does.
func TestVethPeersGetNSIDs(t *testing.T) {
	ns := nstest.New(t, "p1", "p2")
	in := netnsutil.InNetNS(ns.NetNS())
	ids, err := netnsutil.ListIDs(ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, id := range ids {
		names = append(names, id.Name)
	}
	slices.Sort(names)
	if want := []string{ns.Peer("p1").Name(), ns.Peer("p2").Name()}; !slices.Equal(names, want) {
		t.Errorf("ListIDs names = %q, want %q", names, want)
	}
	if got, want := marshal(t, ids), strings.TrimSuffix(string(ip(t, "-n", ns.Name(), "-j", "netns", "list-id")), "\n"); got != want {
		t.Errorf("list-id: nlkit %s, ip %s", got, want)
	}
}

func TestClosedHandleOption(t *testing.T) {
	h, err := netnsutil.Current()
	if err != nil {
		t.Fatal(err)
	}
	h.Close()
	if _, err := netnsutil.ListIDs(ctx(t), netnsutil.InNetNS(h)); err == nil {
		t.Error("ListIDs with a closed handle succeeded")
	}
	if err := netnsutil.Do(h, func() error { return nil }); err == nil {
		t.Error("Do with a closed handle succeeded")
	}
	if err := netnsutil.Do(nil, func() error { return nil }); err == nil {
		t.Error("Do with a nil handle succeeded")
	}
}

// TestListTargetIDs lists the nsids of another namespace, with the listing
// namespace's own ids for the same peers, and compares with
// `ip -j netns list-id target-nsid`, name quirk included.
func TestListTargetIDs(t *testing.T) {
	view, target := nstest.New(t), nstest.New(t)
	p1, p2, p3 := nstest.New(t), nstest.New(t), nstest.New(t)
	inView := netnsutil.InNetNS(view.NetNS())
	inTarget := netnsutil.InNetNS(target.NetNS())
	set := func(ns *nstest.NS, id int, in netnsutil.Option) {
		t.Helper()
		if err := netnsutil.SetID(ctx(t), ns.Name(), id, in); err != nil {
			t.Fatal(err)
		}
	}
	set(target, 4, inView)
	set(p1, 10, inView)
	set(p3, 1, inView) // the view's 1 is p3 ...
	set(p1, 0, inTarget)
	set(p2, 1, inTarget) // ... the target's 1 is p2, which the view has no id for
	set(p3, 2, inTarget)

	ids, err := netnsutil.ListTargetIDs(ctx(t), 4, inView)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.TrimSuffix(string(ip(t, "-n", view.Name(), "-j", "netns", "list-id", "target-nsid", "4")), "\n")
	t.Logf("ip -j netns list-id target-nsid 4: %s", want)
	if got := marshal(t, ids); got != want {
		t.Errorf("list-id target-nsid 4:\nnlkit: %s\nip:    %s", got, want)
	}
	for _, w := range []netnsutil.PeerID{
		{NSID: 0, CurrentNSID: 10, Name: p1.Name()},
		{NSID: 1, CurrentNSID: -1, Name: p3.Name()}, // ip's lookup by the target's nsid
		{NSID: 2, CurrentNSID: 1, Name: p3.Name()},
	} {
		if !slices.Contains(ids, w) {
			t.Errorf("ListTargetIDs = %+v, want %+v among them", ids, w)
		}
	}

	if _, err := netnsutil.ListTargetIDs(ctx(t), 99, inView); err == nil {
		t.Error("ListTargetIDs of an unknown target succeeded")
	} else if _, ipErr := ipErr("-n", view.Name(), "-j", "netns", "list-id", "target-nsid", "99"); ipErr == nil {
		t.Errorf("ip accepts target 99, nlkit says %v", err)
	}
	if _, err := netnsutil.ListTargetIDs(ctx(t), -1, inView); err == nil {
		t.Error("ListTargetIDs(-1) succeeded")
	}
}
