package rtnl

import (
	"fmt"
	"net/netip"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/addrfamily"
)

// A RouteFilter narrows the routes a list returns, as the selectors of
// `ip route show` do. Filters combine: a route must pass them all.
//
// As with ip, a list without a table filter lists the main table, and a
// list of one table without a family filter lists IPv4 routes only:
// [FilterRouteTable] with [TableUnspec] (`table all`) lists every table, of
// every family unless one is asked for.
//
// The kernel filters by family, table, protocol, type, output link and
// cached routes itself (a strict dump, as ip asks for); nlkit applies the
// other filters to what comes back, and the kernel's ones again, as ip
// does.
type RouteFilter func(*routeFilter)

type routeFilter struct {
	family            uint8
	table             Table
	protocol          Protocol
	hasProtocol       bool
	typ               RouteType
	hasType           bool
	scope             Scope
	hasScope          bool
	tos               uint8
	hasTOS            bool
	metric            uint32
	hasMetric         bool
	oif, iif          int32
	via, prefsrc      netip.Prefix
	root, within      netip.Prefix // destinations inside root; destinations around within
	srcRoot           netip.Prefix // the same for the source prefix
	srcWithin         netip.Prefix
	realms, realmMask uint32
	cloned            bool
	invalid           error
	familyFromPrefix  uint8
	// selectsPrefixes is set when root, within, srcRoot or srcWithin is:
	// match then compares the route's prefixes.
	selectsPrefixes bool
}

// FilterRouteFamily keeps the routes of one family: unix.AF_INET,
// unix.AF_INET6 or unix.AF_MPLS (`ip -4|-6|-M route show`).
func FilterRouteFamily(family uint8) RouteFilter {
	return func(f *routeFilter) {
		switch family {
		case unix.AF_INET, unix.AF_INET6, unix.AF_MPLS:
		default:
			f.fail(errInvalid("route family", fmt.Sprintf("%d: want AF_INET, AF_INET6 or AF_MPLS", family)))
		}
		f.family = family
	}
}

// FilterRouteTable keeps the routes of one table (`table ID`), or with
// [TableUnspec] the routes of every table (`table all`). Without it a list
// keeps the main table's routes.
func FilterRouteTable(t Table) RouteFilter {
	return func(f *routeFilter) { f.table = t }
}

// FilterRouteProtocol keeps the routes a protocol installed (`proto P`).
func FilterRouteProtocol(p Protocol) RouteFilter {
	return func(f *routeFilter) { f.protocol, f.hasProtocol = p, true }
}

// FilterRouteType keeps the routes of one type (`type T`).
func FilterRouteType(t RouteType) RouteFilter {
	return func(f *routeFilter) { f.typ, f.hasType = t, true }
}

// FilterRouteScope keeps the routes of one scope (`scope S`).
func FilterRouteScope(s Scope) RouteFilter {
	return func(f *routeFilter) { f.scope, f.hasScope = s, true }
}

// FilterRouteTOS keeps the routes of one type of service (`tos T`).
func FilterRouteTOS(tos uint8) RouteFilter {
	return func(f *routeFilter) { f.tos, f.hasTOS = tos, true }
}

// FilterRouteMetric keeps the routes of one metric (`metric N`); a route
// without metric has metric 0.
func FilterRouteMetric(metric uint32) RouteFilter {
	return func(f *routeFilter) { f.metric, f.hasMetric = metric, true }
}

// FilterRouteLink keeps the routes through the link with the given index
// (`dev DEV`). As with ip, multipath routes are not kept.
func FilterRouteLink(index int32) RouteFilter {
	return func(f *routeFilter) {
		if index <= 0 {
			f.fail(errInvalid("route link index", fmt.Sprintf("%d", index)))
		}
		f.oif = index
	}
}

// FilterRouteInputLink keeps the routes with the input link of the given
// index (`iif DEV`).
func FilterRouteInputLink(index int32) RouteFilter {
	return func(f *routeFilter) {
		if index <= 0 {
			f.fail(errInvalid("route input link index", fmt.Sprintf("%d", index)))
		}
		f.iif = index
	}
}

// FilterRouteVia keeps the routes whose gateway (or RTA_VIA address) is in
// the prefix (`via PREFIX`); a single address is a prefix of full length.
func FilterRouteVia(p netip.Prefix) RouteFilter {
	return func(f *routeFilter) { f.via = f.prefix("route via", p) }
}

