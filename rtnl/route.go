package rtnl

import (
	"net/netip"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/addrfamily"
)

// A Route is an entry of a routing table: what `ip -d -s route show`
// reports of it (struct rtmsg and the RTA_* attributes), or the answer of
// `ip route get`.
//
// Its JSON (see [Route.MarshalJSON]) is one element of what
// `ip -j -d -s route show table all` (iproute2 6.1) prints. The same type
// describes the route to create or delete for [Conn.AddRoute] and its kin;
// fields that only the kernel sets are ignored there.
type Route struct {
	// Family is unix.AF_INET, unix.AF_INET6 or unix.AF_MPLS (rtm_family).
	// In a request, zero stands for the family of Dst, Src or Gateway; an
	// MPLS route must set it.
	Family uint8
	// Type is the route's type (rtm_type). In a request, RouteTypeUnspec
	// stands for RouteTypeUnicast, as with ip.
	Type RouteType
	// Dst is the destination prefix (RTA_DST and rtm_dst_len). The zero
	// Prefix, like a prefix of length 0, is the default route.
	Dst netip.Prefix
	// Src is the source prefix of a source-specific (IPv6) route, or the
	// source address of a lookup (RTA_SRC and rtm_src_len; `from PREFIX`);
	// the zero Prefix for none.
	Src netip.Prefix
	// Label is the incoming label of an MPLS route (RTA_DST with
	// rtm_dst_len 20; `ip -M route add LABEL …`).
	Label uint32
	// NexthopID is the nexthop object the route uses (RTA_NH_ID;
	// `nhid N`), or 0.
	NexthopID uint32
	// NewLabels are the labels an MPLS route swaps the incoming one for,
	// outermost first (RTA_NEWDST; `as to L1/L2`); nil for none.
	NewLabels []uint32

	// Encap is the lightweight tunnel encapsulation (RTA_ENCAP_TYPE and
	// RTA_ENCAP; `encap TYPE …`), or nil.
	Encap *Encap

	// TOS is the type of service (DS field) the route matches (rtm_tos;
	// `tos N`).
	TOS uint8
	// Gateway is the next hop's address, of the route's family
	// (RTA_GATEWAY; `via ADDR`), or the zero Addr.
	Gateway netip.Addr
	// Via is a next hop of another family than the route's (RTA_VIA; `via
	// inet6 ADDR` on an IPv4 route, `via inet ADDR` on an MPLS route), or
	// the zero Addr.
	Via netip.Addr
	// LinkIndex is the index of the output link (RTA_OIF; `dev DEV`), or 0.
	LinkIndex int32
	// LinkName is the name of the output link. Lists and [Conn.GetRoute]
	// fill it in; requests ignore it.
	LinkName string
	// Table is the routing table (RTA_TABLE, or rtm_table). In a request,
	// TableUnspec stands for TableMain, or TableLocal for the local,
	// broadcast, anycast and nat types, as with ip.
	Table Table
	// Protocol says what installed the route (rtm_protocol; `proto P`). In
	// a request that creates a route, ProtocolUnspec stands for
	// ProtocolBoot, as with ip.
	Protocol Protocol
	// Scope is the scope of the route (rtm_scope). In a request that
	// creates a route, ScopeGlobal stands for ip's default: ScopeHost for
	// the local and nat types, ScopeLink for broadcast, multicast, anycast,
	// and for a unicast IPv4 route without gateway nor nexthops, global
	// otherwise. In a delete, ScopeGlobal matches any scope.
	Scope Scope
	// PrefSrc is the preferred source address (RTA_PREFSRC; `src ADDR`),
	// or the zero Addr.
	PrefSrc netip.Addr
	// Metric is the route's priority (RTA_PRIORITY; `metric N`); 0 for
	// none: the kernel then gives IPv6 routes 1024.
	Metric uint32
	// Flags are the flags of the route (rtm_flags): [RouteOnLink] in a
	// request; what the kernel sets, and for an IPv4 cached route the
	// RTCF_* bits of [RouteCacheFlags], in lists.
	Flags RouteFlags
	// Mark is the firewall mark of a lookup (RTA_MARK; `mark N`), or 0.
	Mark uint32
	// Realms are the route realms (RTA_FLOW; `realms FROM/TO`): the source
	// realm in the high 16 bits, the destination realm in the low ones.
	Realms uint32
	// UID is the user id of a lookup (RTA_UID; `uid N`), nil when absent.
	UID *uint32
	// Expires is, in a request for an IPv6 route, its lifetime in seconds
	// (RTA_EXPIRES; `expires N`); 0 for none. Lists fill it in from
	// CacheInfo.
	Expires uint32
	// CacheInfo is what the kernel reports of the route's use
	// (RTA_CACHEINFO), nil when absent.
	CacheInfo *RouteCacheInfo
	// Metrics are the route's metrics (RTA_METRICS; `mtu N`, `advmss N`,
	// …), nil for none.
	Metrics *RouteMetrics
	// InputLinkIndex is the input link of a lookup (RTA_IIF; `iif DEV`),
	// or 0; InputLinkName is its name, filled in as LinkName is.
	InputLinkIndex int32
	InputLinkName  string
	// Pref is the IPv6 router preference (RTA_PREF; `pref low|medium|high`),
	// nil when absent.
	Pref *RoutePref
	// TTLPropagate says whether an MPLS route copies the TTL
	// (RTA_TTL_PROPAGATE; `ttl-propagate enabled|disabled`), nil when
	// absent.
	TTLPropagate *bool
	// NexthopInfo is the nexthop object the route uses (NexthopID), as
	// `ip -d route show` prints it ("nh_info"). Lists and [Conn.GetRoute]
	// fill it in; requests ignore it. It is nil when the route uses none,
	// or when the nexthop object was deleted before it could be read.
	NexthopInfo *Nexthop
	// Nexthops are the next hops of a multipath route (RTA_MULTIPATH;
	// `nexthop via … weight N nexthop …`).
	Nexthops []RouteNexthop
}

