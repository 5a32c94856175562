package mptcp_test

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/genl/mptcp"
	"github.com/nlkit/nlkit/internal/testns"
)

// mptcpNS returns a namespace with a veth pair v0/v1 up, v0 holding
// 10.0.0.1/24 and 2001:db8::1/64, and the index of v0.
func mptcpNS(t *testing.T) (*testns.NS, *genl.Conn, int32) {
	t.Helper()
	ns := testns.New(t)
	ns.IP(t, "link", "set", "lo", "up")
	ns.IP(t, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	ns.IP(t, "addr", "add", "10.0.0.1/24", "dev", "v0")
	ns.IP(t, "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad")
	ns.IP(t, "link", "set", "v0", "up")
	ns.IP(t, "link", "set", "v1", "up")
	return ns, gtest.Dial(t, ns), gtest.LinkIndex(t, ns, "v0")
}

// compareEndpoints checks Endpoints, EndpointsSeq and GetEndpoint against
// `ip -j mptcp endpoint show` and returns the endpoints.
func compareEndpoints(t *testing.T, ns *testns.NS, c *genl.Conn) []mptcp.Endpoint {
	t.Helper()
	ctx := context.Background()
	got, err := mptcp.Endpoints(ctx, c)
	if err != nil {
		t.Fatalf("Endpoints: %v", err)
	}
	gtest.CompareJSON(t, "Endpoints", gtest.JSONList(t, got), ns.IP(t, "-j", "mptcp", "endpoint", "show"))
	var streamed []mptcp.Endpoint
	for e, err := range mptcp.EndpointsSeq(ctx, c) {
		if err != nil {
			t.Fatalf("EndpointsSeq: %v", err)
		}
		streamed = append(streamed, e)
	}
	if !slices.Equal(got, streamed) {
		t.Errorf("EndpointsSeq = %+v; Endpoints = %+v", streamed, got)
	}
	for _, e := range got {
		one, err := mptcp.GetEndpoint(ctx, c, e.ID)
		if err != nil {
			t.Errorf("GetEndpoint(%d): %v", e.ID, err)
			continue
		}
		id := strconv.Itoa(int(e.ID))
		gtest.CompareJSON(t, "GetEndpoint "+id, gtest.JSONList(t, []mptcp.Endpoint{one}), ns.IP(t, "-j", "mptcp", "endpoint", "show", "id", id))
	}
	return got
}

func TestEndpointsLikeIP(t *testing.T) {
	ns, c, v0 := mptcpNS(t)
	ctx := context.Background()
	compareEndpoints(t, ns, c)

	// nlkit adds, ip reads.
	for _, e := range []mptcp.Endpoint{
		{Address: netip.MustParseAddr("10.0.0.1"), ID: 3, Flags: mptcp.Signal, LinkIndex: v0},
		{Address: netip.MustParseAddr("10.0.0.2"), Flags: mptcp.Subflow | mptcp.Backup},
		{Address: netip.MustParseAddr("10.0.0.1"), ID: 9, Port: 10001, Flags: mptcp.Signal},
		{Address: netip.MustParseAddr("2001:db8::1"), Flags: mptcp.Subflow | mptcp.Fullmesh, LinkIndex: v0},
	} {
		if err := mptcp.AddEndpoint(ctx, c, e); err != nil {
			t.Fatalf("AddEndpoint(%+v): %v", e, err)
		}
	}
	if got := compareEndpoints(t, ns, c); len(got) != 4 {
		t.Errorf("after 4 adds, %d endpoints", len(got))
	}

	// ip adds, nlkit reads.
	ns.IP(t, "mptcp", "endpoint", "add", "2001:db8::1", "id", "20", "port", "10002", "signal", "backup", "dev", "v0")
	ns.IP(t, "mptcp", "endpoint", "add", "10.0.0.3", "subflow", "fullmesh")
	compareEndpoints(t, ns, c)

	// Each changes flags the other reads.
	if err := mptcp.ChangeEndpoint(ctx, c, mptcp.Endpoint{ID: 3, Flags: mptcp.Backup}); err != nil {
		t.Fatalf("ChangeEndpoint(id 3 backup): %v", err)
	}
	ns.IP(t, "mptcp", "endpoint", "change", "id", "20", "nobackup")
	for _, e := range compareEndpoints(t, ns, c) {
		if e.ID == 3 && e.Flags != mptcp.Signal|mptcp.Backup || e.ID == 20 && e.Flags != mptcp.Signal {
			t.Errorf("after the changes, endpoint %d has flags %#x", e.ID, e.Flags)
		}
	}

	// Each deletes what the other added.
	if err := mptcp.DeleteEndpoint(ctx, c, 20, netip.Addr{}); err != nil {
		t.Fatalf("DeleteEndpoint(20): %v", err)
	}
	ns.IP(t, "mptcp", "endpoint", "delete", "id", "3")
	if got := compareEndpoints(t, ns, c); len(got) != 4 {
		t.Errorf("after 2 deletes, %d endpoints", len(got))
	}

	if err := mptcp.FlushEndpoints(ctx, c); err != nil {
		t.Fatalf("FlushEndpoints: %v", err)
	}
	if got := compareEndpoints(t, ns, c); len(got) != 0 {
		t.Errorf("after FlushEndpoints, %d endpoints", len(got))
	}
}

func TestEndpointErrors(t *testing.T) {
	_, c, _ := mptcpNS(t)
	ctx := context.Background()
	if _, err := mptcp.GetEndpoint(ctx, c, 77); !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("GetEndpoint of a missing id: %v; want ErrNotExist", err)
	}
	if err := mptcp.DeleteEndpoint(ctx, c, 77, netip.Addr{}); !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("DeleteEndpoint of a missing id: %v; want ErrNotExist", err)
	}
	if err := mptcp.ChangeEndpoint(ctx, c, mptcp.Endpoint{ID: 77, Flags: mptcp.Backup}); !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("ChangeEndpoint of a missing id: %v; want ErrNotExist", err)
	}
	a := netip.MustParseAddr("10.0.0.1")
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"no address", mptcp.AddEndpoint(ctx, c, mptcp.Endpoint{Flags: mptcp.Signal})},
		{"signal fullmesh", mptcp.AddEndpoint(ctx, c, mptcp.Endpoint{Address: a, Flags: mptcp.Signal | mptcp.Fullmesh})},
		{"port without signal", mptcp.AddEndpoint(ctx, c, mptcp.Endpoint{Address: a, Port: 1, Flags: mptcp.Subflow})},
		{"delete id and address", mptcp.DeleteEndpoint(ctx, c, 1, a)},
		{"delete id 0 without address", mptcp.DeleteEndpoint(ctx, c, 0, netip.Addr{})},
		{"change signal", mptcp.ChangeEndpoint(ctx, c, mptcp.Endpoint{ID: 1, Flags: mptcp.Signal})},
		{"change unnamed", mptcp.ChangeEndpoint(ctx, c, mptcp.Endpoint{Flags: mptcp.Backup})},
		{"no limits", mptcp.SetLimits(ctx, c, mptcp.Limits{})},
	} {
		if !genl.IsInvalid(tc.err) {
			t.Errorf("%s: %v; want an InvalidError", tc.name, tc.err)
		}
	}
	if err := mptcp.AddEndpoint(ctx, c, mptcp.Endpoint{Address: a, ID: 5, Flags: mptcp.Signal}); err != nil {
		t.Fatal(err)
	}
	// Linux 6.1 answers EINVAL, later ones EEXIST.
	if err := mptcp.AddEndpoint(ctx, c, mptcp.Endpoint{Address: a, ID: 6, Flags: mptcp.Signal}); !errors.Is(err, genl.ErrExist) && !errors.Is(err, unix.EINVAL) {
		t.Errorf("AddEndpoint of a duplicate address: %v; want ErrExist or EINVAL", err)
	}
}
