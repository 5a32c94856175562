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

// address runs `ip address COMMAND …`.
func (c *command) address(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return c.addrShow(ctx, nil)
	}
	cmd, args := args[0], args[1:]
	switch {
	case matches(cmd, "add"):
		return c.addrWrite(ctx, args, c.conn.AddAddress)
	case matches(cmd, "change"), cmd == "chg":
		return c.addrWrite(ctx, args, c.conn.ChangeAddress)
	case matches(cmd, "replace"):
		return c.addrWrite(ctx, args, c.conn.ReplaceAddress)
	case matches(cmd, "delete"):
		return c.addrWrite(ctx, args, c.conn.DeleteAddress)
	case matches(cmd, "show"), matches(cmd, "list"), matches(cmd, "lst"):
		return c.addrShow(ctx, args)
	case matches(cmd, "flush"):
		return c.addrFlush(ctx, args)
	case matches(cmd, "save"):
		return c.addrSave(ctx, args)
	case matches(cmd, "showdump"):
		return c.addrShowdump()
	case matches(cmd, "restore"):
		return c.conn.RestoreAddresses(ctx, c.stdin)
	}
	return unknownCommand(cmd, "address")
}

// addrSelection reads the selectors of `ip addr show|flush|save`: those of
// links, and `scope S`, `to PREFIX`, `label PATTERN` and address flags.
func (c *command) addrSelection(ctx context.Context, args []string) ([]rtnl.AddrFilter, linkSelection, error) {
	var filters []rtnl.AddrFilter
	var words []string
	var to netip.Prefix
	addrLevel := false
	for len(args) > 0 {
		w := args[0]
		switch {
		case w == "scope" && len(args) > 1:
			s, err := parseScope(args[1])
			if err != nil {
				return nil, linkSelection{}, err
			}
			filters = append(filters, rtnl.FilterAddrScope(s))
			addrLevel = true
			args = args[1:]
		case w == "to" && len(args) > 1:
			p, err := parsePrefix(args[1])
			if err != nil {
				return nil, linkSelection{}, err
			}
			to = p // filtered here: ip prints {} for the others
			addrLevel = true
			if c.opts.family == unix.AF_UNSPEC {
				c.opts.family = familyOf(p.Addr()) // as ip's filter does
			}
			args = args[1:]
		case w == "label" && len(args) > 1:
			filters = append(filters, rtnl.FilterAddrLabel(args[1]))
			addrLevel = true
			args = args[1:]
		case w == "permanent":
			filters, addrLevel = append(filters, rtnl.FilterAddrFlags(rtnl.AddrPermanent)), true
		case w == "dynamic":
			filters, addrLevel = append(filters, rtnl.FilterAddrNoFlags(rtnl.AddrPermanent)), true
		case w == "secondary", w == "temporary":
			filters, addrLevel = append(filters, rtnl.FilterAddrFlags(rtnl.AddrSecondary)), true
		case w == "primary":
			filters, addrLevel = append(filters, rtnl.FilterAddrNoFlags(rtnl.AddrSecondary)), true
		case w == "tentative":
			filters, addrLevel = append(filters, rtnl.FilterAddrFlags(rtnl.AddrTentative)), true
		default:
			words = append(words, w)
		}
		args = args[1:]
	}
	s, rest, err := c.parseLinkSelection(ctx, words)
	if err != nil {
		return nil, s, err
	}
	if len(rest) > 0 {
		return nil, s, duparg2("dev", rest[0])
	}
	s.addrLevel, s.to = addrLevel, to
	if c.opts.family == unix.AF_INET || c.opts.family == unix.AF_INET6 {
		filters = append(filters, rtnl.FilterAddrFamily(c.opts.family))
	}
	if s.dev != "" {
		l, err := c.conn.LinkByName(ctx, s.dev)
		if err != nil {
			return nil, s, &exitError{"Device \"" + s.dev + "\" does not exist.", 1}
		}
		filters = append(filters, rtnl.FilterAddrLink(l.Index))
	}
	if len(s.filters) > 0 {
		filters = append(filters, rtnl.FilterAddrLinks(s.filters...))
	}
	return filters, s, nil
}

