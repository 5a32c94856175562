package rtnl

import (
	"net/netip"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/jsonw"
)

// A MulticastRoute is an entry of a multicast forwarding cache, an (S,G)
// route that a multicast routing daemon installed (or that the kernel
// holds unresolved while it asks the daemon): what `ip -s mroute show`
// reports of it (an RTM_NEWROUTE of family RTNL_FAMILY_IPMR or
// RTNL_FAMILY_IP6MR, of type RTN_MULTICAST).
//
// Its JSON (see [MulticastRoute.MarshalJSON]) is one element of what
// `ip -j -d -s mroute show` (iproute2 6.1) prints.
type MulticastRoute struct {
	// Family is unix.AF_INET or unix.AF_INET6: the family of the
	// addresses (the message's family is RTNL_FAMILY_IPMR or
	// RTNL_FAMILY_IP6MR).
	Family uint8
	// Table is the multicast routing table (RTA_TABLE or rtm_table):
	// [TableDefault] for IPv4's and [TableMain] for IPv6's unless
	// multicast policy routing made others.
	Table Table
	// Source and Group are the route's (S,G): the source address (RTA_SRC)
	// and the multicast group (RTA_DST); the zero Addr when the kernel
	// sent none, which ip prints "unknown".
	Source, Group netip.Addr
	// IIFIndex is the index of the link the traffic must arrive on
	// (RTA_IIF), or 0 when it is unresolved; IIFName its name, filled in
	// by the lists.
	IIFIndex int32
	IIFName  string
	// Oifs are the links the traffic is forwarded to (RTA_MULTIPATH).
	Oifs []MulticastOif
	// Unresolved is set for an entry waiting for the daemon
	// (RTNH_F_UNRESOLVED).
	Unresolved bool
	// Offload is set for an entry the hardware forwards (RTNH_F_OFFLOAD).
	Offload bool
	// Stats are the entry's counters (RTA_MFC_STATS); nil when the kernel
	// sent none.
	Stats *MulticastRouteStats
	// LastUse is how long ago the entry last forwarded a packet
	// (RTA_EXPIRES, in hundredths of a second); nil when the kernel sent
	// none. ip prints it as "expires".
	LastUse *time.Duration

	// showTable is set by lists without a table filter, for which ip
	// prints the table.
	showTable bool
}

// A MulticastOif is an outgoing link of a multicast route.
type MulticastOif struct {
	// LinkIndex is the index of the link (rtnh_ifindex); LinkName its
	// name, filled in by the lists.
	LinkIndex int32
	LinkName  string
	// TTL is the TTL threshold of the link (rtnh_hops): packets with a
	// lower TTL are not forwarded to it.
	TTL uint8
}

// MulticastRouteStats are the counters of a multicast route (struct
// rta_mfc_stats).
type MulticastRouteStats struct {
	Packets uint64 // packets forwarded
	Bytes   uint64 // bytes forwarded
	WrongIf uint64 // packets that arrived on another link than the iif
}

// The families of multicast routes and rules (RTNL_FAMILY_IPMR,
// RTNL_FAMILY_IP6MR), which x/sys/unix lacks.
const (
	rtnlFamilyIPMR  = 128
	rtnlFamilyIP6MR = 129
)

// MarshalJSON encodes the route as one element of
// `ip -j -d -s mroute show` (iproute2 6.1): "src", "dst", "iif",
// "multipath", "state", "offload", the counters, "expires", and "table"
// when the list was not narrowed to a table, as ip prints it.
func (r MulticastRoute) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	addrOrUnknown := func(a netip.Addr) string {
		if a.IsValid() {
			return inetNtop(a)
		}
		return "unknown"
	}
	w.String("src", addrOrUnknown(r.Source))
	w.String("dst", addrOrUnknown(r.Group))
	if r.IIFIndex != 0 {
		w.String("iif", nameOrIndex(r.IIFName, r.IIFIndex))
	} else {
		w.String("iif", "unresolved")
	}
	if r.Oifs != nil {
		w.OpenArray("multipath")
		for _, o := range r.Oifs {
			w.Open("")
			w.String("oif", nameOrIndex(o.LinkName, o.LinkIndex))
			if o.TTL > 1 {
				w.Uint("ttl", uint64(o.TTL))
			}
			w.Close()
		}
		w.CloseArray()
	}
	if r.Unresolved {
		w.String("state", "unresolved")
	} else {
		w.String("state", "resolved")
	}
	if r.Offload {
		w.Null("offload")
	}
	if s := r.Stats; s != nil {
		w.Uint("packets", s.Packets)
		w.Uint("bytes", s.Bytes)
		if s.WrongIf != 0 {
			w.Uint("wrong_if", s.WrongIf)
		}
	}
	if r.LastUse != nil {
		// ip converts hundredths of a second to seconds and microseconds
		// and prints them with %g.
		hundredths := uint64(*r.LastUse / (10 * time.Millisecond))
		us := 10000 * hundredths
		age := float64(us/1000000) + float64(us%1000000)/1e6
		w.Raw("expires", strconv.AppendFloat(nil, age, 'g', 6, 64))
	}
	if r.Table != 0 && r.showTable {
		w.String("table", r.Table.String())
	}
	w.Close()
	return w.Bytes(), nil
}

// mrouteFamily returns the address family of the multicast routing family
// of a message, or 0.
func mrouteFamily(family uint8) uint8 {
	switch family {
	case rtnlFamilyIPMR:
		return unix.AF_INET
	case rtnlFamilyIP6MR:
		return unix.AF_INET6
	}
	return 0
}
