package netnsutil_test

import (
	"errors"
	"net"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/netnsutil"
	"github.com/nlkit/nlkit/netnsutil/nstest"
)

// TestMaddrsMatchIP adds multicast addresses with nlkit and with ip in a
// test namespace, and compares every listing with `ip -j maddr show`.
func TestMaddrsMatchIP(t *testing.T) {
	ns := nstest.New(t, "p0", "p1")
	in := netnsutil.InNetNS(ns.NetNS())
	// Up links join the all-nodes groups (IPv4 and IPv6 on lo, IPv6 and
	// their link-layer addresses on the veths).
	for _, dev := range []string{"lo", "p0", "p1"} {
		ip(t, "-n", ns.Name(), "link", "set", dev, "up")
	}

	a := net.HardwareAddr{0x01, 0x00, 0x5e, 0x01, 0x02, 0x03}
	b := net.HardwareAddr{0x33, 0x33, 0x00, 0x00, 0x00, 0x42}
	allNodes := net.HardwareAddr{0x33, 0x33, 0x00, 0x00, 0x00, 0x01} // joined by IPv6 already
	if err := netnsutil.AddMaddr(ctx(t), "p0", a, in); err != nil {
		t.Fatalf("AddMaddr: %v", err)
	}
	// A second add of a static address changes nothing (the kernel counts
	// one static use).
	if err := netnsutil.AddMaddr(ctx(t), "p0", a, in); err != nil {
		t.Fatalf("AddMaddr again: %v", err)
	}
	// A static use of an address in use: users 2, static.
	if err := netnsutil.AddMaddr(ctx(t), "p0", allNodes, in); err != nil {
		t.Fatalf("AddMaddr(%s): %v", allNodes, err)
	}
	ip(t, "-n", ns.Name(), "maddr", "add", b.String(), "dev", "p1")

	// Carrier and addresses come up asynchronously (link watch, DAD), and
	// with them multicast groups: retry until nlkit and ip agree.
	compare := func(name string, f netnsutil.MaddrFilter, ipArgs ...string) {
		t.Helper()
		eventually(t, name, func() (string, string) {
			got, err := netnsutil.Maddrs(ctx(t), f, in)
			if err != nil {
				t.Fatalf("%s: Maddrs: %v", name, err)
			}
			return marshal(t, got), strings.TrimSuffix(string(ip(t, append([]string{"-n", ns.Name(), "-j"}, ipArgs...)...)), "\n")
		})
	}
	compare("all", netnsutil.MaddrFilter{}, "maddr", "show")
	compare("dev p0", netnsutil.MaddrFilter{Dev: "p0"}, "maddr", "show", "dev", "p0")
	compare("-4", netnsutil.MaddrFilter{Family: unix.AF_INET}, "-4", "maddr", "show")
	compare("-6", netnsutil.MaddrFilter{Family: unix.AF_INET6}, "-6", "maddr", "show")
	compare("-0", netnsutil.MaddrFilter{Family: unix.AF_PACKET}, "-0", "maddr", "show")
	compare("unknown dev", netnsutil.MaddrFilter{Dev: "nosuch"}, "maddr", "show", "dev", "nosuch")

	got, err := netnsutil.Maddrs(ctx(t), netnsutil.MaddrFilter{Dev: "p0", Family: unix.AF_PACKET}, in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]netnsutil.Maddr{
		a.String():        {Family: unix.AF_PACKET, Link: a, Users: 1, Static: true},
		allNodes.String(): {Family: unix.AF_PACKET, Link: allNodes, Users: 2, Static: true},
	}
	for _, l := range got {
		for _, m := range l.Addrs {
			if w, ok := want[m.Link.String()]; ok {
				if m.Users != w.Users || m.Static != w.Static {
					t.Errorf("%s on p0: users %d, static %v; want %d, %v", m.Link, m.Users, m.Static, w.Users, w.Static)
				}
				delete(want, m.Link.String())
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("missing on p0: %v in %+v", want, got)
	}

	// Deleting: nlkit removes what ip added and the other way round.
	if err := netnsutil.DeleteMaddr(ctx(t), "p1", b, in); err != nil {
		t.Fatalf("DeleteMaddr: %v", err)
	}
	ip(t, "-n", ns.Name(), "maddr", "del", a.String(), "dev", "p0")
	if err := netnsutil.DeleteMaddr(ctx(t), "p0", allNodes, in); err != nil {
		t.Fatalf("DeleteMaddr(%s): %v", allNodes, err)
	}
	compare("after deleting", netnsutil.MaddrFilter{}, "maddr", "show")
	if err := netnsutil.DeleteMaddr(ctx(t), "p0", a, in); !errors.Is(err, nlkit.ErrNotExist) {
		t.Errorf("DeleteMaddr of a missing address = %v, want ErrNotExist", err)
	}

	// The host's namespace has none of it.
	host, err := netnsutil.Maddrs(ctx(t), netnsutil.MaddrFilter{Dev: "p0"})
	if err != nil {
		t.Fatal(err)
	}
	if len(host) != 0 {
		t.Errorf("host namespace has %+v", host)
	}
}

func TestMaddrsHostMatchesIP(t *testing.T) {
	// Reading only: the caller's namespace, as `ip -j maddr show`.
	eventually(t, "ip -j maddr show", func() (string, string) {
		got, err := netnsutil.Maddrs(ctx(t), netnsutil.MaddrFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return marshal(t, got), strings.TrimSuffix(string(ip(t, "-j", "maddr", "show")), "\n")
	})
}

func TestMaddrErrors(t *testing.T) {
	ns := nstest.New(t, "p0")
	in := netnsutil.InNetNS(ns.NetNS())
	a := net.HardwareAddr{0x01, 0x00, 0x5e, 0x01, 0x02, 0x03}
	if err := netnsutil.AddMaddr(ctx(t), "nosuch", a, in); !errors.Is(err, nlkit.ErrNotExist) {
		t.Errorf("AddMaddr on a missing device = %v, want ErrNotExist", err)
	}
	for _, bad := range []net.HardwareAddr{nil, {1, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8}} {
		if err := netnsutil.AddMaddr(ctx(t), "p0", bad, in); err == nil {
			t.Errorf("AddMaddr(%v) succeeded", bad)
		}
	}
	for _, dev := range []string{"", "a/b", "a b", "abcdefghijklmnop"} {
		if err := netnsutil.AddMaddr(ctx(t), dev, a, in); err == nil {
			t.Errorf("AddMaddr(dev %q) succeeded", dev)
		}
	}
	if _, err := netnsutil.Maddrs(ctx(t), netnsutil.MaddrFilter{Family: 99}, in); err == nil {
		t.Error("Maddrs with family 99 succeeded")
	}
}
