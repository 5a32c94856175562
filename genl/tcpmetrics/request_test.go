package tcpmetrics

import (
	"net/netip"
	"testing"

	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/internal/testns"
)

// TestRequestsLikeIP checks that nlkit's requests are the bytes ip sends
// (the kernel answers ESRCH: there are no metrics in a new namespace).
func TestRequestsLikeIP(t *testing.T) {
	ns := testns.New(t)
	for _, tc := range []struct {
		args     []string
		cmd      uint8
		dst, src netip.Addr
	}{
		{[]string{"tcp_metrics", "delete", "10.0.0.2"}, cmdDel, netip.MustParseAddr("10.0.0.2"), netip.Addr{}},
		{[]string{"tcp_metrics", "delete", "src", "2001:db8::1", "address", "2001:db8::2"}, cmdDel, netip.MustParseAddr("2001:db8::2"), netip.MustParseAddr("2001:db8::1")},
		{[]string{"tcp_metrics", "show", "src", "10.0.0.1", "address", "10.0.0.2"}, cmdGet, netip.MustParseAddr("10.0.0.2"), netip.MustParseAddr("10.0.0.1")},
	} {
		r, err := entryRequest("", tc.cmd, tc.dst, tc.src)
		if err != nil {
			t.Fatal(err)
		}
		gtest.CompareRequest(t, ns, r, tc.args...)
	}
}
