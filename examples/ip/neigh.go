package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// neigh runs `ip neighbour COMMAND …`.
func (c *command) neigh(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return c.neighShow(ctx, nil)
	}
	cmd, args := args[0], args[1:]
	switch {
	case matches(cmd, "add"):
		return c.neighWrite(ctx, args, c.conn.AddNeighbor)
	case matches(cmd, "change"), cmd == "chg":
		return c.neighWrite(ctx, args, c.conn.ChangeNeighbor)
	case matches(cmd, "replace"):
		return c.neighWrite(ctx, args, c.conn.ReplaceNeighbor)
	case matches(cmd, "delete"):
		return c.neighWrite(ctx, args, c.conn.DeleteNeighbor)
	case matches(cmd, "get"):
		return c.neighGet(ctx, args)
	case matches(cmd, "show"), matches(cmd, "list"), matches(cmd, "lst"):
		return c.neighShow(ctx, args)
	case matches(cmd, "flush"):
		return c.neighFlush(ctx, args)
	}
	return unknownCommand(cmd, "neigh")
}

// neighSelection reads `[dev D] [nud STATE] [proxy] [to PREFIX]`.
func (c *command) neighSelection(ctx context.Context, args []string) ([]rtnl.NeighFilter, bool, error) {
	var filters []rtnl.NeighFilter
	devSet := false
	for len(args) > 0 {
		w := args[0]
		switch {
		case w == "dev" && len(args) > 1:
			l, err := c.linkByName(ctx, args[1])
			if err != nil {
				return nil, false, err
			}
			filters = append(filters, rtnl.FilterNeighLink(l.Index))
			devSet = true
			args = args[1:]
		case w == "nud" && len(args) > 1:
			if args[1] == "all" {
				filters = append(filters, rtnl.FilterNeighAllStates())
			} else {
				st, err := parseNeighState(args[1])
				if err != nil {
					return nil, false, err
				}
				filters = append(filters, rtnl.FilterNeighState(st))
			}
			args = args[1:]
		case w == "proxy":
			filters = append(filters, rtnl.FilterNeighProxy())
		default:
			if w == "to" && len(args) > 1 {
				args = args[1:]
				w = args[0]
			}
			p, err := parsePrefix(w)
			if err != nil {
				return nil, false, err
			}
			filters = append(filters, rtnl.FilterNeighTo(p))
		}
		args = args[1:]
	}
	if c.opts.family != unix.AF_UNSPEC {
		filters = append(filters, rtnl.FilterNeighFamily(c.opts.family))
	}
	return filters, devSet, nil
}

// neighObject is the object of n as `ip -j neigh show` prints it.
func (c *command) neighObject(n rtnl.Neighbor, devHidden bool) (object, error) {
	o, err := marshalObject(n)
	if err != nil {
		return nil, err
	}
	return o.without(func(key string, _ json.RawMessage) bool {
		switch key {
		case "used", "confirmed", "updated", "probes", "refcnt":
			return c.opts.stats == 0
		case "dev":
			return devHidden
		}
		return false
	}), nil
}

// neighShow runs `ip neigh show`.
func (c *command) neighShow(ctx context.Context, args []string) error {
	filters, devSet, err := c.neighSelection(ctx, args)
	if err != nil {
		return err
	}
	ns, err := c.conn.Neighbors(ctx, filters...)
	if err != nil {
		return err
	}
	var objs []object
	for _, n := range ns {
		o, err := c.neighObject(n, devSet)
		if err != nil {
			return err
		}
		objs = append(objs, o)
	}
	return c.printObjects(objs, c.printNeigh)
}

