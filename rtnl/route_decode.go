package rtnl

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// rtMsgLen is the size of struct rtmsg, and rtNexthopLen of struct
// rtnexthop.
const (
	rtMsgLen     = unix.SizeofRtMsg
	rtNexthopLen = unix.SizeofRtNexthop
)

// routeValues backs the pointer fields of the routes of one dump, so that
// decoding them allocates per chunk of routes, not per route.
type routeValues struct {
	cacheInfos slab[RouteCacheInfo]
	prefs      slab[RoutePref]
}

// decodeRoute decodes an RTM_NEWROUTE or RTM_DELROUTE payload (rtmsg and
// attributes). Link names are left empty. On an error it returns what it
// read before it.
func decodeRoute(b []byte) (Route, error) {
	return (*routeValues)(nil).decode(b)
}

// decode decodes a route as decodeRoute does, its cache information and
// preference carved from v's slabs; v may be nil.
func (v *routeValues) decode(b []byte) (Route, error) {
	var r Route
	err := v.decodeInto(&r, b)
	return r, err
}

// decodeInto decodes a route as decode does, into *r, which must be zero:
// a dump decodes each route in place, without copying it.
func (v *routeValues) decodeInto(r *Route, b []byte) error {
	if len(b) < rtMsgLen {
		return fmt.Errorf("route message too short: %d bytes", len(b))
	}
	r.Family = b[0]
	dstLen, srcLen := int(b[1]), int(b[2])
	r.TOS = b[3]
	r.Table = Table(b[4])
	r.Protocol = Protocol(b[5])
	r.Scope = Scope(b[6])
	r.Type = RouteType(b[7])
	r.Flags = RouteFlags(native.Endian.Uint32(b[8:]))
	ip := r.Family == unix.AF_INET || r.Family == unix.AF_INET6
	mpls := r.Family == unix.AF_MPLS

	enc := routeEncapAttrs()
	d := attrs.NewDecoder(b[rtMsgLen:])
	for d.Next() {
		switch d.Type() {
		case unix.RTA_ENCAP_TYPE, unix.RTA_ENCAP:
			enc.take(&d)
		case unix.RTA_DST:
			switch {
			case ip:
				r.Dst = netip.PrefixFrom(d.Addr(), dstLen)
			case mpls:
				labels, err := decodeLabels(d.Bytes())
				if err != nil || len(labels) != 1 {
					return fmt.Errorf("RTA_DST of an MPLS route: %d labels, %v", len(labels), err)
				}
				r.Label = labels[0]
			}
		case unix.RTA_NEWDST:
			labels, err := decodeLabels(d.Bytes())
			if err != nil {
				return fmt.Errorf("RTA_NEWDST: %w", err)
			}
			r.NewLabels = labels
		case unix.RTA_SRC:
			if ip {
				r.Src = netip.PrefixFrom(d.Addr(), srcLen)
			}
		case unix.RTA_GATEWAY:
			if ip {
				r.Gateway = d.Addr()
			}
		case unix.RTA_VIA:
			via, err := decodeVia(d.Bytes())
			if err != nil {
				return err
			}
			r.Via = via
		case unix.RTA_PREFSRC:
			if ip {
				r.PrefSrc = d.Addr()
			}
		case unix.RTA_OIF:
			r.LinkIndex = d.Int32()
		case unix.RTA_IIF:
			r.InputLinkIndex = d.Int32()
		case unix.RTA_TABLE:
			r.Table = Table(d.Uint32())
		case unix.RTA_PRIORITY:
			r.Metric = d.Uint32()
		case unix.RTA_MARK:
			r.Mark = d.Uint32()
		case unix.RTA_FLOW:
			r.Realms = d.Uint32()
		case unix.RTA_UID:
			r.UID = new(uint32)
			*r.UID = d.Uint32()
		case rtaNHID:
			r.NexthopID = d.Uint32()
		case unix.RTA_EXPIRES:
			r.Expires = d.Uint32()
		case unix.RTA_PREF:
			r.Pref = uint8Field(&d, v.pref())
		case unix.RTA_TTL_PROPAGATE:
			r.TTLPropagate = boolField(&d, new(bool))
		case unix.RTA_CACHEINFO:
			ci, err := decodeRouteCacheInfo(d.Bytes(), v.cacheInfo())
			if err != nil {
				return err
			}
			r.CacheInfo = ci
			if ci.Expires > 0 && r.Expires == 0 {
				r.Expires = uint32(ci.Expires / userHZ)
			}
		case unix.RTA_METRICS:
			m, err := decodeRouteMetrics(d.Bytes())
			if err != nil {
				return err
			}
			r.Metrics = m
		case unix.RTA_MULTIPATH:
			nhs, err := decodeNexthops(d.Bytes(), ip)
			if err != nil {
				return err
			}
			r.Nexthops = nhs
		}
	}
	if err := d.Err(); err != nil {
		return err
	}
	e, err := enc.decode()
	if err != nil {
		return err
	}
	r.Encap = e
	if ip && dstLen > 0 && !r.Dst.IsValid() {
		return fmt.Errorf("route with a destination prefix length of %d and no valid RTA_DST", dstLen)
	}
	return nil
}

// decodeVia decodes a struct rtvia: an address family (u16) and an IPv4
// or IPv6 address.
func decodeVia(b []byte) (netip.Addr, error) {
	if len(b) < 2 {
		return netip.Addr{}, fmt.Errorf("RTA_VIA is %d bytes, too short", len(b))
	}
	family, addr := native.Endian.Uint16(b), b[2:]
	switch {
	case family == unix.AF_INET && len(addr) == 4:
		return netip.AddrFrom4([4]byte(addr)), nil
	case family == unix.AF_INET6 && len(addr) == 16:
		return netip.AddrFrom16([16]byte(addr)), nil
	}
	return netip.Addr{}, fmt.Errorf("RTA_VIA of family %d with a %d-byte address is not supported", family, len(addr))
}

