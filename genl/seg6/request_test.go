package seg6

import (
	"net/netip"
	"testing"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/internal/testns"
)

// TestRequestsLikeIP checks that nlkit's requests are the bytes ip sends;
// ip prompts for the HMAC secret on a terminal, so only tunsrc is checked.
func TestRequestsLikeIP(t *testing.T) {
	ns := testns.New(t)
	var enc attrs.Encoder
	enc.Addr(attrDst, netip.MustParseAddr("2001:db8::5"))
	gtest.CompareRequest(t, ns, genl.Request{Command: cmdSetTunsrc, Version: version, Data: enc.Bytes()},
		"sr", "tunsrc", "set", "2001:db8::5")
}
