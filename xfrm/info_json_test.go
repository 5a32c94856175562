package xfrm_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestInfoJSON marshals the counts and the default policies nlkit reads
// and checks that the JSON holds what ip prints as text: each JSON form,
// read back and written as ip writes its text, must equal ip's output.
func TestInfoJSON(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	for _, p := range testPolicies()[2:] {
		if err := c.AddPolicy(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	ns.IP(t, "xfrm", "policy", "setdefault", "fwd", "block")

	spd, err := c.SPDInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		In, Out, Fwd uint32
		Socket       struct{ In, Out, Fwd uint32 }
		Buckets      struct{ Count, Max uint32 }
		IPv4         struct{ Local, Remote uint8 } `json:"ipv4_thresholds"`
		IPv6         struct{ Local, Remote uint8 } `json:"ipv6_thresholds"`
	}
	unmarshal(t, spd, &s)
	got := fmt.Sprintf("\t SPD IN  %d OUT %d FWD %d (Sock: IN %d OUT %d FWD %d)\n"+
		"\t SPD buckets: count %d Max %d\n"+
		"\t SPD IPv4 thresholds: local %d remote %d\n"+
		"\t SPD IPv6 thresholds: local %d remote %d\n",
		s.In, s.Out, s.Fwd, s.Socket.In, s.Socket.Out, s.Socket.Fwd, s.Buckets.Count, s.Buckets.Max,
		s.IPv4.Local, s.IPv4.Remote, s.IPv6.Local, s.IPv6.Remote)
	checkText(t, "ip -s -s xfrm policy count", string(ns.IP(t, "-s", "-s", "xfrm", "policy", "count")), got)

	sad, err := c.SADInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Count   uint32
		Buckets struct{ Count, Max uint32 }
	}
	unmarshal(t, sad, &a)
	got = fmt.Sprintf("\t SAD count %d (buckets count %d Max %d)\n", a.Count, a.Buckets.Count, a.Buckets.Max)
	checkText(t, "ip -s xfrm state count", string(ns.IP(t, "-s", "xfrm", "state", "count")), got)

	d, err := c.DefaultPolicies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var def struct{ In, Fwd, Out string }
	unmarshal(t, d, &def)
	got = fmt.Sprintf("Default policies:\n in:  %s\n fwd: %s\n out: %s\n", def.In, def.Fwd, def.Out)
	checkText(t, "ip xfrm policy getdefault", string(ns.IP(t, "xfrm", "policy", "getdefault")), got)
	if b, _ := json.Marshal(d); string(b) != `{"in":"accept","fwd":"block","out":"accept"}` {
		t.Errorf("default policies: %s", b)
	}
}

// unmarshal reads back what v marshals to into dst.
func unmarshal(t *testing.T, v any, dst any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, dst); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
}
