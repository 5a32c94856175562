package rtnl

import (
	"encoding/json"
	"testing"
	"time"
)

// TestNTableChangeRequest checks the request against the one
// `ip ntable change name arp_cache dev if3 queue 10 locktime 2000` sends.
func TestNTableChangeRequest(t *testing.T) {
	queue := uint32(10)
	lock := 2 * time.Second
	got, err := ntableChangeRequest(&NTable{Name: "arp_cache", LinkIndex: 3, Parms: &NTableParms{Queue: &queue, Locktime: &lock}})
	if err != nil {
		t.Fatal(err)
	}
	want := "\x00\x00\x00\x00" +
		"\x0e\x00\x01\x00arp_cache\x00\x00\x00" +
		"\x20\x00\x06\x00" +
		"\x08\x00\x01\x00\x03\x00\x00\x00" +
		"\x08\x00\x08\x00\x0a\x00\x00\x00" +
		"\x0c\x00\x0f\x00\xd0\x07\x00\x00\x00\x00\x00\x00"
	if string(got) != want {
		t.Errorf("request\n% x\nwant\n% x", got, want)
	}
}

// FuzzDecodeNTable decodes arbitrary bytes as a neighbour table message:
// neither decoding, marshalling nor building a change from the result may
// panic, and the JSON must be valid.
func FuzzDecodeNTable(f *testing.F) {
	queue := uint32(10)
	gc := 30 * time.Second
	req, _ := ntableChangeRequest(&NTable{Name: "arp_cache", GCInterval: &gc, LinkIndex: 3, Parms: &NTableParms{Queue: &queue}})
	f.Add(req)
	cfg := make([]byte, 4+ndtConfigLen)
	cfg[0], cfg[2] = byte(len(cfg)), ndtaConfig
	stats := make([]byte, 4+ndtStatsLen)
	stats[0], stats[2] = byte(len(stats)), ndtaStats
	f.Add(append(append(append([]byte(nil), req...), cfg...), stats...))
	f.Fuzz(func(t *testing.T, b []byte) {
		nt, _ := decodeNTable(b)
		out, err := nt.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON = %s, %v", out, err)
		}
		ntableChangeRequest(&nt)
	})
}

// TestNTableTime checks the format of the times of a table's last flush
// and hash seed change, as ip computes them: whole seconds of the age
// taken from the current time, in local time, "(error)" for no age.
func TestNTableTime(t *testing.T) {
	now := time.Date(2026, 12, 7, 5, 11, 2, 0, time.Local).Unix()
	for _, tc := range []struct {
		age  time.Duration
		want string
	}{
		{0, "(error)"},
		{999 * time.Millisecond, "2026-12-07 05:11:02"},
		{61500 * time.Millisecond, "2026-12-07 05:10:01"},
	} {
		if got := ntableTime(now, tc.age); got != tc.want {
			t.Errorf("ntableTime(%v) = %q, want %q", tc.age, got, tc.want)
		}
	}
}
