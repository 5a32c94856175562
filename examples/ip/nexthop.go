package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// nexthop runs `ip nexthop show|add|replace|del|flush`.
func (c *command) nexthop(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch cmd := args[0]; {
		case matches(cmd, "add"):
			return c.nexthopWrite(ctx, args[1:], c.conn.AddNexthop)
		case matches(cmd, "replace"):
			return c.nexthopWrite(ctx, args[1:], c.conn.ReplaceNexthop)
		case matches(cmd, "delete"):
			if len(args) < 3 || args[1] != "id" {
				return usageErr("Error: id is required")
			}
			id, err := strconv.ParseUint(args[2], 0, 32)
			if err != nil {
				return usageErr("Error: argument \"" + args[2] + "\" is wrong: Invalid id value")
			}
			return c.conn.DeleteNexthop(ctx, uint32(id))
		case matches(cmd, "flush"):
			return c.conn.FlushNexthops(ctx)
		case !matches(cmd, "show") && !matches(cmd, "list") && cmd != "lst":
			return unknownCommand(cmd, "nexthop")
		}
	}
	var filters []rtnl.NexthopFilter
	if c.opts.family != 0 {
		filters = append(filters, rtnl.FilterNexthopFamily(c.opts.family))
	}
	nhs, err := c.conn.Nexthops(ctx, filters...)
	if err != nil {
		return err
	}
	var objs []object
	for _, n := range nhs {
		o, err := marshalObject(n)
		if err != nil {
			return err
		}
		if !c.opts.details {
			o = o.without(func(key string, v json.RawMessage) bool {
				return key == "protocol" && string(v) == `"unspec"` || key == "scope" && string(v) == `"global"`
			})
		}
		objs = append(objs, o)
	}
	return c.printObjects(objs, func(o object) { fmt.Fprintln(c.stdout, nexthopText(o)) })
}

// nexthopWrite runs `ip nexthop add|replace id ID { [via ADDR] dev DEV
// [onlink] | blackhole | group ID[,WEIGHT]/… } [proto P] [fdb]`.
func (c *command) nexthopWrite(ctx context.Context, args []string, write func(context.Context, rtnl.Nexthop) error) error {
	var n rtnl.Nexthop
	for len(args) > 0 {
		w := args[0]
		switch w {
		case "blackhole":
			n.Blackhole = true
			args = args[1:]
			continue
		case "fdb":
			n.FDB = true
			args = args[1:]
			continue
		case "onlink":
			n.Flags |= rtnl.RouteFlags(unix.RTNH_F_ONLINK)
			args = args[1:]
			continue
		}
		if len(args) < 2 {
			return usageErr("Command line is not complete. Try option \"help\"")
		}
		v := args[1]
		var err error
		switch {
		case w == "id":
			var id uint64
			id, err = strconv.ParseUint(v, 0, 32)
			n.ID = uint32(id)
		case w == "via":
			n.Gateway, err = parseAddr(v)
		case w == "dev":
			var l rtnl.Link
			if l, err = c.linkByName(ctx, v); err == nil {
				n.LinkIndex = l.Index
			}
		case matches(w, "protocol"):
			n.Protocol, err = parseProtocol(v)
		case w == "group":
			for _, m := range strings.Split(v, "/") {
				id, weight, hasWeight := strings.Cut(m, ",")
				var member rtnl.NexthopGroupMember
				var u uint64
				if u, err = strconv.ParseUint(id, 0, 32); err != nil {
					break
				}
				member.ID = uint32(u)
				if hasWeight {
					if u, err = strconv.ParseUint(weight, 0, 16); err != nil {
						break
					}
					member.Weight = uint16(u)
				}
				n.Group = append(n.Group, member)
			}
		default:
			return usageErr("Error: argument \"" + w + "\" is wrong: unknown nexthop option")
		}
		if err != nil {
			if _, ok := err.(*exitError); ok {
				return err
			}
			return usageErr("Error: argument \"" + v + "\" is wrong: " + w)
		}
		args = args[2:]
	}
	if c.opts.family != unix.AF_UNSPEC {
		n.Family = c.opts.family
	}
	return write(ctx, n)
}

// nexthopText is a nexthop's line as ip nexthop show writes it, from its
// object.
func nexthopText(o object) string {
	var b strings.Builder
	for _, m := range o {
		var s string
		json.Unmarshal(m.value, &s)
		switch m.key {
		case "gateway":
			b.WriteString("via " + s + " ")
		case "protocol":
			b.WriteString("proto " + s + " ")
		case "blackhole", "fdb":
			b.WriteString(m.key + " ")
		case "flags":
			for _, f := range o.strs("flags") {
				b.WriteString(f + " ")
			}
		case "group":
			var members []struct {
				ID     uint32 `json:"id"`
				Weight uint32 `json:"weight"`
			}
			json.Unmarshal(m.value, &members)
			b.WriteString("group ")
			for i, g := range members {
				if i > 0 {
					b.WriteString("/")
				}
				b.WriteString(strconv.FormatUint(uint64(g.ID), 10))
				if g.Weight != 0 {
					b.WriteString("," + strconv.FormatUint(uint64(g.Weight), 10))
				}
			}
			b.WriteString(" ")
		default:
			if s == "" {
				s = string(m.value)
			}
			b.WriteString(m.key + " " + s + " ")
		}
	}
	return b.String()
}
