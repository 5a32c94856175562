package xfrm_test

import (
	"bufio"
	"context"
	"fmt"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/xfrm"
)

// policyEventKey names a policy event as ipPolicyLines does from ip xfrm
// monitor's text: the first line ("Updated "/"Deleted " and the
// selector's addresses), then the dir line; or the flush line.
func policyEventKey(ev xfrm.Event) string {
	if ev.Type == xfrm.EventFlushPolicy {
		return "Flushed policy ptype " + ev.FlushType.String()
	}
	p := ev.Policy
	if p == nil {
		return fmt.Sprintf("%v without a policy", ev.Type)
	}
	prefix := ""
	switch ev.Type {
	case xfrm.EventUpdPolicy:
		prefix = "Updated "
	case xfrm.EventDelPolicy:
		prefix = "Deleted "
	}
	unspec := "0.0.0.0/0"
	if p.Selector.Family == unix.AF_INET6 {
		unspec = "::/0"
	}
	str := func(pfx netip.Prefix) string {
		if pfx.IsValid() {
			return pfx.String()
		}
		return unspec
	}
	return fmt.Sprintf("%ssrc %s dst %s | dir %v priority %d ptype %v", prefix, str(p.Selector.Src), str(p.Selector.Dst),
		p.Dir, p.Priority, p.Type)
}

// ipPolicyLines reads ip xfrm monitor's text and sends each policy event's
// key (see policyEventKey) on the channel; events naming skip are left
// out, but the first of them closes seen.
func ipPolicyLines(sc *bufio.Scanner, keys chan<- string, skip string, seen chan<- struct{}) {
	defer close(keys)
	first, sawSkip := "", false
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "Flushed policy"):
			keys <- strings.TrimSpace(l)
		case !strings.HasPrefix(l, "\t"):
			first = strings.TrimSpace(l)
		case strings.HasPrefix(l, "\tdir ") && first != "":
			k := first + " | " + strings.TrimSpace(l)
			first = ""
			if !strings.Contains(k, skip) {
				keys <- k
			} else if !sawSkip {
				sawSkip = true
				close(seen)
			}
		}
	}
}

// TestMonitorPolicyParityWithIP runs ip xfrm monitor policy beside nlkit's
// monitor while a script of ip commands adds, updates, deletes and flushes
// policies of both families and both policy types: both must report the
// same events in the same order.
func TestMonitorPolicyParityWithIP(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", "-n", ns.Name(), "xfrm", "monitor", "policy")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	// monitor's probe policy (a fwd policy to 198.51.100.0/24, updated
	// until nlkit sees it) tells when ip listens too; neither side passes
	// its events on.
	const probe = "dst 198.51.100.0/24"
	keys, ipReady := make(chan string, 100), make(chan struct{})
	go ipPolicyLines(bufio.NewScanner(out), keys, probe, ipReady)
	events := monitor(t, c, xfrm.GroupPolicy)
	for ready := false; !ready; {
		ns.IP(t, "xfrm", "policy", "update", "dst", "198.51.100.0/24", "dir", "fwd")
		select {
		case <-ipReady:
			ready = true
		case <-time.After(200 * time.Millisecond):
		case <-ctx.Done():
			t.Fatal("ip xfrm monitor printed no event")
		}
	}

	ns.IPBatch(t,
		"xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out tmpl src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel",
		"xfrm policy update src 10.1.0.0/16 dst 10.2.0.0/16 dir out priority 5 tmpl src 192.0.2.1 dst 192.0.2.2 proto esp mode tunnel",
		"xfrm policy add dst 10.3.0.0/16 dir in",
		"xfrm policy add src 2001:db8::/64 dst 2001:db8:1::/64 dir fwd priority 7",
		"xfrm policy add src 10.4.0.0/16 dst 10.5.0.0/16 dir out ptype sub",
		"xfrm policy delete src 10.1.0.0/16 dst 10.2.0.0/16 dir out",
		"xfrm policy delete src 2001:db8::/64 dst 2001:db8:1::/64 dir fwd",
		"xfrm policy flush",
		"xfrm policy flush ptype sub",
		"xfrm policy add dst 203.0.113.0/24 dir out", // the end marker
	)
	const end = "src 0.0.0.0/0 dst 203.0.113.0/24 | dir out priority 0 ptype main"
	var fromIP, fromNlkit []string
	for k := ""; k != end; {
		select {
		case l, ok := <-keys:
			if !ok {
				t.Fatalf("ip xfrm monitor ended before the end marker; it printed %q", fromIP)
			}
			k = l
			fromIP = append(fromIP, k)
		case <-ctx.Done():
			t.Fatalf("no end marker from ip xfrm monitor; it printed %q", fromIP)
		}
	}
	for k := ""; k != end; {
		select {
		case ev := <-events:
			k = policyEventKey(ev)
			fromNlkit = append(fromNlkit, k)
		case <-ctx.Done():
			t.Fatalf("no end marker from nlkit's monitor; it gave %q", fromNlkit)
		}
	}
	if strings.Join(fromIP, "\n") != strings.Join(fromNlkit, "\n") {
		t.Errorf("nlkit's events:\n%s\nip xfrm monitor's:\n%s", strings.Join(fromNlkit, "\n"), strings.Join(fromIP, "\n"))
	}
	t.Logf("%d events, the same from ip xfrm monitor and nlkit:\n%s", len(fromIP), strings.Join(fromIP, "\n"))
}
