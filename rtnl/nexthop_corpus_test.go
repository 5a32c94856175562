package rtnl

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/corpus"
)

// TestCorpusNexthopRequests builds the requests of ip nexthop add, del and
// show and compares them with iproute2's.
func TestCorpusNexthopRequests(t *testing.T) {
	var w writer
	add := Nexthop{ID: 1, Gateway: netip.MustParseAddr("10.0.0.254"), LinkIndex: 3}
	if err := w.nexthopRequest(&add); err != nil {
		t.Fatal(err)
	}
	checkCorpusPayload(t, "nexthop_add", unix.RTM_NEWNEXTHOP, nlmNexthopAdd, w.Bytes())
	checkCorpusPayload(t, "nexthop_del", unix.RTM_DELNEXTHOP, 0, nexthopIDRequest(2))
	var f nexthopFilter
	checkCorpusPayload(t, "nexthop_show", unix.RTM_GETNEXTHOP, unix.NLM_F_DUMP, f.dumpRequest())
}

// corpusNexthops returns the nexthop payloads of the corpus: requests and
// replies.
func corpusNexthops(tb testing.TB) [][]byte {
	var out [][]byte
	for _, c := range corpus.Load(tb) {
		for _, m := range c.Messages {
			if m.Protocol == "NETLINK_ROUTE" && (m.Type == unix.RTM_NEWNEXTHOP || m.Type == unix.RTM_DELNEXTHOP) {
				out = append(out, m.Payload())
			}
		}
	}
	return out
}

// TestCorpusNexthopShowJSON decodes the dump of ip nexthop show and
// compares the nexthops' JSON with ip -d -j nexthop show.
func TestCorpusNexthopShowJSON(t *testing.T) {
	c := corpus.LoadCase(t, "nexthop_show")
	var nhs []Nexthop
	for _, m := range c.Messages {
		if m.Direction == "reply" && m.Type == unix.RTM_NEWNEXTHOP {
			n, err := decodeNexthop(m.Payload())
			if err != nil {
				t.Fatal(err)
			}
			if n.LinkIndex != 0 {
				n.LinkName = "veth0"
			}
			nhs = append(nhs, n)
		}
	}
	got, err := json.Marshal(nhs)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSpace(c.Companion.Stdout); string(got) != want {
		t.Errorf("nexthops\n got %s\nwant %s", got, want)
	}
}

// TestCorpusNexthopMessagesDecode decodes every nexthop message of the
// corpus.
func TestCorpusNexthopMessagesDecode(t *testing.T) {
	msgs := corpusNexthops(t)
	if len(msgs) == 0 {
		t.Fatal("no nexthop message in the corpus")
	}
	for _, p := range msgs {
		if _, err := decodeNexthop(p); err != nil {
			t.Errorf("decoding %x: %v", p, err)
		}
	}
}

// TestDecodeNexthopEncap checks that a nexthop's encapsulation goes into
// the request as NHA_ENCAP_TYPE and NHA_ENCAP and decodes back.
func TestDecodeNexthopEncap(t *testing.T) {
	var w writer
	n := Nexthop{ID: 7, Gateway: netip.MustParseAddr("10.0.0.1"), LinkIndex: 2,
		Encap: &Encap{Type: EncapMPLS, MPLS: &MPLSEncap{Labels: []uint32{100, 200}}}}
	if err := w.nexthopRequest(&n); err != nil {
		t.Fatal(err)
	}
	got, err := decodeNexthop(w.Bytes())
	if err != nil || got.ID != 7 || got.Gateway != n.Gateway || got.Encap == nil || got.Encap.MPLS == nil ||
		!slices.Equal(got.Encap.MPLS.Labels, n.Encap.MPLS.Labels) {
		t.Errorf("decodeNexthop = %+v, %v; want nexthop 7 with labels 100/200", got, err)
	}
}

// TestDecodeNexthopErrors checks that malformed nexthops are errors.
func TestDecodeNexthopErrors(t *testing.T) {
	hdr := make([]byte, nhMsgLen)
	for _, b := range [][]byte{
		hdr[:3],
		append(bytes.Clone(hdr), 8, 0, unix.NHA_GROUP, 0, 1, 0, 0, 0),
		append(bytes.Clone(hdr), 4, 0, unix.NHA_GROUP, 0),
		append(bytes.Clone(hdr), 12, 0, nhaResGroup, 0x80, 5, 0, nhaResGroupIdleTimer, 0, 1, 0, 0, 0),
		append(bytes.Clone(hdr), 8, 0, unix.NHA_ID),
	} {
		if _, err := decodeNexthop(b); err == nil {
			t.Errorf("decodeNexthop(%x) succeeded", b)
		}
	}
	if _, err := decodeNexthopBucket(hdr[:3]); err == nil {
		t.Error("decodeNexthopBucket of a short message succeeded")
	}
}

