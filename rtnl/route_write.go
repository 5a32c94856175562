package rtnl

import (
	"context"
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/addrfamily"
)

// The header flags of the RTM_NEWROUTE requests of ip route add, replace,
// append and change.
const (
	nlmRouteAdd     = unix.NLM_F_CREATE | unix.NLM_F_EXCL
	nlmRouteReplace = unix.NLM_F_CREATE | unix.NLM_F_REPLACE
	nlmRouteAppend  = unix.NLM_F_CREATE | unix.NLM_F_APPEND
	nlmRouteChange  = unix.NLM_F_REPLACE
)

// routeFlushRounds is how many times FlushRoutes dumps and deletes at
// most.
const routeFlushRounds = 10

// routeFlagsSettable are the route and next hop flags a request carries.
const routeFlagsSettable = RouteOnLink

// AddRoute adds the route r describes, as `ip route add` does: Dst (the
// zero Prefix for the default route), and any of Type, Src, TOS, Gateway or
// Via, LinkIndex, Table, Protocol, Scope, PrefSrc, Metric, Flags
// ([RouteOnLink]), Realms, NexthopID, Expires, Pref, TTLPropagate, Metrics
// and Nexthops. Zero fields take ip's defaults: the family of the
// addresses, the unicast type, the main table (local for the local,
// broadcast, anycast and nat types), the boot protocol, and the scope ip
// picks (see [Route].Scope).
//
// Invalid input is rejected with an [*InvalidError] before anything is
// sent: addresses of mixed families (a gateway of another family goes in
// Via), a prefix length beyond the family's bits, a weight beyond 256. A
// missing link gives an error matching [ErrNotExist]; a route the table has
// already, one matching [ErrExist]. Other refusals carry the kernel's
// message, such as "Nexthop has invalid gateway".
func (c *Conn) AddRoute(ctx context.Context, r Route) error {
	return c.newRoute(ctx, "add", r, nlmRouteAdd)
}

// ReplaceRoute adds the route r describes, or replaces the route of the
// same destination, TOS and metric in its table, as `ip route replace`
// does. See [Conn.AddRoute].
func (c *Conn) ReplaceRoute(ctx context.Context, r Route) error {
	return c.newRoute(ctx, "replace", r, nlmRouteReplace)
}

// AppendRoute adds the route r describes after those of the same
// destination, as `ip route append` does: for IPv6, as one more next hop of
// a multipath route. See [Conn.AddRoute].
func (c *Conn) AppendRoute(ctx context.Context, r Route) error {
	return c.newRoute(ctx, "append", r, nlmRouteAppend)
}

// ChangeRoute changes an existing route, as `ip route change` does
// (NLM_F_REPLACE without NLM_F_CREATE): a missing route gives an error
// matching [ErrNotExist]. See [Conn.AddRoute].
func (c *Conn) ChangeRoute(ctx context.Context, r Route) error {
	return c.newRoute(ctx, "change", r, nlmRouteChange)
}

func (c *Conn) newRoute(ctx context.Context, verb string, r Route, flags uint16) error {
	return c.routeRequest(ctx, verb, unix.RTM_NEWROUTE, flags, &r)
}

// routeRequest sends the request of type typ (RTM_NEWROUTE with the flags
// of verb, or RTM_DELROUTE) for r, and names it only if it fails.
func (c *Conn) routeRequest(ctx context.Context, verb string, typ, flags uint16, r *Route) error {
	return c.nl.Ack(ctx, func() string { return routeOp(verb, r) }, typ, flags, func(b []byte) ([]byte, error) {
		var w writer
		w.Reset(b)
		err := w.routeRequest(r, typ == unix.RTM_DELROUTE)
		return w.Bytes(), err
	})
}

// DeleteRoute deletes the route r describes, as `ip route del` does. The
// kernel deletes the first route of the table (main when Table is unset)
// with the destination Dst that matches the fields set: TOS, Gateway,
// LinkIndex, Metric, PrefSrc, Protocol, Type, and Scope unless it is
// ScopeGlobal. A route from [Conn.Routes] can be passed as it is. A route
// the table does not have gives an error matching [ErrNotExist].
func (c *Conn) DeleteRoute(ctx context.Context, r Route) error {
	return c.routeRequest(ctx, "delete", unix.RTM_DELROUTE, 0, &r)
}

// routeOp names an operation on r for errors.
func routeOp(verb string, r *Route) string {
	if r.Family == unix.AF_MPLS {
		return fmt.Sprintf("rtnl: %s MPLS route %d", verb, r.Label)
	}
	return fmt.Sprintf("rtnl: %s route %s", verb, routePrefixJSON(r.Dst, "default"))
}

