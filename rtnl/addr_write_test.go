package rtnl_test

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/rtnl"
)

func TestFlushAddressesLikeIP(t *testing.T) {
	ctx := context.Background()
	pfx := netip.MustParsePrefix
	for _, tc := range []struct {
		ip      string // the arguments of ip after -n NS
		filters func(v0 int32) []rtnl.AddrFilter
	}{
		{"addr flush dev v0", func(v0 int32) []rtnl.AddrFilter { return []rtnl.AddrFilter{rtnl.FilterAddrLink(v0)} }},
		{"-4 addr flush dev v0", func(v0 int32) []rtnl.AddrFilter {
			return []rtnl.AddrFilter{rtnl.FilterAddrLink(v0), rtnl.FilterAddrFamily(unix.AF_INET)}
		}},
		{"-6 addr flush dev v0", func(v0 int32) []rtnl.AddrFilter {
			return []rtnl.AddrFilter{rtnl.FilterAddrLink(v0), rtnl.FilterAddrFamily(unix.AF_INET6)}
		}},
		{"addr flush scope global", func(int32) []rtnl.AddrFilter { return []rtnl.AddrFilter{rtnl.FilterAddrScope(rtnl.ScopeGlobal)} }},
		{"addr flush scope link", func(int32) []rtnl.AddrFilter { return []rtnl.AddrFilter{rtnl.FilterAddrScope(rtnl.ScopeLink)} }},
		{"addr flush label v0:*", func(int32) []rtnl.AddrFilter { return []rtnl.AddrFilter{rtnl.FilterAddrLabel("v0:*")} }},
		{"addr flush to 10.0.0.0/16", func(int32) []rtnl.AddrFilter { return []rtnl.AddrFilter{rtnl.FilterAddrTo(pfx("10.0.0.0/16"))} }},
		{"addr flush to 2001:db8::/32", func(int32) []rtnl.AddrFilter { return []rtnl.AddrFilter{rtnl.FilterAddrTo(pfx("2001:db8::/32"))} }},
		{"addr flush dynamic", func(int32) []rtnl.AddrFilter { return []rtnl.AddrFilter{rtnl.FilterAddrNoFlags(rtnl.AddrPermanent)} }},
		{"addr flush secondary", func(int32) []rtnl.AddrFilter { return []rtnl.AddrFilter{rtnl.FilterAddrFlags(rtnl.AddrSecondary)} }},
		{"-4 addr flush dev v0 primary", func(v0 int32) []rtnl.AddrFilter {
			return []rtnl.AddrFilter{rtnl.FilterAddrLink(v0), rtnl.FilterAddrFamily(unix.AF_INET), rtnl.FilterAddrNoFlags(rtnl.AddrSecondary)}
		}},
		{"-4 addr flush dev v0 permanent", func(v0 int32) []rtnl.AddrFilter {
			return []rtnl.AddrFilter{rtnl.FilterAddrLink(v0), rtnl.FilterAddrFamily(unix.AF_INET), rtnl.FilterAddrFlags(rtnl.AddrPermanent)}
		}},
	} {
		t.Run(tc.ip, func(t *testing.T) {
			t.Parallel()
			ipNS, libNS := addrNS(t), addrNS(t)
			addrPopulate(t, ipNS)
			addrPopulate(t, libNS)
			ipNS.IP(t, strings.Fields(tc.ip)...)
			c := dial(t, libNS)
			if err := c.FlushAddresses(ctx, tc.filters(addrLink(t, c, "v0"))...); err != nil {
				t.Fatalf("FlushAddresses: %v", err)
			}
			addrSettle(t, ipNS)
			addrSettle(t, libNS)
			args := []string{"-j", "-d", "addr", "show"}
			if want, got := addrMask(ipNS.IP(t, args...)), addrMask(libNS.IP(t, args...)); !bytes.Equal(got, want) {
				t.Errorf("after `ip %s`, ip shows\n%s\nand after FlushAddresses\n%s", tc.ip, want, got)
			}
		})
	}

	// Link filters, which ip addr flush ignores, apply.
	ns := addrNS(t)
	addrPopulate(t, ns)
	c := dial(t, ns)
	if err := c.FlushAddresses(ctx, rtnl.FilterAddrLinks(rtnl.FilterKind("bridge")), rtnl.FilterAddrFamily(unix.AF_INET)); err != nil {
		t.Fatalf("FlushAddresses(type bridge): %v", err)
	}
	left, err := c.Addresses(ctx, rtnl.FilterAddrFamily(unix.AF_INET))
	if err != nil {
		t.Fatal(err)
	}
	br0 := addrLink(t, c, "br0")
	n := 0
	for _, a := range left {
		if a.LinkIndex == br0 {
			t.Errorf("address %s of br0 left after flushing the bridges' IPv4 addresses", a.Prefix)
		}
		n++
	}
	if n < 8 {
		t.Errorf("only %d IPv4 addresses left after flushing the bridges'", n)
	}

	// Nothing to flush is no error, and no filter is refused.
	if err := c.FlushAddresses(ctx, rtnl.FilterAddrLabel("nothing-matches")); err != nil {
		t.Errorf("FlushAddresses(nothing): %v", err)
	}
	if err := c.FlushAddresses(ctx); !isInvalid(err) {
		t.Errorf("FlushAddresses() error = %v; want an InvalidError", err)
	}
}