// TestNexthopJSONFormats checks the formats of the JSON that the kernel of
// the tests cannot produce: a nexthop whose device is gone, unknown flags,
// timers in fractions of seconds.
func TestNexthopJSONFormats(t *testing.T) {
	for _, tc := range []struct {
		v    json.Marshaler
		want string
	}{
		{Nexthop{ID: 1, LinkIndex: 9, Scope: ScopeHost, Flags: RouteDead | RouteLinkDown | 1<<20},
			`{"id":1,"dev":"if9","scope":"host","protocol":"unspec","flags":["dead","linkdown"]}`},
		{Nexthop{ID: 2, Group: []NexthopGroupMember{{ID: 1, Weight: 257}}, GroupType: 5},
			`{"id":2,"group":[{"id":1}],"type":"<unknown type>","scope":"global","protocol":"unspec","flags":[]}`},
		{Nexthop{ID: 3, Group: []NexthopGroupMember{{ID: 1}}, GroupType: NexthopGroupResilient,
			Resilient: &NexthopResilient{Buckets: 2, IdleTimer: 1500 * time.Millisecond, UnbalancedTimer: 12345670 * time.Second, UnbalancedTime: 10 * time.Millisecond}},
			`{"id":3,"group":[{"id":1}],"type":"resilient","resilient_args":{"buckets":2,"idle_timer":1.5,"unbalanced_timer":1.23457e+07,"unbalanced_time":0.01},"scope":"global","protocol":"unspec","flags":[]}`},
		{NexthopBucket{GroupID: 3, Index: 1, IdleTime: 2560 * time.Millisecond, NexthopID: 1, Flags: RouteTrap},
			`{"id":3,"bucket":{"index":1,"idle_time":2.56,"nhid":1},"flags":["trap"]}`},
	} {
		if got, _ := tc.v.MarshalJSON(); string(got) != tc.want {
			t.Errorf("JSON\n got %s\nwant %s", got, tc.want)
		}
	}
}

func FuzzDecodeNexthop(f *testing.F) {
	for _, p := range corpusNexthops(f) {
		f.Add(p)
	}
	for _, n := range []Nexthop{
		{ID: 9, Group: []NexthopGroupMember{{ID: 1, Weight: 3}, {ID: 2}}, GroupType: NexthopGroupResilient,
			Resilient: &NexthopResilient{Buckets: 8, IdleTimer: time.Second, UnbalancedTimer: time.Minute}, FDB: true, Protocol: 4},
		{ID: 10, Gateway: netip.MustParseAddr("2001:db8::1"), LinkIndex: 4, Flags: RouteOnLink},
		{ID: 11, Blackhole: true},
	} {
		var w writer
		if err := w.nexthopRequest(&n); err != nil {
			f.Fatal(err)
		}
		f.Add(w.Bytes())
	}
	filters := []nexthopFilter{{groups: true, fdb: true}, {index: 4, hasProtocol: true, protocol: 4}}
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := decodeNexthop(b)
		out, jerr := n.MarshalJSON()
		if jerr != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON: %v %s", jerr, out)
		}
		for i := range filters {
			filters[i].match(&n)
		}
		if bk, err := decodeNexthopBucket(b); err == nil {
			if out, _ := bk.MarshalJSON(); !json.Valid(out) {
				t.Fatalf("bucket JSON %s", out)
			}
		}
		if err != nil {
			return
		}
		// A nexthop that validates encodes and decodes back to itself, less
		// what only the kernel sets.
		n.Flags &= RouteOnLink
		n.Scope = 0
		if n.Resilient != nil {
			n.Resilient.UnbalancedTime = 0
		}
		var w writer
		if w.nexthopRequest(&n) != nil {
			return
		}
		again, err := decodeNexthop(w.Bytes())
		if err != nil {
			t.Fatalf("decoding the encoded nexthop: %v", err)
		}
		n.Family = again.Family
		if a, b := mustJSON(t, again), mustJSON(t, n); a != b {
			t.Fatalf("the nexthop encoded and decoded again\n got %s\nwant %s", a, b)
		}
	})
}

func mustJSON(t *testing.T, v json.Marshaler) string {
	b, err := v.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func BenchmarkDecodeNexthop(b *testing.B) {
	msgs := corpusNexthops(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range msgs {
			if _, err := decodeNexthop(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestDecodeNexthopAllocations bounds the allocations of decoding a
// nexthop: its group and resilient settings.
func TestDecodeNexthopAllocations(t *testing.T) {
	var w writer
	n := Nexthop{ID: 9, Group: []NexthopGroupMember{{ID: 1}, {ID: 2}}, GroupType: NexthopGroupResilient, Resilient: &NexthopResilient{Buckets: 8}}
	if err := w.nexthopRequest(&n); err != nil {
		t.Fatal(err)
	}
	p := w.Bytes()
	if allocs := testing.AllocsPerRun(100, func() { _, _ = decodeNexthop(p) }); allocs > 2 {
		t.Errorf("decoding a nexthop allocates %.0f times, want at most 2", allocs)
	}
}