// printNeigh writes a neighbour as `ip neigh show` does.
func (c *command) printNeigh(o object) {
	var b strings.Builder
	for _, m := range o {
		var s string
		json.Unmarshal(m.value, &s)
		switch m.key {
		case "dst":
			b.WriteString(s + " ")
		case "state":
			for _, st := range o.strs("state") {
				b.WriteString(st + " ")
			}
		case "used":
			fmt.Fprintf(&b, " used %s/%s/%s", o.num("used"), o.num("confirmed"), o.num("updated"))
		case "confirmed", "updated":
		case "refcnt":
			b.WriteString(" ref " + o.num("refcnt"))
		case "probes":
			b.WriteString("probes " + o.num("probes") + " ")
		case "protocol":
			b.WriteString("proto " + s + " ")
		default:
			if string(m.value) == "true" || string(m.value) == "null" {
				b.WriteString(m.key + " ")
			} else if s != "" {
				b.WriteString(m.key + " " + s + " ")
			}
		}
	}
	fmt.Fprintln(c.stdout, b.String())
}

// neighGet runs `ip neigh get ADDR dev DEV`. ip 6.1 prints its answer as
// text even with -j.
func (c *command) neighGet(ctx context.Context, args []string) error {
	var dst netip.Addr
	var dev string
	proxy := false
	for len(args) > 0 {
		switch {
		case args[0] == "dev" && len(args) > 1:
			dev, args = args[1], args[1:]
		case args[0] == "proxy":
			proxy = true
		default:
			a, err := parseAddr(args[0])
			if err != nil {
				return err
			}
			dst = a
		}
		args = args[1:]
	}
	if dev == "" {
		return usageErr("Device and address are required arguments.")
	}
	l, err := c.linkByName(ctx, dev)
	if err != nil {
		return err
	}
	get := c.conn.GetNeighbor
	if proxy {
		get = c.conn.GetProxyNeighbor
	}
	n, err := get(ctx, l.Index, dst)
	if err != nil {
		return err
	}
	o, err := c.neighObject(n, false)
	if err != nil {
		return err
	}
	c.printNeigh(o)
	return nil
}

// neighWrite runs `ip neigh add|change|replace|del ADDR [lladdr LL] [nud
// STATE] [proxy] [router] [extern_learn] dev DEV`.
func (c *command) neighWrite(ctx context.Context, args []string, write func(context.Context, rtnl.Neighbor) error) error {
	n := rtnl.Neighbor{State: rtnl.NeighState(unix.NUD_PERMANENT)}
	var dev string
	for len(args) > 0 {
		w := args[0]
		var err error
		switch {
		case w == "dev" && len(args) > 1:
			dev, args = args[1], args[1:]
		case w == "lladdr" && len(args) > 1:
			n.LLAddr, err = parseLLAddr(args[1])
			args = args[1:]
		case w == "nud" && len(args) > 1:
			n.State, err = parseNeighState(args[1])
			args = args[1:]
		case w == "proxy" && len(args) > 1:
			n.Flags |= rtnl.NeighFlags(unix.NTF_PROXY)
			n.Dst, err = parseAddr(args[1])
			args = args[1:]
		case w == "router":
			n.Flags |= rtnl.NeighFlags(unix.NTF_ROUTER)
		case w == "extern_learn":
			n.Flags |= rtnl.NeighFlags(unix.NTF_EXT_LEARNED)
		default:
			if w == "to" && len(args) > 1 {
				args = args[1:]
				w = args[0]
			}
			n.Dst, err = parseAddr(w)
		}
		if err != nil {
			return err
		}
		args = args[1:]
	}
	if dev == "" || !n.Dst.IsValid() {
		return usageErr("Device and destination are required arguments.")
	}
	l, err := c.linkByName(ctx, dev)
	if err != nil {
		return err
	}
	n.LinkIndex = l.Index
	return write(ctx, n)
}

// neighFlush runs `ip neigh flush SELECTORS`.
func (c *command) neighFlush(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return &exitError{"Flush requires arguments.", 255}
	}
	filters, devSet, err := c.neighSelection(ctx, args)
	if err != nil {
		return err
	}
	return c.flushNeighbors(ctx, filters, devSet)
}

// parseNeighState reads a state by ip's name (permanent, reachable, …).
func parseNeighState(v string) (rtnl.NeighState, error) {
	for bit := range 16 {
		if st := rtnl.NeighState(1 << bit); strings.EqualFold(st.String(), v) {
			return st, nil
		}
	}
	if v == "none" {
		return 0, nil
	}
	return 0, usageErr("nud state \"" + v + "\" is invalid")
}