// TestGuideAddressExample follows the guide: `ip addr add 10.0.0.1/24 dev
// eth0`, `ip addr show to 10.0.0.1/24`, `ip addr delete 10.0.0.1/24 dev
// eth0`, then the same show, empty.
func TestGuideAddressExample(t *testing.T) {
	ns := addrNS(t)
	// Linux 6.1 renames only a link that is down.
	ns.IP(t, "link", "set", "v0", "down")
	ns.IP(t, "link", "set", "v0", "name", "eth0")
	ns.IP(t, "link", "set", "eth0", "up")
	c := dial(t, ns)
	ctx := context.Background()
	eth0 := addrLink(t, c, "eth0")
	a := rtnl.Address{LinkIndex: eth0, Prefix: netip.MustParsePrefix("10.0.0.1/24")}
	if err := c.AddAddress(ctx, a); err != nil {
		t.Fatalf("AddAddress: %v", err)
	}
	to := []string{"to", "10.0.0.1/24"}
	want, got := stableIPAddrs(t, ns, nil, to, func() []rtnl.LinkWithAddresses {
		las, err := c.LinkAddresses(ctx, rtnl.FilterAddrTo(a.Prefix))
		if err != nil {
			t.Fatalf("LinkAddresses: %v", err)
		}
		return las
	})
	if len(got) != 1 || got[0].Link.Name != "eth0" || len(got[0].Addresses) != 1 ||
		got[0].Addresses[0].Label != "eth0" || got[0].Addresses[0].Scope != rtnl.ScopeGlobal {
		t.Errorf("ip addr show to 10.0.0.1/24 = %+v; want eth0 with 10.0.0.1/24 scope global eth0", got)
	}
	compareLinkAddrs(t, "show to 10.0.0.1/24", got, want, false)

	if err := c.DeleteAddress(ctx, a); err != nil {
		t.Fatalf("DeleteAddress: %v", err)
	}
	want, got = stableIPAddrs(t, ns, nil, to, func() []rtnl.LinkWithAddresses {
		las, err := c.LinkAddresses(ctx, rtnl.FilterAddrTo(a.Prefix))
		if err != nil {
			t.Fatalf("LinkAddresses: %v", err)
		}
		return las
	})
	if len(got) != 0 || len(want) != 0 {
		t.Errorf("after the delete: nlkit shows %v, ip %s; want nothing", got, want)
	}
}