// addrShow runs `ip address show`.
func (c *command) addrShow(ctx context.Context, args []string) error {
	filters, s, err := c.addrSelection(ctx, args)
	if err != nil {
		return err
	}
	if err := c.loadNSNames(ctx); err != nil {
		return err
	}
	links, err := c.conn.LinkAddresses(ctx, filters...)
	if err != nil {
		return err
	}
	names := map[int32]string{}
	for _, la := range links {
		names[la.Link.Index] = la.Link.Name
	}
	var objs []object
	for _, la := range links {
		l := la.Link
		if (s.up && l.Flags&unix.IFF_UP == 0) || (s.group != nil && l.Group != *s.group) {
			continue
		}
		if c.opts.family == unix.AF_PACKET {
			la.Addresses = nil
		}
		filtered := c.opts.family != unix.AF_UNSPEC && c.opts.family != unix.AF_PACKET
		matching := countTo(la.Addresses, s.to)
		if matching == 0 && (filtered || s.addrLevel) {
			continue
		}
		o, err := marshalObject(la)
		if err != nil {
			return err
		}
		if s.to.IsValid() {
			o = o.set("addr_info", addrInfosTo(o, la.Addresses, s.to, c.opts.json))
		}
		o = c.numericAddrs(c.numericLink(c.withErrorStats(c.trimLink(o), l), l), la.Addresses)
		if c.opts.family == unix.AF_PACKET {
			o = o.without(func(key string, _ json.RawMessage) bool { return key == "addr_info" })
		}
		if c.opts.family == unix.AF_INET6 && !c.opts.details && s.dev == "" {
			o = inet6LinkObject(o, l, names)
		}
		if c.opts.brief && c.opts.json {
			o = briefAddrObject(o)
		} else if c.opts.json && (c.opts.oneline || c.opts.echo) {
			o = addrLinesObject(o, l, c.opts.oneline)
		}
		objs = append(objs, o)
	}
	if c.opts.brief {
		return c.printObjects(objs, c.printBriefAddr)
	}
	return c.printObjects(objs, c.printLinkAddrs)
}

// inet6LinkObject is what ip -6 addr prints of a link when it lists them
// all: ip then dumps the links' IPv6 view (RTM_GETLINK for AF_INET6),
// which has only these members, and names the parent by its index in this
// namespace, even when the parent is in another one.
func inet6LinkObject(full object, l rtnl.Link, names map[int32]string) object {
	var o object
	for _, key := range []string{"ifindex", "link", "ifname", "flags", "mtu", "operstate", "txqlen", "addr_info", "stats64"} {
		v := full.get(key)
		if key == "link" {
			v = nil
			if p := l.ParentIndex; p != nil && *p == 0 {
				v = json.RawMessage("null")
			} else if p != nil && *p != l.Index {
				name := names[*p]
				if name == "" {
					name = "if" + strconv.Itoa(int(*p))
				}
				v, _ = json.Marshal(name)
			}
		}
		if v != nil {
			o = append(o, member{key, v})
		}
	}
	return o
}

// countTo counts the addresses within to (all of them when to is unset).
func countTo(as []rtnl.Address, to netip.Prefix) int {
	n := 0
	for _, a := range as {
		if !to.IsValid() || to.Contains(a.Prefix.Addr()) {
			n++
		}
	}
	return n
}

// addrInfosTo is the addr_info of a link selected by `to PREFIX`: ip
// prints an empty object for each address outside the prefix (with -j),
// or nothing.
func addrInfosTo(o object, as []rtnl.Address, to netip.Prefix, emptyObjects bool) json.RawMessage {
	var raws []json.RawMessage
	json.Unmarshal(o.get("addr_info"), &raws)
	kept := []json.RawMessage{}
	for i, raw := range raws {
		switch {
		case to.Contains(as[i].Prefix.Addr()):
			kept = append(kept, raw)
		case emptyObjects:
			kept = append(kept, json.RawMessage("{}"))
		}
	}
	return rawArray(kept)
}

