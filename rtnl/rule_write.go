package rtnl

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"
)

// nlmRuleAdd are the header flags of ip rule add's RTM_NEWRULE.
const nlmRuleAdd = unix.NLM_F_CREATE | unix.NLM_F_EXCL

// AddRule adds the rule r describes, as `ip rule add` does: its selectors,
// Priority, Action (0 for [RuleActionTable]) and what the action needs:
// Table (0 for the main table), Goto, or NATGateway. Family may be left
// zero.
//
// Invalid input is rejected with an [*InvalidError] before anything is sent:
// a family other than IPv4 and IPv6, prefixes of mixed families or beyond
// the family's bits, an invalid interface name, a range that ends before it
// starts, a table with L3MDev, a goto target or NAT address with another
// action. A rule that exists already gives an error matching [ErrExist].
func (c *Conn) AddRule(ctx context.Context, r Rule) error {
	var w writer
	if err := w.ruleRequest(&r, false); err != nil {
		return err
	}
	return c.nl.Execute(ctx, ruleOp("add", &r), unix.RTM_NEWRULE, nlmRuleAdd, w.Bytes(), nil)
}

// DeleteRule deletes the first rule that matches what r sets, as
// `ip rule del` does: the kernel compares the fields r sets (a Priority, a
// Table, an Action, selectors…) and ignores those left zero. A rule from
// [Conn.Rules] can be passed as it is. Family zero stands for the family of
// r's addresses, or AF_INET. No matching rule gives an error matching
// [ErrNotExist]; invalid input, an [*InvalidError].
func (c *Conn) DeleteRule(ctx context.Context, r Rule) error {
	var w writer
	if err := w.ruleRequest(&r, true); err != nil {
		return err
	}
	return c.nl.Execute(ctx, ruleOp("delete", &r), unix.RTM_DELRULE, 0, w.Bytes(), nil)
}

// ruleOp names an operation on r for errors.
func ruleOp(verb string, r *Rule) string {
	return fmt.Sprintf("rtnl: %s rule %d", verb, r.Priority)
}

// FlushRules deletes the rules that pass the filters, as `ip rule flush`
// does: it dumps them and deletes each rule that has a priority, so that
// the kernel's permanent rule at priority 0 stays; the rules at priorities
// 32766 (main) and 32767 (default) go, as with ip. Without
// [FilterRuleFamily], it flushes every family, where ip flushes IPv4 only.
// Rules that are gone by the time they are deleted are skipped. A dump the
// kernel reports interrupted is done again after the deletions, up to 10
// times.
func (c *Conn) FlushRules(ctx context.Context, filters ...RuleFilter) error {
	f, err := newRuleFilter(filters)
	if err != nil {
		return err
	}
	for round := 0; ; round++ {
		var dels [][]byte
		var dumpErr error
		for m, err := range c.nl.Dump(ctx, "rtnl: flush rules", unix.RTM_GETRULE, 0, ruleDumpRequest(&f)) {
			if err != nil {
				dumpErr = err
				break
			}
			if m.Type != unix.RTM_NEWRULE {
				continue
			}
			r, err := decodeRule(m.Data)
			if err != nil {
				return fmt.Errorf("rtnl: flush rules: %w", err)
			}
			if r.Priority != 0 && f.match(&r) {
				// As ip does, delete with the rule as the kernel sent it.
				dels = append(dels, bytes.Clone(m.Data))
			}
		}
		interrupted := errors.Is(dumpErr, ErrDumpInterrupted)
		if dumpErr != nil && (!interrupted || round == flushRounds-1) {
			return dumpErr
		}
		for _, del := range dels {
			err := c.nl.Execute(ctx, "rtnl: flush rules: delete rule", unix.RTM_DELRULE, 0, del, nil)
			if err != nil && !errors.Is(err, ErrNotExist) {
				return err
			}
		}
		if !interrupted {
			return nil
		}
	}
}

// flushRounds is how many times the flushes of rules and nexthops dump
// when the kernel reports their dumps interrupted.
const flushRounds = 10

// validateRule checks a rule a request describes and returns its family.
func validateRule(r *Rule, del bool) (uint8, error) {
	family := r.family()
	if family != unix.AF_INET && family != unix.AF_INET6 {
		return 0, errInvalid("rule family", fmt.Sprintf("%d: want AF_INET or AF_INET6", family))
	}
	for _, p := range []struct {
		what   string
		prefix netip.Prefix
	}{{"source prefix", r.Src}, {"destination prefix", r.Dst}} {
		if p.prefix == (netip.Prefix{}) {
			continue
		}
		a := p.prefix.Addr()
		switch {
		case !a.IsValid() || a.Zone() != "":
			return 0, errInvalid("rule "+p.what, fmt.Sprintf("%q", p.prefix))
		case !p.prefix.IsValid():
			return 0, errInvalid("rule "+p.what, fmt.Sprintf("prefix length beyond the %d bits of %s", a.BitLen(), a))
		case rulePrefixFamily(p.prefix) != family:
			return 0, errInvalid("rule "+p.what, fmt.Sprintf("%s is not of the rule's family", p.prefix))
		}
	}
	for _, name := range []struct{ what, name string }{{"rule input interface", r.IIF}, {"rule output interface", r.OIF}} {
		if name.name != "" {
			if err := validateName(name.what, name.name, unix.IFNAMSIZ-1); err != nil {
				return 0, err
			}
		}
	}
	if u := r.UIDRange; u != nil && u.Start > u.End {
		return 0, errInvalid("rule UID range", fmt.Sprintf("%d-%d ends before it starts", u.Start, u.End))
	}
	for _, p := range []struct {
		what  string
		ports *RulePortRange
	}{{"source ports", r.SrcPorts}, {"destination ports", r.DstPorts}} {
		if p.ports != nil && (p.ports.Start == 0 || p.ports.Start > p.ports.End) {
			return 0, errInvalid("rule "+p.what, fmt.Sprintf("%d-%d: want 1 <= start <= end", p.ports.Start, p.ports.End))
		}
	}
	if p := r.SuppressPrefixLen; p != nil && *p < 0 {
		return 0, errInvalid("rule suppress_prefixlength", fmt.Sprintf("%d is negative", *p))
	}
	action := r.Action
	if action == 0 && !del {
		action = RuleActionTable
	}
	switch {
	case r.L3MDev && r.Table != 0:
		return 0, errInvalid("rule table", "a table can not be set for an l3mdev rule")
	case r.Goto != 0 && action != RuleActionGoto && action != 0:
		return 0, errInvalid("rule goto", "a goto target needs RuleActionGoto")
	case r.NATGateway.IsValid() && action != RuleActionNAT && action != 0:
		return 0, errInvalid("rule NAT gateway", "a NAT address needs RuleActionNAT")
	case r.NATGateway.IsValid() && !r.NATGateway.Is4():
		return 0, errInvalid("rule NAT gateway", fmt.Sprintf("%s is not an IPv4 address", r.NATGateway))
	case (r.RealmFrom != 0 || r.RealmTo != 0) && family != unix.AF_INET:
		return 0, errInvalid("rule realms", "only IPv4 rules have realms")
	}
	return family, nil
}

