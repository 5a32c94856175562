package rtnl

import "testing"

// maxAllocsPerRoute bounds the allocations of decoding one route: its
// next hops, metrics, cache information and the optional fields.
const maxAllocsPerRoute = 4

func TestDecodeRouteAllocations(t *testing.T) {
	for _, p := range corpusRoutePayloads(t) {
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := decodeRoute(p); err != nil {
				t.Fatal(err)
			}
		})
		if allocs > maxAllocsPerRoute {
			r, _ := decodeRoute(p)
			t.Errorf("decoding route %s allocates %.0f times; want at most %d", r.Dst, allocs, maxAllocsPerRoute)
		}
	}
}

func BenchmarkDecodeRoute(b *testing.B) {
	payloads := corpusRoutePayloads(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range payloads {
			if _, err := decodeRoute(p); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(payloads)), "ns/route")
}
