package seg6

import (
	"bytes"
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
	want := gtest.Payload(genl.Request{Command: cmdSetTunsrc, Version: version, Data: enc.Bytes()})
	if got := gtest.IPRequest(t, ns, "sr", "tunsrc", "set", "2001:db8::5"); !bytes.Equal(got, want) {
		t.Errorf("ip sr tunsrc set sends\n% x\nnlkit builds\n% x", got, want)
	}
}
