package rtnl

import (
	"github.com/nlkit/nlkit/internal/jsonw"
)

// IfStats are the statistics of one link that `ip stats show` reports
// (RTM_GETSTATS: struct if_stats_msg and the IFLA_STATS_* attributes), for
// the groups it was asked for. A nil field is one the kernel did not send:
// a group not asked for, or one the link does not have (bridge statistics
// of a link that is not a bridge, MPLS statistics without MPLS).
//
// Its JSON (see [IfStats.MarshalJSON]) is what `ip -j stats show dev DEV`
// (iproute2 6.1, without -s) prints for the same groups; that of an
// [IfStatsList], what `ip -j stats show` prints.
type IfStats struct {
	// LinkIndex is the index of the link (ifindex).
	LinkIndex int32
	// LinkName is the name of the link, filled in by the lists.
	LinkName string
	// Groups are the groups that were asked for: ip prints a record for
	// each, with the statistics when the kernel sent them.
	Groups StatsGroups
	// Link are the link's counters (IFLA_STATS_LINK_64; group link).
	Link *LinkStats
	// Xstats are the link type's statistics of a bridge or bond
	// (IFLA_STATS_LINK_XSTATS; group xstats).
	Xstats *LinkXstats
	// XstatsSlave are the statistics of a bridge or bond port, kept by its
	// master (IFLA_STATS_LINK_XSTATS_SLAVE; group xstats_slave).
	XstatsSlave *LinkXstats
	// Offload are the statistics of traffic a device's hardware handled
	// (IFLA_STATS_LINK_OFFLOAD_XSTATS; group offload).
	Offload *OffloadStats
	// MPLS are the link's MPLS counters (IFLA_STATS_AF_SPEC, AF_MPLS,
	// MPLS_STATS_LINK; group afstats, subgroup mpls).
	MPLS *MPLSLinkStats
}

// StatsGroups selects statistics, as the group, subgroup and suite
// selectors of `ip stats show` do. Zero selects every group.
type StatsGroups uint32

// The statistics ip 6.1 knows, each a group, subgroup and suite, in the
// order it prints them (which is not the order of its help text).
const (
	StatsAFMPLS                 StatsGroups = 1 << iota // group afstats subgroup mpls
	StatsLink                                           // group link
	StatsOffloadL3Stats                                 // group offload subgroup l3_stats
	StatsOffloadHWStatsInfo                             // group offload subgroup hw_stats_info
	StatsOffloadCPUHit                                  // group offload subgroup cpu_hit
	StatsXstatsSlaveBond3AD                             // group xstats_slave subgroup bond suite 802.3ad
	StatsXstatsBond3AD                                  // group xstats subgroup bond suite 802.3ad
	StatsXstatsSlaveBridgeMcast                         // group xstats_slave subgroup bridge suite mcast
	StatsXstatsSlaveBridgeSTP                           // group xstats_slave subgroup bridge suite stp
	StatsXstatsBridgeMcast                              // group xstats subgroup bridge suite mcast
	StatsXstatsBridgeSTP                                // group xstats subgroup bridge suite stp

	statsGroupsEnd
)

// Whole groups.
const (
	StatsXstats      = StatsXstatsBond3AD | StatsXstatsBridgeMcast | StatsXstatsBridgeSTP                // group xstats
	StatsXstatsSlave = StatsXstatsSlaveBond3AD | StatsXstatsSlaveBridgeMcast | StatsXstatsSlaveBridgeSTP // group xstats_slave
	StatsOffload     = StatsOffloadL3Stats | StatsOffloadHWStatsInfo | StatsOffloadCPUHit                // group offload
	StatsAF          = StatsAFMPLS                                                                       // group afstats
	StatsAll         = statsGroupsEnd - 1                                                                // every group
)

// statsPath returns the group, subgroup and suite ip prints for the single
// group g.
func statsPath(g StatsGroups) (group, subgroup, suite string) {
	switch g {
	case StatsAFMPLS:
		return "afstats", "mpls", ""
	case StatsLink:
		return "link", "", ""
	case StatsOffloadL3Stats:
		return "offload", "l3_stats", ""
	case StatsOffloadHWStatsInfo:
		return "offload", "hw_stats_info", ""
	case StatsOffloadCPUHit:
		return "offload", "cpu_hit", ""
	case StatsXstatsSlaveBond3AD:
		return "xstats_slave", "bond", "802.3ad"
	case StatsXstatsBond3AD:
		return "xstats", "bond", "802.3ad"
	case StatsXstatsSlaveBridgeMcast:
		return "xstats_slave", "bridge", "mcast"
	case StatsXstatsSlaveBridgeSTP:
		return "xstats_slave", "bridge", "stp"
	case StatsXstatsBridgeMcast:
		return "xstats", "bridge", "mcast"
	}
	return "xstats", "bridge", "stp"
}