// A RouteNexthop is one next hop of a multipath route (struct rtnexthop and its
// attributes).
type RouteNexthop struct {
	// Encap is the lightweight tunnel encapsulation of the next hop
	// (RTA_ENCAP_TYPE and RTA_ENCAP), or nil.
	Encap *Encap

	// NewLabels are the labels of an MPLS next hop (RTA_NEWDST; `as to
	// L1/L2`).
	NewLabels []uint32

	// Gateway is the next hop's address, of the route's family
	// (RTA_GATEWAY), or the zero Addr.
	Gateway netip.Addr
	// Via is a next hop of another family than the route's (RTA_VIA), or
	// the zero Addr.
	Via netip.Addr
	// Realms are the realms of the next hop (RTA_FLOW), as in Route.
	Realms uint32
	// LinkIndex is the index of the output link (rtnh_ifindex), or 0;
	// LinkName is its name, filled in by lists.
	LinkIndex int32
	LinkName  string
	// Weight is the next hop's weight, 1 to 256 (rtnh_hops + 1; `weight
	// N`). In a request, 0 stands for 1. For an IPv4 cached multicast route
	// it is the TTL threshold plus one.
	Weight int
	// Flags are the next hop's flags (rtnh_flags): [RouteOnLink] in a
	// request.
	Flags RouteFlags
}

// RouteFlags are the flags of a route and of a next hop (rtm_flags,
// rtnh_flags: RTNH_F_* and RTM_F_*), and for an IPv4 cached route the
// RTCF_* bits of [RouteCacheFlags].
type RouteFlags uint32