func TestAddressErrors(t *testing.T) {
	ns := addrNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	v0 := addrLink(t, c, "v0")
	p, a := netip.MustParsePrefix, netip.MustParseAddr

	// Duplicates: ErrExist with the kernel's message, the one ip prints
	// ("Error: ipv4: Address already assigned." on recent kernels; older
	// ones, like 6.1, send none and ip prints the errno text).
	for _, prefix := range []string{"10.0.0.1/24", "2001:db8::1/64"} {
		addr := rtnl.Address{LinkIndex: v0, Prefix: p(prefix)}
		if err := c.AddAddress(ctx, addr); err != nil {
			t.Fatalf("AddAddress(%s): %v", prefix, err)
		}
		out, ipErr := addrRunIP(ns.Name(), "addr", "add", prefix, "dev", "v0")
		if ipErr == nil {
			t.Fatalf("ip addr add %s again succeeded", prefix)
		}
		message := ipErrorMessage(out)
		err := c.AddAddress(ctx, addr)
		var nlErr *nlkit.Error
		if !errors.Is(err, rtnl.ErrExist) || !errors.Is(err, unix.EEXIST) || !errors.As(err, &nlErr) || nlErr.Message != message {
			t.Errorf("AddAddress(%s) again: error = %v; want ErrExist with ip's message %q", prefix, err, message)
		}
		// Replace is fine.
		if err := c.ReplaceAddress(ctx, addr); err != nil {
			t.Errorf("ReplaceAddress(%s): %v", prefix, err)
		}
	}

	// A missing link: ErrNotExist.
	for _, prefix := range []string{"10.1.0.1/24", "2001:db8:1::1/64"} {
		err := c.AddAddress(ctx, rtnl.Address{LinkIndex: 4242, Prefix: p(prefix)})
		if !errors.Is(err, rtnl.ErrNotExist) {
			t.Errorf("AddAddress(%s on a missing link) error = %v; want ErrNotExist", prefix, err)
		}
		err = c.DeleteAddress(ctx, rtnl.Address{LinkIndex: 4242, Prefix: p(prefix)})
		if !errors.Is(err, rtnl.ErrNotExist) {
			t.Errorf("DeleteAddress(%s on a missing link) error = %v; want ErrNotExist", prefix, err)
		}
	}
	if _, err := c.Addresses(ctx, rtnl.FilterAddrLink(4242)); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("Addresses(missing link) error = %v; want ErrNotExist", err)
	}
	if _, err := c.LinkAddresses(ctx, rtnl.FilterAddrLink(4242)); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("LinkAddresses(missing link) error = %v; want ErrNotExist", err)
	}
	if err := c.FlushAddresses(ctx, rtnl.FilterAddrLink(4242)); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("FlushAddresses(missing link) error = %v; want ErrNotExist", err)
	}

	// Invalid input is rejected before anything is sent: a closed
	// connection would fail any request, and the namespace is unchanged.
	closed, err := rtnl.Dial(ctx, rtnl.WithNetNS(ns.FD()))
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	before := ns.IP(t, "-j", "-d", "addr", "show")
	on := func(prefix netip.Prefix, fill func(*rtnl.Address)) rtnl.Address {
		addr := rtnl.Address{LinkIndex: v0, Prefix: prefix}
		if fill != nil {
			fill(&addr)
		}
		return addr
	}
	v4, v6 := p("10.5.0.1/24"), p("2001:db8:5::1/64")
	for _, tc := range []struct {
		name string
		addr rtnl.Address
	}{
		{"zero link index", rtnl.Address{Prefix: v4}},
		{"negative link index", rtnl.Address{LinkIndex: -1, Prefix: v4}},
		{"no address", rtnl.Address{LinkIndex: v0}},
		{"IPv4 prefix length 33", on(netip.PrefixFrom(a("10.5.0.1"), 33), nil)},
		{"IPv6 prefix length 129", on(netip.PrefixFrom(a("2001:db8::1"), 129), nil)},
		{"family", on(v4, func(x *rtnl.Address) { x.Family = unix.AF_INET6 })},
		{"IPv6 peer on IPv4", on(v4, func(x *rtnl.Address) { x.Peer = a("2001:db8::2") })},
		{"IPv4 peer on IPv6", on(v6, func(x *rtnl.Address) { x.Peer = a("10.5.0.2") })},
		{"IPv6 broadcast on IPv4", on(v4, func(x *rtnl.Address) { x.Broadcast = a("2001:db8::ff") })},
		{"IPv6 anycast on IPv4", on(v4, func(x *rtnl.Address) { x.Anycast = a("2001:db8::ff") })},
		{"broadcast on IPv6", on(v6, func(x *rtnl.Address) { x.Broadcast = a("2001:db8:5::ff") })},
		{"brd + on IPv6", on(v6, func(x *rtnl.Address) { x.AutoBroadcast = rtnl.BroadcastPlus })},
		{"brd twice", on(v4, func(x *rtnl.Address) { x.Broadcast, x.AutoBroadcast = a("10.5.0.255"), rtnl.BroadcastPlus })},
		{"unknown AutoBroadcast", on(v4, func(x *rtnl.Address) { x.AutoBroadcast = 7 })},
		{"label on IPv6", on(v6, func(x *rtnl.Address) { x.Label = "v0:x" })},
		{"long label", on(v4, func(x *rtnl.Address) { x.Label = "v0:0123456789abc" })},
		{"nodad on IPv4", on(v4, func(x *rtnl.Address) { x.Flags = rtnl.AddrNoDAD })},
		{"mngtmpaddr on IPv4", on(v4, func(x *rtnl.Address) { x.Flags = rtnl.AddrManageTempAddr })},
		{"autojoin on unicast", on(v4, func(x *rtnl.Address) { x.Flags = rtnl.AddrMcAutoJoin })},
		{"valid lifetime 0", on(v4, func(x *rtnl.Address) { x.Lifetimes = &rtnl.AddrLifetimes{Valid: 0, Preferred: 0} })},
		{"preferred beyond valid", on(v6, func(x *rtnl.Address) { x.Lifetimes = &rtnl.AddrLifetimes{Valid: 10, Preferred: 20} })},
	} {
		for _, op := range []struct {
			name string
			fn   func(*rtnl.Conn, rtnl.Address) error
		}{
			{"AddAddress", func(c *rtnl.Conn, a rtnl.Address) error { return c.AddAddress(ctx, a) }},
			{"ReplaceAddress", func(c *rtnl.Conn, a rtnl.Address) error { return c.ReplaceAddress(ctx, a) }},
			{"ChangeAddress", func(c *rtnl.Conn, a rtnl.Address) error { return c.ChangeAddress(ctx, a) }},
		} {
			for _, conn := range []*rtnl.Conn{closed, c} {
				err := op.fn(conn, tc.addr)
				if !isInvalid(err) || !errors.Is(err, unix.EINVAL) {
					t.Errorf("%s(%s) error = %v; want an InvalidError before sending", op.name, tc.name, err)
				}
			}
		}
	}
	// DeleteAddress checks what it sends.
	for _, addr := range []rtnl.Address{{Prefix: v4}, {LinkIndex: v0}, on(netip.PrefixFrom(a("10.5.0.1"), 40), nil), on(v6, func(x *rtnl.Address) { x.Peer = a("10.0.0.1") })} {
		if err := closed.DeleteAddress(ctx, addr); !isInvalid(err) {
			t.Errorf("DeleteAddress(%+v) error = %v; want an InvalidError", addr, err)
		}
	}
	// Invalid filters.
	for name, f := range map[string]rtnl.AddrFilter{
		"link 0":       rtnl.FilterAddrLink(0),
		"family 17":    rtnl.FilterAddrFamily(17),
		"zero prefix":  rtnl.FilterAddrTo(netip.Prefix{}),
		"wrong family": rtnl.FilterAddrTo(p("10.0.0.0/8")),
	} {
		filters := []rtnl.AddrFilter{f}
		if name == "wrong family" {
			filters = append(filters, rtnl.FilterAddrFamily(unix.AF_INET6))
		}
		if _, err := closed.Addresses(ctx, filters...); !isInvalid(err) {
			t.Errorf("Addresses(%s) error = %v; want an InvalidError", name, err)
		}
		if _, err := closed.LinkAddresses(ctx, filters...); !isInvalid(err) {
			t.Errorf("LinkAddresses(%s) error = %v; want an InvalidError", name, err)
		}
		if err := closed.FlushAddresses(ctx, filters...); !isInvalid(err) {
			t.Errorf("FlushAddresses(%s) error = %v; want an InvalidError", name, err)
		}
		for _, err := range closed.AddressesSeq(ctx, filters...) {
			if !isInvalid(err) {
				t.Errorf("AddressesSeq(%s) error = %v; want an InvalidError", name, err)
			}
		}
	}
	if after := ns.IP(t, "-j", "-d", "addr", "show"); !bytes.Equal(addrMask(before), addrMask(after)) {
		t.Errorf("invalid requests changed the namespace:\n%s\n%s", before, after)
	}
}

// addrRunIP runs ip -n ns with args and returns its combined output.
func addrRunIP(ns string, args ...string) (string, error) {
	out, err := exec.Command("ip", append([]string{"-n", ns}, args...)...).CombinedOutput()
	return string(out), err
}

// ipErrorMessage returns the kernel's extended-ack message in ip's error
// output ("Error: MESSAGE."), or "" when ip printed only the errno
// ("RTNETLINK answers: …").
func ipErrorMessage(out string) string {
	line, _, _ := strings.Cut(out, "\n")
	if msg, ok := strings.CutPrefix(line, "Error: "); ok {
		return strings.TrimSuffix(msg, ".")
	}
	return ""
}