// LinkXstats are the statistics a link type keeps of a link (the nests of
// IFLA_STATS_LINK_XSTATS or IFLA_STATS_LINK_XSTATS_SLAVE).
type LinkXstats struct {
	// BridgeMcast are a bridge's or bridge port's multicast counters
	// (LINK_XSTATS_TYPE_BRIDGE, BRIDGE_XSTATS_MCAST).
	BridgeMcast *BridgeMcastStats
	// BridgeSTP are a bridge port's spanning tree counters
	// (LINK_XSTATS_TYPE_BRIDGE, BRIDGE_XSTATS_STP).
	BridgeSTP *BridgeSTPStats
	// Bond3AD are a bond's or bond port's 802.3ad (LACP) counters
	// (LINK_XSTATS_TYPE_BOND, BOND_XSTATS_3AD).
	Bond3AD *Bond3ADStats
}

// A RxTx is a pair of counters, received and sent.
type RxTx struct {
	Rx uint64 // received
	Tx uint64 // sent
}

// BridgeMcastStats are the IGMP and MLD counters of a bridge or bridge
// port (struct br_mcast_stats).
type BridgeMcastStats struct {
	// IGMP queries by version, leaves, reports by version, and packets
	// that failed to parse.
	IGMPv1Queries, IGMPv2Queries, IGMPv3Queries RxTx
	IGMPLeaves                                  RxTx
	IGMPv1Reports, IGMPv2Reports, IGMPv3Reports RxTx
	IGMPParseErrors                             uint64
	// MLD queries by version, leaves, reports by version, and packets
	// that failed to parse.
	MLDv1Queries, MLDv2Queries RxTx
	MLDLeaves                  RxTx
	MLDv1Reports, MLDv2Reports RxTx
	MLDParseErrors             uint64
	// Multicast traffic, in bytes and packets.
	McastBytes, McastPackets RxTx
}

// BridgeSTPStats are the spanning tree counters of a bridge port (struct
// bridge_stp_xstats).
type BridgeSTPStats struct {
	RxBPDU, TxBPDU               uint64 // BPDUs received and sent
	RxTCN, TxTCN                 uint64 // topology change notifications received and sent
	TransitionBlk, TransitionFwd uint64 // transitions to blocking and to forwarding
}

// Bond3ADStats are the 802.3ad counters of a bond or bond port
// (BOND_3AD_STAT_*); nil ones the kernel did not send.
type Bond3ADStats struct {
	// LACPDUs received, sent, received of unknown type and received
	// malformed; markers received, sent, marker responses received and
	// sent, and markers of unknown type received.
	LACPDURx, LACPDUTx, LACPDUUnknownRx, LACPDUIllegalRx *uint64
	MarkerRx, MarkerTx, MarkerRespRx, MarkerRespTx       *uint64
	MarkerUnknownRx                                      *uint64
}

// OffloadStats are the statistics of traffic a device's hardware handled
// (IFLA_STATS_LINK_OFFLOAD_XSTATS).
type OffloadStats struct {
	// CPUHit are the counters of the packets the hardware passed to the
	// CPU (IFLA_OFFLOAD_XSTATS_CPU_HIT).
	CPUHit *LinkStats
	// HWStatsInfo says which hardware statistics are asked for and kept
	// (IFLA_OFFLOAD_XSTATS_HW_S_INFO).
	HWStatsInfo *HWStatsInfo
	// L3Stats are the hardware's counters of routed traffic
	// (IFLA_OFFLOAD_XSTATS_L3_STATS), once asked for with
	// [Conn.SetL3Stats].
	L3Stats *HWStats
}

// HWStatsInfo says which hardware statistics of a link are asked for and
// kept.
type HWStatsInfo struct {
	// L3Stats is the state of the counters of routed traffic
	// (IFLA_OFFLOAD_XSTATS_L3_STATS).
	L3Stats *HWStatsState
}

// HWStatsState is the state of hardware counters
// (IFLA_OFFLOAD_XSTATS_HW_S_INFO_*): nil fields the kernel did not send.
type HWStatsState struct {
	Request *bool // asked for
	Used    *bool // kept by a driver
}

// HWStats are counters kept by hardware (struct rtnl_hw_stats64).
type HWStats struct {
	// Packets, bytes, errors and drops, received and sent, and multicast
	// packets received.
	RxPackets, TxPackets uint64
	RxBytes, TxBytes     uint64
	RxErrors, TxErrors   uint64
	RxDropped, TxDropped uint64
	Multicast            uint64
}