// Route flags.
const (
	RouteDead          RouteFlags = unix.RTNH_F_DEAD          // dead: the next hop is down
	RoutePervasive     RouteFlags = unix.RTNH_F_PERVASIVE     // pervasive
	RouteOnLink        RouteFlags = unix.RTNH_F_ONLINK        // onlink: the gateway is on the link, whatever the prefixes
	RouteOffload       RouteFlags = unix.RTNH_F_OFFLOAD       // offload: the next hop is offloaded
	RouteLinkDown      RouteFlags = unix.RTNH_F_LINKDOWN      // linkdown: the link has no carrier
	RouteUnresolved    RouteFlags = unix.RTNH_F_UNRESOLVED    // unresolved
	RouteTrap          RouteFlags = unix.RTNH_F_TRAP          // trap
	RouteNotify        RouteFlags = unix.RTM_F_NOTIFY         // notify
	RouteCloned        RouteFlags = unix.RTM_F_CLONED         // a cached (cloned) route, or an exception
	RouteEqualize      RouteFlags = unix.RTM_F_EQUALIZE       // equalize
	RoutePrefix        RouteFlags = unix.RTM_F_PREFIX         // an IPv6 prefix route
	RouteLookupTable   RouteFlags = unix.RTM_F_LOOKUP_TABLE   // a lookup reports the table
	RouteFibMatch      RouteFlags = unix.RTM_F_FIB_MATCH      // a lookup reports the matching route
	RouteRTOffload     RouteFlags = unix.RTM_F_OFFLOAD        // rt_offload: the route is offloaded
	RouteRTTrap        RouteFlags = unix.RTM_F_TRAP           // rt_trap
	RouteOffloadFailed RouteFlags = unix.RTM_F_OFFLOAD_FAILED // rt_offload_failed
)

// RouteCacheFlags are the RTCF_* bits of the flags of an IPv4 cached route,
// which `ip route get` prints as "cache".
const RouteCacheFlags RouteFlags = 0xffff0000

// Has reports whether every flag in f2 is set in f.
func (f RouteFlags) Has(f2 RouteFlags) bool { return f&f2 == f2 }

// RouteCacheInfo is what the kernel reports of a route's use (struct
// rta_cacheinfo). Times are in hundredths of a second (USER_HZ).
type RouteCacheInfo struct {
	ClientRefs uint32 // rta_clntref: users
	LastUse    uint32 // rta_lastuse: age
	Expires    int32  // rta_expires: time left, 0 for none
	Error      uint32 // rta_error
	Used       uint32 // rta_used
	ID         uint32 // rta_id: IP id
	TS         uint32 // rta_ts
	TSAge      uint32 // rta_tsage
}

// routeCacheInfoLen is the size of struct rta_cacheinfo.
const routeCacheInfoLen = 32

// userHZ is the unit of the times in rta_cacheinfo: clock ticks of 1/100 s.
const userHZ = 100

// RoutePref is the preference of an IPv6 route learned from a router
// advertisement (RTA_PREF: ICMPV6_ROUTER_PREF_*).
type RoutePref uint8

// IPv6 router preferences.
const (
	RoutePrefMedium RoutePref = 0 // medium
	RoutePrefHigh   RoutePref = 1 // high
	RoutePrefLow    RoutePref = 3 // low
)

// String returns "low", "medium" or "high", or the number.
func (p RoutePref) String() string {
	switch p {
	case RoutePrefLow:
		return "low"
	case RoutePrefMedium:
		return "medium"
	case RoutePrefHigh:
		return "high"
	}
	return strconv.Itoa(int(p))
}

