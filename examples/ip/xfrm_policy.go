package main

import (
	"context"
	"encoding/json"

	"github.com/nlkit/nlkit/xfrm"
)

// policy runs `ip xfrm policy …`.
func (c *xfrmCommand) policy(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return c.policyList(ctx, nil, false)
	}
	cmd, rest := args[0], args[1:]
	switch {
	case matches(cmd, "add"):
		return c.policyModify(ctx, rest, c.x.AddPolicy)
	case matches(cmd, "update"):
		return c.policyModify(ctx, rest, c.x.UpdatePolicy)
	case matches(cmd, "delete"):
		return c.policyGetOrDelete(ctx, rest, true)
	case matches(cmd, "deleteall"), matches(cmd, "delall"):
		return c.policyList(ctx, rest, true)
	case matches(cmd, "list"), matches(cmd, "show"), matches(cmd, "lst"):
		return c.policyList(ctx, rest, false)
	case matches(cmd, "get"):
		return c.policyGetOrDelete(ctx, rest, false)
	case matches(cmd, "flush"):
		return c.policyFlush(ctx, rest)
	case matches(cmd, "count"):
		info, err := c.x.SPDInfo(ctx)
		if err != nil {
			return err
		}
		return c.printXfrmInfo(info, info.Text(c.textOptions(false)), func(key string) bool {
			return c.opts.stats == 0 && key == "socket" || c.opts.stats < 2 && key != "in" && key != "out" && key != "fwd" && key != "socket"
		})
	case matches(cmd, "set"):
		return c.policySet(ctx, rest)
	case matches(cmd, "setdefault"):
		return c.policySetDefault(ctx, rest)
	case matches(cmd, "getdefault"):
		d, err := c.x.DefaultPolicies(ctx)
		if err != nil {
			return err
		}
		return c.printXfrmInfo(d, d.Text(), func(string) bool { return false })
	}
	return usageErr("Command \"" + cmd + "\" is unknown, try \"ip xfrm policy help\".")
}

// policyWords reads the words that ip xfrm policy add, update, get and
// delete share: dir, mark, index, ptype and if_id. It reports whether the
// current word was one of them.
func (a *words) policyWords(p *xfrm.Policy, seen map[string]bool) (bool, error) {
	w := a.last()
	var err error
	switch w {
	case "dir", "ptype":
		if seen[w] {
			return true, duparg(w, w)
		}
		var v string
		if v, err = a.value(); err != nil {
			return true, err
		}
		if w == "dir" {
			p.Dir, err = policyDir(v)
		} else {
			p.Type, err = policyType(v)
		}
	case "mark":
		p.Mark, err = a.mark()
	case "index":
		p.Index, err = a.u32Arg("INDEX value is invalid")
	case "if_id":
		p.IfID, err = a.u32Arg("IF_ID value is invalid")
	case "ctx":
		if seen[w] {
			return true, duparg(w, w)
		}
		p.SecurityContext, err = a.value()
	default:
		return false, nil
	}
	seen[w] = true
	return true, err
}

// policyDir reads a DIR.
func policyDir(v string) (xfrm.Dir, error) {
	if d, ok := named(v, xfrm.DirIn, xfrm.DirOut, xfrm.DirFwd); ok {
		return d, nil
	}
	return 0, invarg("DIR value is invalid", v)
}

// policyType reads a PTYPE.
func policyType(v string) (xfrm.PolicyType, error) {
	if t, ok := named(v, xfrm.PolicyMain, xfrm.PolicySub); ok {
		return t, nil
	}
	return 0, invarg("PTYPE value is invalid", v)
}

// policyAction reads an ACTION.
func policyAction(v string) (xfrm.Action, error) {
	if act, ok := named(v, xfrm.ActionAllow, xfrm.ActionBlock); ok {
		return act, nil
	}
	return 0, invarg("ACTION value is invalid\n", v)
}

// policyModify runs ip xfrm policy add or update.
func (c *xfrmCommand) policyModify(ctx context.Context, args []string, write func(context.Context, xfrm.Policy) error) error {
	a := &words{list: args, family: uint16(c.opts.family)}
	var p xfrm.Policy
	seen := map[string]bool{}
	for a.more() {
		a.take()
		done, err := a.policyWords(&p, seen)
		if !done && err == nil {
			switch w := a.last(); w {
			case "action":
				var v string
				if v, err = a.value(); err == nil {
					p.Action, err = policyAction(v)
				}
			case "priority":
				p.Priority, err = a.u32Arg("PRIORITY value is invalid")
			case "flag":
				var f uint32
				f, err = a.flags(w, 0xff, "FLAG value is invalid", policyFlagBits)
				p.Flags |= xfrm.PolicyFlags(f)
			case "limit":
				err = a.lifetime(&p.Lifetime)
			case "tmpl":
				var t xfrm.Template
				if t, err = a.template(); err == nil {
					p.Templates = append(p.Templates, t)
				}
			default:
				var read bool
				if seen["selector"] {
					return duparg("unknown", w)
				}
				if read, err = a.selector(&p.Selector); err == nil && !read {
					return duparg("unknown", w)
				}
				seen["selector"] = true
				if a.family == 0 {
					a.family = p.Selector.Family
				}
			}
		}
		if err != nil {
			return err
		}
	}
	if !seen["dir"] {
		return failure("Not enough information: DIR is required.")
	}
	if p.Mark.Mask == 0 {
		p.Mark = xfrm.Mark{}
	}
	if p.Selector.Family == 0 {
		p.Selector.Family = a.family
	}
	return write(ctx, p)
}

