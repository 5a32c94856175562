package rtnl

import (
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"
)

// A RuleFilter narrows the rules a list returns, as the selectors of
// `ip rule show` do. Filters combine: a rule must pass them all. The
// kernel filters by family itself; it filters no other selector of a rule
// dump, so nlkit applies the others to what comes back, as ip does.
type RuleFilter func(*ruleFilter)

type ruleFilter struct {
	family         uint8
	priority       uint32
	hasPriority    bool
	invert         bool
	src, dst       netip.Prefix
	tos            uint8
	hasTOS         bool
	fwmark, fwmask uint32
	hasFwMark      bool
	iif, oif       string
	hasIIF, hasOIF bool
	l3mdev         bool
	uids           *RuleUIDRange
	ipproto        uint8
	sports, dports *RulePortRange
	tunID          uint64
	table          Table
	protocol       Protocol
	hasProtocol    bool
	invalid        error
	hasSrc, hasDst bool
}

// FilterRuleFamily keeps the rules of one family, unix.AF_INET or
// unix.AF_INET6 (`ip -4 rule show`, `ip -6 rule show`). The kernel applies
// it. Without it, a list has the rules of every family the kernel keeps
// rules for (IPv6 and IPv4, and the multicast routing families
// RTNL_FAMILY_IPMR and RTNL_FAMILY_IP6MR where the kernel has them), where
// ip shows the IPv4 ones.
func FilterRuleFamily(family uint8) RuleFilter {
	return func(f *ruleFilter) {
		if family != unix.AF_INET && family != unix.AF_INET6 {
			f.fail(errInvalid("rule family", fmt.Sprintf("%d: want AF_INET or AF_INET6", family)))
		}
		f.family = family
	}
}

// FilterRulePriority keeps the rules of one priority (`pref N`); 0 keeps
// the rules without one.
func FilterRulePriority(priority uint32) RuleFilter {
	return func(f *ruleFilter) { f.priority, f.hasPriority = priority, true }
}

// FilterRuleInvert keeps the inverted rules (`not`).
func FilterRuleInvert() RuleFilter {
	return func(f *ruleFilter) { f.invert = true }
}

// FilterRuleSrc keeps the rules whose source prefix is inside prefix
// (`from PREFIX`): of the same family, with a prefix at least as long,
// whose first bits are prefix's. A prefix of length 0 keeps every rule of
// its family.
func FilterRuleSrc(prefix netip.Prefix) RuleFilter {
	return func(f *ruleFilter) {
		if !prefix.IsValid() {
			f.fail(errInvalid("rule source prefix", fmt.Sprintf("%q", prefix)))
		}
		f.src, f.hasSrc = prefix, true
	}
}

// FilterRuleDst keeps the rules whose destination prefix is inside prefix
// (`to PREFIX`), as [FilterRuleSrc] does for the source.
func FilterRuleDst(prefix netip.Prefix) RuleFilter {
	return func(f *ruleFilter) {
		if !prefix.IsValid() {
			f.fail(errInvalid("rule destination prefix", fmt.Sprintf("%q", prefix)))
		}
		f.dst, f.hasDst = prefix, true
	}
}

// FilterRuleTOS keeps the rules that select this TOS or DS field value
// (`tos`, `dsfield`).
func FilterRuleTOS(tos uint8) RuleFilter {
	return func(f *ruleFilter) { f.tos, f.hasTOS = tos, true }
}

// FilterRuleFwMark keeps the rules that select this firewall mark
// (`fwmark MARK`), and, when mask is not 0, this mask (`fwmark MARK/MASK`).
func FilterRuleFwMark(mark, mask uint32) RuleFilter {
	return func(f *ruleFilter) { f.fwmark, f.fwmask, f.hasFwMark = mark, mask, true }
}

// FilterRuleIIF keeps the rules that select this input interface
// (`iif NAME`, `dev NAME`).
func FilterRuleIIF(name string) RuleFilter {
	return func(f *ruleFilter) { f.iif, f.hasIIF = name, true }
}

// FilterRuleOIF keeps the rules that select this output interface
// (`oif NAME`).
func FilterRuleOIF(name string) RuleFilter {
	return func(f *ruleFilter) { f.oif, f.hasOIF = name, true }
}

// FilterRuleL3MDev keeps the rules that look the route up in the table of
// the L3 master device (`l3mdev`).
func FilterRuleL3MDev() RuleFilter {
	return func(f *ruleFilter) { f.l3mdev = true }
}

// FilterRuleUIDRange keeps the rules that select exactly this range of
// user IDs (`uidrange START-END`).
func FilterRuleUIDRange(start, end uint32) RuleFilter {
	return func(f *ruleFilter) { f.uids = &RuleUIDRange{Start: start, End: end} }
}

