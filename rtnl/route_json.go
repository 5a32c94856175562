package rtnl

import (
	"net/netip"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/addrfamily"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// MarshalJSON encodes the route as one element of what
// `ip -j -d -s route show table all` (iproute2 6.1) prints, and of what
// `ip -j -d -s route get` prints for an answer: the same keys, in the same
// order, with the same value formats. That is the unfiltered form: "type",
// "table", "protocol" and "scope" always (but "protocol" and "scope" for
// cached routes, as ip), and the use counters of -s. ip hides the keys of
// the selectors it filters by (`dev X` hides "dev", `table X` hides
// "table", …); MarshalJSON never does.
//
// Names come from iproute2's tables as Debian installs them
// (/etc/iproute2/rt_tables, rt_protos, rt_scopes, rt_dsfield, rt_realms).
// "nh_info", the nexthop object of NexthopID, is printed when NexthopInfo
// is set, as lists set it.
func (r Route) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	r.writeJSON(&w)
	return w.Bytes(), nil
}

func (r *Route) writeJSON(w *jsonw.Writer) {
	w.Open("")
	family := r.family()
	cloned := r.Flags&RouteCloned != 0
	w.String("type", r.Type.String())
	if family == unix.AF_MPLS {
		w.String("dst", strconv.FormatUint(uint64(r.Label), 10))
	} else {
		w.String("dst", routePrefixJSON(r.Dst, "default"))
	}
	if r.Src.IsValid() {
		w.String("from", routePrefixJSON(r.Src, ""))
	}
	if r.NexthopID != 0 {
		w.Uint("nhid", uint64(r.NexthopID))
	}
	writeJSONLabels(w, r.NewLabels)
	if r.Encap != nil {
		r.Encap.writeJSON(w)
	}
	if r.TOS != 0 {
		w.String("tos", dsfieldName(r.TOS))
	}
	if r.Gateway.IsValid() {
		w.String("gateway", inetNtop(r.Gateway))
	}
	writeJSONVia(w, r.Via)
	if r.LinkIndex != 0 {
		w.String("dev", nameOrIndex(r.LinkName, r.LinkIndex))
	}
	if r.Table != TableUnspec {
		w.String("table", r.Table.String())
	}
	if !cloned {
		w.String("protocol", r.Protocol.String())
		w.String("scope", r.Scope.String())
	}
	if r.PrefSrc.IsValid() {
		w.String("prefsrc", inetNtop(r.PrefSrc))
	}
	if r.Metric != 0 || family == unix.AF_INET6 {
		// The kernel sends IPv6 metrics always, IPv4 ones when not 0.
		w.Uint("metric", uint64(r.Metric))
	}
	writeJSONRouteFlags(w, r.Flags)
	if r.Mark != 0 {
		w.Uint("mark", uint64(r.Mark))
	}
	writeJSONRealms(w, r.Realms)
	writeJSONUint(w, "uid", r.UID)
	if family == unix.AF_INET && cloned {
		writeJSONCacheFlags(w, r.Flags)
	}
	if ci := r.CacheInfo; ci != nil && (family == unix.AF_INET || family == unix.AF_INET6) {
		ci.writeMembers(w)
	}
	if r.Metrics != nil {
		w.OpenArray("metrics")
		r.Metrics.writeJSON(w)
		w.CloseArray()
	}
	if r.InputLinkIndex != 0 {
		w.String("iif", nameOrIndex(r.InputLinkName, r.InputLinkIndex))
	}
	if r.Pref != nil {
		if s := r.Pref.String(); *r.Pref == RoutePrefLow || *r.Pref == RoutePrefMedium || *r.Pref == RoutePrefHigh {
			w.String("pref", s)
		} else {
			w.Uint("pref", uint64(*r.Pref))
		}
	}
	writeJSONBool(w, "ttl-propogate", r.TTLPropagate) // sic, as ip spells it
	if r.NexthopInfo != nil {
		r.NexthopInfo.writeJSON(w, "nh_info")
	}
	if r.Nexthops != nil {
		multicastCache := cloned && r.Type == RouteTypeMulticast
		w.OpenArray("nexthops")
		for i := range r.Nexthops {
			r.Nexthops[i].writeJSON(w, family, multicastCache)
		}
		w.CloseArray()
	}
	w.Close()
}

