package main

import (
	"strings"
	"testing"

	"github.com/nlkit/nlkit/examples/internal/extest"
	"github.com/nlkit/nlkit/internal/testns"
)

// TestErrors runs failing commands through ip and the example in twin
// namespaces: the message and the exit status must be ip's.
func TestErrors(t *testing.T) {
	ipNS, exNS := testns.New(t), testns.New(t)
	for _, ns := range []*testns.NS{ipNS, exNS} {
		ns.IP(t, "link", "add", "v0", "type", "veth", "peer", "v1")
		ns.IP(t, "addr", "add", "10.1.0.1/24", "dev", "v0")
	}
	for _, cmd := range []string{
		"addr add 10.1.0.1/24 dev v0",
		"link add v0 type veth",
		"link del nosuch",
		"link show nosuch",
		"route add 10.9.0.0/24 via 10.200.0.1",
		"route del 10.9.0.0/24",
		"addr del 10.1.0.9/24 dev v0",
		"foo",
		"link frob",
		"netns add " + ipNS.Name(),
		"netns del " + ipNS.Name() + "-gone",
		"netns pids " + ipNS.Name() + "-gone",
		"netns exec " + ipNS.Name() + "-gone true",
	} {
		args := strings.Fields(cmd)
		_, ipErr, err := runIP(t, ipNS.Name(), args, nil)
		ipCode := exitCode(err)
		_, exErr, exCode := runExample(exNS.Name(), args, nil)
		if string(exErr) != string(ipErr) || exCode != ipCode {
			t.Errorf("ip %s:\nip:      exit %d, %q\nexample: exit %d, %q", cmd, ipCode, ipErr, exCode, exErr)
		}
	}
}

// TestAbbreviations checks that the example reads abbreviated objects,
// commands and options as ip does, by comparing the output of each form
// with ip's. Under emulation only the JSON forms are compared, to keep the
// test quick there.
func TestAbbreviations(t *testing.T) {
	ns := testns.New(t)
	ns.IP(t, "link", "add", "v0", "type", "veth", "peer", "v1")
	ns.IP(t, "addr", "add", "10.1.0.1/24", "dev", "v0")
	ns.IP(t, "link", "set", "lo", "up")
	for _, cmd := range []string{
		"a", "addr sh", "address list dev v0", "-j a s v0", "r", "ro li", "-4 r", "-j -d r sh table all",
		"l", "li sh v0", "n", "neighbour", "-json -pretty link show v0", "-details -statistics -j link",
		"-br a", "-brief -j l", "-o a", "-f inet -j addr", "-family inet6 -j a", "-0 -j a", "m", "-j maddr show dev v0",
		"ru", "-j ru", "netns", "-j netns list-id", "-s -s -j link", "-j -s -s a",
		"-N a", "-N -j a", "-N -j r show table all", "-N r show table all", "-Numeric -j l",
	} {
		if testns.Emulated() && !strings.Contains(cmd, "-j") {
			// The text forms are the host's to check: they are quick there.
			t.Logf("under emulation, %q is not compared: the host run compares the text forms", cmd)
			continue
		}
		args := strings.Fields(cmd)
		want, _, err := runIP(t, ns.Name(), args, nil)
		if err != nil {
			t.Fatalf("ip -n %s %s: %v", ns.Name(), cmd, err)
		}
		got, stderr, code := runExample(ns.Name(), args, nil)
		if code != 0 {
			t.Errorf("example ip %s: exit %d: %s", cmd, code, stderr)
			continue
		}
		if withoutTimers(want) != withoutTimers(got) {
			t.Errorf("ip %s:\nip:      %s\nexample: %s", cmd, want, got)
		}
	}
}

// TestNetns manages a named namespace with the example and checks it with
// ip: add, set an nsid, list, list-id, exec, pids and delete.
func TestNetns(t *testing.T) {
	ns := testns.New(t)
	name := extest.Prefix(t)
	step := func(cmd string) []byte {
		t.Helper()
		out, stderr, code := runExample("", strings.Fields(cmd), nil)
		if code != 0 {
			t.Fatalf("example ip %s: exit %d: %s", cmd, code, stderr)
		}
		return out
	}
	same := func(cmd string) {
		t.Helper()
		args := strings.Fields(cmd)
		want, _, err := runIP(t, "", args, nil)
		if err != nil {
			t.Fatalf("ip %s: %v", cmd, err)
		}
		if got := step(cmd); string(got) != string(want) {
			t.Errorf("ip %s:\nip:      %s\nexample: %s", cmd, want, got)
		}
	}
	step("netns add " + name)
	t.Cleanup(func() { runIP(t, "", []string{"netns", "del", name}, nil) })
	step("-n " + ns.Name() + " netns set " + name + " 7")
	same("-n " + ns.Name() + " -j netns list-id")
	same("-n " + ns.Name() + " netns list-id")
	same("-j netns list")
	same("netns exec " + name + " ip -j link show")
	same("netns pids " + name)
	step("netns del " + name)
	if extest.Exists(name) {
		t.Errorf("netns del %s left the namespace", name)
	}
}

// TestMaddr adds and deletes a multicast address with the example and
// reads it back with ip.
func TestMaddr(t *testing.T) {
	ns := testns.New(t)
	ns.IP(t, "link", "add", "v0", "type", "veth", "peer", "v1")
	step := func(cmd string) {
		t.Helper()
		if _, stderr, code := runExample(ns.Name(), strings.Fields(cmd), nil); code != 0 {
			t.Fatalf("example ip %s: exit %d: %s", cmd, code, stderr)
		}
	}
	step("maddr add 01:00:5e:00:00:42 dev v0")
	if out := ns.IP(t, "maddr", "show", "dev", "v0"); !strings.Contains(string(out), "01:00:5e:00:00:42 static") {
		t.Errorf("ip maddr show after add:\n%s", out)
	}
	for _, show := range []string{"maddr show dev v0", "-j maddr show dev v0"} {
		want, stderr, err := runIP(t, ns.Name(), strings.Fields(show), nil)
		if err != nil {
			t.Fatalf("ip %s: %v\n%s", show, err, stderr)
		}
		got, stderr, code := runExample(ns.Name(), strings.Fields(show), nil)
		if code != 0 {
			t.Fatalf("example ip %s: exit %d: %s", show, code, stderr)
		}
		if string(got) != string(want) {
			t.Errorf("ip %s:\nip:      %s\nexample: %s", show, want, got)
		}
	}
	step("maddr del 01:00:5e:00:00:42 dev v0")
	if out := ns.IP(t, "maddr", "show", "dev", "v0"); strings.Contains(string(out), "01:00:5e:00:00:42") {
		t.Errorf("ip maddr show after del:\n%s", out)
	}
}
