package xfrm_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/xfrm"
)

// monitor starts a monitor of ns and returns its events on a channel,
// until the test ends.
func monitor(t *testing.T, c *xfrm.Conn, groups ...xfrm.Group) <-chan xfrm.Event {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	// The probe policy's events show the subscription is live.
	probe := xfrm.Policy{Selector: xfrm.Selector{Dst: netip.MustParsePrefix("198.51.100.0/24")}, Dir: xfrm.DirFwd}
	ready := make(chan struct{})
	events := make(chan xfrm.Event, 64)
	done := make(chan struct{})
	go func() {
		defer close(done)
		first := true
		// The probe policy's events show the subscription is live before
		// the test goes on; they are not passed on.
		for ev, err := range c.Monitor(ctx, groups...) {
			if err != nil {
				if ctx.Err() == nil {
					t.Errorf("monitor: %v", err)
				}
				return
			}
			if ev.Policy != nil && ev.Policy.Selector.Dst == probe.Selector.Dst {
				if first {
					first = false
					close(ready)
				}
				continue
			}
			events <- ev
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	deadline := time.After(10 * time.Second)
	for {
		if err := c.UpdatePolicy(context.Background(), probe); err != nil {
			t.Fatal(err)
		}
		select {
		case <-ready:
			return events
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			t.Fatal("the monitor saw no event")
		}
	}
}

// nextEvent waits for the next event of the type.
func nextEvent(t *testing.T, events <-chan xfrm.Event, typ xfrm.EventType, wait time.Duration) xfrm.Event {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case ev := <-events:
			if ev.Type == typ {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %v event within %v", typ, wait)
		}
	}
}

// TestMonitorPolicies checks the events of adding, updating, deleting and
// flushing policies, and a policy's soft then hard expire.
func TestMonitorPolicies(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	events := monitor(t, c, xfrm.GroupPolicy, xfrm.GroupExpire)
	p := xfrm.Policy{Selector: xfrm.Selector{Src: netip.MustParsePrefix("10.1.0.0/16"), Dst: netip.MustParsePrefix("10.2.0.0/16")},
		Dir: xfrm.DirOut, Templates: []xfrm.Template{{Src: netip.MustParseAddr("192.0.2.1"), Dst: netip.MustParseAddr("192.0.2.2"),
			Proto: xfrm.ProtoESP, Mode: xfrm.ModeTunnel}}}
	if err := c.AddPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	ev := nextEvent(t, events, xfrm.EventNewPolicy, 5*time.Second)
	if ev.Policy == nil || ev.Policy.Selector.Src != p.Selector.Src || len(ev.Policy.Templates) != 1 {
		t.Errorf("new policy event %+v", ev.Policy)
	}
	p.Priority = 5
	if err := c.UpdatePolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, events, xfrm.EventUpdPolicy, 5*time.Second); ev.Policy.Priority != 5 {
		t.Errorf("updated policy event %+v", ev.Policy)
	}
	if err := c.DeletePolicy(ctx, p.ID()); err != nil {
		t.Fatal(err)
	}
	ev = nextEvent(t, events, xfrm.EventDelPolicy, 5*time.Second)
	if ev.Policy == nil || ev.Policy.Selector.Dst != p.Selector.Dst || ev.Policy.Dir != xfrm.DirOut {
		t.Errorf("deleted policy event %+v", ev.Policy)
	}
	b, err := json.Marshal(ev)
	if err != nil || !json.Valid(b) {
		t.Errorf("event JSON %s: %v", b, err)
	}
	if err := c.FlushPolicies(ctx, xfrm.PolicyMain); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, events, xfrm.EventFlushPolicy, 5*time.Second); ev.FlushType != xfrm.PolicyMain {
		t.Errorf("flush event %+v", ev)
	}
	// A policy that expires softly two seconds after it is added, hard
	// two seconds later: the kernel counts in whole seconds, and a slow VM
	// must not merge the two.
	p.Lifetime = xfrm.LifetimeConfig{SoftAddExpires: 2, HardAddExpires: 4}
	if err := c.AddPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, events, xfrm.EventPolicyExpire, 10*time.Second); ev.Hard || ev.Policy.Selector.Src != p.Selector.Src {
		t.Errorf("first policy expire: hard %v, policy %+v; want soft", ev.Hard, ev.Policy)
	}
	if ev := nextEvent(t, events, xfrm.EventPolicyExpire, 10*time.Second); !ev.Hard {
		t.Errorf("second policy expire: hard %v; want hard", ev.Hard)
	}
}

