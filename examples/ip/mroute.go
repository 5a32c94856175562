package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"

	"github.com/nlkit/nlkit/rtnl"
)

// mroute runs `ip mroute show [[to] PREFIX] [from PREFIX] [iif DEV]
// [table TABLE]`.
func (c *command) mroute(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch cmd := args[0]; {
		case matches(cmd, "list"), matches(cmd, "show"), matches(cmd, "lst"):
			args = args[1:]
		case matches(cmd, "help"):
			return mrouteUsage()
		default:
			return unknownCommand(cmd, "mroute")
		}
	}
	var filters []rtnl.MulticastRouteFilter
	switch c.opts.family {
	case unix.AF_UNSPEC, unix.AF_INET:
	case unix.AF_INET6:
		filters = append(filters, rtnl.FilterMulticastFamily(unix.AF_INET6))
	default:
		return nil // ip has no multicast routes of other families to show
	}
	var iif string
	for ; len(args) > 0; args = args[1:] {
		w := args[0]
		if (matches(w, "table") || w == "iif" || matches(w, "from") || w == "to") && len(args) < 2 {
			return incomplete()
		}
		switch {
		case matches(w, "table"):
			args = args[1:]
			t, ok := nameOrNumber[rtnl.Table](args[0], 32)
			switch {
			case ok:
			case args[0] == "all":
				t = rtnl.TableUnspec
			case args[0] == "help":
				return mrouteUsage()
			default:
				return invarg("table id value is invalid\n", args[0])
			}
			filters = append(filters, rtnl.FilterMulticastTable(t))
		case w == "iif":
			args = args[1:]
			iif = args[0]
		default:
			if matches(w, "from") || w == "to" {
				args = args[1:]
			}
			if matches(args[0], "help") {
				return mrouteUsage()
			}
			// ip 6.1 reads prefixes of the multicast family, and reads
			// none.
			return &exitError{"Error: ??? prefix is expected rather than \"" + args[0] + "\".", 1}
		}
	}
	if iif != "" {
		l, err := c.conn.LinkByName(ctx, iif)
		if err != nil {
			return noDevice(iif)
		}
		filters = append(filters, rtnl.FilterMulticastIIF(l.Index))
	}
	routes, err := c.conn.MulticastRoutes(ctx, filters...)
	if errors.Is(err, rtnl.ErrNotSupported) {
		// The kernel answered with unicast routes, as ip reports.
		if c.opts.json {
			fmt.Fprintln(c.stdout, "[]")
		}
		return &exitError{"Non multicast route received, kernel does support IP multicast?\nDump terminated", 1}
	}
	var ke *nlkit.Error
	if errors.As(err, &ke) {
		return &exitError{kernelMessage(ke) + "\nDump terminated", 1}
	}
	if err != nil {
		return err
	}
	objs := make([]object, 0, len(routes))
	for _, r := range routes {
		if c.opts.stats == 0 {
			r.Stats, r.LastUse = nil, nil
		}
		o, err := marshalObject(r)
		if err != nil {
			return err
		}
		if r.Table == rtnl.TableMain && !c.opts.details {
			o = o.without(func(key string, _ json.RawMessage) bool { return key == "table" })
		}
		objs = append(objs, o)
	}
	return c.printObjects(objs, func(o object) { fmt.Fprint(c.stdout, c.mrouteText(o)) })
}

// mrouteUsage is ip mroute's usage message.
func mrouteUsage() error {
	return usageErr(`Usage: ip mroute show [ [ to ] PREFIX ] [ from PREFIX ] [ iif DEVICE ]
                      [ table TABLE_ID ]
TABLE_ID := [ local | main | default | all | NUMBER ]`)
}

// mrouteText is a multicast route's line as ip mroute show writes it.
func (c *command) mrouteText(o object) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-32s Iif: ", "("+o.str("src")+","+o.str("dst")+")")
	if iif := o.str("iif"); iif == "unresolved" {
		b.WriteString("unresolved ")
	} else {
		fmt.Fprintf(&b, "%-10s ", iif)
	}
	var oifs []struct {
		Oif string `json:"oif"`
		TTL int    `json:"ttl"`
	}
	if v := o.get("multipath"); v != nil {
		if err := json.Unmarshal(v, &oifs); err == nil && len(oifs) > 0 {
			b.WriteString("Oifs: ")
		}
	}
	for _, oif := range oifs {
		b.WriteString(oif.Oif)
		if oif.TTL > 1 {
			fmt.Fprintf(&b, "(ttl %d) ", oif.TTL)
		} else {
			b.WriteString(" ")
		}
	}
	b.WriteString(" State: " + o.str("state"))
	if o.get("offload") != nil {
		b.WriteString(" offload")
	}
	if p := o.num("packets"); p != "" {
		fmt.Fprintf(&b, "%s  %s packets, %s bytes", c.lineEnd(), p, o.num("bytes"))
		if w := o.num("wrong_if"); w != "" {
			fmt.Fprintf(&b, ", %s arrived on wrong iif.", w)
		}
	}
	if e := o.num("expires"); e != "" {
		var age float64
		fmt.Sscan(e, &age)
		fmt.Fprintf(&b, ", Age %.2f", age)
	}
	if t := o.str("table"); t != "" {
		b.WriteString(" Table: " + t)
	}
	return b.String() + "\n"
}
