package rtnl

import (
	"encoding/json"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// mrouteMessage builds an RTM_NEWROUTE payload as ipmr sends one for an
// (S,G) entry: 10.0.0.1 to 239.1.1.1 from link 2 to links 3 (ttl 1) and 4
// (ttl 5), with counters and the time since last use.
func mrouteMessage() []byte {
	var e attrs.Encoder
	hdr := make([]byte, mrouteRtMsgLen)
	hdr[0], hdr[1], hdr[2], hdr[4], hdr[5], hdr[6], hdr[7] = rtnlFamilyIPMR, 32, 32, unix.RT_TABLE_DEFAULT, unix.RTPROT_MROUTED, unix.RT_SCOPE_UNIVERSE, unix.RTN_MULTICAST
	e.Append(hdr)
	e.Uint32(unix.RTA_TABLE, unix.RT_TABLE_DEFAULT)
	e.Addr(unix.RTA_SRC, netip.MustParseAddr("10.0.0.1"))
	e.Addr(unix.RTA_DST, netip.MustParseAddr("239.1.1.1"))
	e.Uint32(unix.RTA_IIF, 2)
	nh := make([]byte, 2*unix.SizeofRtNexthop)
	for i, oif := range []struct{ index, ttl uint32 }{{3, 1}, {4, 5}} {
		b := nh[i*unix.SizeofRtNexthop:]
		native.Endian.PutUint16(b, unix.SizeofRtNexthop)
		b[3] = byte(oif.ttl)
		native.Endian.PutUint32(b[4:], oif.index)
	}
	e.Raw(unix.RTA_MULTIPATH, nh)
	stats := make([]byte, rtaMfcStatsLen)
	native.Endian.PutUint64(stats, 7)
	native.Endian.PutUint64(stats[8:], 700)
	native.Endian.PutUint64(stats[16:], 2)
	e.Raw(unix.RTA_MFC_STATS, stats)
	e.Uint64(unix.RTA_EXPIRES, 1234)
	return e.Bytes()
}

// TestDecodeMulticastRoute checks a synthesized entry, as this machine's
// kernel lacks multicast routing: the fields, and the JSON ip 6.1's
// print_mroute writes for it with -j -d -s.
func TestDecodeMulticastRoute(t *testing.T) {
	r, err := decodeMulticastRoute(mrouteMessage())
	if err != nil {
		t.Fatal(err)
	}
	lastUse := 12340 * time.Millisecond
	want := MulticastRoute{
		Family: unix.AF_INET, Table: TableDefault,
		Source: netip.MustParseAddr("10.0.0.1"), Group: netip.MustParseAddr("239.1.1.1"),
		IIFIndex: 2, Oifs: []MulticastOif{{LinkIndex: 3, TTL: 1}, {LinkIndex: 4, TTL: 5}},
		Stats: &MulticastRouteStats{Packets: 7, Bytes: 700, WrongIf: 2}, LastUse: &lastUse,
	}
	if r.Family != want.Family || r.Table != want.Table || r.Source != want.Source || r.Group != want.Group ||
		r.IIFIndex != want.IIFIndex || len(r.Oifs) != 2 || r.Oifs[1] != want.Oifs[1] || *r.Stats != *want.Stats || *r.LastUse != lastUse {
		t.Errorf("decoded %+v\nwant %+v", r, want)
	}
	r.IIFName, r.Oifs[0].LinkName = "eth0", "eth1"
	for _, tc := range []struct {
		showTable bool
		want      string
	}{
		{false, `{"src":"10.0.0.1","dst":"239.1.1.1","iif":"eth0","multipath":[{"oif":"eth1"},{"oif":"if4","ttl":5}],"state":"resolved","packets":7,"bytes":700,"wrong_if":2,"expires":12.34}`},
		{true, `{"src":"10.0.0.1","dst":"239.1.1.1","iif":"eth0","multipath":[{"oif":"eth1"},{"oif":"if4","ttl":5}],"state":"resolved","packets":7,"bytes":700,"wrong_if":2,"expires":12.34,"table":"default"}`},
	} {
		r.showTable = tc.showTable
		if got, _ := r.MarshalJSON(); string(got) != tc.want {
			t.Errorf("JSON\n got %s\nwant %s", got, tc.want)
		}
	}
	unresolved := MulticastRoute{Family: unix.AF_INET6, Unresolved: true, Offload: true}
	if got, _ := unresolved.MarshalJSON(); string(got) != `{"src":"unknown","dst":"unknown","iif":"unresolved","state":"unresolved","offload":null}` {
		t.Errorf("JSON of an unresolved entry: %s", got)
	}
	// A unicast route: the kernel lacks multicast routing.
	b := mrouteMessage()
	b[7] = unix.RTN_UNICAST
	if _, err := decodeMulticastRoute(b); !errors.Is(err, ErrNotSupported) {
		t.Errorf("decoding a unicast route: %v; want ErrNotSupported", err)
	}
}

// TestMulticastRouteRequests checks the dump requests against ip 6.1's.
func TestMulticastRouteRequests(t *testing.T) {
	for _, tc := range []struct {
		what    string
		filters []MulticastRouteFilter
		want    string
	}{
		{"ip mroute show", nil, "\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x0f\x00\xfd\x00\x00\x00"},
		{"ip mroute show table all", []MulticastRouteFilter{FilterMulticastTable(TableUnspec)}, "\x80\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"},
		{"ip -6 mroute show", []MulticastRouteFilter{FilterMulticastFamily(unix.AF_INET6)}, "\x81\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"},
	} {
		f, err := newMrouteFilter(tc.filters)
		if got := mrouteDumpRequest(&f); err != nil || string(got) != tc.want {
			t.Errorf("%s: % x, %v; want % x", tc.what, got, err, tc.want)
		}
	}
	for _, fs := range [][]MulticastRouteFilter{
		{FilterMulticastFamily(unix.AF_PACKET)},
		{FilterMulticastIIF(0)},
		{FilterMulticastFrom(netip.MustParsePrefix("2001:db8::/32"))},
		{FilterMulticastFamily(unix.AF_INET6), FilterMulticastTo(netip.MustParsePrefix("239.0.0.0/8"))},
	} {
		if _, err := newMrouteFilter(fs); err == nil {
			t.Errorf("filters %d accepted", len(fs))
		}
	}
}

// FuzzDecodeMulticastRoute decodes arbitrary bytes as a multicast route:
// neither decoding, filtering nor marshalling may panic, and the JSON must
// be valid.
func FuzzDecodeMulticastRoute(f *testing.F) {
	f.Add(mrouteMessage())
	filter, _ := newMrouteFilter([]MulticastRouteFilter{FilterMulticastFrom(netip.MustParsePrefix("10.0.0.0/8")), FilterMulticastIIF(2)})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, _ := decodeMulticastRoute(b)
		filter.match(&r)
		out, err := r.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON = %s, %v", out, err)
		}
	})
}
