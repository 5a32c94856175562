package main

import (
	"net/netip"
	"strings"
	"testing"
)

func TestCountJSONObjects(t *testing.T) {
	for _, tc := range []struct {
		json string
		want int
	}{
		{`[]`, 0},
		{`[{"a":1}]`, 1},
		{`[{"a":{"b":[{"c":1}]}},{"d":"}{[\"{"}]`, 2},
		{"[{},{},{}]\n", 3},
	} {
		if got := countJSONObjects([]byte(tc.json)); got != tc.want {
			t.Errorf("countJSONObjects(%s) = %d, want %d", tc.json, got, tc.want)
		}
	}
}

func TestRawRouteAdd(t *testing.T) {
	s := &rawSocket{}
	b := s.appendRouteAdd(nil, netip.MustParseAddr("10.1.2.3"), 7)
	if len(b) != 16+12+8+8 {
		t.Fatalf("request of %d bytes", len(b))
	}
	if b[16] != 2 || b[17] != 32 || string(b[28:32]) != "\x08\x00\x01\x00" || string(b[32:36]) != "\x0a\x01\x02\x03" {
		t.Errorf("request % x", b)
	}
}

func TestChecks(t *testing.T) {
	rep := report{
		reads: []readSet{{what: "IPv4 routes, 100000", results: []result{
			{impl: "raw floor", ns: 100},
			{impl: "nlkit Routes", ns: 140, allocs: 0.5},
			{impl: "nlkit RoutesSeq", ns: 160, allocs: 0.05},
		}}},
		writes: []writeSet{{routes: 100000, results: []result{
			{impl: floorOneByOne, ns: 1000}, {impl: floorPipelined, ns: 500},
			{impl: "nlkit AddRoute", ns: 1100, allocs: 1}, {impl: "nlkit Batch", ns: 700},
		}, floors: []string{floorOneByOne, floorPipelined, floorOneByOne, floorPipelined}}},
	}
	var failed []string
	for _, c := range rep.checks() {
		if !c.met {
			failed = append(failed, c.target)
		}
	}
	want := []string{"IPv4 routes, 100000, dump + decode to typed values (nlkit RoutesSeq): ≤ 1.5× floor", "nlkit Batch, 100000 routes: ≤ 1.2× raw pipelined"}
	if strings.Join(failed, "\n") != strings.Join(want, "\n") {
		t.Errorf("failed checks:\n%s\nwant:\n%s", strings.Join(failed, "\n"), strings.Join(want, "\n"))
	}
}
