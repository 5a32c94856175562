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
	case matches(cmd, "prepend"):
		return c.routeWrite(ctx, args, c.conn.PrependRoute)
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
	// vrf is set by `vrf NAME`, which shows neither local nor broadcast
	// routes.
	vrf bool
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
			s.table, err = c.vrfTableOf(ctx, val)
			s.vrf = true
		case w == "from":
			f, err = c.routeFromSelector(&args)
		case w == "tos", matches(w, "dsfield"):
			var d uint8
			if d, err = rtnl.ParseDSField(val); err == nil {
				f = rtnl.FilterRouteTOS(d)
				s.hidden["tos"] = true
			} else {
				err = invarg("TOS value is invalid\n", val)
			}
		case matches(w, "realms"):
			f, s.hidden["flow"], err = routeRealmsSelector(val)
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
			if n, err = parseCUint(val, 32); err == nil {
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
					return s, incomplete()
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
			return s, incomplete()
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
	o = o.withoutOutsideEncap(func(key string, v json.RawMessage) bool {
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
	return c.withMetricsText(c.numericRoute(o, r), r), nil
}

// routeShow runs `ip route show`.
func (c *command) routeShow(ctx context.Context, args []string) error {
	s, err := c.parseRouteSelection(ctx, args)
	if err != nil {
		return err
	}
	routes, err := c.conn.Routes(ctx, s.filters...)
	if err != nil {
		return terminated(err, "Dump")
	}
	var objs []object
	for _, r := range routes {
		if s.vrf && (r.Type == rtnl.RouteTypeLocal || r.Type == rtnl.RouteTypeBroadcast) {
			continue
		}
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
	for i := 0; i < len(o); i++ {
		m := o[i]
		var s string
		json.Unmarshal(m.value, &s)
		switch m.key {
		case "encap":
			t, n := encapText(o[i:])
			b.WriteString(t)
			i += n - 1
		case "type", "dst":
			b.WriteString(s + " ")
		case "flags":
			for _, f := range o.strs("flags") {
				b.WriteString(f + " ")
			}
		case "gateway":
			b.WriteString("via " + s + " ")
		case "via":
			v := o.sub("via")
			b.WriteString("via " + v.str("family") + " " + v.str("host") + " ")
		case "to":
			b.WriteString("as to " + s + " ")
		case "ttl-propogate":
			if string(m.value) == "true" {
				b.WriteString("ttl-propogate enabled")
			} else {
				b.WriteString("ttl-propogate disabled")
			}
		case "protocol":
			b.WriteString("proto " + s + " ")
		case "prefsrc":
			b.WriteString("src " + s + " ")
		case "pref":
			b.WriteString("pref " + s) // the one ip ends without a space
		case "nh_info":
			b.WriteString("\n\tnh_info " + nexthopText(o.sub("nh_info")))
		case "metrics":
			b.WriteString(s)
		case "flow":
			b.WriteString(flowText(o.sub("flow")))
		case "expires":
			b.WriteString("expires " + string(m.value) + "sec ")
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

// routeFlush runs `ip route flush SELECTORS`.
func (c *command) routeFlush(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return &exitError{"\"ip route flush\" requires arguments.", 255}
	}
	if len(args) == 1 && args[0] == "cache" {
		return c.routeFlushCache(ctx)
	}
	s, err := c.parseRouteSelection(ctx, args)
	if err != nil {
		return err
	}
	return c.flushRoutes(ctx, s)
}

// routeSave runs `ip route save SELECTORS`.
func (c *command) routeSave(ctx context.Context, args []string) error {
	s, err := c.parseRouteSelection(ctx, args)
	if err != nil {
		return err
	}
	return terminated(c.conn.SaveRoutes(ctx, c.stdout, s.filters...), "Dump")
}

// routeShowdump runs `ip route showdump`: the routes of a saved file,
// their links named as this namespace names them.
func (c *command) routeShowdump(ctx context.Context) error {
	all := routeSelection{table: rtnl.TableUnspec, hidden: map[string]bool{}}
	c.opts.json = false // ip prints the text form, whatever the options
	var objs []object
	for r, err := range c.conn.ReadSavedRoutes(ctx, c.stdin) {
		if err != nil {
			return err
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
	return 0, invarg("\"table\" value is invalid", v)
}

// parseProtocol reads a routing protocol by ip's name or number.
func parseProtocol(v string) (rtnl.Protocol, error) {
	if p, ok := nameOrNumber[rtnl.Protocol](v, 8); ok {
		return p, nil
	}
	return 0, invarg("\"protocol\" value is invalid", v)
}

// parseRouteType reads a route type by ip's name.
func parseRouteType(v string) (rtnl.RouteType, error) {
	// ip takes route types by name only.
	if t, ok := nameOrNumber[rtnl.RouteType](v, 0); ok {
		return t, nil
	}
	return 0, usageErr("Error: \"" + v + "\" is not a route type.")
}
