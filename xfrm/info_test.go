package xfrm_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/xfrm"
)

// TestSPDInfoAndThresholds sets the SPD hash thresholds with nlkit, then
// with ip, and compares ip -s -s xfrm policy count and state count with
// what nlkit reads.
func TestSPDInfoAndThresholds(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	check := func() {
		t.Helper()
		info, err := c.SPDInfo(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info.IPv4Thresh == nil || info.IPv6Thresh == nil {
			t.Fatalf("SPD info without thresholds: %+v", info)
		}
		want := fmt.Sprintf("\t SPD IN  %d OUT %d FWD %d (Sock: IN %d OUT %d FWD %d)\n"+
			"\t SPD buckets: count %d Max %d\n"+
			"\t SPD IPv4 thresholds: local %d remote %d\n"+
			"\t SPD IPv6 thresholds: local %d remote %d\n",
			info.In, info.Out, info.Fwd, info.SocketIn, info.SocketOut, info.SocketFwd, info.Buckets, info.MaxBuckets,
			info.IPv4Thresh.Local, info.IPv4Thresh.Remote, info.IPv6Thresh.Local, info.IPv6Thresh.Remote)
		checkText(t, "ip -s -s xfrm policy count", string(ns.IP(t, "-s", "-s", "xfrm", "policy", "count")), want)
	}
	if err := c.SetSPDHashThresholds(ctx, &xfrm.HashThresh{Local: 24, Remote: 16}, &xfrm.HashThresh{Local: 64, Remote: 48}); err != nil {
		t.Fatal(err)
	}
	for _, p := range testPolicies()[2:] {
		if err := c.AddPolicy(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	check()
	ns.IP(t, "xfrm", "policy", "set", "hthresh4", "30", "28", "hthresh6", "120", "100")
	check()
	// Only v4 changes; v6 stays.
	if err := c.SetSPDHashThresholds(ctx, &xfrm.HashThresh{Local: 8, Remote: 0}, nil); err != nil {
		t.Fatal(err)
	}
	check()
	if err := c.SetSPDHashThresholds(ctx, &xfrm.HashThresh{Local: 33}, nil); !errors.Is(err, unix.EINVAL) {
		t.Errorf("a threshold of 33 bits for IPv4: %v, want EINVAL before sending", err)
	}

	sad, err := c.SADInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("\t SAD count %d (buckets count %d Max %d)\n", sad.Count, sad.Buckets, sad.MaxBuckets)
	checkText(t, "ip -s -s xfrm state count", string(ns.IP(t, "-s", "-s", "xfrm", "state", "count")), want)
}
