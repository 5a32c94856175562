package main

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nlkit/nlkit/examples/internal/extest"
	"github.com/nlkit/nlkit/internal/testns"
)

// monitorPair is one `ip monitor` command line run by ip and by the
// example at the same time.
type monitorPair struct {
	args    []string
	ip, ex  *extest.Buffer
	exStErr *extest.Buffer
}

// TestMonitor runs ip monitor and the example's side by side, with several
// sets of options at once, while a script changes links, addresses,
// routes, neighbours, rules, nexthops and nsids: from a start marker to an
// end marker, each pair must print the same text, timestamps aside.
func TestMonitor(t *testing.T) {
	ns, peer := testns.New(t), testns.New(t)
	// The links are made before the monitors start: the kernel reports a
	// new link's netconf before the link can be asked for, which ip then
	// names from its ioctl, and the example cannot.
	ns.IP(t, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	ns.IP(t, "link", "add", "bb0", "type", "bridge")
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	var pairs []*monitorPair
	var wg sync.WaitGroup
	for _, cmd := range []string{
		"monitor all",
		"-t monitor label link address route neigh rule nexthop netconf nsid",
		"-ts -d -s monitor all",
		"-o -4 monitor label dev lo",
		"-c monitor",
	} {
		p := &monitorPair{args: strings.Fields(cmd), ip: &extest.Buffer{}, ex: &extest.Buffer{}, exStErr: &extest.Buffer{}}
		pairs = append(pairs, p)
		ip := exec.CommandContext(ctx, "ip", append([]string{"-n", ns.Name()}, p.args...)...)
		// ip's errors are left out: looking up the names of nsids, ip asks
		// about every namespace under /run/netns, and reports those that
		// other tests remove meanwhile.
		ip.Stdout = p.ip
		if err := ip.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Add(2)
		go func() { defer wg.Done(); ip.Wait() }()
		go func() {
			defer wg.Done()
			run(ctx, append([]string{"-n", ns.Name()}, p.args...), nil, p.ex, p.exStErr)
		}()
	}
	defer wg.Wait()
	defer cancel()

	// Marker addresses on lo, which is down so that no routes follow,
	// until every monitor has printed one: all listen from then on.
	listening := func() bool {
		for _, p := range pairs {
			if !strings.Contains(p.ip.String(), "192.0.2.") || !strings.Contains(p.ex.String(), "192.0.2.") {
				return false
			}
		}
		return true
	}
	for i := 1; !listening(); i++ {
		if ctx.Err() != nil {
			t.Fatal("the monitors never printed a marker")
		}
		ns.IP(t, "address", "add", fmt.Sprintf("192.0.2.%d/32", i), "dev", "lo")
		time.Sleep(100 * time.Millisecond)
	}
	ns.IPBatch(t,
		"address add 198.51.100.1/32 dev lo",
		"link set v0 up",
		"address add 10.0.0.1/24 dev v0",
		"address add 2001:db8::1/64 dev v0 nodad",
		"link set v1 up",
		"link set lo up",
		"route add 192.168.1.0/24 via 10.0.0.254",
		"route add 2001:db8:1::/64 via 2001:db8::fe",
		"neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent",
		"neigh del 10.0.0.2 dev v0",
		"rule add pref 1000 from 10.1.0.0/16 lookup 100",
		"rule del pref 1000",
		"nexthop add id 10 via 10.0.0.254 dev v0",
		"route add 192.168.3.0/24 nhid 10",
		"nexthop del id 10",
		"netns set "+peer.Name()+" 7",
		"link set v1 master bb0", // the bridge's FDB entries are neighbour events
		"link set bb0 up",
		"link set v1 nomaster",
		"route del 192.168.1.0/24",
		"address del 10.0.0.1/24 dev v0",
		"link set v0 down",
		"link del v0",
		"link set lo down",
		"address add 198.51.100.2/32 dev lo",
	)
	// The markers are found without their length, which -c sets apart.
	const start, end = "198.51.100.1", "198.51.100.2"
	ended := func(s string) bool {
		i := strings.Index(s, end)
		return i >= 0 && strings.Contains(s[i:], "preferred_lft forever")
	}
	for _, p := range pairs {
		for !ended(p.ip.String()) || !ended(p.ex.String()) {
			if ctx.Err() != nil {
				t.Fatalf("ip %s: no end marker:\nip:\n%s\nexample:\n%s%s", strings.Join(p.args, " "), p.ip, p.ex, p.exStErr)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	for _, p := range pairs {
		want, got := between(p.ip.String(), start, end), between(p.ex.String(), start, end)
		if want != got {
			t.Errorf("ip %s:\nip:\n%s\nexample:\n%s", strings.Join(p.args, " "), want, got)
		}
		if n := strings.Count(want, "\n"); n < 10 {
			t.Errorf("ip %s printed %d lines; the script makes more", strings.Join(p.args, " "), n)
		}
	}
}

// timestamps matches ip monitor's -t lines and -ts prefixes.
var timestamps = regexp.MustCompile(`Timestamp: [^\n]* usec\n|\[\d{4}-\d\d-\d\dT[\d:.]+\] `)

// bridgeDetails matches the bridge settings lines of -d, which the example
// abridges (see the command's doc).
var bridgeDetails = regexp.MustCompile(`(?m)^    (bridge|bridge_slave) .*$`)

// between returns the output from the line of the start marker to the end
// of the end marker's record, its timestamps and bridge settings masked.
func between(s, start, end string) string {
	s = timestamps.ReplaceAllString(s, "TS ")
	s = bridgeDetails.ReplaceAllString(s, "    BRIDGE SETTINGS")
	i := strings.Index(s, start)
	j := strings.Index(s, end)
	if i < 0 || j < i {
		return s
	}
	i = strings.LastIndex(s[:i], "\n") + 1
	j += strings.Index(s[j:], "preferred_lft forever") + len("preferred_lft forever")
	return s[i:j]
}

// TestMonitorErrors checks ip monitor's errors: an unknown argument, a
// missing device, help.
func TestMonitorErrors(t *testing.T) {
	ns := testns.New(t)
	for _, cmd := range []string{"monitor frob", "monitor dev nosuch", "monitor help", "monitor dev", "-rc x monitor"} {
		args := strings.Fields(cmd)
		_, ipErr, err := runIP(t, ns.Name(), args, nil)
		ipCode := exitCode(err)
		_, exErr, exCode := runExample(ns.Name(), args, nil)
		if string(exErr) != string(ipErr) || exCode != ipCode {
			t.Errorf("ip %s:\nip:      exit %d, %q\nexample: exit %d, %q", cmd, ipCode, ipErr, exCode, exErr)
		}
	}
}
