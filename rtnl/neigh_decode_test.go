package rtnl

import (
	"encoding/json"
	"net"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/corpus"
)

// corpusNeighPayloads returns the payloads of the corpus' neighbour and
// FDB messages.
func corpusNeighPayloads(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, c := range corpus.Load(tb) {
		for _, m := range c.Messages {
			if corpusIsNeigh(m) {
				out = append(out, m.Payload())
			}
		}
	}
	if len(out) == 0 {
		tb.Fatal("no neighbour message in the corpus")
	}
	return out
}

// neighSeeds are requests nlkit builds, for the fuzz targets to start
// from: entries with every attribute.
func neighSeeds(tb testing.TB) [][]byte {
	a := netip.MustParseAddr
	var seeds [][]byte
	var w writer
	if err := w.neighRequest(&Neighbor{LinkIndex: 3, Dst: a("2001:db8::2"), LLAddr: net.HardwareAddr{2, 0, 0, 0, 0, 2},
		Flags: NeighRouter | NeighExternLearn, ExtFlags: NeighExtManaged, Protocol: ProtocolZebra}); err != nil {
		tb.Fatal(err)
	}
	seeds = append(seeds, w.Bytes())
	w = writer{}
	if err := w.fdbRequest(&FDBEntry{LinkIndex: 7, MAC: net.HardwareAddr{0, 0, 0, 0, 0, 0}, Dst: a("10.0.0.3"),
		VLAN: 5, Port: ptr(uint16(4790)), VNI: ptr(uint32(43)), SrcVNI: ptr(uint32(7)), ViaIndex: 2}); err != nil {
		tb.Fatal(err)
	}
	seeds = append(seeds, w.Bytes())
	return seeds
}

// FuzzDecodeNeighbor decodes arbitrary bytes as a neighbour message:
// decoding, marshalling, filtering and building requests from the result
// must not panic, the JSON must be valid, and a request built from a
// decoded entry must decode back to it.
func FuzzDecodeNeighbor(f *testing.F) {
	for _, p := range corpusNeighPayloads(f) {
		f.Add(p)
	}
	for _, s := range neighSeeds(f) {
		f.Add(s)
	}
	var filters []neighFilter
	for _, fs := range [][]NeighFilter{
		nil,
		{FilterNeighTo(netip.MustParsePrefix("10.0.0.0/8")), FilterNeighState(NeighNone)},
		{FilterNeighAllStates(), FilterNeighUnused(), FilterNeighProtocol(ProtocolZebra)},
		{FilterNeighLink(3), FilterNeighProxy()},
	} {
		nf, err := newNeighFilter(fs, false)
		if err != nil {
			f.Fatal(err)
		}
		filters = append(filters, nf)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n, derr := decodeNeighbor(b)
		out, err := n.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON: %v: %s", err, out)
		}
		for i := range filters {
			filters[i].match(&n)
		}
		neighFlushRequest(unix.RTM_NEWNEIGH, b, &filters[0])
		if derr != nil {
			return
		}
		var w writer
		if err := w.neighRequest(&n); err != nil {
			return // not a valid request
		}
		back, err := decodeNeighbor(w.Bytes())
		if err != nil {
			t.Fatalf("decoding the request built from %+v: %v", n, err)
		}
		if back.Dst != n.Dst || back.LinkIndex != n.LinkIndex || back.LLAddr.String() != n.LLAddr.String() ||
			back.Flags != n.Flags || back.ExtFlags != n.ExtFlags || back.Protocol != n.Protocol {
			t.Fatalf("request built from %+v decodes as %+v", n, back)
		}
	})
}

// FuzzDecodeFDB decodes arbitrary bytes as an FDB message, as
// FuzzDecodeNeighbor does.
func FuzzDecodeFDB(f *testing.F) {
	for _, p := range corpusNeighPayloads(f) {
		f.Add(p)
	}
	for _, s := range neighSeeds(f) {
		f.Add(s)
	}
	filter, err := newFDBFilter([]FDBFilter{FilterFDBVLAN(5), FilterFDBState(NeighReachable), FilterFDBDynamic()})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e, derr := decodeFDBEntry(b)
		out, err := e.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON: %v: %s", err, out)
		}
		filter.match(&e)
		if derr != nil {
			return
		}
		var w writer
		if err := w.fdbRequest(&e); err != nil {
			return // not a valid request
		}
		back, err := decodeFDBEntry(w.Bytes())
		if err != nil {
			t.Fatalf("decoding the request built from %+v: %v", e, err)
		}
		if back.MAC.String() != e.MAC.String() || back.Dst != e.Dst || back.VLAN != e.VLAN || back.ViaIndex != e.ViaIndex ||
			back.NHID != e.NHID || back.LinkIndex != e.LinkIndex {
			t.Fatalf("request built from %+v decodes as %+v", e, back)
		}
	})
}

