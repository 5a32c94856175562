package main

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nlkit/nlkit/examples/internal/extest"
	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
)

// encapFeature is the kernel feature of an encapsulation type: the release
// that brought its lightweight tunnel and the option that builds it.
func encapFeature(typ string) kfeature.Feature {
	f := kfeature.Feature{Name: typ + " lightweight tunnels"}
	switch typ {
	case "mpls":
		f.Since, f.Config = "4.3", []string{"CONFIG_MPLS_IPTUNNEL"}
	case "ip", "ip6":
		f.Since, f.Config = "4.3", []string{"CONFIG_NET_IP_TUNNEL"}
	case "seg6":
		f.Since, f.Config = "4.10", []string{"CONFIG_IPV6_SEG6_LWTUNNEL"}
	case "seg6local":
		f.Since, f.Config = "4.14", []string{"CONFIG_IPV6_SEG6_LWTUNNEL"}
	case "rpl":
		f.Since, f.Config = "5.7", []string{"CONFIG_IPV6_RPL_LWTUNNEL"}
	case "ioam6":
		f.Since, f.Config = "5.15", []string{"CONFIG_IPV6_IOAM6_LWTUNNEL"}
	case "xfrm":
		f.Since, f.Config = "5.17", []string{"CONFIG_XFRM_INTERFACE"}
	}
	return f
}

// TestRouteEncap adds routes and nexthops with each encapsulation through
// ip in one namespace and through the example in another, compares the
// state as ip -j -d route show and ip -j -d nexthop show read it, and the
// example's text and JSON of it with ip's. An encapsulation the kernel
// lacks skips its part, as kfeature decides. (The kernels answer ENODEV to
// an xfrm encapsulation, with or without an xfrm interface: ip's own
// request fails, so there is nothing to compare.)
func TestRouteEncap(t *testing.T) {
	ipNS, exNS := testns.New(t), testns.New(t)
	for _, ns := range []*testns.NS{ipNS, exNS} {
		for _, cmd := range []string{
			"link add eth0 type veth peer eth0p", "link set eth0 up", "link set eth0p up",
			"addr add 10.0.0.1/24 dev eth0", "addr add 2001:db8::1/64 dev eth0 nodad",
		} {
			ns.IP(t, strings.Fields(cmd)...)
		}
	}
	for _, tc := range []struct{ typ, cmd string }{
		{"ip", "route add 10.61.0.0/16 encap ip id 5 dst 10.0.0.9 ttl 3 tos 0x10 key dev eth0"},
		{"ip6", "-6 route add 2001:db8:61::/64 encap ip6 id 6 dst 2001:db8::9 hoplimit 3 tc 0x10 csum seq dev eth0"},
		{"ip", "route add 10.62.0.0/16 nexthop via 10.0.0.2 dev eth0 encap ip id 7 dst 10.0.0.8 nexthop via 10.0.0.3 dev eth0"},
		{"mpls", "route add 10.60.0.0/16 encap mpls 100/200 ttl 5 via 10.0.0.2 dev eth0"},
		{"mpls", "nexthop add id 20 encap mpls 400 via 10.0.0.2 dev eth0"},
		{"seg6", "-6 route add 2001:db8:60::/64 encap seg6 mode encap segs 2001:db8::5,2001:db8::6 dev eth0"},
		{"seg6", "-6 route add 2001:db8:63::/64 encap seg6 mode inline segs 2001:db8::5 hmac 10 dev eth0"},
		{"seg6", "route add 10.63.0.0/16 encap seg6 mode encap segs 2001:db8::5 dev eth0"},
		{"seg6local", "-6 route add 2001:db8:71::/64 encap seg6local action End.X nh6 2001:db8::2 dev eth0"},
		{"seg6local", "-6 route add 2001:db8:72::/64 encap seg6local action End.T table 100 dev eth0"},
		{"seg6local", "-6 route add 2001:db8:74::/64 encap seg6local action End.B6 srh segs 2001:db8::5,2001:db8::6 dev eth0"},
		{"seg6local", "-6 route add 2001:db8:75::/64 encap seg6local action End.B6.Encaps srh segs 2001:db8::5 hmac 3 dev eth0"},
		{"seg6local", "-6 route add 2001:db8:76::/64 encap seg6local action End.DX2 oif eth0 dev eth0"},
		{"seg6local", "-6 route add 2001:db8:77::/64 encap seg6local action End count dev eth0 metric 5"},
		{"ioam6", "-6 route add 2001:db8:80::/64 encap ioam6 trace prealloc type 0x800000 ns 1 size 12 dev eth0"},
		{"rpl", "-6 route add 2001:db8:81::/64 encap rpl segs 2001:db8::5,2001:db8::6 dev eth0"},
	} {
		if testns.Emulated() && (tc.typ == "ip" || tc.typ == "ip6") {
			// The host kernel has these: its run compares them.
			t.Logf("under emulation, %q is left to the host run", tc.cmd)
			continue
		}
		args := strings.Fields(tc.cmd)
		_, ipErr, err := runIP(t, ipNS.Name(), args, nil)
		if err != nil {
			if strings.Contains(string(ipErr), "lwt encapsulation type not supported") {
				kfeature.SkipPart(t, encapFeature(tc.typ), errors.New(string(ipErr)))
				continue
			}
			t.Fatalf("ip %s: %v\n%s", tc.cmd, err, ipErr)
		}
		if _, stderr, code := runExample(exNS.Name(), args, nil); code != 0 {
			t.Fatalf("example ip %s: exit %d\n%s", tc.cmd, code, stderr)
		}
	}
	for _, show := range []string{"-j -d route show table all", "-j -d nexthop show"} {
		args := append([]string{"-n"}, strings.Fields(show)...)
		want := extest.Stable(normalize(extest.JSON(t, "ip", append([]string{args[0], ipNS.Name()}, args[1:]...)...)))
		got := extest.Stable(normalize(extest.JSON(t, "ip", append([]string{args[0], exNS.Name()}, args[1:]...)...)))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ip %s: the example's state differs from ip's (-ip +example):\n%s", show, diff)
		}
	}
	shows := []string{
		"route show", "-6 route show", "-d route show table all", "-j route show", "-j -6 route show",
		"-s -6 route show", "-j -s -6 route show", "nexthop show", "-j nexthop show",
	}
	if testns.Emulated() {
		// Keep the test quick under emulation: these cover every key.
		shows = []string{"-s -d route show table all", "-j -s -6 route show", "nexthop show"}
	}
	for _, show := range shows {
		want, _, err := runIP(t, exNS.Name(), strings.Fields(show), nil)
		if err != nil {
			t.Fatal(err)
		}
		got, stderr, code := runExample(exNS.Name(), strings.Fields(show), nil)
		if code != 0 {
			t.Fatalf("example ip %s: exit %d\n%s", show, code, stderr)
		}
		if string(want) != string(got) {
			t.Errorf("ip %s:\nip:      %s\nexample: %s", show, want, got)
		}
	}
}

