package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nlkit/nlkit/rtnl"
)

// statsText is a link's records as ip stats show writes them: for each
// group asked for, "INDEX: NAME: group G [subgroup S [suite X]]", then
// the statistics the kernel sent; level is ip's count of -s.
func (c *command) statsText(s *rtnl.IfStats, level int) string {
	var b strings.Builder
	nl := c.lineEnd()
	groups := s.Groups
	if groups == 0 {
		groups = rtnl.StatsAll
	}
	for g := rtnl.StatsGroups(1); g <= rtnl.StatsAll; g <<= 1 {
		if groups&g == 0 {
			continue
		}
		fmt.Fprintf(&b, "%d: %s:", s.LinkIndex, s.LinkName)
		for i, name := range strings.Split(statsPathOf(g), "/") {
			b.WriteString(" " + statsLevel(i) + " " + name)
		}
		c.writeStatsGroup(&b, s, g, level)
		b.WriteString(nl)
	}
	return b.String()
}

// statsPathOf is the path in ip's selection tree of the single group g.
func statsPathOf(g rtnl.StatsGroups) string {
	for _, p := range []string{"link", "xstats/bridge/stp", "xstats/bridge/mcast", "xstats/bond/802.3ad",
		"xstats_slave/bridge/stp", "xstats_slave/bridge/mcast", "xstats_slave/bond/802.3ad",
		"offload/cpu_hit", "offload/hw_stats_info", "offload/l3_stats", "afstats/mpls"} {
		if statsNode(p) == g {
			return p
		}
	}
	return ""
}

// writeStatsGroup writes what ip prints after a record's selection: the
// statistics of the single group g, if the kernel sent them.
func (c *command) writeStatsGroup(b *strings.Builder, s *rtnl.IfStats, g rtnl.StatsGroups, level int) {
	nl := c.lineEnd()
	var x *rtnl.LinkXstats
	if g&rtnl.StatsXstats != 0 {
		x = s.Xstats
	} else if g&rtnl.StatsXstatsSlave != 0 {
		x = s.XstatsSlave
	}
	off := s.Offload
	if off == nil {
		off = &rtnl.OffloadStats{}
	}
	switch {
	case g == rtnl.StatsLink:
		b.WriteString(nl)
		if s.Link != nil {
			b.WriteString(stats64Text(s.Link, level, nl))
		}
	case g == rtnl.StatsOffloadCPUHit:
		b.WriteString(nl)
		if off.CPUHit != nil {
			b.WriteString(stats64Text(off.CPUHit, level, nl))
		}
	case g == rtnl.StatsOffloadHWStatsInfo && off.HWStatsInfo != nil:
		b.WriteString(nl)
		if l3 := off.HWStatsInfo.L3Stats; l3 != nil {
			b.WriteString("    l3_stats" + hwStatsStateText(l3))
		}
	case g == rtnl.StatsOffloadL3Stats && off.HWStatsInfo != nil:
		if l3 := off.HWStatsInfo.L3Stats; l3 != nil {
			b.WriteString(hwStatsStateText(l3))
		}
		if h := off.L3Stats; h != nil {
			b.WriteString(nl)
			b.WriteString(counterTable(nl, "    ", 9, []string{"packets", "errors", "dropped", "overrun"},
				[]string{"mcast"}, []uint64{h.RxBytes, h.RxPackets, h.RxErrors, h.RxDropped, h.Multicast},
				[]uint64{h.TxBytes, h.TxPackets, h.TxErrors, h.TxDropped}))
		}
	case g == rtnl.StatsAFMPLS && s.MPLS != nil:
		m := s.MPLS
		b.WriteString(nl)
		b.WriteString(counterTable(nl, "    ", 9, []string{"packets", "errors", "dropped", "noroute"},
			[]string{"noroute"}, []uint64{m.RxBytes, m.RxPackets, m.RxErrors, m.RxDropped, m.RxNoRoute},
			[]uint64{m.TxBytes, m.TxPackets, m.TxErrors, m.TxDropped}))
	case x == nil:
	case g&(rtnl.StatsXstatsBridgeMcast|rtnl.StatsXstatsSlaveBridgeMcast) != 0 && x.BridgeMcast != nil:
		b.WriteString(nl + bridgeMcastText(x.BridgeMcast))
	case g&(rtnl.StatsXstatsBridgeSTP|rtnl.StatsXstatsSlaveBridgeSTP) != 0 && x.BridgeSTP != nil:
		st := x.BridgeSTP
		pad := strings.Repeat(" ", 20)
		fmt.Fprintf(b, "%sSTP BPDU:  RX: %d TX: %d\n", nl+pad, st.RxBPDU, st.TxBPDU)
		fmt.Fprintf(b, "%sSTP TCN:   RX: %d TX: %d\n", pad, st.RxTCN, st.TxTCN)
		fmt.Fprintf(b, "%sSTP Transitions: Blocked: %d Forwarding: %d\n", pad, st.TransitionBlk, st.TransitionFwd)
	case g&(rtnl.StatsXstatsBond3AD|rtnl.StatsXstatsSlaveBond3AD) != 0 && x.Bond3AD != nil:
		b.WriteString(nl + bond3ADText(x.Bond3AD))
	}
}

