package addrfamily

import (
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"
)

func TestName(t *testing.T) {
	for f, want := range map[uint16]string{
		unix.AF_UNSPEC: "", unix.AF_INET: "inet", unix.AF_INET6: "inet6",
		unix.AF_PACKET: "link", unix.AF_MPLS: "mpls", unix.AF_BRIDGE: "bridge", 99: "",
	} {
		if got := Name(f); got != want {
			t.Errorf("Name(%d) = %q; want %q", f, got, want)
		}
		if got := Name(uint8(f)); got != want {
			t.Errorf("Name(uint8(%d)) = %q; want %q", f, got, want)
		}
	}
}

func TestOf(t *testing.T) {
	for a, want := range map[netip.Addr]uint8{
		{}: unix.AF_UNSPEC, netip.MustParseAddr("192.0.2.1"): unix.AF_INET,
		netip.MustParseAddr("2001:db8::1"): unix.AF_INET6, netip.MustParseAddr("::ffff:192.0.2.1"): unix.AF_INET6,
	} {
		if got := Of(a); got != want {
			t.Errorf("Of(%v) = %d; want %d", a, got, want)
		}
	}
}