// TestNeighJSONFormats checks value formats that the namespaces of the
// other tests do not produce.
func TestNeighJSONFormats(t *testing.T) {
	a := netip.MustParseAddr
	for _, tc := range []struct {
		v    any
		want string
	}{
		{Neighbor{Family: unix.AF_INET, LinkIndex: 9, Dst: a("10.0.0.1"), LLAddr: net.HardwareAddr{192, 0, 2, 1}, linkType: unix.ARPHRD_IPGRE,
			Flags: NeighOffloaded | NeighProxy, State: NeighReachable | NeighNoARP | 0x100, Protocol: 200,
			CacheInfo: &NeighCacheInfo{Used: 250, Confirmed: 99, Updated: 100, RefCount: 2}},
			`{"dst":"10.0.0.1","dev":"if9","lladdr":"192.0.2.1","proxy":null,"offload":null,"refcnt":2,"used":2,"confirmed":0,"updated":1,"state":["REACHABLE","NOARP"],"protocol":"200"}`},
		{Neighbor{Family: unix.AF_INET6, Dst: a("::10.0.0.1"), LinkIndex: 2, LinkName: "v0", devFiltered: true},
			`{"dst":"::10.0.0.1"}`},
		{FDBEntry{LinkIndex: 4, LinkName: "vx0", MAC: net.HardwareAddr{0, 0, 0, 0, 0, 0}, Dst: a("2001:db8::1"), VLAN: 3,
			Port: ptr(uint16(0)), VNI: ptr(uint32(0)), SrcVNI: ptr(uint32(9)), ViaIndex: 12, NHID: 5, LinkNetNSID: ptr(int32(1)),
			Flags:       NeighSelf | NeighRouter | NeighExternLearn | NeighOffloaded | NeighMaster | NeighSticky | NeighProxy,
			MasterIndex: 8, State: NeighStale},
			`{"mac":"00:00:00:00:00:00","ifname":"vx0","dst":"2001:db8::1","vlan":3,"port":0,"vni":0,"src_vni":9,"viaIfIndex":12,"nhid":5,"linkNetNsId":1,"flags":["self","router","extern_learn","offload","master","sticky"],"master":"if8","state":"stale"}`},
		{FDBEntry{ViaIndex: 12, ViaName: "v1", State: NeighDelay, devFiltered: true, LinkIndex: 3},
			`{"viaIf":"v1","flags":[],"state":"0x8"}`},
		{FDBEntry{State: NeighNone}, `{"flags":[],"state":"0"}`},
		{FDBEntry{State: FDBDynamic}, `{"flags":[],"state":""}`},
	} {
		b, err := corpusMarshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.want {
			t.Errorf("JSON\n got %s\nwant %s", b, tc.want)
		}
	}
	for s, want := range map[NeighState]string{
		NeighNone: "NONE", NeighStale: "STALE", NeighReachable | NeighPermanent: "REACHABLE,PERMANENT", 0x300: "0x300",
	} {
		if got := s.String(); got != want {
			t.Errorf("NeighState(%#x).String() = %q, want %q", uint16(s), got, want)
		}
	}
}

// TestDecodeNeighErrors checks that malformed messages give errors.
func TestDecodeNeighErrors(t *testing.T) {
	for _, b := range [][]byte{
		{2, 0, 0},
		append(make([]byte, ndmsgLen), 8, 0, unix.NDA_CACHEINFO, 0, 1, 2, 3, 4),
		append(make([]byte, ndmsgLen), 7, 0, unix.NDA_DST, 0, 1, 2, 3, 0),
		append(make([]byte, ndmsgLen), 40, 0, unix.NDA_LLADDR, 0),
	} {
		if _, err := decodeNeighbor(b); err == nil {
			t.Errorf("decodeNeighbor(%x) succeeded", b)
		}
		if _, err := decodeFDBEntry(b); err == nil {
			t.Errorf("decodeFDBEntry(%x) succeeded", b)
		}
	}
}

// maxAllocsPerNeigh bounds the allocations of decoding one entry: the
// block behind its optional fields and its address.
const maxAllocsPerNeigh = 1

func TestDecodeNeighAllocations(t *testing.T) {
	for _, p := range corpusNeighPayloads(t) {
		decode := func() { decodeNeighbor(p) }
		if p[0] == unix.AF_BRIDGE {
			decode = func() { decodeFDBEntry(p) }
		}
		if allocs := testing.AllocsPerRun(100, decode); allocs > maxAllocsPerNeigh {
			t.Errorf("decoding %x allocates %.0f times; want at most %d", p, allocs, maxAllocsPerNeigh)
		}
	}
}

func BenchmarkDecodeNeighbor(b *testing.B) {
	payloads := corpusNeighPayloads(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range payloads {
			if p[0] == unix.AF_BRIDGE {
				decodeFDBEntry(p)
			} else {
				decodeNeighbor(p)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(payloads)), "ns/entry")
}