// template reads a TMPL after "tmpl": an ID, mode, reqid and level.
func (a *words) template() (xfrm.Template, error) {
	t := xfrm.Template{Family: a.family}
	if _, err := a.value(); err != nil {
		return t, err
	}
	idSeen := false
	defer func() { a.family = t.Family }()
	for {
		var err error
		switch w := a.last(); w {
		case "mode":
			var v string
			if v, err = a.value(); err == nil {
				t.Mode, err = mode(v)
			}
		case "reqid":
			t.ReqID, err = a.u32Arg("REQID value is invalid")
		case "level":
			var v string
			if v, err = a.value(); err == nil {
				switch v {
				case "required":
					t.Level = xfrm.LevelRequired
				case "use":
					t.Level = xfrm.LevelUse
				default:
					err = invarg("LEVEL value is invalid\n", v)
				}
			}
		default:
			if idSeen {
				a.back()
				return t, nil
			}
			idSeen = true
			a.family = 0
			var id xfrmID
			if id, err = a.id(false); err == nil {
				t.Src, t.Dst, t.Proto, t.SPI = id.src.Addr(), id.dst.Addr(), id.proto, id.spi
				if id.family != 0 {
					t.Family = id.family
				}
			}
		}
		if err != nil {
			return t, err
		}
		if !a.more() {
			return t, nil
		}
		a.take()
	}
}

// policyGetOrDelete runs ip xfrm policy get or delete.
func (c *xfrmCommand) policyGetOrDelete(ctx context.Context, args []string, del bool) error {
	a := &words{list: args, family: uint16(c.opts.family)}
	var p xfrm.Policy
	seen := map[string]bool{}
	for a.more() {
		a.take()
		done, err := a.policyWords(&p, seen)
		if !done && err == nil {
			w := a.last()
			if seen["selector"] {
				return invarg("unknown", w)
			}
			seen["selector"] = true
			var read bool
			if read, err = a.selector(&p.Selector); err == nil && !read {
				return invarg("unknown", w)
			}
		}
		if err != nil {
			return err
		}
	}
	switch {
	case !seen["dir"]:
		return failure("Not enough information: DIR is required.")
	case !seen["selector"] && !seen["index"]:
		return failure("Not enough information: either SELECTOR or INDEX is required.")
	case seen["selector"] && seen["index"]:
		return duparg2("SELECTOR", "INDEX")
	}
	if p.Mark.Value&p.Mark.Mask == 0 {
		p.Mark = xfrm.Mark{}
	}
	if p.Selector.Family == 0 {
		p.Selector.Family = a.family
	}
	id := xfrm.PolicyID{Selector: p.Selector, Dir: p.Dir, Index: p.Index, Type: p.Type, Mark: p.Mark, IfID: p.IfID, SecurityContext: p.SecurityContext}
	if del {
		return c.x.DeletePolicy(ctx, id)
	}
	got, err := c.x.GetPolicy(ctx, id)
	if err != nil {
		return err
	}
	return c.printPolicies([]xfrm.Policy{got})
}

