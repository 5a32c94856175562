package main

import (
	"context"
	"errors"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// link runs `ip link COMMAND …`.
func (c *command) link(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return c.linkShow(ctx, nil)
	}
	cmd, args := args[0], args[1:]
	switch {
	case matches(cmd, "add"):
		return c.linkAdd(ctx, args)
	case matches(cmd, "set"), matches(cmd, "change"):
		return c.linkSet(ctx, args)
	case matches(cmd, "delete"):
		return c.linkDelete(ctx, args)
	case matches(cmd, "show"), matches(cmd, "list"), matches(cmd, "lst"):
		return c.linkShow(ctx, args)
	}
	return unknownCommand(cmd, "link")
}

// linkSelection is what `ip link show` and `ip addr show` select links
// by: the kernel filters by master and kind; ip itself by up and group.
type linkSelection struct {
	// addrLevel is set when addresses are selected too (scope, to,
	// label, flags): ip addr then leaves out the links without any.
	addrLevel bool
	// to is the prefix of `ip addr show to PREFIX`.
	to      netip.Prefix
	dev     string
	up      bool
	group   *uint32
	filters []rtnl.LinkFilter
}

// parseLinkSelection reads `[dev] NAME | up | master DEV | type KIND |
// group G`; it returns the words it does not know.
func (c *command) parseLinkSelection(ctx context.Context, args []string) (linkSelection, []string, error) {
	var s linkSelection
	var rest []string
	for len(args) > 0 {
		w := args[0]
		switch {
		case w == "up":
			s.up = true
		case w == "master" && len(args) > 1:
			m, err := c.linkByName(ctx, args[1])
			if err != nil {
				return s, nil, err
			}
			s.filters = append(s.filters, rtnl.FilterMaster(m.Index))
			args = args[1:]
		case w == "nomaster":
			s.filters = append(s.filters, rtnl.FilterNoMaster())
		case w == "type" && len(args) > 1:
			s.filters = append(s.filters, rtnl.FilterKind(args[1]))
			args = args[1:]
		case w == "group" && len(args) > 1:
			g, err := parseGroup(args[1])
			if err != nil {
				return s, nil, err
			}
			s.group = &g
			args = args[1:]
		case (w == "dev" || w == "name") && len(args) > 1:
			s.dev = args[1]
			args = args[1:]
		case s.dev == "" && !isKeyword(w):
			s.dev = w
		default:
			rest = append(rest, w)
		}
		args = args[1:]
	}
	return s, rest, nil
}

// isKeyword reports whether w is a word ip's show commands treat as a
// selector rather than a device name.
func isKeyword(w string) bool {
	switch w {
	case "up", "master", "nomaster", "type", "group", "dev", "scope", "to", "label", "dynamic", "permanent", "vrf":
		return true
	}
	return false
}

// selectedLinks lists the links s selects. A link ip filters out itself
// is returned as the zero Link with keep false: ip -j prints {} for it.
func (c *command) selectedLinks(ctx context.Context, s linkSelection) ([]rtnl.Link, []bool, error) {
	var links []rtnl.Link
	if s.dev != "" {
		l, err := c.conn.LinkByName(ctx, s.dev)
		if errors.Is(err, rtnl.ErrNotExist) {
			return nil, nil, &exitError{"Device \"" + s.dev + "\" does not exist.", 1}
		}
		if err != nil {
			return nil, nil, err
		}
		links = []rtnl.Link{l}
	} else {
		var err error
		links, err = c.conn.Links(ctx, s.filters...)
		if err != nil {
			return nil, nil, err
		}
	}
	keep := make([]bool, len(links))
	for i, l := range links {
		keep[i] = (!s.up || l.Flags&unix.IFF_UP != 0) && (s.group == nil || l.Group == *s.group)
	}
	return links, keep, nil
}

// linkShow runs `ip link show`.
func (c *command) linkShow(ctx context.Context, args []string) error {
	s, rest, err := c.parseLinkSelection(ctx, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return duparg2("dev", rest[0])
	}
	links, keep, err := c.selectedLinks(ctx, s)
	if err != nil {
		return err
	}
	if err := c.loadNSNames(ctx); err != nil {
		return err
	}
	var objs []object
	for i, l := range links {
		if !keep[i] {
			if c.opts.json {
				objs = append(objs, object{})
			}
			continue
		}
		o, err := c.linkObject(l)
		if err != nil {
			return err
		}
		if c.opts.brief && c.opts.json {
			o = briefLinkObject(o)
		}
		objs = append(objs, o)
	}
	if c.opts.brief {
		return c.printObjects(objs, c.printBriefLink)
	}
	return c.printObjects(objs, func(o object) { c.printLink(o, true) })
}

// linkByName looks a device up as ip does, with ip's error when it is
// missing.
func (c *command) linkByName(ctx context.Context, name string) (rtnl.Link, error) {
	l, err := c.conn.LinkByName(ctx, name)
	if errors.Is(err, rtnl.ErrNotExist) {
		return l, noDevice(name)
	}
	return l, err
}

// linkDelete runs `ip link delete [dev] NAME | group G`.
func (c *command) linkDelete(ctx context.Context, args []string) error {
	var dev string
	for len(args) > 0 {
		switch {
		case args[0] == "dev" && len(args) > 1:
			dev, args = args[1], args[1:]
		case args[0] == "group" && len(args) > 1:
			g, err := parseGroup(args[1])
			if err != nil {
				return err
			}
			return c.conn.DeleteLinkGroup(ctx, g)
		case args[0] == "type" && len(args) > 1:
			args = args[1:] // ip sends the kind; the kernel ignores it
		default:
			dev = args[0]
		}
		args = args[1:]
	}
	if dev == "" {
		return usageErr("Not enough information: \"dev\" argument is required.")
	}
	l, err := c.linkByName(ctx, dev)
	if err != nil {
		return err
	}
	return c.conn.DeleteLink(ctx, l.Index)
}
