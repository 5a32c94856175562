package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// route runs `ip route COMMAND …`.
func (c *command) route(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return c.routeShow(ctx, nil)
	}
	cmd, args := args[0], args[1:]
	switch {
	case matches(cmd, "add"):
		return c.routeWrite(ctx, args, c.conn.AddRoute)
	case matches(cmd, "change"), cmd == "chg":
		return c.routeWrite(ctx, args, c.conn.ChangeRoute)
	case matches(cmd, "replace"):
		return c.routeWrite(ctx, args, c.conn.ReplaceRoute)
	case matches(cmd, "append"):
		return c.routeWrite(ctx, args, c.conn.AppendRoute)
	case matches(cmd, "delete"):
		return c.routeWrite(ctx, args, c.conn.DeleteRoute)
	case matches(cmd, "show"), matches(cmd, "list"), matches(cmd, "lst"):
		return c.routeShow(ctx, args)
	case matches(cmd, "get"):
		return c.routeGet(ctx, args)
	case matches(cmd, "flush"):
		return c.routeFlush(ctx, args)
	case matches(cmd, "save"):
		return c.routeSave(ctx, args)
	case matches(cmd, "showdump"):
		return c.routeShowdump(ctx)
	case matches(cmd, "restore"):
		return c.conn.RestoreRoutes(ctx, c.stdin)
	}
	return unknownCommand(cmd, "route")
}

// routeSelection is what the selectors of `ip route show|flush` chose:
// the filters, and which keys ip then leaves out of what it prints.
type routeSelection struct {
	filters []rtnl.RouteFilter
	table   rtnl.Table
	hidden  map[string]bool
}

// parseRouteSelection reads `[table T|all] [dev D] [proto P] [scope S]
// [type T] [via A] [src A] [metric M] [root|match|exact P] [P] [cloned]`.
func (c *command) parseRouteSelection(ctx context.Context, args []string) (routeSelection, error) {
	s := routeSelection{table: rtnl.TableMain, hidden: map[string]bool{}}
	for len(args) > 0 {
		w := args[0]
		val := ""
		if len(args) > 1 {
			val = args[1]
		}
		var f rtnl.RouteFilter
		var err error
		two := true
		switch {
		case w == "table":
			if val == "all" {
				s.table = rtnl.TableUnspec
			} else {
				s.table, err = parseTable(val)
			}
		case w == "vrf":
			err = usageErr("vrf is not part of this example")
		case w == "dev", w == "oif":
			var l rtnl.Link
			if l, err = c.linkByName(ctx, val); err == nil {
				f = rtnl.FilterRouteLink(l.Index)
				s.hidden["dev"] = true
			}
		case w == "iif":
			var l rtnl.Link
			if l, err = c.linkByName(ctx, val); err == nil {
				f = rtnl.FilterRouteInputLink(l.Index)
				s.hidden["iif"] = true
			}
		case matches(w, "protocol"):
			var p rtnl.Protocol
			if p, err = parseProtocol(val); err == nil {
				f = rtnl.FilterRouteProtocol(p)
				s.hidden["protocol"] = true
			}
		case w == "scope":
			var sc rtnl.Scope
			if sc, err = parseScope(val); err == nil {
				f = rtnl.FilterRouteScope(sc)
				s.hidden["scope"] = true
			}
		case w == "type":
			var t rtnl.RouteType
			if t, err = parseRouteType(val); err == nil {
				f = rtnl.FilterRouteType(t)
			}
		case w == "via":
			var p netip.Prefix
			if p, err = parsePrefix(val); err == nil {
				f = rtnl.FilterRouteVia(p)
				s.hidden["gateway"] = p.Bits() == p.Addr().BitLen()
			}
		case w == "src":
			var p netip.Prefix
			if p, err = parsePrefix(val); err == nil {
				f = rtnl.FilterRoutePrefSrc(p)
				s.hidden["prefsrc"] = p.Bits() == p.Addr().BitLen()
			}
		case w == "metric", w == "priority", w == "preference":
			var n uint64
			if n, err = strconv.ParseUint(val, 0, 32); err == nil {
				f = rtnl.FilterRouteMetric(uint32(n))
				s.hidden["metric"] = true
			}
		case w == "root", w == "match", w == "exact":
			var p netip.Prefix
			if p, err = c.routePrefix(val); err == nil {
				f = map[string]func(netip.Prefix) rtnl.RouteFilter{"root": rtnl.FilterRouteRoot, "match": rtnl.FilterRouteMatch, "exact": rtnl.FilterRouteExact}[w](p)
			}
		case w == "cloned", w == "cached":
			f, two = rtnl.FilterRouteCloned(), false
		default:
			if w == "to" {
				args = args[1:]
				if len(args) == 0 {
					return s, usageErr("Command line is not complete. Try option \"help\"")
				}
				w = args[0]
			}
			var p netip.Prefix
			if p, err = c.routePrefix(w); err == nil {
				f = rtnl.FilterRouteMatch(p)
				if p.Bits() != 0 || w != "default" && w != "all" {
					f = rtnl.FilterRouteExact(p)
				}
			}
			two = false
		}
		if err != nil {
			return s, err
		}
		if two && len(args) < 2 {
			return s, usageErr("Command line is not complete. Try option \"help\"")
		}
		if f != nil {
			s.filters = append(s.filters, f)
		}
		args = args[1:]
		if two {
			args = args[1:]
		}
	}
	s.filters = append(s.filters, rtnl.FilterRouteTable(s.table))
	if c.opts.family != unix.AF_UNSPEC {
		s.filters = append(s.filters, rtnl.FilterRouteFamily(c.opts.family))
	}
	return s, nil
}