// TestMonitorCancel checks that the monitor returns when its context is
// cancelled.
func TestMonitorCancel(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	for _, err := range c.Monitor(ctx) {
		if err == nil {
			t.Fatal("an event in an idle namespace")
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("monitor ended with %v, not its context's error", err)
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the monitor took %v to notice its context", d)
	}
}

// TestMonitorStateExpire checks that a state with a short lifetime yields
// a soft, then a hard expire, after its new-state event.
func TestMonitorStateExpire(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	// The kernel checks lifetimes from a timer that a slow VM can delay
	// past both limits, when it reports the hard expire alone. Making the
	// cipher's first instance beforehand keeps the timer on time.
	warm := xfrm.State{Src: netip.MustParseAddr("10.0.0.3"), Dst: netip.MustParseAddr("10.0.0.4"), Proto: xfrm.ProtoESP,
		SPI: 0x43, Mode: xfrm.ModeTunnel, Enc: &xfrm.Algorithm{Name: "cipher_null"}}
	addOrSkip(t, c, warm)
	events := monitor(t, c)
	s := xfrm.State{Src: netip.MustParseAddr("10.0.0.1"), Dst: netip.MustParseAddr("10.0.0.2"), Proto: xfrm.ProtoESP,
		SPI: 0x42, Mode: xfrm.ModeTunnel, Enc: &xfrm.Algorithm{Name: "cipher_null"},
		Lifetime: xfrm.LifetimeConfig{SoftAddExpires: 2, HardAddExpires: 5}}
	addOrSkip(t, c, s)
	if ev := nextEvent(t, events, xfrm.EventNewState, 5*time.Second); ev.State == nil || ev.State.SPI != 0x42 {
		t.Errorf("new state event %+v", ev.State)
	}
	if ev := nextEvent(t, events, xfrm.EventExpire, 10*time.Second); ev.Hard || ev.State.SPI != 0x42 {
		t.Errorf("first expire: hard %v, state %+v; want soft", ev.Hard, ev.State)
	}
	if ev := nextEvent(t, events, xfrm.EventExpire, 10*time.Second); !ev.Hard || ev.State.SPI != 0x42 {
		t.Errorf("second expire: hard %v; want hard", ev.Hard)
	}
	// update, delete and flush events.
	ctx := context.Background()
	s.Lifetime = xfrm.LifetimeConfig{}
	addOrSkip(t, c, s)
	s.ReqID = 8
	if err := c.UpdateState(ctx, s); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, events, xfrm.EventUpdState, 5*time.Second); ev.State.ReqID != 8 {
		t.Errorf("update event %+v", ev.State)
	}
	if err := c.DeleteState(ctx, s.ID()); err != nil {
		t.Fatal(err)
	}
	ev := nextEvent(t, events, xfrm.EventDelState, 5*time.Second)
	if ev.State == nil || ev.State.SPI != 0x42 || ev.State.Dst != s.Dst || ev.State.Enc == nil || ev.State.Enc.Name != "ecb(cipher_null)" {
		t.Errorf("delete event %+v", ev.State)
	}
	checkJSON(t, ev, "event", "deleted", "src", "dst", "spi", "enc")
	addOrSkip(t, c, s)
	if err := c.DeleteState(ctx, warm.ID()); err != nil {
		t.Fatal(err)
	}
	if err := c.FlushStates(ctx, xfrm.ProtoESP); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, events, xfrm.EventFlushStates, 5*time.Second); ev.FlushProto != xfrm.ProtoESP {
		t.Errorf("flush event %+v", ev)
	}
}