// FlushRoutes deletes the routes that pass the filters, as `ip route
// flush` does: it dumps them and deletes each, again until a dump finds
// none left, up to 10 rounds. Routes that are gone by the time they are
// deleted are skipped. Like ip, it refuses to run without a filter, an
// [*InvalidError]; and like ip's, the filters select the main table unless
// [FilterRouteTable] selects another. Routes left after the 10th round
// give an error matching [ErrFlushIncomplete].
func (c *Conn) FlushRoutes(ctx context.Context, filters ...RouteFilter) error {
	_, err := c.FlushRoutesRounds(ctx, FlushRounds{Max: routeFlushRounds}, filters...)
	return err
}

// routeFlushRequest returns the payload of the RTM_DELROUTE request that
// deletes the route of a dump reply, if it passes the filter: as ip does,
// the reply itself. Like ip, it leaves out IPv6's unreachable default route
// of metric 2^32-1, which the kernel keeps.
func routeFlushRequest(typ uint16, data []byte, f *routeFilter) ([]byte, bool, error) {
	if typ != unix.RTM_NEWROUTE {
		return nil, false, nil
	}
	r, err := decodeRoute(data)
	if err != nil || !f.match(&r) {
		return nil, false, err
	}
	if r.Family == unix.AF_INET6 && r.Type == RouteTypeUnreachable && r.Dst.Bits() <= 0 && r.Metric == 0xffffffff {
		return nil, false, nil
	}
	return append([]byte(nil), data...), true, nil
}

// validateRoute checks a route a request describes and returns its
// family.
func validateRoute(r *Route) (uint8, error) {
	family := r.family()
	switch family {
	case unix.AF_INET, unix.AF_INET6:
	case unix.AF_UNSPEC:
		family = unix.AF_INET // as ip
	case unix.AF_MPLS:
		return family, validateMPLSRoute(r)
	default:
		return 0, errInvalid("route family", fmt.Sprintf("%d: want AF_INET, AF_INET6 or AF_MPLS", family))
	}
	for _, p := range []struct {
		what   string
		prefix netip.Prefix
	}{{"route destination", r.Dst}, {"route source", r.Src}} {
		a := p.prefix.Addr()
		switch {
		case !a.IsValid():
		case addrfamily.Of(a) != family:
			return 0, errInvalid(p.what, fmt.Sprintf("%s is not of the route's family", p.prefix))
		case !p.prefix.IsValid():
			return 0, errInvalid(p.what+" prefix length", fmt.Sprintf("beyond the %d bits of %s", a.BitLen(), a))
		}
	}
	if r.PrefSrc.IsValid() && addrfamily.Of(r.PrefSrc) != family {
		return 0, errInvalid("route preferred source", fmt.Sprintf("%s is not of the route's family", r.PrefSrc))
	}
	if r.Label != 0 || len(r.NewLabels) > 0 {
		return 0, errInvalid("route labels", "only MPLS routes have labels")
	}
	return family, validateNexthops(r, family)
}

// validateMPLSRoute checks an MPLS route a request describes.
func validateMPLSRoute(r *Route) error {
	switch {
	case r.Dst.IsValid() || r.Src.IsValid() || r.Gateway.IsValid() || r.PrefSrc.IsValid():
		return errInvalid("MPLS route", "Dst, Src, Gateway and PrefSrc are for IP routes: set Label and Via")
	case r.Label > mplsMaxLabel:
		return errInvalid("MPLS route label", fmt.Sprintf("%d is beyond 20 bits", r.Label))
	}
	if err := validateLabels("MPLS route", r.NewLabels); err != nil {
		return err
	}
	for i := range r.Nexthops {
		if err := validateLabels(fmt.Sprintf("MPLS route next hop %d", i), r.Nexthops[i].NewLabels); err != nil {
			return err
		}
	}
	return validateNexthops(r, unix.AF_MPLS)
}

// validateLabels checks a label stack.
func validateLabels(what string, labels []uint32) error {
	for _, l := range labels {
		if l > mplsMaxLabel {
			return errInvalid(what+" labels", fmt.Sprintf("%d is beyond 20 bits", l))
		}
	}
	return nil
}