// routePrefixJSON formats a destination or source prefix as ip does: the
// bare address for a host route, else ADDR/LEN, or ifDefault for no prefix
// (or one of length 0).
func routePrefixJSON(p netip.Prefix, ifDefault string) string {
	a := p.Addr()
	switch {
	case !p.IsValid() || (p.Bits() == 0 && ifDefault != ""):
		return ifDefault
	case p.Bits() == a.BitLen():
		return inetNtop(a)
	}
	return inetNtop(a) + "/" + strconv.Itoa(p.Bits())
}

// writeJSONLabels writes "to", the labels separated by slashes, when there
// are labels.
func writeJSONLabels(w *jsonw.Writer, labels []uint32) {
	if len(labels) == 0 {
		return
	}
	b := make([]byte, 0, 8*len(labels))
	for i, l := range labels {
		if i > 0 {
			b = append(b, '/')
		}
		b = strconv.AppendUint(b, uint64(l), 10)
	}
	w.String("to", string(b))
}

// writeJSONVia writes "via", an object with the family and the address of
// RTA_VIA, when via is set.
func writeJSONVia(w *jsonw.Writer, via netip.Addr) {
	if !via.IsValid() {
		return
	}
	w.Open("via")
	w.String("family", addrfamily.Name(addrfamily.Of(via)))
	w.String("host", inetNtop(via))
	w.Close()
}

// writeJSONRealms writes "flow", the source realm (when not zero) and the
// destination realm, when realms is not zero.
func writeJSONRealms(w *jsonw.Writer, realms uint32) {
	if realms == 0 {
		return
	}
	w.Open("flow")
	if from := realms >> 16; from != 0 {
		w.String("from", realmName(from))
	}
	w.String("to", realmName(realms&0xffff))
	w.Close()
}

// writeJSONRouteFlags writes "flags", the names of the route or next hop
// flags ip knows, in ip's order; ip drops the others.
func writeJSONRouteFlags(w *jsonw.Writer, f RouteFlags) {
	w.OpenArray("flags")
	for _, n := range [...]struct {
		flag RouteFlags
		name string
	}{
		{RouteDead, "dead"},
		{RouteOnLink, "onlink"},
		{RoutePervasive, "pervasive"},
		{RouteOffload, "offload"},
		{RouteTrap, "trap"},
		{RouteNotify, "notify"},
		{RouteLinkDown, "linkdown"},
		{RouteUnresolved, "unresolved"},
		{RouteRTOffload, "rt_offload"},
		{RouteRTTrap, "rt_trap"},
		{RouteOffloadFailed, "rt_offload_failed"},
	} {
		if f&n.flag != 0 {
			w.String("", n.name)
		}
	}
	w.CloseArray()
}

// writeJSONCacheFlags writes "cache", the names of the RTCF_* flags of an
// IPv4 cached route, in ip's order. Bits without a name are left out (ip
// would print them as an invalid member of the array).
func writeJSONCacheFlags(w *jsonw.Writer, f RouteFlags) {
	w.OpenArray("cache")
	for _, n := range [...]struct {
		flag RouteFlags
		name string
	}{
		{0x80000000, "local"},
		{0x40000000, "reject"},
		{0x20000000, "mc"},
		{0x10000000, "brd"},
		{0x08000000, "dst-nat"},
		{0x00800000, "src-nat"},
		{0x00400000, "masq"},
		{0x00020000, "dst-direct"},
		{0x04000000, "src-direct"},
		{0x00040000, "redirected"},
		{0x01000000, "redirect"},
		{0x00200000, "fastroute"},
		{0x00010000, "notify"},
		{0x00080000, "proxy"},
	} {
		if f&n.flag != 0 {
			w.String("", n.name)
		}
	}
	w.CloseArray()
}

