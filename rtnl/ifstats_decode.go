package rtnl

import (
	"fmt"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// ifStatsMsgLen is the size of struct if_stats_msg.
const ifStatsMsgLen = 12

// Attributes in the nests of RTM_NEWSTATS, which x/sys/unix lacks.
const (
	linkXstatsTypeBridge = 1 // LINK_XSTATS_TYPE_BRIDGE
	linkXstatsTypeBond   = 2 // LINK_XSTATS_TYPE_BOND
	bridgeXstatsMcast    = 2 // BRIDGE_XSTATS_MCAST
	bridgeXstatsSTP      = 4 // BRIDGE_XSTATS_STP
	bondXstats3AD        = 1 // BOND_XSTATS_3AD
	mplsStatsLink        = 1 // MPLS_STATS_LINK
)

// decodeIfStats decodes an RTM_NEWSTATS payload (if_stats_msg and
// attributes). Groups is left zero. On an error it returns what it read
// before it.
func decodeIfStats(b []byte) (IfStats, error) {
	var s IfStats
	if len(b) < ifStatsMsgLen {
		return s, fmt.Errorf("stats message too short: %d bytes", len(b))
	}
	s.LinkIndex = int32(native.Endian.Uint32(b[4:]))
	d := attrs.NewDecoder(b[ifStatsMsgLen:])
	for d.Next() {
		var err error
		switch d.Type() {
		case unix.IFLA_STATS_LINK_64:
			s.Link = new(LinkStats)
			decodeStats64(s.Link, d.Bytes())
		case unix.IFLA_STATS_LINK_XSTATS:
			s.Xstats, err = decodeLinkXstats(d.Nested())
		case unix.IFLA_STATS_LINK_XSTATS_SLAVE:
			s.XstatsSlave, err = decodeLinkXstats(d.Nested())
		case unix.IFLA_STATS_LINK_OFFLOAD_XSTATS:
			s.Offload, err = decodeOffloadStats(d.Nested())
		case unix.IFLA_STATS_AF_SPEC:
			s.MPLS, err = decodeMPLSStats(d.Nested())
		}
		if err != nil {
			return s, fmt.Errorf("stats attribute %d: %w", d.Type(), err)
		}
	}
	return s, d.Err()
}

// payloadUint64s reads n u64 counters from b, the missing trailing ones
// zero, as ip reads a struct the kernel may have made shorter or longer.
func payloadUint64s(b []byte, n int) []uint64 {
	v := make([]uint64, n)
	for i := range v {
		if len(b) < (i+1)*8 {
			break
		}
		v[i] = native.Endian.Uint64(b[i*8:])
	}
	return v
}

func decodeLinkXstats(d attrs.Decoder) (*LinkXstats, error) {
	x := new(LinkXstats)
	for d.Next() {
		switch d.Type() {
		case linkXstatsTypeBridge:
			in := d.Nested()
			for in.Next() {
				switch in.Type() {
				case bridgeXstatsMcast:
					v := payloadUint64s(in.Bytes(), 30)
					rt := func(i int) RxTx { return RxTx{v[i], v[i+1]} }
					x.BridgeMcast = &BridgeMcastStats{
						IGMPv1Queries: rt(0), IGMPv2Queries: rt(2), IGMPv3Queries: rt(4), IGMPLeaves: rt(6),
						IGMPv1Reports: rt(8), IGMPv2Reports: rt(10), IGMPv3Reports: rt(12), IGMPParseErrors: v[14],
						MLDv1Queries: rt(15), MLDv2Queries: rt(17), MLDLeaves: rt(19),
						MLDv1Reports: rt(21), MLDv2Reports: rt(23), MLDParseErrors: v[25],
						McastBytes: rt(26), McastPackets: rt(28),
					}
				case bridgeXstatsSTP:
					v := payloadUint64s(in.Bytes(), 6)
					x.BridgeSTP = &BridgeSTPStats{RxBPDU: v[0], TxBPDU: v[1], RxTCN: v[2], TxTCN: v[3], TransitionBlk: v[4], TransitionFwd: v[5]}
				}
			}
			if err := in.Err(); err != nil {
				return x, err
			}
		case linkXstatsTypeBond:
			in := d.Nested()
			for in.Next() {
				if in.Type() == bondXstats3AD {
					var err error
					if x.Bond3AD, err = decodeBond3AD(in.Nested()); err != nil {
						return x, err
					}
				}
			}
			if err := in.Err(); err != nil {
				return x, err
			}
		}
	}
	return x, d.Err()
}

// decodeBond3AD decodes the BOND_3AD_STAT_* counters, which are numbered
// from 0.
func decodeBond3AD(d attrs.Decoder) (*Bond3ADStats, error) {
	b := new(Bond3ADStats)
	v := new([9]uint64)
	for d.Next() {
		if t := d.Type(); t < uint16(len(v)) {
			v[t] = d.Uint64()
			p := &v[t]
			switch t {
			case 0:
				b.LACPDURx = p
			case 1:
				b.LACPDUTx = p
			case 2:
				b.LACPDUUnknownRx = p
			case 3:
				b.LACPDUIllegalRx = p
			case 4:
				b.MarkerRx = p
			case 5:
				b.MarkerTx = p
			case 6:
				b.MarkerRespRx = p
			case 7:
				b.MarkerRespTx = p
			case 8:
				b.MarkerUnknownRx = p
			}
		}
	}
	return b, d.Err()
}

func decodeOffloadStats(d attrs.Decoder) (*OffloadStats, error) {
	o := new(OffloadStats)
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_OFFLOAD_XSTATS_CPU_HIT:
			o.CPUHit = new(LinkStats)
			decodeStats64(o.CPUHit, d.Bytes())
		case unix.IFLA_OFFLOAD_XSTATS_L3_STATS:
			v := payloadUint64s(d.Bytes(), 9)
			o.L3Stats = &HWStats{RxPackets: v[0], TxPackets: v[1], RxBytes: v[2], TxBytes: v[3],
				RxErrors: v[4], TxErrors: v[5], RxDropped: v[6], TxDropped: v[7], Multicast: v[8]}
		case unix.IFLA_OFFLOAD_XSTATS_HW_S_INFO:
			o.HWStatsInfo = new(HWStatsInfo)
			in := d.Nested()
			for in.Next() {
				if in.Type() == unix.IFLA_OFFLOAD_XSTATS_L3_STATS {
					o.HWStatsInfo.L3Stats = decodeHWStatsState(in.Nested())
				}
			}
			if err := in.Err(); err != nil {
				return o, err
			}
		}
	}
	return o, d.Err()
}

