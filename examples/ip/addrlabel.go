package main

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// addrlabel runs `ip addrlabel list|add|del|flush`.
func (c *command) addrlabel(ctx context.Context, args []string) error {
	cmd := "list"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch {
	case matches(cmd, "list"), matches(cmd, "lst"), matches(cmd, "show"):
		if len(args) > 0 {
			return &exitError{`"ip addrlabel show" does not take any arguments.`, 1}
		}
		return c.addrlabelList(ctx)
	case matches(cmd, "add"):
		return c.addrlabelWrite(ctx, args, c.conn.AddAddrLabel)
	case matches(cmd, "delete"):
		return c.addrlabelWrite(ctx, args, c.conn.DeleteAddrLabel)
	case matches(cmd, "flush"):
		if len(args) > 0 {
			return &exitError{`"ip addrlabel flush" does not allow extra arguments`, 1}
		}
		return c.conn.FlushAddrLabels(ctx)
	}
	return unknownCommand(cmd, "addrlabel")
}

// addrlabelList prints the table as `ip addrlabel list` does.
func (c *command) addrlabelList(ctx context.Context) error {
	labels, err := c.conn.AddrLabels(ctx)
	if err != nil {
		return err
	}
	objs := make([]object, 0, len(labels))
	for _, l := range labels {
		o, err := marshalObject(l)
		if err != nil {
			return err
		}
		objs = append(objs, o)
	}
	return c.printObjects(objs, func(o object) {
		var b strings.Builder
		if a := o.str("address"); a != "" {
			b.WriteString("prefix " + a + "/" + o.num("prefixlen") + " ")
		}
		if dev := o.str("ifname"); dev != "" {
			b.WriteString("dev " + dev + " ")
		}
		b.WriteString("label " + o.num("label") + " \n")
		fmt.Fprint(c.stdout, b.String())
	})
}

// addrlabelWrite runs `ip addrlabel add|del prefix PREFIX [dev DEV] label
// N`. Like ip, it skips words it does not know.
func (c *command) addrlabelWrite(ctx context.Context, args []string, write func(context.Context, rtnl.AddrLabel) error) error {
	var l rtnl.AddrLabel
	var havePrefix, haveLabel bool
	for ; len(args) > 0; args = args[1:] {
		w := args[0]
		if w != "prefix" && w != "dev" && w != "label" {
			continue
		}
		if len(args) < 2 {
			return incomplete()
		}
		args = args[1:]
		v := args[0]
		switch w {
		case "prefix":
			p, err := c.parseAnyPrefix(v)
			if err != nil {
				return err
			}
			l.Prefix, havePrefix = p, true
		case "dev":
			link, err := c.conn.LinkByName(ctx, v)
			if err != nil {
				return invarg("dev is invalid\n", v)
			}
			l.LinkIndex = link.Index
		case "label":
			n, err := parseCUint(v, 32)
			if err != nil || n == 0xffffffff {
				return invarg("label is invalid\n", v)
			}
			l.Label, haveLabel = uint32(n), true
		}
	}
	if !havePrefix {
		return &exitError{`Not enough information: "prefix" argument is required.`, 1}
	}
	if !haveLabel {
		return &exitError{`Not enough information: "label" argument is required.`, 1}
	}
	if l.Prefix.Addr().Is4() {
		// ip sends the four bytes in an IPv6 request, which the kernel
		// refuses; nlkit refuses it before sending.
		return &exitError{"Error: Attribute failed policy validation.", 2}
	}
	return write(ctx, l)
}

// parseAnyPrefix reads a prefix of the family of -4/-6, or of either
// family, with ip's error for one it cannot read.
func (c *command) parseAnyPrefix(v string) (netip.Prefix, error) {
	p, err := parsePrefix(v)
	family := familyOf(p.Addr())
	if err != nil || (c.opts.family != unix.AF_UNSPEC && family != c.opts.family) {
		name := "any valid"
		switch c.opts.family {
		case unix.AF_INET:
			name = "inet"
		case unix.AF_INET6:
			name = "inet6"
		}
		return p, &exitError{"Error: " + name + " prefix is expected rather than \"" + v + "\".", 1}
	}
	return p, nil
}