// policyList runs ip xfrm policy list, or deleteall, which deletes what
// list would show.
func (c *xfrmCommand) policyList(ctx context.Context, args []string, deleteAll bool) error {
	a := &words{list: args, family: uint16(c.opts.family)}
	var filters []xfrm.PolicyFilter
	var sel xfrm.Selector
	var flags xfrm.PolicyFlags
	var nosock, selSeen bool
	for a.more() {
		var err error
		switch w := a.take(); w {
		case "dir":
			var v string
			var d xfrm.Dir
			if v, err = a.value(); err == nil {
				if d, err = policyDir(v); err == nil {
					filters = append(filters, xfrm.FilterPolicyDir(d))
				}
			}
		case "index", "priority":
			var n uint32
			if n, err = a.u32Arg(map[string]string{"index": "INDEX", "priority": "PRIORITY"}[w] + " value is invalid"); err == nil {
				if w == "index" {
					filters = append(filters, xfrm.FilterPolicyIndex(n))
				} else {
					filters = append(filters, xfrm.FilterPolicyPriority(n))
				}
			}
		case "ptype":
			var v string
			var t xfrm.PolicyType
			if v, err = a.value(); err == nil {
				if t, err = policyType(v); err == nil {
					filters = append(filters, xfrm.FilterPolicyType(t))
				}
			}
		case "action":
			var v string
			var act xfrm.Action
			if v, err = a.value(); err == nil {
				if act, err = policyAction(v); err == nil {
					filters = append(filters, xfrm.FilterPolicyAction(act))
				}
			}
		case "flag":
			var f uint32
			f, err = a.flags(w, 0xff, "FLAG value is invalid", policyFlagBits)
			flags |= xfrm.PolicyFlags(f)
		case "nosock":
			nosock = true
		default:
			if selSeen {
				return invarg("unknown", w)
			}
			selSeen = true
			var read bool
			if read, err = a.selector(&sel); err == nil && !read {
				return invarg("unknown", w)
			}
		}
		if err != nil {
			return err
		}
	}
	family := a.family
	if sel.Family != 0 {
		family = sel.Family
	}
	filters = append(filters, xfrm.FilterPolicyFamily(family), xfrm.FilterPolicyFlags(flags), xfrm.FilterPolicySelector(sel))
	if nosock {
		filters = append(filters, xfrm.FilterPolicyNoSocket())
	}
	if deleteAll {
		_, err := c.x.DeleteAllPolicies(ctx, filters...)
		return err
	}
	policies, err := c.x.Policies(ctx, filters...)
	if err != nil {
		return err
	}
	return c.printPolicies(policies)
}

// printPolicies prints policies as ip xfrm policy show does, or as JSON.
func (c *xfrmCommand) printPolicies(policies []xfrm.Policy) error {
	if c.opts.json {
		values := make([]json.Marshaler, len(policies))
		for i, p := range policies {
			values[i] = p
		}
		return c.printXfrmJSON(values, false)
	}
	for _, p := range policies {
		c.printText(p.Text(c.textOptions(false)))
	}
	return nil
}

// policyFlush runs ip xfrm policy flush.
func (c *xfrmCommand) policyFlush(ctx context.Context, args []string) error {
	a := &words{list: args}
	var typ xfrm.PolicyType
	var seen bool
	for a.more() {
		if a.take() != "ptype" {
			return invarg("unknown", a.last())
		}
		if seen {
			return duparg("ptype", a.last())
		}
		seen = true
		v, err := a.value()
		if err != nil {
			return err
		}
		if typ, err = policyType(v); err != nil {
			return err
		}
	}
	return c.x.FlushPolicies(ctx, typ)
}

// policySet runs ip xfrm policy set hthresh4 LBITS RBITS hthresh6 LBITS
// RBITS.
func (c *xfrmCommand) policySet(ctx context.Context, args []string) error {
	a := &words{list: args}
	var v4, v6 *xfrm.HashThresh
	for a.more() {
		w := a.take()
		th, max := &v4, uint64(32)
		switch w {
		case "hthresh4":
		case "hthresh6":
			th, max = &v6, 128
		default:
			return invarg("unknown", w)
		}
		if *th != nil {
			return duparg(w, w)
		}
		*th = &xfrm.HashThresh{}
		for _, bits := range []struct {
			v    *uint8
			name string
		}{{&(*th).Local, "LBITS"}, {&(*th).Remote, "RBITS"}} {
			v, err := a.value()
			if err != nil {
				return err
			}
			n, ok := u32(v)
			if !ok || uint64(n) > max {
				return invarg(w+" "+bits.name+" value is invalid", v)
			}
			*bits.v = uint8(n)
		}
	}
	return c.x.SetSPDHashThresholds(ctx, v4, v6)
}

// policySetDefault runs ip xfrm policy setdefault DIR ACTION ….
func (c *xfrmCommand) policySetDefault(ctx context.Context, args []string) error {
	a := &words{list: args}
	var d xfrm.DefaultPolicies
	for a.more() {
		w := a.take()
		var field *xfrm.DefaultAction
		switch w {
		case "in":
			field = &d.In
		case "fwd":
			field = &d.Fwd
		case "out":
			field = &d.Out
		default:
			return invarg("unknown direction", w)
		}
		if *field != xfrm.DefaultUnchanged {
			return duparg(w, w)
		}
		v, err := a.value()
		if err != nil {
			return err
		}
		act, ok := named(v, xfrm.DefaultBlock, xfrm.DefaultAccept)
		if !ok {
			return invarg(w+" policy value is invalid", v)
		}
		*field = act
	}
	return c.x.SetDefaultPolicies(ctx, d)
}