// ruleRequest builds the payload of an RTM_NEWRULE request for r, or of an
// RTM_DELRULE request (del), with the attributes in the order ip sends them
// for `ip rule add [not] from PREFIX to PREFIX pref N tos TOS
// fwmark MARK/MASK realms FROM/TO protocol P tun_id ID table T
// suppress_prefixlength N suppress_ifgroup G iif NAME oif NAME [l3mdev]
// uidrange A-B [nat ADDR] ipproto P sport A-B dport A-B [ACTION]`.
func (w *writer) ruleRequest(r *Rule, del bool) error {
	family, err := validateRule(r, del)
	if err != nil {
		return err
	}
	action, table := r.Action, r.Table
	if !del && action == 0 {
		action = RuleActionTable
	}
	if !del && action == RuleActionTable && table == 0 && !r.L3MDev {
		table = TableMain
	}
	var hdr [fibRuleHdrLen]byte
	hdr[0] = family
	if r.Dst.IsValid() {
		hdr[1] = uint8(r.Dst.Bits())
	}
	if r.Src.IsValid() {
		hdr[2] = uint8(r.Src.Bits())
	}
	hdr[3] = r.TOS
	if table < 256 {
		hdr[4] = uint8(table)
	}
	hdr[7] = uint8(action)
	native.Endian.PutUint32(hdr[8:], uint32(r.Flags&RuleInvert))
	w.Append(hdr[:])

	if r.Src.IsValid() {
		w.Addr(unix.FRA_SRC, r.Src.Addr())
	}
	if r.Dst.IsValid() {
		w.Addr(unix.FRA_DST, r.Dst.Addr())
	}
	if r.Priority != 0 {
		w.Uint32(unix.FRA_PRIORITY, r.Priority)
	}
	if r.FwMark != 0 || r.FwMask != 0 {
		w.Uint32(unix.FRA_FWMARK, r.FwMark)
		if r.FwMask != 0 {
			w.Uint32(unix.FRA_FWMASK, r.FwMask)
		}
	}
	if r.RealmFrom != 0 || r.RealmTo != 0 {
		w.Uint32(unix.FRA_FLOW, uint32(r.RealmFrom)<<16|uint32(r.RealmTo))
	}
	if r.Protocol != 0 {
		w.Uint8(unix.FRA_PROTOCOL, uint8(r.Protocol))
	}
	if r.TunID != 0 {
		var id [8]byte
		binary.BigEndian.PutUint64(id[:], r.TunID)
		w.Raw(unix.FRA_TUN_ID, id[:])
	}
	if table >= 256 {
		w.Uint32(unix.FRA_TABLE, uint32(table))
	}
	putInt32(w, unix.FRA_SUPPRESS_PREFIXLEN, r.SuppressPrefixLen)
	putUint32(w, unix.FRA_SUPPRESS_IFGROUP, r.SuppressIfGroup)
	if r.IIF != "" {
		w.String(unix.FRA_IIFNAME, r.IIF)
	}
	if r.OIF != "" {
		w.String(unix.FRA_OIFNAME, r.OIF)
	}
	if r.L3MDev {
		w.Uint8(unix.FRA_L3MDEV, 1)
	}
	if u := r.UIDRange; u != nil {
		var b [8]byte
		native.Endian.PutUint32(b[:], u.Start)
		native.Endian.PutUint32(b[4:], u.End)
		w.Raw(unix.FRA_UID_RANGE, b[:])
	}
	putAddr(w, ruleNATGateway, r.NATGateway)
	if r.IPProto != 0 {
		w.Uint8(unix.FRA_IP_PROTO, r.IPProto)
	}
	putRulePorts(w, unix.FRA_SPORT_RANGE, r.SrcPorts)
	putRulePorts(w, unix.FRA_DPORT_RANGE, r.DstPorts)
	if r.Goto != 0 {
		w.Uint32(unix.FRA_GOTO, r.Goto)
	}
	return w.Err()
}

// putRulePorts appends a struct fib_rule_port_range when p is not nil.
func putRulePorts(w *writer, typ uint16, p *RulePortRange) {
	if p != nil {
		var b [4]byte
		native.Endian.PutUint16(b[:], p.Start)
		native.Endian.PutUint16(b[2:], p.End)
		w.Raw(typ, b[:])
	}
}
