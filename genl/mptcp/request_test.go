package mptcp

import (
	"net/netip"
	"testing"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/internal/testns"
)

// TestRequestsLikeIP checks that nlkit's requests are the bytes ip sends.
func TestRequestsLikeIP(t *testing.T) {
	ns := testns.New(t)
	ns.IP(t, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	ns.IP(t, "addr", "add", "10.0.0.1/24", "dev", "v0")
	v0 := gtest.LinkIndex(t, ns, "v0")
	a := netip.MustParseAddr("10.0.0.1")
	req := func(cmd uint8, e Endpoint, withID bool) genl.Request {
		r, err := endpointRequest("", cmd, e, withID)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	three, two := uint32(3), uint32(2)
	for _, tc := range []struct {
		args []string
		want genl.Request
	}{
		{[]string{"mptcp", "endpoint", "add", "10.0.0.1", "dev", "v0", "id", "3", "port", "1234", "signal", "backup"},
			req(cmdAddAddr, Endpoint{Address: a, ID: 3, Port: 1234, Flags: Signal | Backup, LinkIndex: v0}, true)},
		{[]string{"mptcp", "endpoint", "add", "2001:db8::1", "subflow", "fullmesh"},
			req(cmdAddAddr, Endpoint{Address: netip.MustParseAddr("2001:db8::1"), Flags: Subflow | Fullmesh}, false)},
		{[]string{"mptcp", "endpoint", "change", "id", "3", "nobackup"},
			req(cmdSetFlags, Endpoint{ID: 3}, true)},
		{[]string{"mptcp", "endpoint", "delete", "id", "3"},
			req(cmdDelAddr, Endpoint{ID: 3}, true)},
		{[]string{"mptcp", "endpoint", "flush"},
			genl.Request{Command: cmdFlushAddrs, Version: version}},
		{[]string{"mptcp", "limits", "set", "subflows", "3", "add_addr_accepted", "2"},
			genl.Request{Command: cmdSetLimits, Version: version, Data: encodeLimits(Limits{Subflows: &three, AddAddrAccepted: &two})}},
	} {
		gtest.CompareRequest(t, ns, tc.want, tc.args...)
	}
}
