package main

import (
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestNeighDetails compares the text of ip neigh show, with -d and -s,
// for entries with flags (router, extern_learn, proxy) and a reference
// count, as ip 6.1 writes it.
func TestNeighDetails(t *testing.T) {
	ns := testns.New(t)
	for _, cmd := range []string{
		"link add eth0 type veth peer eth0p",
		"link set eth0 up",
		"neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev eth0 nud reachable",
		"neigh add 10.0.0.8 lladdr 02:00:00:00:00:08 dev eth0 router extern_learn",
		"neigh add proxy 10.0.0.9 dev eth0",
		"-6 neigh add 2001:db8::7 lladdr 02:00:00:00:00:07 dev eth0",
	} {
		ns.IP(t, strings.Fields(cmd)...)
	}
	for _, show := range []string{
		"neigh show", "-d neigh show", "-d -s neigh show", "-d neigh show proxy", "-j -d neigh show proxy", "-d -6 neigh show",
	} {
		args := strings.Fields(show)
		eventually(t, func() string {
			want, _, err := runIP(t, ns.Name(), args, nil)
			if err != nil {
				t.Fatalf("ip %s: %v", show, err)
			}
			got, stderr, code := runExample(ns.Name(), args, nil)
			if code != 0 {
				t.Fatalf("example ip %s: exit %d: %s", show, code, stderr)
			}
			if string(want) != string(got) {
				return "ip " + show + ":\nip:      " + string(want) + "\nexample: " + string(got)
			}
			return ""
		})
	}
}