// routePrefix reads a destination: a prefix, or "default"/"all" for the
// zero-length prefix of the command's family.
func (c *command) routePrefix(v string) (netip.Prefix, error) {
	if v == "default" || v == "all" || v == "any" {
		if c.opts.family == unix.AF_INET6 {
			return netip.PrefixFrom(netip.IPv6Unspecified(), 0), nil
		}
		return netip.PrefixFrom(netip.IPv4Unspecified(), 0), nil
	}
	return parsePrefix(v)
}

// routeObject is the JSON object of r as `ip -j route show` prints it with
// the command's options and selectors.
func (c *command) routeObject(r rtnl.Route, s routeSelection) (object, error) {
	o, err := marshalObject(r)
	if err != nil {
		return nil, err
	}
	d := c.opts.details
	o = o.without(func(key string, v json.RawMessage) bool {
		switch key {
		case "type":
			return string(v) == `"unicast"` && !d
		case "table":
			return (string(v) == `"main"` && !d) || s.table != rtnl.TableUnspec
		case "protocol":
			return (string(v) == `"boot"` && !d) || s.hidden[key]
		case "scope":
			return (string(v) == `"global"` && !d) || s.hidden[key]
		case "nh_info":
			return !d
		case "users", "age", "used":
			return c.opts.stats == 0
		}
		return s.hidden[key]
	})
	return c.numericRoute(o, r), nil
}

// routeShow runs `ip route show`.
func (c *command) routeShow(ctx context.Context, args []string) error {
	s, err := c.parseRouteSelection(ctx, args)
	if err != nil {
		return err
	}
	routes, err := c.conn.Routes(ctx, s.filters...)
	if errors.Is(err, rtnl.ErrNotExist) {
		// The kernel refuses to dump a table that does not exist yet
		// ("FIB table does not exist"); ip shows it empty.
		routes, err = nil, nil
	}
	if err != nil {
		return err
	}
	var objs []object
	for _, r := range routes {
		o, err := c.routeObject(r, s)
		if err != nil {
			return err
		}
		objs = append(objs, o)
	}
	return c.printObjects(objs, c.printRoute)
}

// printRoute writes a route as `ip route show` does, from its object:
// ip prints the text and the JSON in the same order.
func (c *command) printRoute(o object) {
	fmt.Fprintln(c.stdout, routeText(o))
}

// routeText is the text of a route's object, or of one of its nexthops.
func routeText(o object) string {
	var b strings.Builder
	for _, m := range o {
		var s string
		json.Unmarshal(m.value, &s)
		switch m.key {
		case "type", "dst":
			b.WriteString(s + " ")
		case "flags":
			for _, f := range o.strs("flags") {
				b.WriteString(f + " ")
			}
		case "gateway":
			b.WriteString("via " + s + " ")
		case "protocol":
			b.WriteString("proto " + s + " ")
		case "prefsrc":
			b.WriteString("src " + s + " ")
		case "pref":
			b.WriteString("pref " + s) // the one ip ends without a space
		case "nh_info":
			b.WriteString("\n\tnh_info " + nexthopText(o.sub("nh_info")))
		case "cache":
			b.WriteString("\n    cache ")
			for _, f := range o.strs("cache") {
				b.WriteString(f + " ")
			}
		case "nexthops":
			var nhs []json.RawMessage
			json.Unmarshal(m.value, &nhs)
			for _, raw := range nhs {
				if nh, err := parseObject(raw); err == nil {
					b.WriteString("\n\tnexthop " + routeText(nh))
				}
			}
		default:
			if s == "" {
				s = string(m.value)
			}
			b.WriteString(m.key + " " + s + " ")
		}
	}
	return b.String()
}