// MPLSLinkStats are the MPLS counters of a link (struct mpls_link_stats).
type MPLSLinkStats struct {
	// Packets, bytes, errors and drops, received and sent, and packets
	// received without a route.
	RxPackets, TxPackets uint64
	RxBytes, TxBytes     uint64
	RxErrors, TxErrors   uint64
	RxDropped, TxDropped uint64
	RxNoRoute            uint64
}

// MarshalJSON encodes the statistics as `ip -j stats show dev DEV`
// (iproute2 6.1, without -s) prints them for the groups of s.Groups (every
// group when it is zero): an array with one object per group, subgroup and
// suite, in ip's order, holding the statistics the kernel sent.
func (s IfStats) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.OpenArray("")
	s.writeRecords(&w)
	w.CloseArray()
	return w.Bytes(), nil
}

// An IfStatsList is the statistics of several links.
type IfStatsList []IfStats

// MarshalJSON encodes the statistics as `ip -j stats show` (iproute2
// 6.1, without -s) prints them: one array with the objects of every link
// as [IfStats.MarshalJSON] writes them.
func (l IfStatsList) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.OpenArray("")
	for i := range l {
		l[i].writeRecords(&w)
	}
	w.CloseArray()
	return w.Bytes(), nil
}

func (s *IfStats) writeRecords(w *jsonw.Writer) {
	groups := s.Groups
	if groups == 0 {
		groups = StatsAll
	}
	for g := StatsGroups(1); g < statsGroupsEnd; g <<= 1 {
		if groups&g == 0 {
			continue
		}
		w.Open("")
		w.Int("ifindex", int64(s.LinkIndex))
		w.String("ifname", nameOrIndex(s.LinkName, s.LinkIndex))
		group, subgroup, suite := statsPath(g)
		w.String("group", group)
		if subgroup != "" {
			w.String("subgroup", subgroup)
		}
		if suite != "" {
			w.String("suite", suite)
		}
		s.writeGroup(w, g)
		w.Close()
	}
}

// writeGroup writes the statistics of the single group g, if the kernel
// sent them.
func (s *IfStats) writeGroup(w *jsonw.Writer, g StatsGroups) {
	var x *LinkXstats
	if g&StatsXstats != 0 {
		x = s.Xstats
	} else if g&StatsXstatsSlave != 0 {
		x = s.XstatsSlave
	}
	switch {
	case g == StatsLink:
		writeStats64(w, s.Link)
	case g == StatsAFMPLS && s.MPLS != nil:
		m := s.MPLS
		w.Open("mpls_stats")
		w.Open("rx")
		writeJSONCounters(w, []jsonCounter{{"bytes", m.RxBytes}, {"packets", m.RxPackets}, {"errors", m.RxErrors}, {"dropped", m.RxDropped}, {"noroute", m.RxNoRoute}})
		w.Close()
		w.Open("tx")
		writeJSONCounters(w, []jsonCounter{{"bytes", m.TxBytes}, {"packets", m.TxPackets}, {"errors", m.TxErrors}, {"dropped", m.TxDropped}})
		w.Close()
		w.Close()
	case g&StatsOffload != 0 && s.Offload != nil:
		s.Offload.writeGroup(w, g)
	case x == nil:
	case g&(StatsXstatsBond3AD|StatsXstatsSlaveBond3AD) != 0 && x.Bond3AD != nil:
		x.Bond3AD.writeJSON(w)
	case g&(StatsXstatsBridgeMcast|StatsXstatsSlaveBridgeMcast) != 0 && x.BridgeMcast != nil:
		x.BridgeMcast.writeJSON(w)
	case g&(StatsXstatsBridgeSTP|StatsXstatsSlaveBridgeSTP) != 0 && x.BridgeSTP != nil:
		st := x.BridgeSTP
		w.Open("stp")
		writeJSONCounters(w, []jsonCounter{{"rx_bpdu", st.RxBPDU}, {"tx_bpdu", st.TxBPDU}, {"rx_tcn", st.RxTCN}, {"tx_tcn", st.TxTCN}, {"transition_blk", st.TransitionBlk}, {"transition_fwd", st.TransitionFwd}})
		w.Close()
	}
}

// writeStats64 writes "stats64" with the counters ip stats prints of a
// struct rtnl_link_stats64, when s is not nil.
func writeStats64(w *jsonw.Writer, s *LinkStats) {
	if s != nil {
		w.Open("stats64")
		s.writeMembers(w)
		w.Close()
	}
}

// A jsonCounter is a counter's JSON key and its value.
type jsonCounter struct {
	key string
	v   uint64
}

// writeJSONCounters writes the counters, in order.
func writeJSONCounters(w *jsonw.Writer, cs []jsonCounter) {
	for _, c := range cs {
		w.Uint(c.key, c.v)
	}
}