// validateNexthops checks the next hops and links of a route of the
// family.
func validateNexthops(r *Route, family uint8) error {
	if err := validateRouteNexthop("route", family, r.Gateway, r.Via); err != nil {
		return err
	}
	if r.LinkIndex < 0 || r.InputLinkIndex < 0 {
		return errInvalid("route link index", fmt.Sprintf("%d", min(r.LinkIndex, r.InputLinkIndex)))
	}
	for i := range r.Nexthops {
		nh := &r.Nexthops[i]
		what := fmt.Sprintf("route next hop %d", i)
		if err := validateRouteNexthop(what, family, nh.Gateway, nh.Via); err != nil {
			return err
		}
		switch {
		case nh.Weight < 0 || nh.Weight > 256:
			return errInvalid(what+" weight", fmt.Sprintf("%d: want 1 to 256", nh.Weight))
		case nh.LinkIndex < 0:
			return errInvalid(what+" link index", fmt.Sprintf("%d", nh.LinkIndex))
		case family != unix.AF_MPLS && len(nh.NewLabels) > 0:
			return errInvalid(what+" labels", "only MPLS routes have labels")
		}
	}
	return nil
}

// validateRouteNexthop checks the gateway and via address of a route or a next
// hop of a route of the family.
func validateRouteNexthop(what string, family uint8, gw, via netip.Addr) error {
	switch {
	case gw.IsValid() && addrfamily.Of(gw) != family:
		return errInvalid(what+" gateway", fmt.Sprintf("%s is not of the route's family: set Via for a gateway of another family", gw))
	case gw.IsValid() && via.IsValid():
		return errInvalid(what+" gateway", "both Gateway and Via are set")
	case via.IsValid() && addrfamily.Of(via) == family:
		return errInvalid(what+" via", fmt.Sprintf("%s is of the route's family: set Gateway", via))
	}
	return nil
}

// routeTable returns the table a request for r goes to: Table, or ip's
// default for the route's type.
func routeTable(r *Route) Table {
	if r.Table != TableUnspec {
		return r.Table
	}
	switch r.Type {
	case RouteTypeLocal, RouteTypeBroadcast, RouteTypeNAT, RouteTypeAnycast:
		return TableLocal
	}
	return TableMain
}

// routeScope returns the scope a request for r carries: Scope, or ip's
// default for the family, the type and whether the route has a gateway.
func routeScope(r *Route, family uint8, del bool) Scope {
	if r.Scope != ScopeGlobal {
		return r.Scope
	}
	switch {
	case family == unix.AF_INET6 || family == unix.AF_MPLS:
		return ScopeGlobal
	case r.Type == RouteTypeLocal || r.Type == RouteTypeNAT:
		return ScopeHost
	case r.Type == RouteTypeBroadcast || r.Type == RouteTypeMulticast || r.Type == RouteTypeAnycast:
		return ScopeLink
	case r.Type != RouteTypeUnicast && r.Type != RouteTypeUnspec:
		return ScopeGlobal
	case del:
		return ScopeNowhere
	case !r.Gateway.IsValid() && !r.Via.IsValid() && len(r.Nexthops) == 0 && r.NexthopID == 0:
		return ScopeLink
	}
	return ScopeGlobal
}

// routeRequest builds the payload of an RTM_NEWROUTE request for r, or of
// an RTM_DELROUTE request (del), with the attributes in the order ip sends
// them for `ip route add [TYPE] PREFIX [from SRC] [via GW] [metric N]
// [table T] [src ADDR] [realms R] [nhid N] [pref P] [expires N]
// [ttl-propagate X] [dev DEV] [METRICS…] [nexthop …]`; a delete leaves the
// metrics, preference, lifetime and TTL propagation out.
func (w *writer) routeRequest(r *Route, del bool) error {
	family, err := validateRoute(r)
	if err != nil {
		return err
	}
	typ, protocol := r.Type, r.Protocol
	if typ == RouteTypeUnspec && (!del || family == unix.AF_MPLS) {
		typ = RouteTypeUnicast
	}
	if !del && protocol == ProtocolUnspec {
		protocol = ProtocolBoot
	}
	table := routeTable(r)
	var hdr [rtMsgLen]byte
	hdr[0] = family
	switch {
	case family == unix.AF_MPLS:
		hdr[1] = 20
	case r.Dst.IsValid():
		hdr[1] = uint8(r.Dst.Bits())
	}
	if r.Src.IsValid() {
		hdr[2] = uint8(r.Src.Bits())
	}
	hdr[3] = r.TOS
	if table <= 0xff {
		hdr[4] = uint8(table)
	}
	hdr[5] = uint8(protocol)
	hdr[6] = uint8(routeScope(r, family, del))
	hdr[7] = uint8(typ)
	native.Endian.PutUint32(hdr[8:], uint32(r.Flags&routeFlagsSettable))
	w.Append(hdr[:])

	if family == unix.AF_MPLS {
		w.labels(unix.RTA_DST, []uint32{r.Label})
	}
	if r.Dst.Bits() > 0 {
		w.Addr(unix.RTA_DST, r.Dst.Addr())
	}
	if r.Src.Bits() > 0 {
		w.Addr(unix.RTA_SRC, r.Src.Addr())
	}
	w.labels(unix.RTA_NEWDST, r.NewLabels)
	if err := w.encap(unix.RTA_ENCAP_TYPE, unix.RTA_ENCAP, r.Encap); err != nil {
		return err
	}
	w.gateway(r.Gateway, r.Via)
	if r.Metric != 0 {
		w.Uint32(unix.RTA_PRIORITY, r.Metric)
	}
	if table > 0xff {
		w.Uint32(unix.RTA_TABLE, uint32(table))
	}
	putAddr(w, unix.RTA_PREFSRC, r.PrefSrc)
	if r.Realms != 0 {
		w.Uint32(unix.RTA_FLOW, r.Realms)
	}
	if r.NexthopID != 0 {
		w.Uint32(rtaNHID, r.NexthopID)
	}
	if !del {
		putUint8(w, unix.RTA_PREF, r.Pref)
		if r.Expires != 0 {
			w.Uint32(unix.RTA_EXPIRES, r.Expires)
		}
		putBool(w, unix.RTA_TTL_PROPAGATE, r.TTLPropagate)
	}
	if r.LinkIndex != 0 {
		w.Uint32(unix.RTA_OIF, uint32(r.LinkIndex))
	}
	if r.Metrics != nil && !del {
		w.metrics(r.Metrics)
	}
	if len(r.Nexthops) > 0 {
		if err := w.nexthops(r.Nexthops); err != nil {
			return err
		}
	}
	return w.Err()
}