func decodeHWStatsState(d attrs.Decoder) *HWStatsState {
	h := new(HWStatsState)
	v := new([2]bool)
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST:
			h.Request = boolField(&d, &v[0])
		case unix.IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED:
			h.Used = boolField(&d, &v[1])
		}
	}
	return h
}

func decodeMPLSStats(d attrs.Decoder) (*MPLSLinkStats, error) {
	var m *MPLSLinkStats
	for d.Next() {
		if d.Type() != unix.AF_MPLS {
			continue
		}
		in := d.Nested()
		for in.Next() {
			if in.Type() == mplsStatsLink {
				v := payloadUint64s(in.Bytes(), 9)
				m = &MPLSLinkStats{RxPackets: v[0], TxPackets: v[1], RxBytes: v[2], TxBytes: v[3],
					RxErrors: v[4], TxErrors: v[5], RxDropped: v[6], TxDropped: v[7], RxNoRoute: v[8]}
			}
		}
		if err := in.Err(); err != nil {
			return m, err
		}
	}
	return m, d.Err()
}

// decodeIfStatsMessage decodes statistics from a reply, skipping messages
// of other types.
func decodeIfStatsMessage(m nlconn.Message) (IfStats, bool, error) {
	if m.Type != unix.RTM_NEWSTATS {
		return IfStats{}, false, nil
	}
	s, err := decodeIfStats(m.Data)
	return s, err == nil, err
}
