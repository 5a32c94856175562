package nlconn

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
)

func subscribe(t *testing.T, ns *testns.NS, cfg SubscribeConfig) *Subscription {
	t.Helper()
	cfg.NetNS = ns.FD()
	sub, err := Subscribe(context.Background(), unix.NETLINK_ROUTE, cfg)
	if err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	t.Cleanup(func() { sub.Close() })
	return sub
}

// next returns the first notification of type typ.
func next(t *testing.T, sub *Subscription, typ uint16) Notification {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for n, err := range sub.Notifications(ctx) {
		if err != nil {
			t.Fatalf("waiting for a message of type %d: %v", typ, err)
		}
		if n.Type == typ {
			n.Data = append([]byte(nil), n.Data...)
			return n
		}
	}
	t.Fatalf("notifications ended before a message of type %d", typ)
	return Notification{}
}

func TestSubscriptionReceivesItsNamespaceGroups(t *testing.T) {
	ns := testns.New(t)
	other := testns.New(t)
	sub := subscribe(t, ns, SubscribeConfig{Groups: []uint32{unix.RTNLGRP_LINK}})

	other.IP(t, "link", "add", "elsewhere", "type", "veth", "peer", "name", "elsewhere1")
	ns.IP(t, "link", "add", "here", "type", "veth", "peer", "name", "here1")
	n := next(t, sub, unix.RTM_NEWLINK)
	if !strings.Contains(string(n.Data), "here") || strings.Contains(string(n.Data), "elsewhere") {
		t.Errorf("first RTM_NEWLINK is not about a link of the subscription's namespace: %q", n.Data)
	}
	if n.NSID != NoNSID {
		t.Errorf("NSID = %d without ListenAllNSID; want NoNSID", n.NSID)
	}
	// The subscription reads again after an iteration ended.
	ns.IP(t, "link", "del", "here")
	next(t, sub, unix.RTM_DELLINK)
}

func TestSubscriptionListenAllNSID(t *testing.T) {
	ns := testns.New(t)
	peer := testns.New(t)
	ns.IP(t, "netns", "set", peer.Name(), "7")
	sub := subscribe(t, ns, SubscribeConfig{Groups: []uint32{unix.RTNLGRP_LINK}, ListenAllNSID: true})

	peer.IP(t, "link", "add", "there", "type", "veth", "peer", "name", "there1")
	n := next(t, sub, unix.RTM_NEWLINK)
	if n.NSID != 7 {
		t.Errorf("NSID of a peer namespace's notification = %d; want 7", n.NSID)
	}
	ns.IP(t, "link", "add", "here", "type", "veth", "peer", "name", "here1")
	for n.NSID != NoNSID {
		n = next(t, sub, unix.RTM_NEWLINK)
	}
	if !strings.Contains(string(n.Data), "here") {
		t.Errorf("a notification without nsid is not about the own namespace: %q", n.Data)
	}
}

// flood adds (or deletes) 500 addresses on lo in ns.
func flood(t *testing.T, ns *testns.NS, op string) {
	t.Helper()
	var batch strings.Builder
	for i := range 500 {
		fmt.Fprintf(&batch, "address %s 10.1.%d.%d/32 dev lo\n", op, i/200, i%200+1)
	}
	ns.IPBatch(t, batch.String())
}

func TestSubscriptionReportsOverrun(t *testing.T) {
	ns := testns.New(t)
	sub := subscribe(t, ns, SubscribeConfig{Groups: []uint32{unix.RTNLGRP_IPV4_IFADDR}, ReceiveBuffer: 4096})
	ns.IP(t, "link", "set", "lo", "up")
	flood(t, ns, "add")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	overruns, after := 0, 0
	for n, err := range sub.Notifications(ctx) {
		if errors.Is(err, ErrOverrun) {
			if !errors.Is(err, unix.ENOBUFS) {
				t.Errorf("ErrOverrun does not match ENOBUFS")
			}
			overruns++
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if n.Type == unix.RTM_NEWADDR && overruns > 0 {
			after++
			break
		}
	}
	if overruns != 1 || after != 1 {
		t.Errorf("got %d overruns and %d messages after; want one overrun, then the queued messages", overruns, after)
	}

	// The kernel reports the next loss only once the queue was emptied.
	if err := sub.Discard(); err != nil {
		t.Fatalf("Discard: %v", err)
	}
	flood(t, ns, "del")
	for _, err := range sub.Notifications(ctx) {
		if !errors.Is(err, ErrOverrun) {
			t.Errorf("after Discard and a second flood, the first notification is %v; want ErrOverrun", err)
		}
		break
	}
}

func TestSubscriptionCancelEndsReceive(t *testing.T) {
	ns := testns.New(t)
	sub := subscribe(t, ns, SubscribeConfig{Groups: []uint32{unix.RTNLGRP_LINK}})
	for _, deadline := range []bool{false, true} {
		ctx, cancel := context.WithCancel(context.Background())
		want := context.Canceled
		if deadline {
			want = context.DeadlineExceeded
			ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
		} else {
			time.AfterFunc(50*time.Millisecond, cancel)
		}
		start := time.Now()
		var got error
		for _, err := range sub.Notifications(ctx) {
			got = err
		}
		cancel()
		// A bound of liveness (the receive ends rather than wait for a
		// notification), not of speed: generous for a loaded machine.
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("the receive returned %v after the start, 50ms after the context was done: want it to end once the context is done", took)
		}
		if !errors.Is(got, want) {
			t.Errorf("last error = %v; want the context's %v", got, want)
		}
	}
	// No deadline is left behind.
	ns.IP(t, "link", "add", "x", "type", "veth", "peer", "name", "y")
	next(t, sub, unix.RTM_NEWLINK)
}

// FuzzParseNSID feeds arbitrary control messages to parseNSID: it returns
// an id or NoNSID, never panics.
func FuzzParseNSID(f *testing.F) {
	oob := make([]byte, unix.CmsgSpace(4))
	h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
	h.Level, h.Type = unix.SOL_NETLINK, unix.NETLINK_LISTEN_ALL_NSID
	h.SetLen(unix.CmsgLen(4))
	oob[unix.CmsgLen(0)] = 7
	f.Add(oob)
	f.Fuzz(func(t *testing.T, b []byte) {
		parseNSID(b)
	})
}

func TestParseNSID(t *testing.T) {
	oob := make([]byte, unix.CmsgSpace(4))
	h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
	h.Level, h.Type = unix.SOL_NETLINK, unix.NETLINK_LISTEN_ALL_NSID
	h.SetLen(unix.CmsgLen(4))
	oob[unix.CmsgLen(0)] = 7
	if id := parseNSID(oob); id != 7 {
		t.Errorf("parseNSID = %d; want 7", id)
	}
	if id := parseNSID(oob[:3]); id != NoNSID {
		t.Errorf("parseNSID of a truncated message = %d; want NoNSID", id)
	}
	h.Type = unix.NETLINK_PKTINFO
	if id := parseNSID(oob); id != NoNSID {
		t.Errorf("parseNSID of another control message = %d; want NoNSID", id)
	}
}
