package rtnl

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/corpus"
)

// corpusLinkPayloads returns the RTM_NEWLINK payloads of the captured
// `ip -d -j link show` dump: lo, a bridge, a veth pair, vxlan, macvlan and
// a tap.
func corpusLinkPayloads(tb testing.TB) [][]byte {
	tb.Helper()
	c := corpus.LoadCase(tb, "link_show_detail_json")
	var out [][]byte
	for _, m := range c.Messages {
		if m.Direction == "reply" && m.Protocol == "NETLINK_ROUTE" && m.Type == unix.RTM_NEWLINK {
			out = append(out, m.Payload())
		}
	}
	if len(out) == 0 {
		tb.Fatal("no link in the corpus dump")
	}
	return out
}

// maxAllocsPerLink bounds the allocations of decoding one link: its name,
// the block behind its optional fields, its addresses, and kind data.
const maxAllocsPerLink = 6

func TestDecodeLinkAllocations(t *testing.T) {
	for _, p := range corpusLinkPayloads(t) {
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := decodeLink(p); err != nil {
				t.Fatal(err)
			}
		})
		if allocs > maxAllocsPerLink {
			l, _ := decodeLink(p)
			t.Errorf("decoding link %s allocates %.0f times; want at most %d", l.Name, allocs, maxAllocsPerLink)
		}
	}
}

func BenchmarkDecodeLink(b *testing.B) {
	payloads := corpusLinkPayloads(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range payloads {
			if _, err := decodeLink(p); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(payloads)), "ns/link")
}
