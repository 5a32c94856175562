package main

import (
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestEcho runs changes with -echo through ip and the example in twin
// namespaces: each must print what ip prints of the object the kernel
// sends back, and change what ip changes.
func TestEcho(t *testing.T) {
	ipNS, exNS := testns.New(t), testns.New(t)
	for _, ns := range []*testns.NS{ipNS, exNS} {
		ns.IPBatch(t, "link add v0 type veth peer name v1", "link set v0 up", "link set lo up")
	}
	for _, cmd := range []string{
		"-echo addr add 10.44.0.1/24 dev v0",
		"-echo route add 10.45.0.0/24 via 10.44.0.254",
		"-echo route del 10.45.0.0/24 via 10.44.0.254",
		"-echo rule add pref 1234 lookup 12",
		"-echo rule del pref 1234",
		"-echo nexthop add id 77 blackhole",
		"-echo nexthop del id 77",
		"-echo neigh add 10.44.0.9 lladdr 02:00:00:00:00:09 dev v0",
		"-echo link set v0 mtu 1400",
		"-echo addr del 10.44.0.1/24 dev v0",
		"-echo link del v0",
		"-echo -j addr add 10.46.0.1/24 dev lo",
	} {
		args := strings.Fields(cmd)
		want, wantErr, err := runIP(t, ipNS.Name(), args, nil)
		if err != nil {
			t.Fatalf("ip %s: %v: %s", cmd, err, wantErr)
		}
		got, stderr, code := runExample(exNS.Name(), args, nil)
		if code != 0 {
			t.Errorf("example ip %s: exit %d: %s", cmd, code, stderr)
			continue
		}
		if strings.Contains(cmd, "-j") {
			// TestEchoJSON compares the JSON echoes; the changes are
			// checked at the end.
			continue
		}
		if withoutLinkAddrs(got) != withoutLinkAddrs(want) {
			t.Errorf("ip %s:\nip:      %q\nexample: %q", cmd, want, got)
		}
	}
	for _, show := range []string{"-j -4 addr show", "-j rule show"} {
		want, _, _ := runIP(t, ipNS.Name(), strings.Fields(show), nil)
		got, _, _ := runIP(t, exNS.Name(), strings.Fields(show), nil)
		if string(got) != string(want) {
			t.Errorf("ip %s after the changes:\nip made:      %s\nexample made: %s", show, want, got)
		}
	}
}