// briefAddrObject is the object `ip -j -br addr` prints for a link.
func briefAddrObject(full object) object {
	o := briefLinkObject(full).without(func(key string, _ json.RawMessage) bool {
		return key == "address" || key == "flags"
	})
	var addrs []json.RawMessage
	var infos []json.RawMessage
	json.Unmarshal(full.get("addr_info"), &infos)
	for _, a := range infos {
		ao, _ := parseObject(a)
		b, _ := object{{"local", ao.get("local")}, {"prefixlen", ao.get("prefixlen")}}.MarshalJSON()
		addrs = append(addrs, b)
	}
	return append(o, member{"addr_info", rawArray(addrs)})
}

// printBriefAddr writes a link's addresses as `ip -br addr` does.
func (c *command) printBriefAddr(o object) {
	var b strings.Builder
	fmt.Fprintf(&b, "%-16s %-14s ", linkName(o), o.str("operstate"))
	for _, a := range addrInfos(o) {
		b.WriteString(a.str("local") + "/" + a.num("prefixlen") + " ")
	}
	fmt.Fprintln(c.stdout, b.String())
}

// addrInfos returns the addr_info objects of a link's object.
func addrInfos(o object) []object {
	var raws []json.RawMessage
	json.Unmarshal(o.get("addr_info"), &raws)
	var as []object
	for _, r := range raws {
		if a, err := parseObject(r); err == nil {
			as = append(as, a)
		}
	}
	return as
}

// printLinkAddrs writes a link and its addresses as `ip addr show` does.
func (c *command) printLinkAddrs(o object) {
	var b strings.Builder
	if !c.opts.oneline {
		c.printLink(o, false)
	}
	for _, a := range addrInfos(o) {
		if c.opts.oneline || c.opts.echo {
			fmt.Fprintf(&b, "%s: %s", o.num("ifindex"), o.str("ifname"))
		}
		c.writeAddr(&b, a)
		if c.opts.oneline {
			b.WriteString("\n")
		}
	}
	if c.opts.stats > 0 && !c.opts.oneline {
		c.writeStats(&b, o.sub("stats64"))
	}
	fmt.Fprint(c.stdout, strings.ReplaceAll(b.String(), "\\\n", "\n"))
}

// writeAddr writes an address's two lines as ip addr show does.
func (c *command) writeAddr(b *strings.Builder, a object) {
	b.WriteString("    " + a.str("family") + " " + a.str("local"))
	if peer := a.str("address"); peer != "" {
		b.WriteString(" peer " + peer)
	}
	b.WriteString("/" + a.num("prefixlen"))
	if brd := a.str("broadcast"); brd != "" {
		b.WriteString(" brd " + brd)
	}
	if any := a.str("anycast"); any != "" {
		b.WriteString(" any " + any)
	}
	b.WriteString(" scope " + a.str("scope") + " ")
	for _, m := range a {
		if string(m.value) == "true" {
			b.WriteString(m.key + " ")
		}
	}
	b.WriteString(a.str("label"))
	b.WriteString(c.lineEnd())
	fmt.Fprintf(b, "       valid_lft %s preferred_lft %s%s", lifetime(a.num("valid_life_time")), lifetime(a.num("preferred_life_time")), c.lineEnd())
}