// FilterRoutePrefSrc keeps the routes whose preferred source address is in
// the prefix (`src PREFIX`).
func FilterRoutePrefSrc(p netip.Prefix) RouteFilter {
	return func(f *routeFilter) { f.prefsrc = f.prefix("route src", p) }
}

// FilterRouteRoot keeps the routes whose destination is inside the prefix:
// the prefix itself and longer ones within it (`root PREFIX`).
func FilterRouteRoot(p netip.Prefix) RouteFilter {
	return func(f *routeFilter) { f.root = f.prefix("route root", p) }
}

// FilterRouteMatch keeps the routes whose destination contains the prefix:
// the prefix itself and shorter ones around it, down to the default route
// (`match PREFIX`).
func FilterRouteMatch(p netip.Prefix) RouteFilter {
	return func(f *routeFilter) { f.within = f.prefix("route match", p) }
}

// FilterRouteExact keeps the routes whose destination is the prefix
// (`exact PREFIX`, or `ip route show PREFIX`).
func FilterRouteExact(p netip.Prefix) RouteFilter {
	return func(f *routeFilter) {
		f.root = f.prefix("route prefix", p)
		f.within = f.root
	}
}

// FilterRouteFromRoot, FilterRouteFromMatch and FilterRouteFromExact are
// [FilterRouteRoot], [FilterRouteMatch] and [FilterRouteExact] for the
// source prefix of source-specific routes (`from root|match|exact
// PREFIX`); a route without one has the zero prefix of its family as its
// source.
func FilterRouteFromRoot(p netip.Prefix) RouteFilter {
	return func(f *routeFilter) { f.srcRoot = f.prefix("route from root", p) }
}

// FilterRouteFromMatch keeps the routes whose source prefix contains the
// prefix (`from match PREFIX`); see [FilterRouteFromRoot].
func FilterRouteFromMatch(p netip.Prefix) RouteFilter {
	return func(f *routeFilter) { f.srcWithin = f.prefix("route from match", p) }
}

// FilterRouteFromExact keeps the routes whose source prefix is the prefix
// (`from exact PREFIX`, or `from PREFIX`); see [FilterRouteFromRoot].
func FilterRouteFromExact(p netip.Prefix) RouteFilter {
	return func(f *routeFilter) {
		f.srcRoot = f.prefix("route from", p)
		f.srcWithin = f.srcRoot
	}
}

// FilterRouteRealms keeps the routes whose realms (RTA_FLOW, the source
// realm in the high 16 bits and the destination realm in the low ones)
// equal realms in the bits of mask: `realms FROM/TO` is
// FilterRouteRealms(FROM<<16|TO, 0xffffffff), `realms TO` is
// FilterRouteRealms(TO, 0xffff) and `realms FROM/` is
// FilterRouteRealms(FROM<<16, 0xffff0000).
func FilterRouteRealms(realms, mask uint32) RouteFilter {
	return func(f *routeFilter) { f.realms, f.realmMask = realms&mask, mask }
}

// FilterRouteCloned keeps the cached routes (IPv4 cached routes, IPv6
// exceptions) instead of the others (`ip route show cached`, `table
// cache`). The kernel applies it.
func FilterRouteCloned() RouteFilter {
	return func(f *routeFilter) { f.cloned = true }
}

// prefix checks a prefix filter, masks it, and notes its family, which
// the dump asks for when no family filter does.
func (f *routeFilter) prefix(what string, p netip.Prefix) netip.Prefix {
	if !p.IsValid() {
		f.fail(errInvalid(what, fmt.Sprintf("%q", p)))
		return p
	}
	family := addrfamily.Of(p.Addr())
	if f.familyFromPrefix != 0 && f.familyFromPrefix != family {
		f.fail(errInvalid(what, fmt.Sprintf("%s is of another family than the other prefixes", p)))
	}
	f.familyFromPrefix = family
	return p.Masked()
}

func (f *routeFilter) fail(err error) {
	if f.invalid == nil {
		f.invalid = err
	}
}