// FilterRuleIPProto keeps the rules that select this IP protocol
// (`ipproto`), such as unix.IPPROTO_TCP.
func FilterRuleIPProto(proto uint8) RuleFilter {
	return func(f *ruleFilter) { f.ipproto = proto }
}

// FilterRuleSrcPorts keeps the rules that select exactly this range of
// source ports (`sport START-END`; a single port has start equal to end).
func FilterRuleSrcPorts(start, end uint16) RuleFilter {
	return func(f *ruleFilter) { f.sports = &RulePortRange{Start: start, End: end} }
}

// FilterRuleDstPorts keeps the rules that select exactly this range of
// destination ports (`dport START-END`).
func FilterRuleDstPorts(start, end uint16) RuleFilter {
	return func(f *ruleFilter) { f.dports = &RulePortRange{Start: start, End: end} }
}

// FilterRuleTunID keeps the rules that select this tunnel ID (`tun_id`).
func FilterRuleTunID(id uint64) RuleFilter {
	return func(f *ruleFilter) { f.tunID = id }
}

// FilterRuleTable keeps the rules that look routes up in this table
// (`table`, `lookup`).
func FilterRuleTable(t Table) RuleFilter {
	return func(f *ruleFilter) { f.table = t }
}

// FilterRuleProtocol keeps the rules installed by this protocol
// (`protocol`). ip 6.1 applies it to `ip rule flush` only.
func FilterRuleProtocol(p Protocol) RuleFilter {
	return func(f *ruleFilter) { f.protocol, f.hasProtocol = p, true }
}

func (f *ruleFilter) fail(err error) {
	if f.invalid == nil {
		f.invalid = err
	}
}

func newRuleFilter(filters []RuleFilter) (ruleFilter, error) {
	var f ruleFilter
	for _, fn := range filters {
		fn(&f)
	}
	for _, p := range []struct {
		set    bool
		prefix netip.Prefix
	}{{f.hasSrc, f.src}, {f.hasDst, f.dst}} {
		if p.set && f.family != 0 && rulePrefixFamily(p.prefix) != f.family {
			f.fail(errInvalid("rule prefix", fmt.Sprintf("%s is not of the family asked for", p.prefix)))
		}
	}
	return f, f.invalid
}

// rulePrefixFamily returns the address family of a valid prefix.
func rulePrefixFamily(p netip.Prefix) uint8 {
	if p.Addr().Is4() {
		return unix.AF_INET
	}
	return unix.AF_INET6
}

// match reports whether r passes every filter, as ip rule show decides.
func (f *ruleFilter) match(r *Rule) bool {
	switch {
	case f.family != 0 && r.Family != f.family:
		return false
	case f.hasPriority && r.Priority != f.priority:
		return false
	case f.invert && r.Flags&RuleInvert == 0:
		return false
	case f.hasSrc && !rulePrefixMatch(f.src, r.Family, r.Src):
		return false
	case f.hasDst && !rulePrefixMatch(f.dst, r.Family, r.Dst):
		return false
	case f.hasTOS && r.TOS != f.tos:
		return false
	case f.hasFwMark && (r.FwMark != f.fwmark || (f.fwmask != 0 && r.FwMask != f.fwmask)):
		return false
	case f.hasIIF && r.IIF != f.iif:
		return false
	case f.hasOIF && r.OIF != f.oif:
		return false
	case f.l3mdev && !r.L3MDev:
		return false
	case f.uids != nil && (r.UIDRange == nil || *r.UIDRange != *f.uids):
		return false
	case f.ipproto != 0 && r.IPProto != f.ipproto:
		return false
	case f.sports != nil && (r.SrcPorts == nil || *r.SrcPorts != *f.sports):
		return false
	case f.dports != nil && (r.DstPorts == nil || *r.DstPorts != *f.dports):
		return false
	case f.tunID != 0 && r.TunID != f.tunID:
		return false
	case f.table != 0 && r.Table != f.table:
		return false
	case f.hasProtocol && r.Protocol != f.protocol:
		return false
	}
	return true
}

// rulePrefixMatch reports whether a rule's selector sel, of the given
// family, is inside the filter's prefix.
func rulePrefixMatch(filter netip.Prefix, family uint8, sel netip.Prefix) bool {
	bits := 0
	if sel.IsValid() {
		bits = sel.Bits()
	}
	if rulePrefixFamily(filter) != family || filter.Bits() > bits {
		return false
	}
	return filter.Bits() == 0 || filter.Contains(sel.Addr())
}
