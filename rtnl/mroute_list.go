package rtnl

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/netip"
	"time"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// mrouteRtMsgLen is the size of struct rtmsg.
const mrouteRtMsgLen = unix.SizeofRtMsg

// rtaMfcStatsLen is the size of struct rta_mfc_stats.
const rtaMfcStatsLen = 24

// errNotMulticast reports a reply to a multicast route dump that holds a
// unicast route: the kernel lacks multicast routing, and dumped every
// family's routes instead.
var errNotMulticast = fmt.Errorf("the kernel sent a route that is not multicast: it lacks multicast routing: %w", ErrNotSupported)

// decodeMulticastRoute decodes an RTM_NEWROUTE or RTM_DELROUTE payload of
// a multicast routing family. On an error it returns what it read before
// it.
func decodeMulticastRoute(b []byte) (MulticastRoute, error) {
	var r MulticastRoute
	if len(b) < mrouteRtMsgLen {
		return r, fmt.Errorf("route message too short: %d bytes", len(b))
	}
	if b[7] != unix.RTN_MULTICAST || mrouteFamily(b[0]) == 0 {
		return r, errNotMulticast
	}
	r.Family = mrouteFamily(b[0])
	r.Table = Table(b[4])
	flags := native.Endian.Uint32(b[8:])
	r.Unresolved = flags&unix.RTNH_F_UNRESOLVED != 0
	r.Offload = flags&unix.RTNH_F_OFFLOAD != 0
	d := attrs.NewDecoder(b[mrouteRtMsgLen:])
	for d.Next() {
		switch d.Type() {
		case unix.RTA_TABLE:
			r.Table = Table(d.Uint32())
		case unix.RTA_SRC:
			r.Source = d.Addr()
		case unix.RTA_DST:
			r.Group = d.Addr()
		case unix.RTA_IIF:
			r.IIFIndex = d.Int32()
		case unix.RTA_MULTIPATH:
			r.Oifs = decodeMulticastOifs(d.Bytes())
		case unix.RTA_MFC_STATS:
			s := d.Bytes()
			if len(s) < rtaMfcStatsLen {
				return r, fmt.Errorf("RTA_MFC_STATS is %d bytes, want %d", len(s), rtaMfcStatsLen)
			}
			r.Stats = &MulticastRouteStats{
				Packets: native.Endian.Uint64(s),
				Bytes:   native.Endian.Uint64(s[8:]),
				WrongIf: native.Endian.Uint64(s[16:]),
			}
		case unix.RTA_EXPIRES:
			lastUse := time.Duration(d.Uint64()) * 10 * time.Millisecond
			r.LastUse = &lastUse
		}
	}
	return r, d.Err()
}

// decodeMulticastOifs decodes the struct rtnexthop entries of
// RTA_MULTIPATH, stopping, as ip does, at one that does not fit.
func decodeMulticastOifs(b []byte) []MulticastOif {
	oifs := []MulticastOif{}
	for len(b) >= unix.SizeofRtNexthop {
		n := int(native.Endian.Uint16(b))
		if n > len(b) || n < unix.SizeofRtNexthop {
			break
		}
		oifs = append(oifs, MulticastOif{LinkIndex: int32(native.Endian.Uint32(b[4:])), TTL: b[3]})
		n = (n + 3) &^ 3
		if n > len(b) {
			break
		}
		b = b[n:]
	}
	return oifs
}

// A MulticastRouteFilter narrows the routes [Conn.MulticastRoutes]
// returns, as the selectors of `ip mroute show` do. Filters combine.
type MulticastRouteFilter func(*mrouteFilter)

type mrouteFilter struct {
	family   uint8 // RTNL_FAMILY_IPMR or RTNL_FAMILY_IP6MR
	table    Table
	hasTable bool
	iif      int32
	from, to netip.Prefix
	invalid  error
}

func (f *mrouteFilter) fail(err error) {
	if f.invalid == nil {
		f.invalid = err
	}
}

// FilterMulticastFamily lists the routes of unix.AF_INET (the default) or
// unix.AF_INET6 (`ip -6 mroute show`).
func FilterMulticastFamily(family uint8) MulticastRouteFilter {
	return func(f *mrouteFilter) {
		switch family {
		case unix.AF_INET:
			f.family = rtnlFamilyIPMR
		case unix.AF_INET6:
			f.family = rtnlFamilyIP6MR
		default:
			f.fail(errInvalid("multicast route family", fmt.Sprintf("%d: want AF_INET or AF_INET6", family)))
		}
	}
}

// FilterMulticastTable keeps the routes of one table
// (`ip mroute show table TABLE`), or of every table when it is
// [TableUnspec] (`table all`). Without it, IPv4 routes are those of
// [TableDefault], as with ip, and IPv6 routes those of every table. The
// kernel applies it.
func FilterMulticastTable(table Table) MulticastRouteFilter {
	return func(f *mrouteFilter) { f.table, f.hasTable = table, true }
}

// FilterMulticastIIF keeps the routes whose traffic arrives on the link
// with the given index (`iif DEV`).
func FilterMulticastIIF(index int32) MulticastRouteFilter {
	return func(f *mrouteFilter) {
		if index <= 0 {
			f.fail(errInvalid("multicast route iif", fmt.Sprintf("%d", index)))
		}
		f.iif = index
	}
}

// FilterMulticastFrom keeps the routes whose source is in prefix
// (`from PREFIX`).
func FilterMulticastFrom(prefix netip.Prefix) MulticastRouteFilter {
	return func(f *mrouteFilter) { f.from = prefix }
}

// FilterMulticastTo keeps the routes whose group is in prefix
// (`to PREFIX`).
func FilterMulticastTo(prefix netip.Prefix) MulticastRouteFilter {
	return func(f *mrouteFilter) { f.to = prefix }
}

