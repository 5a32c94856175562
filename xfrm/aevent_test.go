package xfrm_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/xfrm"
)

// addCompState adds, with ip, a comp state of reqid 7 from 10.0.0.1 to
// 10.0.0.2, the kind of state the aevent tests use, and returns its id.
// The test skips where the kernel lacks IPComp (this host's kernel has no
// IPsec protocol at all; the VM kernels have them all).
func addCompState(t *testing.T, ns *testns.NS, spi uint32, extra ...string) xfrm.StateID {
	t.Helper()
	args := append([]string{"-n", ns.Name(), "xfrm", "state", "add", "src", "10.0.0.1", "dst", "10.0.0.2", "proto", "comp",
		"spi", fmt.Sprintf("%#x", spi), "reqid", "7", "mode", "tunnel", "comp", "deflate"}, extra...)
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		if strings.Contains(string(out), "Requested type not found") {
			kfeature.Missing(t, featIPComp, fmt.Errorf("ip: %s: %w", strings.TrimSpace(string(out)), unix.EPROTONOSUPPORT))
		}
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	a := netip.MustParseAddr
	return xfrm.StateID{Src: a("10.0.0.1"), Dst: a("10.0.0.2"), Proto: xfrm.ProtoComp, SPI: spi}
}

// TestAEvent reads the counters of a state ip added with replay-seq and
// replay-oseq, sets them and the thresholds with nlkit and checks that ip
// shows what was set.
func TestAEvent(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	id := addCompState(t, ns, 0x1000, "replay-seq", "5", "replay-oseq", "7")

	ae, err := c.GetAEvent(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	two, ten := uint32(2), uint32(10) // XFRM_AE_SEQT_SIZE, XFRM_AE_ETIME: the sysctls' defaults
	want := xfrm.AEvent{ID: xfrm.StateID{Src: id.Src, Dst: id.Dst, Proto: xfrm.ProtoComp, SPI: id.SPI}, ReqID: 7,
		Flags: xfrm.AEReplayThresh | xfrm.AETimerThresh, Replay: &xfrm.Replay{Seq: 5, OSeq: 7},
		Lifetime: ae.Lifetime, ReplayThresh: &two, TimerThresh: &ten}
	if ae.Lifetime == nil || ae.Lifetime.AddTime == 0 {
		t.Errorf("the aevent has no current lifetime with the add time: %+v", ae.Lifetime)
	}
	checkFields(t, "aevent", want, ae)
	checkJSON(t, ae, "src", "dst", "proto", "spi", "reqid", "flags", "replay", "lifetime_current", "replay_thresh", "etimer_thresh")

	nine := uint32(9)
	set := xfrm.AEvent{ID: id, Replay: &xfrm.Replay{Seq: 0x20, OSeq: 0x30, Bitmap: 3},
		Lifetime: &xfrm.LifetimeCurrent{Bytes: 1000, Packets: 10, AddTime: ae.Lifetime.AddTime}, ReplayThresh: &nine}
	if err := c.SetAEvent(ctx, set); err != nil {
		t.Fatal(err)
	}
	ip := string(ns.IP(t, "-s", "xfrm", "state", "show"))
	for _, w := range []string{"anti-replay context: seq 0x20, oseq 0x30, bitmap 0x00000003", "1000(bytes), 10(packets)"} {
		if !strings.Contains(ip, w) {
			t.Errorf("ip -s xfrm state show does not show %q:\n%s", w, ip)
		}
	}
	got, err := c.States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkStateText(t, ns, got)
	ae, err = c.GetAEvent(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want.Replay, want.Lifetime, want.ReplayThresh = set.Replay, set.Lifetime, &nine
	checkFields(t, "aevent after the set", want, ae)

	missing := id
	missing.SPI = 0x1001
	if _, err := c.GetAEvent(ctx, missing); !errors.Is(err, xfrm.ErrNotExist) {
		t.Errorf("get of a missing state's aevent: %v, want ErrNotExist", err)
	}
	if err := c.SetAEvent(ctx, xfrm.AEvent{ID: missing, ReplayThresh: &nine}); !errors.Is(err, xfrm.ErrNotExist) {
		t.Errorf("set of a missing state's aevent: %v, want ErrNotExist", err)
	}
	var inv *xfrm.InvalidError
	if err := c.SetAEvent(ctx, xfrm.AEvent{ID: id}); !errors.As(err, &inv) || !errors.Is(err, unix.EINVAL) {
		t.Errorf("set of nothing: %v, want an InvalidError", err)
	}
}

// TestMonitorAEventParityWithIP runs ip xfrm monitor aevent beside nlkit's
// monitor while nlkit sets states' counters: both must print the same
// text.
func TestMonitorAEventParityWithIP(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	probe := addCompState(t, ns, 0x2000)
	id := addCompState(t, ns, 0x2001)
	id6 := xfrm.StateID{Src: netip.MustParseAddr("2001:db8::1"), Dst: netip.MustParseAddr("2001:db8::2"), Proto: xfrm.ProtoComp, SPI: 0x2002}
	ns.IP(t, "xfrm", "state", "add", "src", "2001:db8::1", "dst", "2001:db8::2", "proto", "comp", "spi", "0x2002", "comp", "deflate")

	cmd := exec.CommandContext(ctx, "ip", "-n", ns.Name(), "xfrm", "monitor", "aevent")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text() + "\n"
		}
	}()
	events := monitor(t, c, xfrm.GroupAEvents, xfrm.GroupPolicy)
	one := uint32(1)
	// Set the probe state's threshold until ip reports it: ip listens.
	for ready := false; !ready; {
		if err := c.SetAEvent(ctx, xfrm.AEvent{ID: probe, ReplayThresh: &one}); err != nil {
			t.Fatal(err)
		}
		select {
		case l := <-lines:
			ready = strings.Contains(l, "SPI 0x2000")
		case <-time.After(200 * time.Millisecond):
		case <-ctx.Done():
			t.Fatal("ip xfrm monitor aevent printed nothing")
		}
	}
	for _, x := range []xfrm.AEvent{{ID: id, Replay: &xfrm.Replay{Seq: 3}}, {ID: id6, ReplayThresh: &one}} {
		if err := c.SetAEvent(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	var fromIP, fromNlkit strings.Builder
	started := false
	for !strings.Contains(fromIP.String(), "SPI 0x2002") {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("ip xfrm monitor ended; it printed %q", fromIP.String())
			}
			started = started || strings.HasPrefix(l, "Async event")
			if started {
				fromIP.WriteString(l)
			}
		case <-ctx.Done():
			t.Fatalf("ip printed no event of the state 0x2002: %q", fromIP.String())
		}
	}
	// ip's text up to the first event after the probe's holds the
	// probe's later events too: drop them as nlkit's are.
	ipText := dropProbe(fromIP.String(), "SPI 0x2000")
	for !strings.Contains(fromNlkit.String(), "SPI 0x2002") {
		ev := nextEvent(t, events, xfrm.EventAEvent, 10*time.Second)
		if ev.AEvent.ID.SPI != probe.SPI {
			fromNlkit.WriteString(ev.Text(xfrm.TextOptions{}))
		}
		if ev.AEvent.ID.SPI == id.SPI && !cmp.Equal(ev.AEvent.Replay, &xfrm.Replay{Seq: 3}) {
			t.Errorf("the event's replay state is %+v, want seq 3", ev.AEvent.Replay)
		}
	}
	checkText(t, "ip xfrm monitor aevent", ipText, fromNlkit.String())
}

// dropProbe drops the two-line events whose second line names the probe.
func dropProbe(s, probe string) string {
	l := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for i := 0; i < len(l); i++ {
		if i+1 < len(l) && strings.Contains(l[i+1], probe) {
			i++
			continue
		}
		b.WriteString(l[i])
	}
	return b.String()
}
