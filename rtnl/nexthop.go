package rtnl

import (
	"net/netip"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/jsonw"
)

// A Nexthop is a nexthop object: what `ip -d nexthop show` reports of it
// (struct nhmsg and the NHA_* attributes). It is a single nexthop (a
// gateway and a device, or a device alone), a blackhole, or a group of
// other nexthops.
//
// Its JSON (see [Nexthop.MarshalJSON]) is one element of what
// `ip -j -d nexthop show` (iproute2 6.1) prints. The same type describes the
// nexthop to create for [Conn.AddNexthop] and [Conn.ReplaceNexthop]; the
// fields that only the kernel sets are ignored there.
type Nexthop struct {
	// ID identifies the nexthop (NHA_ID; `id N`). In an add request, 0
	// lets the kernel choose one.
	ID uint32
	// Family is the family of the gateway (nh_family): unix.AF_INET or
	// unix.AF_INET6, or AF_UNSPEC for a group. In a request, zero stands
	// for the family of Gateway, else AF_INET for a device or a blackhole
	// and AF_UNSPEC for a group, as with ip.
	Family uint8
	// Group lists the members of a group nexthop (NHA_GROUP;
	// `group ID[,WEIGHT]/...`), or is nil for a single nexthop.
	Group []NexthopGroupMember
	// GroupType is the type of a group (NHA_GROUP_TYPE; `type`).
	GroupType NexthopGroupType
	// Resilient holds the settings of a resilient group (NHA_RES_GROUP;
	// `type resilient buckets N idle_timer S unbalanced_timer S`), or nil.
	// A request may leave it nil, or any of its settings zero, for the
	// kernel's defaults.
	Resilient *NexthopResilient

	// Encap is the lightweight tunnel encapsulation (NHA_ENCAP_TYPE and
	// NHA_ENCAP; `encap TYPE …`), or nil.
	Encap *Encap

	// Gateway is the address of the gateway (NHA_GATEWAY; `via ADDR`), or
	// the zero Addr.
	Gateway netip.Addr
	// LinkIndex is the index of the device (NHA_OIF; `dev DEV`), or 0.
	LinkIndex int32
	// LinkName is the name of the device, which the lists fill in; ip
	// prints "ifN" when it is unknown. Requests ignore it.
	LinkName string
	// Scope is the scope of the nexthop (nh_scope): link for one with a
	// gateway, host for a device alone. The kernel sets it.
	Scope Scope
	// Blackhole makes the nexthop drop packets (NHA_BLACKHOLE;
	// `blackhole`).
	Blackhole bool
	// Protocol says what installed the nexthop (nh_protocol; `protocol`).
	Protocol Protocol
	// Flags are the nexthop's flags (nh_flags). Requests carry only
	// [RouteOnLink] (`onlink`); the kernel sets the others.
	Flags RouteFlags
	// FDB makes the nexthop, or the group, one for the bridge forwarding
	// database of VXLAN devices (NHA_FDB; `fdb`).
	FDB bool
}

// A NexthopGroupMember is one nexthop of a group (struct nexthop_grp).
type NexthopGroupMember struct {
	// ID is the member's nexthop ID.
	ID uint32
	// Weight is the member's share of the traffic, 1 to 256 (`id,WEIGHT`);
	// 0 in a request stands for 1.
	Weight uint16
}

// NexthopGroupType is the type of a nexthop group (NEXTHOP_GRP_TYPE_*).
type NexthopGroupType uint16

// Nexthop group types.
const (
	// NexthopGroupMultipath spreads flows over the members by hash
	// (`type mpath`, the default).
	NexthopGroupMultipath NexthopGroupType = 0
	// NexthopGroupResilient spreads flows over hash buckets that keep their
	// member while it is in use (`type resilient`).
	NexthopGroupResilient NexthopGroupType = 1
)

// String returns the type's name as ip prints it: "mpath", "resilient",
// or "<unknown type>".
func (t NexthopGroupType) String() string {
	switch t {
	case NexthopGroupMultipath:
		return "mpath"
	case NexthopGroupResilient:
		return "resilient"
	}
	return "<unknown type>"
}

