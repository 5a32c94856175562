package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// rule runs `ip rule show`; ip rule's other commands are not part of this
// example yet.
func (c *command) rule(ctx context.Context, args []string) error {
	if len(args) > 0 && !matches(args[0], "show") && !matches(args[0], "list") && args[0] != "lst" {
		return usageErr("ip rule " + args[0] + " is not part of this example.")
	}
	family := c.opts.family
	if family == unix.AF_UNSPEC {
		family = unix.AF_INET // as ip rule lists
	}
	rules, err := c.conn.Rules(ctx, rtnl.FilterRuleFamily(family))
	if err != nil {
		return err
	}
	var elems []json.Marshaler
	for _, r := range rules {
		o, err := marshalObject(r)
		if err != nil {
			return err
		}
		if !c.opts.details {
			o = o.without(func(key string, _ json.RawMessage) bool { return key == "protocol" })
		}
		if c.opts.json {
			elems = append(elems, o)
			continue
		}
		var b strings.Builder
		b.WriteString(o.num("priority") + ":\t")
		for _, m := range o {
			var s string
			json.Unmarshal(m.value, &s)
			switch m.key {
			case "priority":
			case "src":
				b.WriteString("from " + s)
				if l := o.num("srclen"); l != "" {
					b.WriteString("/" + l)
				}
				b.WriteString(" ")
			case "dst":
				b.WriteString("to " + s + " ")
			case "srclen", "dstlen":
			case "table":
				b.WriteString("lookup " + s + " ")
			default:
				if s == "" {
					s = string(m.value)
				}
				b.WriteString(m.key + " " + s + " ")
			}
		}
		fmt.Fprintln(c.stdout, strings.TrimSuffix(b.String(), " "))
	}
	if c.opts.json {
		return c.printList(elems)
	}
	return nil
}