// addrWrite runs `ip addr add|change|replace|del PREFIX [peer P] [brd B]
// [anycast A] [label L] [scope S] [metric M] [valid_lft T] [preferred_lft
// T] [FLAGS] dev DEV`.
func (c *command) addrWrite(ctx context.Context, args []string, write func(context.Context, rtnl.Address) error) error {
	var a rtnl.Address
	var dev string
	var scopeSet bool
	var valid, preferred *uint32
	for len(args) > 0 {
		w := args[0]
		val := ""
		if len(args) > 1 {
			val = args[1]
		}
		var err error
		consumed := true
		switch {
		case w == "dev":
			dev = val
		case w == "peer", w == "remote":
			var p netip.Prefix
			if p, err = parsePrefix(val); err == nil {
				a.Peer = p.Addr()
				if p.Bits() != p.Addr().BitLen() || strings.Contains(val, "/") {
					a.Prefix = netip.PrefixFrom(a.Prefix.Addr(), p.Bits())
				}
			}
		case matches(w, "broadcast"), w == "brd":
			switch val {
			case "+":
				a.AutoBroadcast = rtnl.BroadcastPlus
			case "-":
				a.AutoBroadcast = rtnl.BroadcastMinus
			default:
				a.Broadcast, err = parseAddr(val)
			}
		case matches(w, "anycast"):
			a.Anycast, err = parseAddr(val)
		case w == "label":
			a.Label = val
		case w == "scope":
			a.Scope, err = parseScope(val)
			scopeSet = true
		case w == "metric", w == "priority", w == "preference":
			var n uint64
			n, err = parseCUint(val, 32)
			a.Metric = uint32(n)
		case w == "valid_lft", w == "preferred_lft":
			n := uint32(rtnl.LifetimeForever)
			if val != "forever" {
				var u uint64
				u, err = strconv.ParseUint(val, 10, 32)
				n = uint32(u)
			}
			if w == "valid_lft" {
				valid = &n
			} else {
				preferred = &n
			}
		default:
			consumed = false
		}
		if consumed {
			if len(args) < 2 {
				return incomplete()
			}
			if err != nil {
				return invarg(w, val)
			}
			args = args[2:]
			continue
		}
		switch w {
		case "home":
			a.Flags |= rtnl.AddrHome
		case "nodad":
			a.Flags |= rtnl.AddrNoDAD
		case "optimistic":
			a.Flags |= rtnl.AddrOptimistic
		case "mngtmpaddr":
			a.Flags |= rtnl.AddrManageTempAddr
		case "noprefixroute":
			a.Flags |= rtnl.AddrNoPrefixRoute
		case "autojoin":
			a.Flags |= rtnl.AddrMcAutoJoin
		default:
			if w == "local" {
				args = args[1:]
				if len(args) == 0 {
					return incomplete()
				}
				w = args[0]
			}
			p, err := parsePrefix(w)
			if err != nil {
				return usageErr("Error: any valid prefix is expected rather than \"" + w + "\".")
			}
			bits := p.Bits()
			if a.Prefix.IsValid() && !a.Peer.IsValid() {
				return duparg2("local", w)
			}
			a.Prefix = netip.PrefixFrom(p.Addr(), bits)
		}
		args = args[1:]
	}
	if dev == "" {
		return usageErr("Not enough information: \"dev\" argument is required.")
	}
	if !a.Prefix.IsValid() {
		return usageErr("Not enough information: \"local\" argument is required.")
	}
	l, err := c.linkByName(ctx, dev)
	if err != nil {
		return err
	}
	a.LinkIndex = l.Index
	if !scopeSet {
		a.Scope = rtnl.ScopeGlobal
	}
	if valid != nil || preferred != nil {
		lt := &rtnl.AddrLifetimes{Valid: rtnl.LifetimeForever, Preferred: rtnl.LifetimeForever}
		if valid != nil {
			lt.Valid = *valid
		}
		if preferred != nil {
			lt.Preferred = *preferred
		}
		a.Lifetimes = lt
	}
	return write(ctx, a)
}

// addrFlush runs `ip address flush SELECTORS`.
func (c *command) addrFlush(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return &exitError{"Flush requires arguments.", 255}
	}
	filters, _, err := c.addrSelection(ctx, args)
	if err != nil {
		return err
	}
	return c.flushAddresses(ctx, filters)
}

// addrSave runs `ip address save SELECTORS`.
func (c *command) addrSave(ctx context.Context, args []string) error {
	filters, _, err := c.addrSelection(ctx, args)
	if err != nil {
		return err
	}
	return c.conn.SaveAddresses(ctx, c.stdout, filters...)
}

// addrShowdump runs `ip address showdump`: the addresses of a saved file,
// one per line.
func (c *command) addrShowdump() error {
	for a, err := range rtnl.ReadSavedAddresses(c.stdin) {
		if err != nil {
			return err
		}
		o, err := marshalObject(a)
		if err != nil {
			return err
		}
		if c.opts.json {
			c.printList([]json.Marshaler{o})
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "if%d:\n", a.LinkIndex)
		c.writeAddr(&b, o)
		fmt.Fprint(c.stdout, b.String())
	}
	return nil
}