// TestMPLSRoutes replays MPLS routes (ip -M route: labels, `as to`,
// `via inet|inet6`, multipath, ttl-propagate) through ip and the example
// and compares what ip shows of them. The kernel must have MPLS routing:
// a kernel built without it skips the test, as kfeature decides.
func TestMPLSRoutes(t *testing.T) {
	if out, err := exec.Command("modprobe", "mpls_router").CombinedOutput(); err != nil {
		t.Logf("modprobe mpls_router: %v: %s", err, out)
	}
	ipNS, exNS := testns.New(t), testns.New(t)
	for _, ns := range []*testns.NS{ipNS, exNS} {
		out, err := exec.Command("ip", "netns", "exec", ns.Name(), "sysctl", "-qw", "net.mpls.platform_labels=1000").CombinedOutput()
		if err != nil {
			kfeature.Missing(t, kfeature.Feature{Name: "MPLS routes", Since: "4.1", Config: []string{"CONFIG_MPLS_ROUTING"}},
				fmt.Errorf("no net.mpls.platform_labels: %v: %s", err, bytes.TrimSpace(out)))
		}
		for _, cmd := range []string{"link add eth0 type veth peer eth0p", "link set eth0 up", "addr add 10.0.0.1/24 dev eth0"} {
			ns.IP(t, strings.Fields(cmd)...)
		}
	}
	for _, cmd := range []string{
		"-M route add 100 as 200/300 via inet 10.0.0.2 dev eth0",
		"-M route add 101 nexthop as to 200 via inet 10.0.0.2 dev eth0 nexthop via inet6 fe80::1 dev eth0",
		"-M route add 102 via inet 10.0.0.3 dev eth0 proto static ttl-propagate disabled",
		"-M route add 103 via inet 10.0.0.3 dev eth0",
		"-M route del 103",
	} {
		args := strings.Fields(cmd)
		if _, stderr, err := runIP(t, ipNS.Name(), args, nil); err != nil {
			t.Fatalf("ip %s: %v\n%s", cmd, err, stderr)
		}
		if _, stderr, code := runExample(exNS.Name(), args, nil); code != 0 {
			t.Fatalf("example ip %s: exit %d\n%s", cmd, code, stderr)
		}
	}
	for _, show := range []string{"-M -j -d route show", "-M route show", "-M -d route show"} {
		args := strings.Fields(show)
		want, _, err := runIP(t, ipNS.Name(), args, nil)
		if err != nil {
			t.Fatalf("ip %s: %v", show, err)
		}
		got, stderr, code := runExample(exNS.Name(), args, nil)
		if code != 0 {
			t.Fatalf("example ip %s: exit %d\n%s", show, code, stderr)
		}
		if string(want) != string(got) {
			t.Errorf("ip %s:\nip:      %s\nexample: %s", show, want, got)
		}
	}
}
