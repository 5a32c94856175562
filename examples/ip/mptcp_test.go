package main

import (
	"bytes"
	"context"
	"net/netip"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nlkit/nlkit/internal/nsthread"
	"github.com/nlkit/nlkit/internal/testns"
)

// TestMptcp adds, changes and deletes MPTCP endpoints and sets the limits
// with ip and with the example, and compares the endpoints and the
// outputs.
func TestMptcp(t *testing.T) {
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds: []string{
			"host link add v0 type veth peer v1",
			"host mptcp endpoint add 10.0.0.1 dev v0 id 5 signal port 8080",
			"host mptcp endpoint add 10.0.0.2 id 1 subflow backup",
			"host mptcp endpoint add 2001:db8::1 dev v1 subflow fullmesh",
			"host mptcp endpoint add 10.0.0.3 id 9 signal",
			"host mptcp endpoint change id 1 nobackup fullmesh",
			"host mptcp endpoint change 10.0.0.1 port 8080 backup",
			"host mptcp endpoint delete id 9",
			"host mptcp limits set subflows 4 add_addr_accepted 3",
			"host mptcp limits set subflows 2",
			"host -j mptcp endpoint show id 5 =",
		},
	}, "mptcp endpoint", "mptcp endpoint show", "-j mptcp endpoint", "-j -p mptcp endpoint show",
		"mptcp endpoint show id 5", "-j mptcp endpoint show id 1", "mptcp limits", "-j mptcp limits show")
	replayObject(t, scenario{
		roles: []string{"host"},
		cmds:  []string{"host mptcp endpoint add 10.0.0.2 subflow", "host mptcp endpoint flush"},
	}, "mptcp endpoint", "-j mptcp endpoint")
}

// TestMptcpErrors checks the example's errors for mptcp against ip's.
func TestMptcpErrors(t *testing.T) {
	sameErrors(t, []string{"link add v0 type veth peer v1", "mptcp endpoint add 10.0.0.1 dev v0 id 5 signal"},
		"mptcp endpoint show id 77", "mptcp limits set subflows 100", "mptcp limits set x 1", "mptcp limits set subflows x",
		"mptcp endpoint add 10.0.0.1 dev v0 id 5", "mptcp endpoint add 10.0.0.9 signal fullmesh", "mptcp endpoint add 10.0.0.9 port 80",
		"mptcp endpoint add dev v0", "mptcp endpoint add zz", "mptcp endpoint add 10.0.0.9 dev nosuch", "mptcp endpoint add 10.0.0.9 id 300",
		"mptcp endpoint delete 10.0.0.9", "mptcp endpoint delete id 5 10.0.0.1", "mptcp endpoint delete id 0", "mptcp endpoint delete id 99",
		"mptcp endpoint change id 5 signal", "mptcp endpoint change id 5 port 8", "mptcp endpoint change id 99 backup",
		"mptcp", "mptcp frob", "mptcp endpoint frob", "mptcp limits frob", "mptcp monitor x", "mptcp help")
}

// TestMptcpMonitor runs ip mptcp monitor and the example's side by side
// while an MPTCP connection is made and closed in the namespace, and
// compares the events they print.
func TestMptcpMonitor(t *testing.T) {
	ns := testns.New(t)
	ns.IP(t, "link", "set", "lo", "up")
	ipMon := exec.Command("ip", "-n", ns.Name(), "mptcp", "monitor")
	var ipOut bytes.Buffer
	ipMon.Stdout = &ipOut
	if err := ipMon.Start(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var exOut, exErr bytes.Buffer
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		run(ctx, []string{"-n", ns.Name(), "mptcp", "monitor"}, nil, &exOut, &exErr)
	}()
	// Let both join the group: the example takes a while under emulation.
	settle := 300 * time.Millisecond
	if testns.Emulated() {
		settle = 3 * time.Second
	}
	time.Sleep(settle)
	if err := nsthread.Do(ns.FD(), func() error {
		return loopbackTCP(netip.MustParseAddr("127.0.0.1"), netip.Addr{}, true)
	}); err != nil {
		t.Fatalf("MPTCP connection in %s: %v", ns.Name(), err)
	}
	time.Sleep(settle)
	cancel()
	wg.Wait()
	ipMon.Process.Kill()
	ipMon.Wait()
	if !strings.Contains(ipOut.String(), "CREATED") {
		t.Fatalf("ip mptcp monitor saw no connection:\n%s", ipOut.String())
	}
	// The two ends of the connection close at once: their events may
	// reach the two listeners in different orders, so the order is
	// compared per connection (token).
	if diff := cmp.Diff(eventsByToken(ipOut.String()), eventsByToken(exOut.String())); diff != "" {
		t.Errorf("ip mptcp monitor (-ip +example), per connection:\n%s\nip:      %s\nexample: %s%s", diff, ipOut.String(), exOut.String(), exErr.String())
	}
}

// eventsByToken groups the lines of ip mptcp monitor's output by the
// token of their connection, each group in the order printed.
func eventsByToken(out string) map[string][]string {
	events := make(map[string][]string)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		token := ""
		if _, after, ok := strings.Cut(line, "token="); ok {
			token, _, _ = strings.Cut(after, " ")
		}
		events[token] = append(events[token], line)
	}
	return events
}
