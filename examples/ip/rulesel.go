package main

import (
	"context"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// ruleWrite runs `ip rule add|del SELECTOR ACTION` with every option of
// ip 6.1's iprule_modify: the selectors `not`, `from`, `to`, `tos` or
// `dsfield`, `fwmark MARK[/MASK]`, `iif`/`dev`, `oif`, `l3mdev`,
// `uidrange`, `ipproto`, `sport`, `dport`, `tun_id`, `pref`; the actions
// `table`/`lookup`, `goto`, `nop`, `nat`/`map-to` and the route types
// (`blackhole`, `unreachable`, `prohibit`, or after `type`); and
// `protocol`, `realms`, `suppress_prefixlength`, `suppress_ifgroup`.
func (c *command) ruleWrite(ctx context.Context, args []string, write func(context.Context, rtnl.Rule) error) error {
	r := rtnl.Rule{Family: c.ruleFamily()}
	w := words{list: args}
	for w.more() {
		k := w.take()
		v := ""
		var err error
		// value takes the keyword's value, or fails as ip's NEXT_ARG.
		value := func() bool {
			v, err = w.value()
			return err == nil
		}
		switch {
		case k == "not":
			r.Flags |= rtnl.RuleInvert
		case k == "from", k == "to":
			if value() && v != "all" {
				var p netip.Prefix
				if p, err = parsePrefix(v); err == nil {
					if k == "from" {
						r.Src = p
					} else {
						r.Dst = p
					}
				}
			}
		case matches(k, "preference"), matches(k, "order"), matches(k, "priority"):
			if value() {
				r.Priority, err = ruleNumber(v, 32, "preference value is invalid\n")
			}
		case k == "tos", matches(k, "dsfield"):
			if value() {
				if r.TOS, err = rtnl.ParseDSField(v); err != nil {
					err = invarg("TOS value is invalid\n", v)
				}
			}
		case k == "fwmark":
			if value() {
				err = parseFwMark(v, &r.FwMark, &r.FwMask)
			}
		case matches(k, "realms"):
			if value() {
				var realms uint32
				if realms, err = rtnl.ParseRealms(v); err != nil {
					err = invarg("invalid realms\n", v)
				}
				r.RealmFrom, r.RealmTo = uint16(realms>>16), uint16(realms)
			}
		case matches(k, "protocol"):
			if value() {
				r.Protocol, err = parseProtocol(v)
			}
		case k == "tun_id":
			if value() {
				if r.TunID, err = parseCUint(v, 64); err != nil {
					err = invarg("invalid tun_id\n", v)
				}
			}
		case matches(k, "table"), matches(k, "lookup"):
			if value() {
				t, ok := nameOrNumber[rtnl.Table](v, 32)
				if !ok {
					err = invarg("invalid table ID\n", v)
				}
				r.Table, r.Action = t, rtnl.RuleActionTable
			}
		case matches(k, "suppress_prefixlength"):
			if value() {
				n, perr := strconv.ParseInt(v, 0, 32)
				if perr != nil {
					err = invarg("suppress_prefixlength value is invalid\n", v)
				}
				l := int32(n)
				r.SuppressPrefixLen = &l
			}
		case matches(k, "suppress_ifgroup"), matches(k, "sup_group"):
			if value() {
				var g uint32
				if g, err = parseGroup(v); err != nil {
					err = invarg("Invalid \"suppress_ifgroup\" value\n", v)
				}
				r.SuppressIfGroup = &g
			}
		case k == "dev", k == "iif":
			if value() {
				r.IIF = v
			}
		case k == "oif":
			if value() {
				r.OIF = v
			}
		case k == "l3mdev":
			r.L3MDev = true
		case k == "uidrange":
			if value() {
				start, end, ok := strings.Cut(v, "-")
				s, err1 := strconv.ParseUint(start, 10, 32)
				e, err2 := strconv.ParseUint(end, 10, 32)
				if !ok || err1 != nil || err2 != nil {
					err = invarg("invalid UID range\n", v)
				}
				r.UIDRange = &rtnl.RuleUIDRange{Start: uint32(s), End: uint32(e)}
			}
		case k == "ipproto":
			if value() {
				if r.IPProto, err = rtnl.ParseIPProto(v); err != nil {
					err = invarg("Invalid \"ipproto\" value\n", v)
				}
			}
		case k == "sport", k == "dport":
			if value() {
				var p *rtnl.RulePortRange
				if p, err = parsePortRange(v, k); err == nil {
					if k == "sport" {
						r.SrcPorts = p
					} else {
						r.DstPorts = p
					}
				}
			}
		case matches(k, "nat"), matches(k, "map-to"):
			if value() {
				r.NATGateway, err = parseAddr(v)
				r.Action = rtnl.RuleActionNAT
			}
		case k == "goto":
			if value() {
				r.Goto, err = ruleNumber(v, 32, "invalid target\n")
				r.Action = rtnl.RuleActionGoto
			}
		case k == "nop":
			r.Action = rtnl.RuleActionNop
		default:
			if k == "type" && value() {
				k = v
			}
			if err == nil {
				t, terr := parseRouteType(k)
				if terr != nil {
					return invarg("Failed to parse rule type", k)
				}
				r.Action = t
			}
		}
		if err != nil {
			return err
		}
	}
	return write(ctx, r)
}

// ruleNumber reads an unsigned number of at most bits bits (32 when 0);
// why is ip's complaint about anything else.
func ruleNumber(v string, bits int, why string) (uint32, error) {
	if bits == 0 {
		bits = 32
	}
	n, err := parseCUint(v, bits)
	if err != nil {
		return 0, invarg(why, v)
	}
	return uint32(n), nil
}

// parseFwMark reads MARK[/MASK]; without a mask the mark is exact.
func parseFwMark(v string, mark, mask *uint32) error {
	m, k, hasMask := strings.Cut(v, "/")
	n, err := parseCUint(m, 32)
	if err != nil {
		return invarg("fwmark value is invalid\n", v)
	}
	*mark, *mask = uint32(n), 0xffffffff
	if hasMask {
		if n, err = parseCUint(k, 32); err != nil {
			return invarg("fwmask value is invalid\n", k)
		}
		*mask = uint32(n)
	}
	return nil
}

// parsePortRange reads PORT or START-END.
func parsePortRange(v, key string) (*rtnl.RulePortRange, error) {
	start, end, isRange := strings.Cut(v, "-")
	if !isRange {
		end = start
	}
	s, err1 := strconv.ParseUint(start, 10, 16)
	e, err2 := strconv.ParseUint(end, 10, 16)
	if err1 != nil || err2 != nil {
		return nil, invarg("invalid "+key+" range\n", v)
	}
	return &rtnl.RulePortRange{Start: uint16(s), End: uint16(e)}, nil
}

// ruleSelection reads the selectors of `ip rule show|flush`: `not`,
// `pref`, `tos`, `fwmark`, `iif`/`dev`, `oif`, `l3mdev`, `uidrange`,
// `ipproto`, `sport`, `dport`, `tun_id`, `table`/`lookup`, `from`,
// `protocol`, and `[to] PREFIX`. ip 6.1 reads `protocol` when it shows
// rules but selects by it only when it flushes them.
func (c *command) ruleSelection(args []string, flush bool) ([]rtnl.RuleFilter, error) {
	filters := []rtnl.RuleFilter{rtnl.FilterRuleFamily(c.ruleFamily())}
	w := words{list: args}
	for w.more() {
		k := w.take()
		switch k {
		case "not":
			filters = append(filters, rtnl.FilterRuleInvert())
			continue
		case "l3mdev":
			filters = append(filters, rtnl.FilterRuleL3MDev())
			continue
		}
		key, v := ruleSelectorKey(k), k
		var err error
		switch {
		case key != "":
			v, err = w.value()
		case k == "to" || matches(k, "dst"):
			key = "to"
			v, err = w.value()
		default:
			key = "to"
		}
		if err != nil {
			return nil, err
		}
		f, err := c.ruleFilter(key, v)
		if err != nil {
			return nil, err
		}
		if key != "protocol" || flush {
			filters = append(filters, f)
		}
	}
	return filters, nil
}

// ruleSelectorKey is the selector of `ip rule show` that k names, in
// ip's order of matching, or "" when k names none.
func ruleSelectorKey(k string) string {
	switch {
	case matches(k, "preference"), matches(k, "order"), matches(k, "priority"):
		return "pref"
	case k == "dev", k == "iif":
		return "iif"
	case matches(k, "lookup"), matches(k, "table"):
		return "table"
	case matches(k, "protocol"):
		return "protocol"
	}
	switch k {
	case "tos", "fwmark", "oif", "uidrange", "ipproto", "sport", "dport", "tun_id", "from":
		return k
	}
	return ""
}

// ruleFilter is the filter of one selector and its value.
func (c *command) ruleFilter(key, v string) (rtnl.RuleFilter, error) {
	var err error
	switch key {
	case "pref":
		var n uint32
		n, err = ruleNumber(v, 32, "Invalid \"preference\" value\n")
		return rtnl.FilterRulePriority(n), err
	case "iif":
		return rtnl.FilterRuleIIF(v), nil
	case "oif":
		return rtnl.FilterRuleOIF(v), nil
	case "table":
		t, ok := nameOrNumber[rtnl.Table](v, 32)
		if !ok {
			err = invarg("table id value is invalid\n", v)
		}
		return rtnl.FilterRuleTable(t), err
	case "protocol":
		var p rtnl.Protocol
		p, err = parseProtocol(v)
		return rtnl.FilterRuleProtocol(p), err
	case "tos":
		var d uint8
		if d, err = rtnl.ParseDSField(v); err != nil {
			err = invarg("TOS value is invalid\n", v)
		}
		return rtnl.FilterRuleTOS(d), err
	case "fwmark":
		var mark, mask uint32
		err = parseFwMark(v, &mark, &mask)
		return rtnl.FilterRuleFwMark(mark, mask), err
	case "uidrange":
		start, end, ok := strings.Cut(v, "-")
		s, err1 := strconv.ParseUint(start, 10, 32)
		e, err2 := strconv.ParseUint(end, 10, 32)
		if !ok || err1 != nil || err2 != nil {
			err = invarg("invalid UID range\n", v)
		}
		return rtnl.FilterRuleUIDRange(uint32(s), uint32(e)), err
	case "ipproto":
		var p uint8
		if p, err = rtnl.ParseIPProto(v); err != nil {
			err = invarg("Invalid \"ipproto\" value\n", v)
		}
		return rtnl.FilterRuleIPProto(p), err
	case "sport", "dport":
		var p *rtnl.RulePortRange
		if p, err = parsePortRange(v, key); err != nil {
			return nil, err
		}
		if key == "sport" {
			return rtnl.FilterRuleSrcPorts(p.Start, p.End), nil
		}
		return rtnl.FilterRuleDstPorts(p.Start, p.End), nil
	case "tun_id":
		var n uint64
		if n, err = parseCUint(v, 64); err != nil {
			err = invarg("invalid tun_id\n", v)
		}
		return rtnl.FilterRuleTunID(n), err
	}
	p, err := c.rulePrefix(v)
	if key == "from" {
		return rtnl.FilterRuleSrc(p), err
	}
	return rtnl.FilterRuleDst(p), err
}

// rulePrefix reads a prefix, or "all"/"default" for the zero-length
// prefix of the rule family.
func (c *command) rulePrefix(v string) (netip.Prefix, error) {
	if v == "all" || v == "default" || v == "any" {
		if c.ruleFamily() == unix.AF_INET6 {
			return netip.PrefixFrom(netip.IPv6Unspecified(), 0), nil
		}
		return netip.PrefixFrom(netip.IPv4Unspecified(), 0), nil
	}
	return parsePrefix(v)
}

// ruleFlush runs `ip rule flush SELECTORS`.
func (c *command) ruleFlush(ctx context.Context, args []string) error {
	filters, err := c.ruleSelection(args, true)
	if err != nil {
		return err
	}
	return c.conn.FlushRules(ctx, filters...)
}

// ruleSave runs `ip rule save`, which takes no selectors in ip 6.1.
func (c *command) ruleSave(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return &exitError{"\"ip rule save\" does not take any arguments.", 1}
	}
	return c.conn.SaveRules(ctx, c.stdout, rtnl.FilterRuleFamily(c.ruleFamily()))
}

// ruleRestore runs `ip rule restore`; ip ignores any arguments.
func (c *command) ruleRestore(ctx context.Context) error {
	return c.conn.RestoreRules(ctx, c.stdin)
}
