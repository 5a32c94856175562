package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// rule runs `ip rule show|add|del`.
func (c *command) rule(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch cmd := args[0]; {
		case matches(cmd, "add"):
			return c.ruleWrite(ctx, args[1:], c.conn.AddRule)
		case matches(cmd, "delete"):
			return c.ruleWrite(ctx, args[1:], c.conn.DeleteRule)
		case matches(cmd, "flush"):
			return c.conn.FlushRules(ctx, rtnl.FilterRuleFamily(c.ruleFamily()))
		case !matches(cmd, "show") && !matches(cmd, "list") && cmd != "lst":
			return unknownCommand(cmd, "rule")
		}
	}
	rules, err := c.conn.Rules(ctx, rtnl.FilterRuleFamily(c.ruleFamily()))
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
			o = o.without(func(key string, _ json.RawMessage) bool { return key == "protocol" })
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

// ruleWrite runs `ip rule add|del [not] [from P] [to P] [tos T] [fwmark
// M[/MASK]] [iif D] [oif D] [pref N] [table T | goto N | ACTION] [proto
// P] [suppress_prefixlength N]`.
func (c *command) ruleWrite(ctx context.Context, args []string, write func(context.Context, rtnl.Rule) error) error {
	r := rtnl.Rule{Family: c.ruleFamily()}
	for len(args) > 0 {
		w := args[0]
		if w == "not" {
			r.Flags |= rtnl.RuleInvert
			args = args[1:]
			continue
		}
		if t, err := parseRouteType(w); err == nil && (w == "blackhole" || w == "unreachable" || w == "prohibit" || w == "nop") {
			r.Action = t
			args = args[1:]
			continue
		}
		if len(args) < 2 {
			return usageErr("Command line is not complete. Try option \"help\"")
		}
		v := args[1]
		var err error
		switch {
		case w == "from", w == "to":
			var p netip.Prefix
			if v == "all" {
				break
			}
			if p, err = parsePrefix(v); err == nil {
				if w == "from" {
					r.Src = p
				} else {
					r.Dst = p
				}
				r.Family = familyOf(p.Addr())
			}
		case w == "tos", w == "dsfield":
			var n uint64
			n, err = strconv.ParseUint(v, 0, 8)
			r.TOS = uint8(n)
		case w == "fwmark":
			mark, mask, _ := strings.Cut(v, "/")
			var n uint64
			if n, err = strconv.ParseUint(mark, 0, 32); err == nil {
				r.FwMark, r.FwMask = uint32(n), 0xffffffff
				if mask != "" {
					n, err = strconv.ParseUint(mask, 0, 32)
					r.FwMask = uint32(n)
				}
			}
		case w == "iif", w == "dev":
			r.IIF = v
		case w == "oif":
			r.OIF = v
		case w == "pref", w == "priority", w == "order", w == "preference":
			var n uint64
			n, err = strconv.ParseUint(v, 0, 32)
			r.Priority = uint32(n)
		case w == "table", w == "lookup":
			r.Table, err = parseTable(v)
		case w == "goto":
			var n uint64
			n, err = strconv.ParseUint(v, 0, 32)
			r.Goto, r.Action = uint32(n), rtnl.RuleActionGoto
		case matches(w, "protocol"):
			r.Protocol, err = parseProtocol(v)
		case w == "suppress_prefixlength":
			var n int64
			n, err = strconv.ParseInt(v, 0, 32)
			l := int32(n)
			r.SuppressPrefixLen = &l
		default:
			return usageErr("Error: argument \"" + w + "\" is wrong: Failed to parse rule type")
		}
		if err != nil {
			return usageErr("Error: argument \"" + v + "\" is wrong: " + w)
		}
		args = args[2:]
	}
	return write(ctx, r)
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
		case "priority", "srclen", "dstlen", "fwmask":
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
		case "table":
			b.WriteString("lookup " + s + " ")
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
