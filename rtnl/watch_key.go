package rtnl

import (
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// A watchKey identifies an object of a watched table, as the kernel does:
// a link by its index, an address by its link, local address, prefix
// length and peer, a route by its table, destinations, TOS, metric, type
// and next hops, a neighbour by its link and address.
type watchKey struct {
	table WatchTables
	// ident is the object's identity, without the next hops of a route.
	ident string
	// nexthops tells apart the routes of one identity: IPv4 routes that
	// `ip route append` made, IPv6 routes through different links.
	nexthops string
}

// identity returns the key without its next hops.
func (k watchKey) identity() watchKey { return watchKey{table: k.table, ident: k.ident} }

// watchKeyOf returns the key of the event's object, decoded from a message
// of the given family (the first byte of every rtnetlink header), and
// false for an object the watch does not mirror: a link's bridge port
// information, a proxy neighbour, a cached route, an address or route of
// another family than IPv4 and IPv6.
func watchKeyOf(ev *Event, family uint8) (watchKey, bool) {
	var b strings.Builder
	switch {
	case ev.Link != nil:
		if family == unix.AF_BRIDGE {
			return watchKey{}, false
		}
		return watchKey{table: WatchLinks, ident: strconv.Itoa(int(ev.Link.Index))}, true
	case ev.Address != nil:
		a := ev.Address
		if a.Family != unix.AF_INET && a.Family != unix.AF_INET6 {
			return watchKey{}, false
		}
		b.WriteString(strconv.Itoa(int(a.LinkIndex)))
		writeKeyPart(&b, a.Prefix.String())
		writeKeyPart(&b, a.Peer.String())
		return watchKey{table: WatchAddresses, ident: b.String()}, true
	case ev.Route != nil:
		r := ev.Route
		if (r.Family != unix.AF_INET && r.Family != unix.AF_INET6) || r.Flags.Has(RouteCloned) {
			return watchKey{}, false
		}
		b.WriteString(strconv.Itoa(int(r.Family)))
		writeKeyPart(&b, strconv.FormatUint(uint64(r.Table), 10))
		writeKeyPart(&b, prefixKey(r.Dst))
		writeKeyPart(&b, prefixKey(r.Src))
		writeKeyPart(&b, strconv.Itoa(int(r.TOS)))
		writeKeyPart(&b, strconv.FormatUint(uint64(r.Metric), 10))
		return watchKey{table: WatchRoutes, ident: b.String(), nexthops: routeNexthopsKey(r)}, true
	case ev.Neighbor != nil:
		n := ev.Neighbor
		if n.Flags&NeighProxy != 0 {
			return watchKey{}, false
		}
		b.WriteString(strconv.Itoa(int(n.Family)))
		writeKeyPart(&b, strconv.Itoa(int(n.LinkIndex)))
		writeKeyPart(&b, n.Dst.String())
		return watchKey{table: WatchNeighbors, ident: b.String()}, true
	}
	return watchKey{}, false
}

// writeKeyPart appends a separator and s.
func writeKeyPart(b *strings.Builder, s string) {
	b.WriteByte(' ')
	b.WriteString(s)
}

// prefixKey writes a prefix with the default route and no prefix alike,
// as the kernel stores them.
func prefixKey(p netip.Prefix) string {
	if !p.IsValid() {
		return "-"
	}
	return p.String()
}

// routeNexthopsKey describes what tells apart IPv4 routes of one
// identity: their type and where they lead.
func routeNexthopsKey(r *Route) string {
	var b strings.Builder
	b.WriteString(r.Type.String())
	writeKeyPart(&b, strconv.FormatUint(uint64(r.NexthopID), 10))
	writeKeyPart(&b, r.Gateway.String())
	writeKeyPart(&b, strconv.Itoa(int(r.LinkIndex)))
	for _, nh := range r.Nexthops {
		writeKeyPart(&b, nh.Gateway.String())
		writeKeyPart(&b, strconv.Itoa(int(nh.LinkIndex)))
		writeKeyPart(&b, strconv.Itoa(nh.Weight))
	}
	return b.String()
}

// Key returns a string that tells the event's object apart from the other
// objects of its table as [Watch] does, for a consumer to keep its copy of
// the table by: two events have the same key when they are about the same
// link, address, route or neighbour. It returns "" for an event with no
// object of a table Watch mirrors.
func (ev Event) Key() string {
	k, ok := watchKeyOf(&ev, unix.AF_UNSPEC)
	if !ok {
		return ""
	}
	return strconv.Itoa(int(k.table)) + " " + k.ident + " | " + k.nexthops
}
