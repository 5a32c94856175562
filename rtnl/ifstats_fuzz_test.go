package rtnl

import (
	"encoding/json"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// TestStatsRequests checks the requests against the ones ip 6.1 sends.
func TestStatsRequests(t *testing.T) {
	for _, tc := range []struct {
		what   string
		index  int32
		groups StatsGroups
		want   string
	}{
		{"ip stats show", 0, 0, "\x00\x00\x00\x00\x00\x00\x00\x00\x1f\x00\x00\x00"},
		{"ip stats show dev if3 group link", 3, StatsLink, "\x00\x00\x00\x00\x03\x00\x00\x00\x01\x00\x00\x00"},
		{"ip stats show group offload subgroup l3_stats", 0, StatsOffloadL3Stats,
			"\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00" + "\x0c\x00\x01\x80" + "\x08\x00\x04\x00\x06\x00\x00\x00"},
		{"ip stats show group offload subgroup cpu_hit", 0, StatsOffloadCPUHit,
			"\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00" + "\x0c\x00\x01\x80" + "\x08\x00\x04\x00\x01\x00\x00\x00"},
		{"ip stats show group xstats_slave group afstats", 0, StatsXstatsSlave | StatsAF, "\x00\x00\x00\x00\x00\x00\x00\x00\x14\x00\x00\x00"},
	} {
		got, err := ifStatsRequest(tc.index, tc.groups)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: request % x, %v; want % x", tc.what, got, err, tc.want)
		}
	}
	got, err := l3StatsRequest(3, true)
	if want := "\x00\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\x05\x00\x02\x00\x01\x00\x00\x00"; err != nil || string(got) != want {
		t.Errorf("ip stats set dev if3 l3_stats on: request % x, %v; want % x", got, err, want)
	}
}

// FuzzDecodeStats decodes arbitrary bytes as an RTM_NEWSTATS payload:
// neither decoding nor marshalling may panic, and the JSON must be valid.
func FuzzDecodeStats(f *testing.F) {
	var e attrs.Encoder
	e.Append(make([]byte, ifStatsMsgLen))
	e.Raw(unix.IFLA_STATS_LINK_64, make([]byte, 200))
	x := e.Nest(unix.IFLA_STATS_LINK_XSTATS_SLAVE)
	br := e.Nest(linkXstatsTypeBridge)
	e.Raw(bridgeXstatsMcast, make([]byte, 240))
	e.Raw(bridgeXstatsSTP, make([]byte, 48))
	e.End(br)
	bond := e.Nest(linkXstatsTypeBond)
	ad := e.Nest(bondXstats3AD)
	e.Uint64(0, 1)
	e.Uint64(8, 2)
	e.End(ad)
	e.End(bond)
	e.End(x)
	o := e.Nest(unix.IFLA_STATS_LINK_OFFLOAD_XSTATS)
	e.Raw(unix.IFLA_OFFLOAD_XSTATS_CPU_HIT, make([]byte, 200))
	info := e.Nest(unix.IFLA_OFFLOAD_XSTATS_HW_S_INFO)
	l3 := e.Nest(unix.IFLA_OFFLOAD_XSTATS_L3_STATS)
	e.Uint8(unix.IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST, 1)
	e.Uint8(unix.IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED, 0)
	e.End(l3)
	e.End(info)
	e.Raw(unix.IFLA_OFFLOAD_XSTATS_L3_STATS, make([]byte, 72))
	e.End(o)
	af := e.Nest(unix.IFLA_STATS_AF_SPEC)
	mpls := e.Nest(unix.AF_MPLS)
	e.Raw(mplsStatsLink, make([]byte, 72))
	e.End(mpls)
	e.End(af)
	f.Add(e.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		s, _ := decodeIfStats(b)
		out, err := IfStatsList{s, s}.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON = %s, %v", out, err)
		}
	})
}

// TestMergeIfStats checks that the parts of a link's statistics the
// kernel split over messages are merged, and other links left apart.
func TestMergeIfStats(t *testing.T) {
	stp, mcast := &BridgeSTPStats{RxBPDU: 1}, &BridgeMcastStats{IGMPParseErrors: 2}
	list := mergeIfStats([]IfStats{
		{LinkIndex: 1, Link: &LinkStats{RxBytes: 1}},
		{LinkIndex: 2, Link: &LinkStats{RxBytes: 2}, XstatsSlave: &LinkXstats{BridgeMcast: mcast}},
		{LinkIndex: 2, XstatsSlave: &LinkXstats{BridgeSTP: stp}, Offload: &OffloadStats{CPUHit: &LinkStats{}}},
		{LinkIndex: 2, MPLS: &MPLSLinkStats{RxNoRoute: 3}, Offload: &OffloadStats{L3Stats: &HWStats{}}},
		{LinkIndex: 3},
	})
	if len(list) != 3 {
		t.Fatalf("merged into %d, want 3", len(list))
	}
	s := list[1]
	if s.Link.RxBytes != 2 || s.XstatsSlave.BridgeMcast != mcast || s.XstatsSlave.BridgeSTP != stp ||
		s.MPLS == nil || s.Offload.CPUHit == nil || s.Offload.L3Stats == nil {
		t.Errorf("merged %+v", s)
	}
}
