package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/nlkit/nlkit/rtnl"
)

// nexthop runs `ip nexthop show`; its other commands are not part of this
// example yet.
func (c *command) nexthop(ctx context.Context, args []string) error {
	if len(args) > 0 && !matches(args[0], "show") && !matches(args[0], "list") && args[0] != "lst" {
		return usageErr("ip nexthop " + args[0] + " is not part of this example.")
	}
	var filters []rtnl.NexthopFilter
	if c.opts.family != 0 {
		filters = append(filters, rtnl.FilterNexthopFamily(c.opts.family))
	}
	nhs, err := c.conn.Nexthops(ctx, filters...)
	if err != nil {
		return err
	}
	var elems []json.Marshaler
	for _, n := range nhs {
		o, err := marshalObject(n)
		if err != nil {
			return err
		}
		if c.opts.json {
			elems = append(elems, o)
			continue
		}
		var b strings.Builder
		for _, m := range o {
			var s string
			json.Unmarshal(m.value, &s)
			if s == "" {
				s = string(m.value)
			}
			b.WriteString(m.key + " " + s + " ")
		}
		fmt.Fprintln(c.stdout, b.String())
	}
	if c.opts.json {
		return c.printList(elems)
	}
	return nil
}