// labels appends a label stack, the bottom of stack bit on the last
// label, when there are labels.
func (w *writer) labels(typ uint16, labels []uint32) {
	if len(labels) == 0 {
		return
	}
	b := make([]byte, 0, 4*len(labels))
	for i, l := range labels {
		entry := l << 12
		if i == len(labels)-1 {
			entry |= 0x100
		}
		b = binary.BigEndian.AppendUint32(b, entry)
	}
	w.Raw(typ, b)
}

// gateway appends RTA_GATEWAY, or RTA_VIA (struct rtvia), when set.
func (w *writer) gateway(gw, via netip.Addr) {
	putAddr(w, unix.RTA_GATEWAY, gw)
	if via.IsValid() {
		b := native.Endian.AppendUint16(make([]byte, 0, 18), uint16(addrfamily.Of(via)))
		w.Raw(unix.RTA_VIA, append(b, via.AsSlice()...))
	}
}

// metrics appends RTA_METRICS with the metrics set, in RTAX_* order, and
// RTAX_LOCK last, as ip does. It appends nothing when no metric is set.
func (w *writer) metrics(m *RouteMetrics) {
	start := w.Len()
	n := w.Nest(unix.RTA_METRICS)
	for typ := uint16(unix.RTAX_MTU); typ <= unix.RTAX_MAX; typ++ {
		if typ == unix.RTAX_CC_ALGO {
			if m.CongCtl != "" {
				w.Raw(unix.RTAX_CC_ALGO, []byte(m.CongCtl))
			}
			continue
		}
		if p := m.field(typ); p != nil {
			putUint32(w, typ, *p)
		}
	}
	if m.Lock != 0 {
		w.Uint32(unix.RTAX_LOCK, m.Lock)
	}
	w.End(n)
	if w.Len() == start+4 && w.Err() == nil {
		w.Reset(w.Bytes()[:start])
	}
}

// nexthops appends RTA_MULTIPATH: a struct rtnexthop per next hop, each
// followed by its attributes.
func (w *writer) nexthops(nhs []RouteNexthop) error {
	n := w.Nest(unix.RTA_MULTIPATH)
	for i := range nhs {
		nh := &nhs[i]
		off := w.Len()
		var hdr [rtNexthopLen]byte
		hdr[2] = uint8(nh.Flags & routeFlagsSettable)
		if nh.Weight > 0 {
			hdr[3] = uint8(nh.Weight - 1)
		}
		native.Endian.PutUint32(hdr[4:], uint32(nh.LinkIndex))
		w.Append(hdr[:])
		if err := w.encap(unix.RTA_ENCAP_TYPE, unix.RTA_ENCAP, nh.Encap); err != nil {
			return err
		}
		w.labels(unix.RTA_NEWDST, nh.NewLabels)
		w.gateway(nh.Gateway, nh.Via)
		if nh.Realms != 0 {
			w.Uint32(unix.RTA_FLOW, nh.Realms)
		}
		if w.Err() == nil {
			native.Endian.PutUint16(w.Bytes()[off:], uint16(w.Len()-off))
		}
	}
	w.End(n)
	return nil
}
