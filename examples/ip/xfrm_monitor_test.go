package main

import (
	"context"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/nlkit/nlkit/examples/internal/extest"
	"github.com/nlkit/nlkit/internal/testns"
)

// TestXfrmMonitor runs ip xfrm monitor and the example's beside each other
// while ip changes policies and states: both must print the same text.
func TestXfrmMonitor(t *testing.T) {
	ns := testns.New(t).Name()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var ipOut, exOut extest.Buffer
	ipMon := exec.CommandContext(ctx, "ip", "-n", ns, "xfrm", "monitor")
	ipMon.Stdout = &ipOut
	if err := ipMon.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan int, 1)
	go func() { exited <- run(ctx, []string{"-n", ns, "xfrm", "monitor"}, nil, &exOut, io.Discard) }()

	ip := func(args ...string) {
		t.Helper()
		if _, stderr, err := runIP(t, ns, args, nil); err != nil {
			t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, stderr)
		}
	}
	// Both monitors listen once both see a policy that is updated until
	// they do; what they print from the next event on must agree.
	waitBoth := func(marker string) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if strings.Contains(ipOut.String(), marker) && strings.Contains(exOut.String(), marker) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("the monitors did not report %s:\nip:\n%s\nexample:\n%s", marker, ipOut.String(), exOut.String())
			}
			ip("xfrm", "policy", "update", "src", marker, "dir", "in")
		}
	}
	waitBoth("10.9.9.0/24")
	ip("xfrm", "policy", "add", "src", "10.9.8.0/24", "dir", "in")
	for _, cmd := range []string{
		"xfrm policy add src 10.0.1.0/24 dst 10.0.2.0/24 proto tcp dport 22 dir out tmpl src 10.0.0.1 dst 10.0.0.2 proto esp mode tunnel mark 7",
		"xfrm policy update src 10.0.1.0/24 dst 10.0.2.0/24 proto tcp dport 22 dir out priority 4 action block mark 7",
		"xfrm policy delete src 10.0.1.0/24 dst 10.0.2.0/24 proto tcp dport 22 dir out mark 7",
		"xfrm policy add src fd00::/64 dst fd01::/64 dir fwd ptype sub",
		"xfrm policy flush ptype sub",
		"xfrm state flush proto esp",
	} {
		ip(strings.Fields(cmd)...)
	}
	waitBoth("10.9.7.0/24")
	cancel()
	ipMon.Wait()
	if code := <-exited; code != 0 {
		t.Errorf("the example's monitor exited with %d", code)
	}
	from := func(s string) string { return s[strings.Index(s, "src 10.9.8.0/24"):] }
	if want, got := from(ipOut.String()), from(exOut.String()); want != got {
		t.Errorf("ip xfrm monitor printed:\n%s\nthe example:\n%s", want, got)
	}
}