// NexthopResilient holds the settings and state of a resilient group
// (NHA_RES_GROUP_*). The kernel counts time in hundredths of a second.
type NexthopResilient struct {
	// Buckets is the number of hash buckets (`buckets N`).
	Buckets uint16
	// IdleTimer is how long a bucket must be idle before it may move to
	// another member (`idle_timer SECONDS`).
	IdleTimer time.Duration
	// UnbalancedTimer is how long the group may stay unbalanced before
	// buckets move whether idle or not (`unbalanced_timer SECONDS`); 0
	// for never.
	UnbalancedTimer time.Duration
	// UnbalancedTime is how long the group has been unbalanced. The
	// kernel sets it.
	UnbalancedTime time.Duration
}

// MarshalJSON encodes the nexthop as one element of
// `ip -j -d nexthop show` (iproute2 6.1): the same keys, in the same
// order, with the same value formats. As ip 6.1 does, it prints a member's
// weight from its low 8 bits.
func (n Nexthop) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	n.writeJSON(&w, "")
	return w.Bytes(), nil
}

// writeJSON writes the nexthop as an object, the member key of the
// enclosing object ("nh_info" of a route) or, for "", an array element.
func (n *Nexthop) writeJSON(w *jsonw.Writer, key string) {
	w.Open(key)
	w.Uint("id", uint64(n.ID))
	if n.Group != nil {
		w.OpenArray("group")
		for _, m := range n.Group {
			w.Open("")
			w.Uint("id", uint64(m.ID))
			if low := uint8(m.Weight - 1); m.Weight > 1 && low != 0 {
				w.Uint("weight", uint64(low)+1)
			}
			w.Close()
		}
		w.CloseArray()
	}
	if n.GroupType != NexthopGroupMultipath {
		w.String("type", n.GroupType.String())
	}
	if r := n.Resilient; r != nil {
		w.Open("resilient_args")
		w.Uint("buckets", uint64(r.Buckets))
		writeJSONSeconds(w, "idle_timer", r.IdleTimer)
		writeJSONSeconds(w, "unbalanced_timer", r.UnbalancedTimer)
		writeJSONSeconds(w, "unbalanced_time", r.UnbalancedTime)
		w.Close()
	}
	if n.Encap != nil {
		n.Encap.writeJSON(w)
	}
	if n.Gateway.IsValid() {
		w.String("gateway", inetNtop(n.Gateway))
	}
	if n.LinkIndex != 0 {
		w.String("dev", nameOrIndex(n.LinkName, n.LinkIndex))
	}
	w.String("scope", n.Scope.String())
	if n.Blackhole {
		w.Null("blackhole")
	}
	w.String("protocol", n.Protocol.String())
	writeJSONRouteFlags(w, n.Flags)
	if n.FDB {
		w.Null("fdb")
	}
	w.Close()
}

// clockTicks converts a duration to the kernel's clock ticks, hundredths of
// a second (USER_HZ), rounding down.
func clockTicks(d time.Duration) uint64 { return uint64(d / (10 * time.Millisecond)) }

// ticksDuration converts clock ticks, hundredths of a second, to a
// duration.
func ticksDuration(ticks uint64) time.Duration { return time.Duration(ticks) * 10 * time.Millisecond }

// writeJSONSeconds writes a duration in seconds as ip prints a time from
// clock ticks: a number in C's "%g" format.
func writeJSONSeconds(w *jsonw.Writer, key string, d time.Duration) {
	usec := clockTicks(d) * 10000
	secs := float64(usec/1000000) + float64(usec%1000000)/1000000
	w.Raw(key, strconv.AppendFloat(nil, secs, 'g', 6, 64))
}

// family returns the nexthop's family in a request: Family, or that of the
// gateway, or AF_INET for a device or a blackhole, as ip sets it.
func (n *Nexthop) family() uint8 {
	switch {
	case n.Family != 0:
		return n.Family
	case n.Gateway.Is4():
		return unix.AF_INET
	case n.Gateway.Is6():
		return unix.AF_INET6
	case n.LinkIndex != 0 || n.Blackhole:
		return unix.AF_INET
	}
	return unix.AF_UNSPEC
}