// cacheInfo and pref return a zeroed value for a route's field.
func (v *routeValues) cacheInfo() *RouteCacheInfo {
	if v == nil {
		return new(RouteCacheInfo)
	}
	return v.cacheInfos.new()
}

func (v *routeValues) pref() *RoutePref {
	if v == nil {
		return new(RoutePref)
	}
	return v.prefs.new()
}

// decodeRouteCacheInfo decodes a struct rta_cacheinfo into ci.
func decodeRouteCacheInfo(b []byte, ci *RouteCacheInfo) (*RouteCacheInfo, error) {
	if len(b) < routeCacheInfoLen {
		return nil, fmt.Errorf("RTA_CACHEINFO is %d bytes, want %d", len(b), routeCacheInfoLen)
	}
	u := func(i int) uint32 { return native.Endian.Uint32(b[4*i:]) }
	*ci = RouteCacheInfo{
		ClientRefs: u(0), LastUse: u(1), Expires: int32(u(2)), Error: u(3),
		Used: u(4), ID: u(5), TS: u(6), TSAge: u(7),
	}
	return ci, nil
}

// decodeRouteMetrics decodes the RTAX_* attributes nested in RTA_METRICS.
// The numeric metrics point into one array.
func decodeRouteMetrics(b []byte) (*RouteMetrics, error) {
	var backing struct {
		m    RouteMetrics
		vals [unix.RTAX_MAX + 1]uint32
	}
	p := &backing
	d := attrs.NewDecoder(b)
	for d.Next() {
		typ := d.Type()
		switch {
		case typ == unix.RTAX_LOCK:
			p.m.Lock = d.Uint32()
		case typ == unix.RTAX_CC_ALGO:
			p.m.CongCtl = d.String()
		case p.m.field(typ) != nil:
			p.vals[typ] = d.Uint32()
			*p.m.field(typ) = &p.vals[typ]
		}
	}
	if err := d.Err(); err != nil {
		return nil, fmt.Errorf("RTA_METRICS: %w", err)
	}
	return &p.m, nil
}

// decodeNexthops decodes the struct rtnexthop list of RTA_MULTIPATH, each
// with its attributes.
func decodeNexthops(b []byte, ip bool) ([]RouteNexthop, error) {
	n := 0
	for rest := b; len(rest) >= rtNexthopLen; n++ {
		l := int(native.Endian.Uint16(rest))
		if l < rtNexthopLen || l > len(rest) {
			return nil, fmt.Errorf("RTA_MULTIPATH: next hop %d has length %d, %d bytes left", n, l, len(rest))
		}
		rest = rest[min(attrs.Align(l), len(rest)):]
	}
	nhs := make([]RouteNexthop, 0, n)
	for len(b) >= rtNexthopLen {
		l := int(native.Endian.Uint16(b))
		nh := RouteNexthop{
			Flags:     RouteFlags(b[2]),
			Weight:    int(b[3]) + 1,
			LinkIndex: int32(native.Endian.Uint32(b[4:])),
		}
		enc := routeEncapAttrs()
		d := attrs.NewDecoder(b[rtNexthopLen:l])
		for d.Next() {
			if enc.take(&d) {
				continue
			}
			switch d.Type() {
			case unix.RTA_GATEWAY:
				if ip {
					nh.Gateway = d.Addr()
				}
			case unix.RTA_VIA:
				via, err := decodeVia(d.Bytes())
				if err != nil {
					return nhs, err
				}
				nh.Via = via
			case unix.RTA_FLOW:
				nh.Realms = d.Uint32()
			case unix.RTA_NEWDST:
				labels, err := decodeLabels(d.Bytes())
				if err != nil {
					return nhs, fmt.Errorf("RTA_MULTIPATH: next hop %d: RTA_NEWDST: %w", len(nhs), err)
				}
				nh.NewLabels = labels
			}
		}
		if err := d.Err(); err != nil {
			return nhs, fmt.Errorf("RTA_MULTIPATH: next hop %d: %w", len(nhs), err)
		}
		e, err := enc.decode()
		if err != nil {
			return nhs, fmt.Errorf("RTA_MULTIPATH: next hop %d: %w", len(nhs), err)
		}
		nh.Encap = e
		nhs = append(nhs, nh)
		b = b[min(attrs.Align(l), len(b)):]
	}
	return nhs, nil
}

// decodeLabels decodes an MPLS label stack (struct mpls_label entries in
// network byte order) up to the entry with the bottom of stack bit, as ip
// reads it, keeping the label values.
func decodeLabels(b []byte) ([]uint32, error) {
	if len(b) == 0 || len(b)%4 != 0 {
		return nil, fmt.Errorf("label stack of %d bytes", len(b))
	}
	labels := make([]uint32, 0, len(b)/4)
	for i := 0; i < len(b); i += 4 {
		entry := binary.BigEndian.Uint32(b[i:])
		labels = append(labels, entry>>12)
		if entry&0x100 != 0 {
			break
		}
	}
	return labels, nil
}

// message decodes a route from a dump reply into *r, which must be zero,
// skipping messages of other types: it reports whether *r holds one.
func (v *routeValues) message(m nlconn.Message, r *Route) (bool, error) {
	if m.Type != unix.RTM_NEWROUTE {
		return false, nil
	}
	err := v.decodeInto(r, m.Data)
	return err == nil, err
}

// rtaNHID is RTA_NH_ID (Linux 5.3 and later), which x/sys/unix lacks.
const rtaNHID = 30