func newMrouteFilter(filters []MulticastRouteFilter) (mrouteFilter, error) {
	f := mrouteFilter{family: rtnlFamilyIPMR}
	for _, fn := range filters {
		fn(&f)
	}
	if !f.hasTable && f.family == rtnlFamilyIPMR {
		f.table = TableDefault
	}
	want := unix.AF_INET
	if f.family == rtnlFamilyIP6MR {
		want = unix.AF_INET6
	}
	for _, p := range []netip.Prefix{f.from, f.to} {
		if p != (netip.Prefix{}) && (!p.IsValid() || p.Addr().Is4() != (want == unix.AF_INET)) {
			f.fail(errInvalid("multicast route prefix", fmt.Sprintf("%q is not a valid prefix of the family", p.String())))
		}
	}
	return f, f.invalid
}

// match reports whether r passes the filters ip applies itself.
func (f *mrouteFilter) match(r *MulticastRoute) bool {
	r.showTable = f.table == 0
	return (f.table == 0 || r.Table == f.table) &&
		(f.iif == 0 || r.IIFIndex == f.iif) &&
		mrouteMatchPrefix(f.from, r.Source) && mrouteMatchPrefix(f.to, r.Group)
}

// mrouteMatchPrefix reports whether a is in p, as ip matches a from or to
// selector: an unset selector matches everything, and a missing address
// only a /0.
func mrouteMatchPrefix(p netip.Prefix, a netip.Addr) bool {
	switch {
	case p == (netip.Prefix{}):
		return true
	case !a.IsValid():
		return p.Bits() == 0
	}
	return p.Contains(a)
}

// mrouteDumpRequest returns the payload of the RTM_GETROUTE dump ip mroute
// show sends: an rtmsg of the multicast family, with RTA_TABLE for a
// table filter.
func mrouteDumpRequest(f *mrouteFilter) []byte {
	var w writer
	hdr := make([]byte, mrouteRtMsgLen)
	hdr[0] = f.family
	w.Append(hdr)
	if f.table != 0 {
		w.Uint32(unix.RTA_TABLE, uint32(f.table))
	}
	return w.Bytes()
}

// decodeMrouteMessage decodes a multicast route from a dump reply,
// skipping messages of other types.
func decodeMrouteMessage(m nlconn.Message) (MulticastRoute, bool, error) {
	if m.Type != unix.RTM_NEWROUTE {
		return MulticastRoute{}, false, nil
	}
	r, err := decodeMulticastRoute(m.Data)
	return r, err == nil, err
}

// MulticastRoutes returns the multicast routes of the calling thread's
// network namespace; see [Conn.MulticastRoutes].
func MulticastRoutes(ctx context.Context, filters ...MulticastRouteFilter) ([]MulticastRoute, error) {
	return withConn(ctx, func(c *Conn) ([]MulticastRoute, error) { return c.MulticastRoutes(ctx, filters...) })
}

// MulticastRoutesSeq streams the multicast routes of the calling thread's
// network namespace; see [Conn.MulticastRoutesSeq].
func MulticastRoutesSeq(ctx context.Context, filters ...MulticastRouteFilter) iter.Seq2[MulticastRoute, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[MulticastRoute, error] { return c.MulticastRoutesSeq(ctx, filters...) })
}

// MulticastRoutes returns the multicast routes that pass the filters, as
// `ip -s mroute show` lists them (IPv4 routes of [TableDefault] without
// filters), with the link names filled in. A kernel without multicast
// routing gives an error matching [ErrNotSupported] (or, as ip shows, no
// routes).
//
// An interrupted dump is handled as [Conn.Addresses] does.
func (c *Conn) MulticastRoutes(ctx context.Context, filters ...MulticastRouteFilter) ([]MulticastRoute, error) {
	f, err := newMrouteFilter(filters)
	if err != nil {
		return nil, err
	}
	rs, err := nlconn.Collect(ctx, c.nl, "rtnl: dump multicast routes", unix.RTM_GETROUTE, 0,
		mrouteDumpRequest(&f), keepMatching(decodeMrouteMessage, f.match))
	if err != nil && !errors.Is(err, ErrDumpInterrupted) {
		return nil, err
	}
	lc := c.newLinkCache(ctx)
	for i := range rs {
		rs[i].resolveNames(lc)
	}
	if lc.err != nil {
		return nil, lc.err
	}
	return rs, err
}

// MulticastRoutesSeq streams the multicast routes that pass the filters as
// the kernel's reply arrives; see [Conn.MulticastRoutes]. A dump the
// kernel reports interrupted ends with an error matching
// [ErrDumpInterrupted].
func (c *Conn) MulticastRoutesSeq(ctx context.Context, filters ...MulticastRouteFilter) iter.Seq2[MulticastRoute, error] {
	return func(yield func(MulticastRoute, error) bool) {
		f, err := newMrouteFilter(filters)
		if err != nil {
			yield(MulticastRoute{}, err)
			return
		}
		lc := c.newLinkCache(ctx)
		nlconn.YieldDump(ctx, c.nl, "rtnl: dump multicast routes", unix.RTM_GETROUTE, mrouteDumpRequest(&f),
			keepMatching(decodeMrouteMessage, f.match), func(r MulticastRoute, err error) bool {
				if err == nil {
					r.resolveNames(lc)
					err = lc.err
				}
				return yield(r, err) && err == nil
			})
	}
}

// resolveNames fills in the names of the route's links.
func (r *MulticastRoute) resolveNames(lc *linkCache) {
	r.IIFName = lc.linkName(r.IIFIndex)
	for i := range r.Oifs {
		r.Oifs[i].LinkName = lc.linkName(r.Oifs[i].LinkIndex)
	}
}