// routeWrite runs `ip route add|change|replace|append|del ROUTE`.
func (c *command) routeWrite(ctx context.Context, args []string, write func(context.Context, rtnl.Route) error) error {
	var r rtnl.Route
	dstSet := false
	for len(args) > 0 {
		w := args[0]
		val := ""
		if len(args) > 1 {
			val = args[1]
		}
		var err error
		two := true
		switch {
		case w == "via", w == "gw":
			if val == "inet" || val == "inet6" {
				args = args[1:]
				if len(args) < 2 {
					return usageErr("Command line is not complete. Try option \"help\"")
				}
				val = args[1]
			}
			var a netip.Addr
			if a, err = parseAddr(val); err == nil {
				if dstSet && a.Is4() != r.Dst.Addr().Is4() {
					r.Via = a
				} else {
					r.Gateway = a
				}
			}
		case w == "dev", w == "oif":
			var l rtnl.Link
			if l, err = c.linkByName(ctx, val); err == nil {
				r.LinkIndex = l.Index
			}
		case w == "table":
			r.Table, err = parseTable(val)
		case matches(w, "protocol"):
			r.Protocol, err = parseProtocol(val)
		case w == "scope":
			r.Scope, err = parseScope(val)
		case w == "src":
			r.PrefSrc, err = parseAddr(val)
		case w == "metric", w == "priority", w == "preference":
			var n uint64
			n, err = strconv.ParseUint(val, 0, 32)
			r.Metric = uint32(n)
		case w == "nhid":
			var n uint64
			n, err = strconv.ParseUint(val, 0, 32)
			r.NexthopID = uint32(n)
		case w == "mtu":
			var n uint64
			if n, err = strconv.ParseUint(val, 0, 32); err == nil {
				m := uint32(n)
				r.Metrics = &rtnl.RouteMetrics{MTU: &m}
			}
		case w == "onlink":
			r.Flags |= rtnl.RouteFlags(unix.RTNH_F_ONLINK)
			two = false
		case w == "nexthop":
			var nh rtnl.RouteNexthop
			if nh, args, err = c.parseRouteNexthop(ctx, args[1:]); err != nil {
				return err
			}
			r.Nexthops = append(r.Nexthops, nh)
			continue
		default:
			two = false
			if t, terr := parseRouteType(w); terr == nil && !dstSet {
				r.Type = t
				break
			}
			if w == "to" {
				args = args[1:]
				if len(args) == 0 {
					return usageErr("Command line is not complete. Try option \"help\"")
				}
				w = args[0]
			}
			if dstSet {
				return usageErr("Error: either \"to\" is duplicate, or \"" + w + "\" is a garbage.")
			}
			r.Dst, err = c.routePrefix(w)
			dstSet = true
		}
		if err != nil {
			return err
		}
		if two && len(args) < 2 {
			return usageErr("Command line is not complete. Try option \"help\"")
		}
		args = args[1:]
		if two {
			args = args[1:]
		}
	}
	if !dstSet {
		return usageErr("Error: argument \"to\" is required.")
	}
	return write(ctx, r)
}

// parseRouteNexthop reads one `nexthop [via ADDR] [dev DEV] [weight N]
// [onlink]` of a multipath route and returns the arguments after it.
func (c *command) parseRouteNexthop(ctx context.Context, args []string) (rtnl.RouteNexthop, []string, error) {
	nh := rtnl.RouteNexthop{Weight: 1}
	for len(args) > 0 && args[0] != "nexthop" {
		w := args[0]
		if w == "onlink" {
			nh.Flags |= rtnl.RouteFlags(unix.RTNH_F_ONLINK)
			args = args[1:]
			continue
		}
		if len(args) < 2 || (w != "via" && w != "dev" && w != "weight") {
			break
		}
		var err error
		switch w {
		case "via":
			nh.Gateway, err = parseAddr(args[1])
		case "dev":
			var l rtnl.Link
			if l, err = c.linkByName(ctx, args[1]); err == nil {
				nh.LinkIndex = l.Index
			}
		case "weight":
			nh.Weight, err = strconv.Atoi(args[1])
		}
		if err != nil {
			return nh, nil, err
		}
		args = args[2:]
	}
	return nh, args, nil
}

