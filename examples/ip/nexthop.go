package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// nexthop runs `ip nexthop show|get|add|replace|del|flush|bucket`.
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
			id, err := parseCUint(args[2], 32)
			if err != nil {
				return invarg("Invalid id value", args[2])
			}
			return c.conn.DeleteNexthop(ctx, uint32(id))
		case matches(cmd, "get"):
			return c.nexthopGet(ctx, args[1:])
		case matches(cmd, "bucket"):
			return c.nexthopBucket(ctx, args[1:])
		case matches(cmd, "flush"):
			filters, err := c.nexthopSelection(ctx, args[1:])
			if err != nil {
				return err
			}
			return c.conn.FlushNexthops(ctx, filters...)
		case !matches(cmd, "show") && !matches(cmd, "list") && cmd != "lst":
			return unknownCommand(cmd, "nexthop")
		}
		args = args[1:]
	}
	filters, err := c.nexthopSelection(ctx, args)
	if err != nil {
		return err
	}
	nhs, err := c.conn.Nexthops(ctx, filters...)
	if err != nil {
		return err
	}
	objs, err := c.nexthopObjects(nhs)
	if err != nil {
		return err
	}
	return c.printObjects(objs, func(o object) { fmt.Fprintln(c.stdout, nexthopText(o)) })
}

// nexthopText is a nexthop's line as ip nexthop show writes it, from its
// object.
func nexthopText(o object) string {
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
		case "gateway":
			b.WriteString("via " + s + " ")
		case "protocol":
			b.WriteString("proto " + s + " ")
		case "blackhole":
			b.WriteString(m.key + " ")
		case "fdb":
			b.WriteString(m.key)
		case "resilient_args":
			for _, a := range o.sub(m.key) {
				b.WriteString(a.key + " " + string(a.value) + " ")
			}
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
