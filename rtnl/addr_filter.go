package rtnl

import (
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"
)

// An AddrFilter narrows the addresses a list returns, as the selectors of
// `ip addr show` do. Filters combine: an address must pass them all. The
// kernel filters by link and by family itself; nlkit applies the others to
// what comes back.
//
// ip's flag selectors map onto [FilterAddrFlags] and [FilterAddrNoFlags]:
// `permanent` is FilterAddrFlags(AddrPermanent), `dynamic`
// FilterAddrNoFlags(AddrPermanent), `secondary` FilterAddrFlags(AddrSecondary),
// `primary` FilterAddrNoFlags(AddrSecondary), `-tentative`
// FilterAddrNoFlags(AddrTentative), and so on.
type AddrFilter func(*addrFilter)

type addrFilter struct {
	index          int32
	family         uint8
	scope          Scope
	hasScope       bool
	to             netip.Prefix
	hasTo          bool
	label          string
	hasLabel       bool
	flags, mask    AddrFlags
	links          []LinkFilter
	link           linkFilter
	invalid        error
	filtersAnyLink bool // set by link filters
}

// FilterAddrLink keeps the addresses of the link with the given index
// (`ip addr show dev DEV`). The kernel applies it.
func FilterAddrLink(index int32) AddrFilter {
	return func(f *addrFilter) {
		if index <= 0 {
			f.fail(errInvalid("link index", fmt.Sprintf("%d", index)))
		}
		f.index = index
	}
}

// FilterAddrFamily keeps the addresses of one family, unix.AF_INET or
// unix.AF_INET6 (`ip -4 addr show`, `ip -6 addr show`). The kernel applies
// it.
func FilterAddrFamily(family uint8) AddrFilter {
	return func(f *addrFilter) {
		if family != unix.AF_INET && family != unix.AF_INET6 {
			f.fail(errInvalid("address family", fmt.Sprintf("%d: want AF_INET or AF_INET6", family)))
		}
		f.family = family
	}
}

// FilterAddrScope keeps the addresses of one scope (`scope SCOPE`).
func FilterAddrScope(s Scope) AddrFilter {
	return func(f *addrFilter) { f.scope, f.hasScope = s, true }
}

// FilterAddrTo keeps the addresses whose local address is in the prefix
// (`to PREFIX`); a single address is a prefix of full length. Like ip, it
// keeps only addresses of the prefix's family.
func FilterAddrTo(prefix netip.Prefix) AddrFilter {
	return func(f *addrFilter) {
		if !prefix.IsValid() {
			f.fail(errInvalid("address prefix", fmt.Sprintf("%q", prefix)))
		}
		f.to, f.hasTo = prefix, true
	}
}

// FilterAddrLabel keeps the addresses whose label matches the shell
// pattern, as `label PATTERN` does: '*', '?' and "[...]" work as in
// fnmatch(3). Like ip, it matches an address without a label (any IPv6
// address) against the name of its link.
func FilterAddrLabel(pattern string) AddrFilter {
	return func(f *addrFilter) { f.label, f.hasLabel = pattern, true }
}

// FilterAddrFlags keeps the addresses that have every flag in flags set,
// as ip's flag selectors (`permanent`, `secondary`, `tentative`, …) do.
func FilterAddrFlags(flags AddrFlags) AddrFilter {
	return func(f *addrFilter) {
		f.flags |= flags
		f.mask |= flags
	}
}

// FilterAddrNoFlags keeps the addresses that have none of the flags set,
// as ip's negated selectors (`dynamic`, `primary`, `-tentative`, …) do.
func FilterAddrNoFlags(flags AddrFlags) AddrFilter {
	return func(f *addrFilter) {
		f.flags &^= flags
		f.mask |= flags
	}
}

// FilterAddrLinks keeps the addresses of the links that pass the link
// filters: [FilterKind] (`ip addr show type KIND`), [FilterSlaveKind]
// (`type KIND_slave`), [FilterMaster] (`master DEV`), [FilterGroup]
// (`group N`) and [FilterUp] (`up`). nlkit lists the links to apply them,
// the kernel filtering by kind and master.
func FilterAddrLinks(filters ...LinkFilter) AddrFilter {
	return func(f *addrFilter) {
		f.links = append(f.links, filters...)
		f.filtersAnyLink = true
	}
}

func (f *addrFilter) fail(err error) {
	if f.invalid == nil {
		f.invalid = err
	}
}

func newAddrFilter(filters []AddrFilter) (addrFilter, error) {
	var f addrFilter
	for _, fn := range filters {
		fn(&f)
	}
	f.link = newLinkFilter(f.links)
	if f.hasTo {
		// ip takes the family from the prefix, and refuses a prefix of
		// another family than the one asked for.
		family := uint8(unix.AF_INET6)
		if f.to.Addr().Is4() {
			family = unix.AF_INET
		}
		switch {
		case f.family == 0:
			f.family = family
		case f.family != family:
			f.fail(errInvalid("address prefix", fmt.Sprintf("%s is not of the address family asked for", f.to)))
		}
	}
	return f, f.invalid
}

// needsLinks reports whether matching needs the links: their names for a
// label filter, and the link filters.
func (f *addrFilter) needsLinks() bool { return f.hasLabel || f.filtersAnyLink }

// match reports whether a passes every filter, in ip's order. links holds
// the links needsLinks asks for, by index.
func (f *addrFilter) match(a *Address, links map[int32]*Link) bool {
	switch {
	case f.index != 0 && a.LinkIndex != f.index:
		return false
	case f.hasScope && a.Scope != f.scope:
		return false
	case (a.Flags^f.flags)&f.mask != 0:
		return false
	case f.family != 0 && a.Family != f.family:
		return false
	}
	var link *Link
	if f.needsLinks() {
		link = links[a.LinkIndex]
	}
	if f.filtersAnyLink && (link == nil || !f.link.match(link)) {
		return false
	}
	if f.hasLabel {
		label := a.Label
		if label == "" {
			// As ip does: the link's name, or "ifN" if it is gone.
			name := ""
			if link != nil {
				name = link.Name
			}
			label = nameOrIndex(name, a.LinkIndex)
		}
		if !addrLabelMatch(f.label, label) {
			return false
		}
	}
	if f.hasTo && f.to.Bits() > 0 {
		if local := a.Prefix.Addr(); local.IsValid() && !f.to.Contains(local) {
			return false
		}
	}
	return true
}

// matchesLink reports whether the link passes the link filters.
func (f *addrFilter) matchesLink(l *Link) bool {
	return !f.filtersAnyLink || f.link.match(l)
}