// routeGet runs `ip route get ADDR [from A] [iif D] [oif D] [mark M]
// [fibmatch]`.
func (c *command) routeGet(ctx context.Context, args []string) error {
	var q rtnl.RouteQuery
	for len(args) > 0 {
		w := args[0]
		var err error
		switch {
		case w == "fibmatch":
		case w == "from" && len(args) > 1:
			q.From, err = parseAddr(args[1])
			args = args[1:]
		case (w == "iif" || w == "oif" || w == "dev") && len(args) > 1:
			var l rtnl.Link
			if l, err = c.linkByName(ctx, args[1]); err == nil {
				if w == "iif" {
					q.InputLinkIndex = l.Index
				} else {
					q.LinkIndex = l.Index
				}
			}
			args = args[1:]
		case w == "mark" && len(args) > 1:
			var n uint64
			n, err = strconv.ParseUint(args[1], 0, 32)
			q.Mark = uint32(n)
			args = args[1:]
		default:
			if w == "to" && len(args) > 1 {
				args = args[1:]
				w = args[0]
			}
			q.To, err = parseAddr(w)
		}
		if w == "fibmatch" {
			q.FibMatch = true
		}
		if err != nil {
			return err
		}
		args = args[1:]
	}
	r, err := c.conn.GetRoute(ctx, q)
	if err != nil {
		return err
	}
	o, err := c.routeObject(r, routeSelection{table: rtnl.TableUnspec, hidden: map[string]bool{}})
	if err != nil {
		return err
	}
	if c.opts.json {
		return c.printList([]json.Marshaler{o})
	}
	c.printRoute(o)
	return nil
}

// routeFlush runs `ip route flush SELECTORS`.
func (c *command) routeFlush(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return &exitError{"\"ip route flush\" requires arguments.", 255}
	}
	s, err := c.parseRouteSelection(ctx, args)
	if err != nil {
		return err
	}
	return c.conn.FlushRoutes(ctx, s.filters...)
}

// routeSave runs `ip route save [table T]`. rtnl's SaveRoutes selects
// by family and table only: other selectors are refused rather than
// ignored.
func (c *command) routeSave(ctx context.Context, args []string) error {
	s, err := c.parseRouteSelection(ctx, args)
	if err != nil {
		return err
	}
	kept := 1 // the table
	if c.opts.family != unix.AF_UNSPEC {
		kept++
	}
	if len(s.filters) > kept {
		return usageErr("ip route save: this example selects the routes to save by family and table only.")
	}
	return c.conn.SaveRoutes(ctx, c.stdout, c.opts.family, s.table)
}

// routeShowdump runs `ip route showdump`: the routes of a saved file.
func (c *command) routeShowdump(ctx context.Context) error {
	all := routeSelection{table: rtnl.TableUnspec, hidden: map[string]bool{}}
	var objs []object
	for r, err := range rtnl.ReadSavedRoutes(c.stdin) {
		if err != nil {
			return err
		}
		// ip names the links as this namespace does.
		if l, err := c.conn.LinkByIndex(ctx, r.LinkIndex); err == nil && r.LinkIndex != 0 {
			r.LinkName = l.Name
		}
		o, err := c.routeObject(r, all)
		if err != nil {
			return err
		}
		objs = append(objs, o)
	}
	return c.printObjects(objs, c.printRoute)
}

// parseTable reads a routing table by ip's name or number.
func parseTable(v string) (rtnl.Table, error) {
	if t, ok := nameOrNumber[rtnl.Table](v, 32); ok {
		return t, nil
	}
	return 0, usageErr("Error: argument \"" + v + "\" is wrong: \"table\" value is invalid")
}

// parseProtocol reads a routing protocol by ip's name or number.
func parseProtocol(v string) (rtnl.Protocol, error) {
	if p, ok := nameOrNumber[rtnl.Protocol](v, 8); ok {
		return p, nil
	}
	return 0, usageErr("Error: argument \"" + v + "\" is wrong: \"protocol\" value is invalid")
}

// parseRouteType reads a route type by ip's name.
func parseRouteType(v string) (rtnl.RouteType, error) {
	// ip takes route types by name only.
	if t, ok := nameOrNumber[rtnl.RouteType](v, 0); ok {
		return t, nil
	}
	return 0, usageErr("Error: \"" + v + "\" is not a route type.")
}
