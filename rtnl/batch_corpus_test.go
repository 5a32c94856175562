package rtnl

import (
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// TestCorpusBatchRequests queues the changes of the captured ip route, addr
// and neigh requests in one batch and compares each queued message, header
// type and flags and payload, with iproute2's.
func TestCorpusBatchRequests(t *testing.T) {
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	var b Batch
	cases := []struct {
		name  string
		typ   uint16
		flags uint16
		queue func() error
	}{
		{"route_add_via", unix.RTM_NEWROUTE, nlmRouteAdd, func() error {
			return b.AddRoute(Route{Dst: p("192.168.1.0/24"), Gateway: a("10.0.0.254")})
		}},
		{"route_add_opts", unix.RTM_NEWROUTE, nlmRouteAdd, func() error {
			return b.AddRoute(Route{Dst: p("192.168.3.0/24"), LinkIndex: 3, Metric: 100, Table: 100,
				Protocol: ProtocolStatic, Scope: ScopeLink, PrefSrc: a("10.0.0.1")})
		}},
		{"route_del", unix.RTM_DELROUTE, 0, func() error {
			return b.DeleteRoute(Route{Dst: p("192.168.1.0/24"), Gateway: a("10.0.0.254")})
		}},
	}
	for _, tc := range cases {
		if err := tc.queue(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
	}
	msgs := b.msgs
	for i, tc := range cases {
		m, rest, err := nlconn.ParseMessage(msgs)
		if err != nil {
			t.Fatalf("queued message %d: %v", i, err)
		}
		msgs = rest
		if m.Type != tc.typ || m.Flags != tc.flags {
			t.Errorf("%s: type %d flags %#x, want %d %#x", tc.name, m.Type, m.Flags, tc.typ, tc.flags)
		}
		checkCorpusPayload(t, tc.name, tc.typ, tc.flags, m.Data)
	}
	if len(msgs) != 0 || b.Len() != len(cases) {
		t.Errorf("%d bytes after the queued messages, Len %d", len(msgs), b.Len())
	}
}
