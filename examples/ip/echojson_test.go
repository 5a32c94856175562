package main

import (
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestEchoJSON runs changes with -j -echo through ip and the example in
// twin namespaces: each must print what ip prints of the object the kernel
// sends back (an empty object when it sends none, nothing for the objects
// ip asks no echo of), compact, with -p and with -d, and change what ip
// changes.
func TestEchoJSON(t *testing.T) {
	ipNS, exNS := testns.New(t), testns.New(t)
	for _, ns := range []*testns.NS{ipNS, exNS} {
		ns.IPBatch(t, "link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02",
			"link set v0 up", "link set lo up")
	}
	for _, cmd := range []string{
		"-j -echo addr add 10.44.0.1/24 dev v0",
		"-j -echo -br addr add 10.44.1.1/24 dev v0",
		"-j -d -s -echo addr change 10.44.0.1/24 dev v0 valid_lft 100 preferred_lft 50",
		"-j -echo addr add 2001:db8::1/64 dev v0 nodad",
		"-j -echo route add 10.45.0.0/24 via 10.44.0.254",
		"-j -d -echo route replace 10.45.0.0/24 via 10.44.0.253",
		"-j -p -echo route del 10.45.0.0/24",
		"-j -echo route add 2001:db8:1::/64 via 2001:db8::2",
		"-j -echo rule add pref 1234 lookup 12",
		"-j -p -echo rule del pref 1234",
		"-j -echo nexthop add id 77 blackhole",
		"-j -p -echo nexthop add id 78 via 10.44.0.2 dev v0",
		"-j -d -echo nexthop del id 78",
		"-j -echo nexthop del id 77",
		"-j -echo neigh add 10.44.0.9 lladdr 02:00:00:00:00:09 dev v0",
		"-j -echo link set v0 mtu 1400",
		"-j -p -echo link change dev v0 mtu 1300",
		"-j -p -echo link add d0 address 02:00:00:00:00:10 type veth peer name d1 address 02:00:00:00:00:11",
		"-j -d -echo link add br0 address 02:00:00:00:00:12 type bridge",
		"-j -echo link del br0",
		"-j -echo addr del 10.44.0.1/24 dev v0",
		"-j -echo addr add 10.44.0.1/24 dev nosuch",
		"-j -echo link del v0",
	} {
		args := strings.Fields(cmd)
		want, wantErr, err := runIP(t, ipNS.Name(), args, nil)
		ipCode := exitCode(err)
		got, gotErr, code := runExample(exNS.Name(), args, nil)
		if string(got) != string(want) || string(gotErr) != string(wantErr) || code != ipCode {
			t.Errorf("ip %s:\nip:      exit %d, %s%s\nexample: exit %d, %s%s", cmd, ipCode, want, wantErr, code, got, gotErr)
		}
	}
	for _, show := range []string{"-j -d addr show", "-j rule show", "-j route show table all"} {
		want, _, _ := runIP(t, ipNS.Name(), strings.Fields(show), nil)
		got, _, _ := runIP(t, exNS.Name(), strings.Fields(show), nil)
		if string(got) != string(want) {
			t.Errorf("ip %s after the changes:\nip made:      %s\nexample made: %s", show, want, got)
		}
	}
}