// hwStatsStateText is " on|off used on|off", as far as the kernel said.
func hwStatsStateText(h *rtnl.HWStatsState) string {
	var s string
	if h.Request != nil {
		s += " " + onOff(*h.Request)
	}
	if h.Used != nil {
		s += " used " + onOff(*h.Used)
	}
	return s
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// sizeColumns widens cols to the number of digits of each value, as ip's
// size_columns does.
func sizeColumns(cols []int, vals ...uint64) {
	for i, v := range vals {
		if n := len(strconv.FormatUint(v, 10)); n > cols[i] {
			cols[i] = n
		}
	}
}

// nums writes each value right-aligned in its column, and a space.
func nums(b *strings.Builder, cols []int, vals ...uint64) {
	for i, v := range vals {
		fmt.Fprintf(b, "%*d ", cols[i], v)
	}
}

// counterTable writes ip's two-line tables of received and sent counters
// (print_hw_stats64, print_mpls_link_stats): an RX header and values, and
// a TX header and values. The first column, bytes, is at least first
// wide; heads are the headers of the next columns, rxOnly those only RX
// has.
func counterTable(nl, indent string, first int, heads, rxOnly []string, rx, tx []uint64) string {
	cols := []int{first}
	for _, h := range heads {
		cols = append(cols, len(h))
	}
	sizeColumns(cols, rx...)
	sizeColumns(cols, append(tx, 0)...)
	var b strings.Builder
	fmt.Fprintf(&b, "%sRX: %*s", indent, cols[0]-4, "bytes")
	rxHeads := append(append([]string{}, heads[:len(heads)-len(rxOnly)]...), rxOnly...)
	for i, h := range rxHeads {
		fmt.Fprintf(&b, " %*s", cols[i+1], h)
	}
	b.WriteString(nl + indent)
	nums(&b, cols, rx...)
	fmt.Fprintf(&b, "%sTX: %*s", nl+indent, cols[0]-4, "bytes")
	for i, h := range heads[:len(tx)-1] {
		fmt.Fprintf(&b, " %*s", cols[i+1], h)
	}
	b.WriteString(nl + indent)
	nums(&b, cols, tx...)
	return b.String()
}

// stats64Text writes a link's counters as ip's print_stats64 does, with
// the error counters when level, ip's count of -s, is above one.
func stats64Text(s *rtnl.LinkStats, level int, nl string) string {
	cols := []int{10, 7, 6, 7, 7, 7, 10, 9}
	sizeColumns(cols, s.RxBytes, s.RxPackets, s.RxErrors, s.RxDropped, s.RxMissedErrors, s.Multicast, s.RxCompressed, 0)
	if level > 1 {
		sizeColumns(cols, 0, s.RxLengthErrors, s.RxCRCErrors, s.RxFrameErrors, s.RxFIFOErrors, s.RxOverErrors, s.RxNoHandler, s.RxOtherhostDrop)
	}
	sizeColumns(cols, s.TxBytes, s.TxPackets, s.TxErrors, s.TxDropped, s.TxCarrierErrors, s.Collisions, s.TxCompressed, 0)
	if level > 1 {
		sizeColumns(cols, 0, 0, s.TxAbortedErrors, s.TxFIFOErrors, s.TxWindowErrors, s.TxHeartbeatErrors, 0, 0)
	}
	ifSet := func(v uint64, text string) string {
		if v != 0 {
			return text
		}
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "    RX: %*s %*s %*s %*s %*s %*s %*s%s", cols[0]-4, "bytes", cols[1], "packets", cols[2], "errors",
		cols[3], "dropped", cols[4], "missed", cols[5], "mcast", cols[6], ifSet(s.RxCompressed, "compressed"), nl)
	b.WriteString("    ")
	nums(&b, cols, s.RxBytes, s.RxPackets, s.RxErrors, s.RxDropped, s.RxMissedErrors, s.Multicast)
	if s.RxCompressed != 0 {
		nums(&b, cols[6:], s.RxCompressed)
	}
	if level > 1 {
		width := func(v uint64, col int) int {
			if v != 0 {
				return cols[col] + 1
			}
			return 0
		}
		fmt.Fprintf(&b, "%s    RX errors:%*s %*s %*s %*s %*s %*s%*s%*s%s", nl, cols[0]-10, "", cols[1], "length", cols[2], "crc",
			cols[3], "frame", cols[4], "fifo", cols[5], "overrun", width(s.RxNoHandler, 6), ifSet(s.RxNoHandler, " nohandler"),
			width(s.RxOtherhostDrop, 7), ifSet(s.RxOtherhostDrop, " otherhost"), nl)
		fmt.Fprintf(&b, "%*s", cols[0]+5, "")
		nums(&b, cols[1:], s.RxLengthErrors, s.RxCRCErrors, s.RxFrameErrors, s.RxFIFOErrors, s.RxOverErrors)
		if s.RxNoHandler != 0 {
			nums(&b, cols[6:], s.RxNoHandler)
		}
		if s.RxOtherhostDrop != 0 {
			nums(&b, cols[7:], s.RxOtherhostDrop)
		}
	}
	fmt.Fprintf(&b, "%s    TX: %*s %*s %*s %*s %*s %*s %*s%s", nl, cols[0]-4, "bytes", cols[1], "packets", cols[2], "errors",
		cols[3], "dropped", cols[4], "carrier", cols[5], "collsns", cols[6], ifSet(s.TxCompressed, "compressed"), nl)
	b.WriteString("    ")
	nums(&b, cols, s.TxBytes, s.TxPackets, s.TxErrors, s.TxDropped, s.TxCarrierErrors, s.Collisions)
	if s.TxCompressed != 0 {
		nums(&b, cols[6:], s.TxCompressed)
	}
	if level > 1 {
		fmt.Fprintf(&b, "%s    TX errors:%*s %*s %*s %*s %*s %*s%s", nl, cols[0]-10, "", cols[1], "aborted", cols[2], "fifo",
			cols[3], "window", cols[4], "heartbt", cols[5], "", nl)
		fmt.Fprintf(&b, "%*s", cols[0]+5, "")
		nums(&b, cols[1:], s.TxAbortedErrors, s.TxFIFOErrors, s.TxWindowErrors, s.TxHeartbeatErrors)
	}
	return b.String()
}

// bridgeMcastText writes a bridge's or bridge port's multicast counters
// as ip does.
func bridgeMcastText(m *rtnl.BridgeMcastStats) string {
	pad := strings.Repeat(" ", 20)
	var b strings.Builder
	three := func(title string, v1, v2, v3 rtnl.RxTx) {
		fmt.Fprintf(&b, "%s%s:\n", pad, title)
		fmt.Fprintf(&b, "%s  RX: v1 %d v2 %d v3 %d\n", pad, v1.Rx, v2.Rx, v3.Rx)
		fmt.Fprintf(&b, "%s  TX: v1 %d v2 %d v3 %d\n", pad, v1.Tx, v2.Tx, v3.Tx)
	}
	two := func(title string, v1, v2 rtnl.RxTx) {
		fmt.Fprintf(&b, "%s%s:\n", pad, title)
		fmt.Fprintf(&b, "%s  RX: v1 %d v2 %d\n", pad, v1.Rx, v2.Rx)
		fmt.Fprintf(&b, "%s  TX: v1 %d v2 %d\n", pad, v1.Tx, v2.Tx)
	}
	three("IGMP queries", m.IGMPv1Queries, m.IGMPv2Queries, m.IGMPv3Queries)
	three("IGMP reports", m.IGMPv1Reports, m.IGMPv2Reports, m.IGMPv3Reports)
	fmt.Fprintf(&b, "%sIGMP leaves: RX: %d TX: %d\n", pad, m.IGMPLeaves.Rx, m.IGMPLeaves.Tx)
	fmt.Fprintf(&b, "%sIGMP parse errors: %d\n", pad, m.IGMPParseErrors)
	two("MLD queries", m.MLDv1Queries, m.MLDv2Queries)
	two("MLD reports", m.MLDv1Reports, m.MLDv2Reports)
	fmt.Fprintf(&b, "%sMLD leaves: RX: %d TX: %d\n", pad, m.MLDLeaves.Rx, m.MLDLeaves.Tx)
	fmt.Fprintf(&b, "%sMLD parse errors: %d\n", pad, m.MLDParseErrors)
	return b.String()
}

// bond3ADText writes a bond's or bond port's 802.3ad counters as ip
// does: a line for each the kernel sent.
func bond3ADText(s *rtnl.Bond3ADStats) string {
	var b strings.Builder
	for _, c := range []struct {
		name string
		v    *uint64
	}{
		{"LACPDU Rx", s.LACPDURx}, {"LACPDU Tx", s.LACPDUTx}, {"LACPDU Unknown type Rx", s.LACPDUUnknownRx},
		{"LACPDU Illegal Rx", s.LACPDUIllegalRx}, {"Marker Rx", s.MarkerRx}, {"Marker Tx", s.MarkerTx},
		{"Marker response Rx", s.MarkerRespRx}, {"Marker response Tx", s.MarkerRespTx},
		{"Marker unknown type Rx", s.MarkerUnknownRx},
	} {
		if c.v != nil {
			fmt.Fprintf(&b, "%20s%s %d\n", "", c.name, *c.v)
		}
	}
	return b.String()
}