func newRouteFilter(filters []RouteFilter) (routeFilter, error) {
	f := routeFilter{table: TableMain}
	for _, fn := range filters {
		fn(&f)
	}
	if f.familyFromPrefix != 0 {
		switch {
		case f.family == 0:
			f.family = f.familyFromPrefix
		case f.family != f.familyFromPrefix:
			f.fail(errInvalid("route filter", "a prefix is not of the family asked for"))
		}
	}
	if f.family == 0 && f.table != TableUnspec {
		f.family = unix.AF_INET // as ip: one table, IPv4
	}
	f.selectsPrefixes = f.root.IsValid() || f.within.IsValid() || f.srcRoot.IsValid() || f.srcWithin.IsValid()
	return f, f.invalid
}

// dumpRequest returns the payload of the RTM_GETROUTE dump, as ip builds
// it, with the filters the kernel applies in a strict dump: the family,
// protocol, type and cached flag in the rtmsg, then RTA_TABLE and RTA_OIF.
func (f *routeFilter) dumpRequest() []byte {
	var w writer
	var hdr [rtMsgLen]byte
	hdr[0] = f.family
	if f.hasProtocol {
		hdr[5] = uint8(f.protocol)
	}
	if f.hasType {
		hdr[7] = uint8(f.typ)
	}
	if f.cloned {
		native.Endian.PutUint32(hdr[8:], uint32(RouteCloned))
	}
	w.Append(hdr[:])
	if f.table != TableUnspec {
		w.Uint32(unix.RTA_TABLE, uint32(f.table))
	}
	if f.oif != 0 {
		w.Uint32(unix.RTA_OIF, uint32(f.oif))
	}
	return w.Bytes()
}

// match reports whether r passes every filter, as ip's filter does.
func (f *routeFilter) match(r *Route) bool {
	switch {
	case f.family != 0 && r.Family != f.family:
		return false
	case f.cloned != r.Flags.Has(RouteCloned):
		return false
	case f.table != TableUnspec && r.Table != f.table:
		return false
	case f.hasProtocol && r.Protocol != f.protocol:
		return false
	case f.hasScope && r.Scope != f.scope:
		return false
	case f.hasType && r.Type != f.typ:
		return false
	case f.hasTOS && r.TOS != f.tos:
		return false
	case f.hasMetric && r.Metric != f.metric:
		return false
	case f.oif != 0 && r.LinkIndex != f.oif:
		return false
	case f.iif != 0 && r.InputLinkIndex != f.iif:
		return false
	}
	if f.selectsPrefixes && (!prefixSelected(routePrefix(r.Dst, r.Family), f.root, f.within) ||
		!prefixSelected(routePrefix(r.Src, r.Family), f.srcRoot, f.srcWithin)) {
		return false
	}
	if (r.Realms^f.realms)&f.realmMask != 0 {
		return false
	}
	if f.via.IsValid() {
		via := r.Gateway
		if r.Via.IsValid() {
			via = r.Via
		}
		if !f.via.Contains(orZero(via, r.Family)) {
			return false
		}
	}
	if f.prefsrc.IsValid() && !f.prefsrc.Contains(orZero(r.PrefSrc, r.Family)) {
		return false
	}
	return true
}

// prefixSelected reports whether p is inside root (the prefix itself or a
// longer one within it) and around within (the prefix itself or a shorter
// one containing it), each when set: ip's root, match and exact selectors.
func prefixSelected(p, root, within netip.Prefix) bool {
	if root.IsValid() && (p.Bits() < root.Bits() || !root.Contains(p.Addr())) {
		return false
	}
	return !within.IsValid() || (p.Bits() <= within.Bits() && p.Contains(within.Addr()))
}

// routePrefix returns the destination or source prefix of an IP route of
// the family, none (the default route, any source) as the zero prefix of
// the family.
func routePrefix(p netip.Prefix, family uint8) netip.Prefix {
	if p.IsValid() {
		return p
	}
	return netip.PrefixFrom(orZero(netip.Addr{}, family), 0)
}

// orZero returns a, or when it is not set the unspecified address of the
// family (none for a family other than IPv4 and IPv6), as ip compares a
// missing address.
func orZero(a netip.Addr, family uint8) netip.Addr {
	switch {
	case a.IsValid():
		return a
	case family == unix.AF_INET:
		return netip.IPv4Unspecified()
	case family == unix.AF_INET6:
		return netip.IPv6Unspecified()
	}
	return a
}