// RouteMetrics are the metrics of a route (RTA_METRICS: RTAX_*). A nil
// field is absent. Times keep the kernel's units.
type RouteMetrics struct {
	// Lock holds a bit 1<<RTAX_* for each metric locked against changes
	// by the kernel (RTAX_LOCK; `mtu lock N`, …).
	Lock uint32
	// MTU is the path MTU (RTAX_MTU; `mtu N`).
	MTU *uint32
	// Window is the TCP window to advertise (RTAX_WINDOW; `window N`).
	Window *uint32
	// RTT is the initial round trip time in 1/8 ms (RTAX_RTT; ip's `rtt
	// Nms` sends N*8).
	RTT *uint32
	// RTTVar is the initial RTT variance in 1/4 ms (RTAX_RTTVAR; ip's
	// `rttvar Nms` sends N*4).
	RTTVar *uint32
	// SSThresh is the initial slow start threshold (RTAX_SSTHRESH).
	SSThresh *uint32
	// CWnd is the congestion window clamp (RTAX_CWND).
	CWnd *uint32
	// AdvMSS is the MSS to advertise (RTAX_ADVMSS; `advmss N`).
	AdvMSS *uint32
	// Reordering is the maximal reordering (RTAX_REORDERING).
	Reordering *uint32
	// HopLimit is the hop limit (RTAX_HOPLIMIT; `hoplimit N`).
	HopLimit *uint32
	// InitCWnd is the initial congestion window (RTAX_INITCWND).
	InitCWnd *uint32
	// Features are the TCP features (RTAX_FEATURES): RTAX_FEATURE_ECN
	// for `features ecn`.
	Features *uint32
	// RTOMin is the minimal retransmission timeout in ms (RTAX_RTO_MIN;
	// ip locks it).
	RTOMin *uint32
	// InitRWnd is the initial receive window (RTAX_INITRWND).
	InitRWnd *uint32
	// QuickAck is 1 to disable delayed ACKs (RTAX_QUICKACK).
	QuickAck *uint32
	// CongCtl is the congestion control algorithm (RTAX_CC_ALGO; `congctl
	// NAME`), or "".
	CongCtl string
	// FastOpenNoCookie is 1 to allow TCP fast open without a cookie
	// (RTAX_FASTOPEN_NO_COOKIE).
	FastOpenNoCookie *uint32
}

// field returns the field that holds the numeric metric typ, or nil for
// RTAX_LOCK, RTAX_CC_ALGO and unknown types.
func (m *RouteMetrics) field(typ uint16) **uint32 {
	switch typ {
	case unix.RTAX_MTU:
		return &m.MTU
	case unix.RTAX_WINDOW:
		return &m.Window
	case unix.RTAX_RTT:
		return &m.RTT
	case unix.RTAX_RTTVAR:
		return &m.RTTVar
	case unix.RTAX_SSTHRESH:
		return &m.SSThresh
	case unix.RTAX_CWND:
		return &m.CWnd
	case unix.RTAX_ADVMSS:
		return &m.AdvMSS
	case unix.RTAX_REORDERING:
		return &m.Reordering
	case unix.RTAX_HOPLIMIT:
		return &m.HopLimit
	case unix.RTAX_INITCWND:
		return &m.InitCWnd
	case unix.RTAX_FEATURES:
		return &m.Features
	case unix.RTAX_RTO_MIN:
		return &m.RTOMin
	case unix.RTAX_INITRWND:
		return &m.InitRWnd
	case unix.RTAX_QUICKACK:
		return &m.QuickAck
	case unix.RTAX_FASTOPEN_NO_COOKIE:
		return &m.FastOpenNoCookie
	}
	return nil
}

// mplsMaxLabel is the largest MPLS label: labels have 20 bits.
const mplsMaxLabel = 1<<20 - 1

// family returns the route's family: Family, or the family of the first
// of Dst, Src, Gateway and PrefSrc that is set.
func (r *Route) family() uint8 {
	if r.Family != 0 {
		return r.Family
	}
	for _, a := range []netip.Addr{r.Dst.Addr(), r.Src.Addr(), r.Gateway, r.PrefSrc} {
		if f := addrfamily.Of(a); f != unix.AF_UNSPEC {
			return f
		}
	}
	for i := range r.Nexthops {
		if f := addrfamily.Of(r.Nexthops[i].Gateway); f != unix.AF_UNSPEC {
			return f
		}
	}
	return unix.AF_UNSPEC
}