func (o *OffloadStats) writeGroup(w *jsonw.Writer, g StatsGroups) {
	switch g {
	case StatsOffloadCPUHit:
		writeStats64(w, o.CPUHit)
	case StatsOffloadHWStatsInfo:
		if o.HWStatsInfo != nil {
			w.Open("info")
			if l3 := o.HWStatsInfo.L3Stats; l3 != nil {
				w.Open("l3_stats")
				l3.writeMembers(w)
				w.Close()
			}
			w.Close()
		}
	case StatsOffloadL3Stats:
		// ip prints nothing without the state, even with counters.
		if o.HWStatsInfo == nil {
			return
		}
		w.Open("info")
		if l3 := o.HWStatsInfo.L3Stats; l3 != nil {
			l3.writeMembers(w)
		}
		w.Close()
		if s := o.L3Stats; s != nil {
			w.Open("stats64")
			w.Open("rx")
			writeJSONCounters(w, []jsonCounter{{"bytes", s.RxBytes}, {"packets", s.RxPackets}, {"errors", s.RxErrors}, {"dropped", s.RxDropped}, {"multicast", s.Multicast}})
			w.Close()
			w.Open("tx")
			writeJSONCounters(w, []jsonCounter{{"bytes", s.TxBytes}, {"packets", s.TxPackets}, {"errors", s.TxErrors}, {"dropped", s.TxDropped}})
			w.Close()
			w.Close()
		}
	}
}

func (h *HWStatsState) writeMembers(w *jsonw.Writer) {
	writeJSONBool(w, "request", h.Request)
	writeJSONBool(w, "used", h.Used)
}

func (m *BridgeMcastStats) writeJSON(w *jsonw.Writer) {
	w.Open("multicast")
	w.Open("igmp_queries")
	writeJSONCounters(w, []jsonCounter{{"rx_v1", m.IGMPv1Queries.Rx}, {"rx_v2", m.IGMPv2Queries.Rx}, {"rx_v3", m.IGMPv3Queries.Rx}, {"tx_v1", m.IGMPv1Queries.Tx}, {"tx_v2", m.IGMPv2Queries.Tx}, {"tx_v3", m.IGMPv3Queries.Tx}})
	w.Close()
	w.Open("igmp_reports")
	writeJSONCounters(w, []jsonCounter{{"rx_v1", m.IGMPv1Reports.Rx}, {"rx_v2", m.IGMPv2Reports.Rx}, {"rx_v3", m.IGMPv3Reports.Rx}, {"tx_v1", m.IGMPv1Reports.Tx}, {"tx_v2", m.IGMPv2Reports.Tx}, {"tx_v3", m.IGMPv3Reports.Tx}})
	w.Close()
	w.Open("igmp_leaves")
	writeJSONCounters(w, []jsonCounter{{"rx", m.IGMPLeaves.Rx}, {"tx", m.IGMPLeaves.Tx}})
	w.Close()
	w.Uint("igmp_parse_errors", m.IGMPParseErrors)
	w.Open("mld_queries")
	writeJSONCounters(w, []jsonCounter{{"rx_v1", m.MLDv1Queries.Rx}, {"rx_v2", m.MLDv2Queries.Rx}, {"tx_v1", m.MLDv1Queries.Tx}, {"tx_v2", m.MLDv2Queries.Tx}})
	w.Close()
	w.Open("mld_reports")
	writeJSONCounters(w, []jsonCounter{{"rx_v1", m.MLDv1Reports.Rx}, {"rx_v2", m.MLDv2Reports.Rx}, {"tx_v1", m.MLDv1Reports.Tx}, {"tx_v2", m.MLDv2Reports.Tx}})
	w.Close()
	w.Open("mld_leaves")
	writeJSONCounters(w, []jsonCounter{{"rx", m.MLDLeaves.Rx}, {"tx", m.MLDLeaves.Tx}})
	w.Close()
	w.Uint("mld_parse_errors", m.MLDParseErrors)
	w.Close()
}

func (b *Bond3ADStats) writeJSON(w *jsonw.Writer) {
	w.Open("802.3ad")
	writeJSONUint(w, "lacpdu_rx", b.LACPDURx)
	writeJSONUint(w, "lacpdu_tx", b.LACPDUTx)
	writeJSONUint(w, "lacpdu_unknown_rx", b.LACPDUUnknownRx)
	writeJSONUint(w, "lacpdu_illegal_rx", b.LACPDUIllegalRx)
	writeJSONUint(w, "marker_rx", b.MarkerRx)
	writeJSONUint(w, "marker_tx", b.MarkerTx)
	writeJSONUint(w, "marker_response_rx", b.MarkerRespRx)
	writeJSONUint(w, "marker_response_tx", b.MarkerRespTx)
	writeJSONUint(w, "marker_unknown_rx", b.MarkerUnknownRx)
	w.Close()
}
