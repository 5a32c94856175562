package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// The ioctls of ip tunnel 6rd, which ip names in its errors.
const (
	siocAdd6RD = 0x89f9 // SIOCADD6RD
	siocDel6RD = 0x89fa // SIOCDEL6RD
)

// tunnel6rd runs `ip tunnel 6rd dev NAME [6rd-prefix P] [6rd-relay_prefix
// P] [6rd-reset]`. ip sets a sit tunnel's 6rd prefixes with ioctls; the
// example sets them through the sit kind's netlink attributes, sending
// the tunnel's other settings as they are, since the kernel resets those a
// change leaves out. A prefix not given is the zero one, as in ip's
// request; 6rd-reset sets the prefixes of the namespace's sit0, which the
// kernel copies, or the kernel's default 2002::/16 without it.
func (c *command) tunnel6rd(ctx context.Context, args []string) error {
	cmd := 0
	prefix := netip.PrefixFrom(netip.IPv6Unspecified(), 0)
	relay := netip.PrefixFrom(netip.IPv4Unspecified(), 0)
	var medium string
	for ; len(args) > 0; args = args[1:] {
		w := args[0]
		if w == "6rd-reset" {
			cmd = siocDel6RD
			continue
		}
		if w != "6rd-prefix" && w != "6rd-relay_prefix" && w != "dev" {
			return usageErr("Invalid 6RD parameter \"" + w + "\"")
		}
		if len(args) < 2 {
			return incomplete()
		}
		args = args[1:]
		v := args[0]
		switch w {
		case "6rd-prefix":
			p, err := parsePrefix(v)
			if err != nil || !p.Addr().Is6() {
				return &exitError{"Error: inet6 prefix is expected rather than \"" + v + "\".", 1}
			}
			prefix, cmd = p, siocAdd6RD
		case "6rd-relay_prefix":
			p, err := parsePrefix(v)
			if err != nil || !p.Addr().Is4() {
				return &exitError{"Error: inet prefix is expected rather than \"" + v + "\".", 1}
			}
			relay, cmd = p, siocAdd6RD
		default:
			if v == "" || len(v) >= 16 || strings.ContainsAny(v, "/ \t\n\v\f\r") {
				return invarg("\"dev\" not a valid ifname", v)
			}
			medium = v
		}
	}
	if medium == "" {
		return usageErr("Must specify device")
	}
	fail := func(reason string) error {
		return &exitError{fmt.Sprintf("%s: ioctl %x failed: %s", medium, cmd, reason), 1}
	}
	if cmd == 0 {
		return fail("Inappropriate ioctl for device")
	}
	l, err := c.conn.LinkByName(ctx, medium)
	if err != nil {
		return fail("No such device")
	}
	sit, ok := sitOf(l)
	if !ok {
		return fail("Operation not supported")
	}
	if cmd == siocDel6RD {
		prefix, relay = netip.MustParsePrefix("2002::/16"), netip.PrefixFrom(netip.IPv4Unspecified(), 0)
		if fb, err := c.conn.LinkByName(ctx, "sit0"); err == nil {
			if t, ok := sitOf(fb); ok {
				prefix, relay = t.SixRDPrefix, t.SixRDRelayPrefix
			}
		}
	}
	sit.SixRDPrefix, sit.SixRDRelayPrefix = prefix, relay
	err = c.conn.SetLink(ctx, l.Index, rtnl.LinkChange{Info: &rtnl.LinkInfo{Kind: "sit", Data: &sit}})
	var invalid *rtnl.InvalidError
	if errors.As(err, &invalid) || errors.Is(err, unix.EINVAL) {
		return fail("Invalid argument")
	}
	return err
}

// sitOf returns the settings of a sit tunnel's link, or false for another
// link.
func sitOf(l rtnl.Link) (rtnl.IPTunnel, bool) {
	if l.Info == nil {
		return rtnl.IPTunnel{}, false
	}
	t, ok := l.Info.Data.(*rtnl.IPTunnel)
	if !ok || t.LinkKind() != "sit" {
		return rtnl.IPTunnel{}, false
	}
	return *t, true
}
