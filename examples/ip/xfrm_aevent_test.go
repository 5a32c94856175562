package main

import (
	"context"
	"errors"
	"io"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/nlkit/nlkit/examples/internal/extest"
	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/xfrm"
)

// TestXfrmMonitorAEvent runs ip xfrm monitor aevent and the example's
// beside each other while nlkit sets ESP states' counters and thresholds
// (ip has no command for that): both must print the same text. It needs
// ESP, as TestXfrmState does.
func TestXfrmMonitorAEvent(t *testing.T) {
	tns := testns.New(t)
	ns := tns.Name()
	for _, cmd := range []string{
		"xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x2000 reqid 3 mode tunnel enc aes " + guideAES,
		"xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x2001 reqid 4 mode tunnel enc aes " + guideAES,
		"xfrm state add src fd::1 dst fd::2 proto esp spi 0x2002 mode transport enc aes " + guideAES,
	} {
		if _, stderr, err := runIP(t, ns, strings.Fields(cmd), nil); err != nil {
			if strings.Contains(string(stderr), "Requested type not found") {
				kfeature.Missing(t, espStates(), errors.New(string(stderr)))
			}
			t.Fatalf("ip %s: %v\n%s", cmd, err, stderr)
		}
	}
	c, err := xfrm.Dial(t.Context(), xfrm.WithNetNS(tns.FD()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var ipOut, exOut extest.Buffer
	ipMon := exec.CommandContext(ctx, "ip", "-n", ns, "xfrm", "monitor", "aevent")
	ipMon.Stdout = &ipOut
	if err := ipMon.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan int, 1)
	go func() { exited <- run(ctx, []string{"-n", ns, "xfrm", "monitor", "aevent"}, nil, &exOut, io.Discard) }()

	a := netip.MustParseAddr
	set := func(spi uint32, src, dst string, ae xfrm.AEvent) {
		t.Helper()
		ae.ID = xfrm.StateID{Src: a(src), Dst: a(dst), Proto: xfrm.ProtoESP, SPI: spi}
		if err := c.SetAEvent(ctx, ae); err != nil {
			t.Fatal(err)
		}
	}
	one, five := uint32(1), uint32(5)
	// Both monitors listen once both report the probe state, whose
	// threshold is set until they do.
	waitBoth := func(marker string, do func()) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			do()
			if strings.Contains(ipOut.String(), marker) && strings.Contains(exOut.String(), marker) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the monitors did not report %s:\nip:\n%s\nexample:\n%s", marker, ipOut.String(), exOut.String())
			}
		}
	}
	waitBoth("SPI 0x2000", func() { set(0x2000, "10.0.0.1", "10.0.0.2", xfrm.AEvent{ReplayThresh: &one}) })
	set(0x2001, "10.0.0.1", "10.0.0.2", xfrm.AEvent{Replay: &xfrm.Replay{Seq: 7, OSeq: 9}})
	set(0x2002, "fd::1", "fd::2", xfrm.AEvent{Lifetime: &xfrm.LifetimeCurrent{Bytes: 10}, ReplayThresh: &five})
	waitBoth("SPI 0x2002", func() {})
	cancel()
	ipMon.Wait()
	if code := <-exited; code != 0 {
		t.Errorf("the example's monitor exited with %d", code)
	}
	from := func(s string) string {
		i := strings.Index(s, "SPI 0x2001")
		return s[strings.LastIndex(s[:i], "Async event"):]
	}
	if want, got := from(ipOut.String()), from(exOut.String()); want != got {
		t.Errorf("ip xfrm monitor aevent printed:\n%s\nthe example:\n%s", want, got)
	}
}