// writeMembers writes what ip -s prints of a route's cache information.
func (ci *RouteCacheInfo) writeMembers(w *jsonw.Writer) {
	if ci.Expires != 0 {
		w.Int("expires", int64(ci.Expires/userHZ))
	}
	if ci.Error != 0 {
		w.Uint("error", uint64(ci.Error))
	}
	if ci.ClientRefs != 0 {
		w.Uint("users", uint64(ci.ClientRefs))
	}
	if ci.Used != 0 {
		w.Uint("used", uint64(ci.Used))
	}
	if ci.LastUse != 0 {
		w.Uint("age", uint64(ci.LastUse/userHZ))
	}
	if ci.ID != 0 {
		w.String("ipid", printfHex(ci.ID))
	}
	if ci.TS != 0 || ci.TSAge != 0 {
		w.String("ts", printfHex(ci.TS))
		w.Uint("tsage", uint64(ci.TSAge))
	}
}

// writeJSON writes the metrics as the one object of ip's "metrics" array:
// each metric present or locked, in RTAX_* order.
func (m *RouteMetrics) writeJSON(w *jsonw.Writer) {
	w.Open("")
	for typ := uint16(unix.RTAX_MTU); typ <= unix.RTAX_MAX; typ++ {
		locked := m.Lock&(1<<typ) != 0
		if typ == unix.RTAX_CC_ALGO {
			if m.CongCtl != "" || locked {
				w.String("congestion", m.CongCtl)
			}
			continue
		}
		p := m.field(typ)
		if p == nil || (*p == nil && !locked) {
			continue
		}
		var v uint32
		if *p != nil {
			v = **p
		}
		switch typ {
		case unix.RTAX_HOPLIMIT:
			if int32(v) != -1 {
				w.Uint("hoplimit", uint64(v))
			}
		case unix.RTAX_FEATURES:
			if v&unix.RTAX_FEATURE_ECN != 0 {
				w.Null("ecn")
			}
			if v&^unix.RTAX_FEATURE_ECN != 0 {
				w.String("features", printfHex(v))
			}
		case unix.RTAX_RTT:
			w.Uint("rtt", uint64(v/8))
		case unix.RTAX_RTTVAR:
			w.Uint("rttvar", uint64(v/4))
		default:
			w.Uint(routeMetricName(typ), uint64(v))
		}
	}
	w.Close()
}

// routeMetricName returns ip's name of a numeric metric.
func routeMetricName(typ uint16) string {
	switch typ {
	case unix.RTAX_MTU:
		return "mtu"
	case unix.RTAX_WINDOW:
		return "window"
	case unix.RTAX_SSTHRESH:
		return "ssthresh"
	case unix.RTAX_CWND:
		return "cwnd"
	case unix.RTAX_ADVMSS:
		return "advmss"
	case unix.RTAX_REORDERING:
		return "reordering"
	case unix.RTAX_INITCWND:
		return "initcwnd"
	case unix.RTAX_RTO_MIN:
		return "rto_min"
	case unix.RTAX_INITRWND:
		return "initrwnd"
	case unix.RTAX_QUICKACK:
		return "quickack"
	case unix.RTAX_FASTOPEN_NO_COOKIE:
		return "fastopen_no_cookie"
	}
	return "metric_" + strconv.Itoa(int(typ))
}

// writeJSON writes the next hop as one element of ip's "nexthops" array;
// multicastCache selects the form of an IPv4 cached multicast route.
func (nh *RouteNexthop) writeJSON(w *jsonw.Writer, family uint8, multicastCache bool) {
	w.Open("")
	if nh.Encap != nil {
		nh.Encap.writeJSON(w)
	}
	writeJSONLabels(w, nh.NewLabels)
	if nh.Gateway.IsValid() {
		w.String("gateway", inetNtop(nh.Gateway))
	}
	writeJSONVia(w, nh.Via)
	writeJSONRealms(w, nh.Realms)
	dev := "*"
	if nh.LinkIndex != 0 {
		dev = nameOrIndex(nh.LinkName, nh.LinkIndex)
	}
	w.String("dev", dev)
	switch {
	case multicastCache:
		if nh.Weight != 2 {
			w.Int("ttl", int64(nh.Weight-1))
		}
	case family != unix.AF_MPLS:
		w.Int("weight", int64(nh.Weight))
	}
	writeJSONRouteFlags(w, nh.Flags)
	w.Close()
}
