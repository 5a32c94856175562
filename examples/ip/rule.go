package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"

	"golang.org/x/sys/unix"
)

// rule runs `ip rule show|add|del|flush|save|restore`.
func (c *command) rule(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch cmd := args[0]; {
		case matches(cmd, "add"):
			return c.ruleWrite(ctx, args[1:], c.conn.AddRule)
		case matches(cmd, "delete"):
			return c.ruleWrite(ctx, args[1:], c.conn.DeleteRule)
		case matches(cmd, "flush"):
			return c.ruleFlush(ctx, args[1:])
		case matches(cmd, "save"):
			return c.ruleSave(ctx, args[1:])
		case matches(cmd, "restore"):
			return c.ruleRestore(ctx)
		case !matches(cmd, "show") && !matches(cmd, "list") && cmd != "lst":
			return unknownCommand(cmd, "rule")
		}
		args = args[1:]
	}
	filters, err := c.ruleSelection(args, false)
	if err != nil {
		return err
	}
	rules, err := c.conn.Rules(ctx, filters...)
	if err != nil {
		return err
	}
	var objs []object
	for _, r := range rules {
		o, err := marshalObject(r)
		if err != nil {
			return err
		}
		if !c.opts.details {
			// ip shows the protocols other than unspec and kernel.
			o = o.without(func(key string, v json.RawMessage) bool {
				return key == "protocol" && (string(v) == `"unspec"` || string(v) == `"kernel"`)
			})
		}
		objs = append(objs, o)
	}
	return c.printObjects(objs, func(o object) { fmt.Fprintln(c.stdout, ruleText(o)) })
}

// ruleFamily is the family ip rule works on: IPv4 unless -6 says so.
func (c *command) ruleFamily() uint8 {
	if c.opts.family == unix.AF_UNSPEC {
		return unix.AF_INET
	}
	return c.opts.family
}

// familyOf is the address family of a.
func familyOf(a netip.Addr) uint8 {
	if a.Is4() {
		return unix.AF_INET
	}
	return unix.AF_INET6
}

// ruleText is a rule's line as ip rule show writes it, from its object.
func ruleText(o object) string {
	var b strings.Builder
	b.WriteString(o.num("priority") + ":\t")
	prefix := func(key string) string {
		if l := o.num(key + "len"); l != "" {
			return o.str(key) + "/" + l
		}
		return o.str(key)
	}
	for _, m := range o {
		var s string
		json.Unmarshal(m.value, &s)
		switch m.key {
		case "priority", "srclen", "dstlen", "fwmask", "uid_end", "sport_end", "dport_end":
		case "flow_to":
			if o.get("flow_from") == nil {
				b.WriteString("realms " + s + " ")
			}
		case "not":
			b.WriteString("not ")
		case "src":
			b.WriteString("from " + prefix("src") + " ")
		case "dst":
			b.WriteString("to " + prefix("dst") + " ")
		case "fwmark":
			b.WriteString("fwmark " + s)
			if mask := o.str("fwmask"); mask != "" {
				b.WriteString("/" + mask)
			}
			b.WriteString(" ")
		case "iif_detached", "oif_detached":
			b.WriteString("[detached] ")
		case "l3mdev":
			b.WriteString("lookup [l3mdev-table] ")
		case "uid_start":
			b.WriteString("uidrange " + o.num("uid_start") + "-" + o.num("uid_end") + " ")
		case "sport_start", "dport_start":
			port := strings.TrimSuffix(m.key, "_start")
			b.WriteString(port + " " + o.num(m.key) + "-" + o.num(port+"_end") + " ")
		case "table":
			b.WriteString("lookup " + s + " ")
		case "suppress_prefixlen":
			b.WriteString("suppress_prefixlength " + string(m.value) + " ")
		case "flow_from":
			b.WriteString("realms " + s + "/" + o.str("flow_to") + " ")
		case "nat_gateway":
			b.WriteString("map-to " + s + " ")
		case "masquerade", "nop", "unresolved":
			if m.key == "unresolved" {
				b.WriteString("[unresolved] ")
			} else {
				b.WriteString(m.key + " ")
			}
		case "action":
			b.WriteString(s + " ")
		case "protocol":
			b.WriteString("proto " + s + " ")
		default:
			if s == "" {
				s = string(m.value)
			}
			b.WriteString(m.key + " " + s + " ")
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}
