package fou

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
)

// TestRequestsLikeIP checks that nlkit's requests are the bytes ip sends.
func TestRequestsLikeIP(t *testing.T) {
	ns := testns.New(t)
	if _, err := gtest.Dial(t, ns).Family(context.Background(), familyName); errors.Is(err, genl.ErrNotSupported) {
		kfeature.Missing(t, kfeature.Feature{Name: "foo-over-UDP", Since: "3.18", Config: []string{"CONFIG_NET_FOU"}}, err)
	}
	for _, tc := range []struct {
		args []string
		cmd  uint8
		p    ReceivePort
	}{
		{[]string{"fou", "add", "port", "5555", "ipproto", "4"}, cmdAdd, ReceivePort{Port: 5555, Encap: Direct, IPProto: 4}},
		{[]string{"fou", "add", "port", "6666", "gue", "-6", "local", "2001:db8::1", "peer", "2001:db8::2", "peer_port", "7777"}, cmdAdd,
			ReceivePort{Port: 6666, Encap: GUE, Family: unix.AF_INET6, Local: netip.MustParseAddr("2001:db8::1"),
				Peer: netip.MustParseAddr("2001:db8::2"), PeerPort: 7777}},
		{[]string{"fou", "del", "port", "5555"}, cmdDel, ReceivePort{Port: 5555, Encap: Direct}},
	} {
		data, err := encodePort(tc.p)
		if err != nil {
			t.Fatal(err)
		}
		gtest.CompareRequest(t, ns, genl.Request{Command: tc.cmd, Version: version, Data: data}, tc.args...)
	}
}
