package macsec

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// TestRequestsLikeIP checks that nlkit's requests are the bytes ip sends.
func TestRequestsLikeIP(t *testing.T) {
	ns := testns.New(t)
	ctx := context.Background()
	if _, err := gtest.Dial(t, ns).Family(ctx, familyName); errors.Is(err, genl.ErrNotSupported) {
		kfeature.Missing(t, kfeature.LinkKind("macsec"), err)
	}
	ns.IP(t, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	ns.IP(t, "link", "add", "link", "v0", "ms0", "type", "macsec", "port", "1")
	ms0 := gtest.LinkIndex(t, ns, "ms0")
	on, off := true, false
	key := bytes.Repeat([]byte{0xab}, 16)
	const keyHex = "abababababababababababababababab"
	build := func(cmd uint8, fn func(*attrs.Encoder)) genl.Request {
		r, err := request("", cmd, ms0, fn)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, tc := range []struct {
		args []string
		want genl.Request
	}{
		{[]string{"macsec", "add", "ms0", "tx", "sa", "0", "pn", "1", "on", "key", "01", keyHex},
			build(cmdAddTxSA, func(e *attrs.Encoder) {
				SAConfig{AN: 0, PN: 1, Active: &on, KeyID: []byte{1}, Key: key}.encode(e, false)
			})},
		{[]string{"macsec", "set", "ms0", "tx", "sa", "0", "pn", "5", "off"},
			build(cmdUpdTxSA, func(e *attrs.Encoder) { SAConfig{AN: 0, PN: 5, Active: &off}.encode(e, false) })},
		{[]string{"macsec", "add", "ms0", "rx", "sci", "0200000000020001", "on"},
			build(cmdAddRxSC, func(e *attrs.Encoder) { encodeRxSC(e, 0x0200000000020001, &on) })},
		{[]string{"macsec", "set", "ms0", "rx", "sci", "0200000000020001"},
			build(cmdUpdRxSC, func(e *attrs.Encoder) { encodeRxSC(e, 0x0200000000020001, nil) })},
		{[]string{"macsec", "add", "ms0", "rx", "sci", "0200000000020001", "sa", "1", "pn", "3", "key", "02", keyHex},
			build(cmdAddRxSA, func(e *attrs.Encoder) {
				encodeRxSC(e, 0x0200000000020001, nil)
				SAConfig{AN: 1, PN: 3, KeyID: []byte{2}, Key: key}.encode(e, false)
			})},
		{[]string{"macsec", "del", "ms0", "rx", "sci", "0200000000020001", "sa", "1"},
			build(cmdDelRxSA, func(e *attrs.Encoder) {
				encodeRxSC(e, 0x0200000000020001, nil)
				SAConfig{AN: 1}.encode(e, true)
			})},
		{[]string{"macsec", "offload", "ms0", "off"},
			build(cmdUpdOffload, func(e *attrs.Encoder) {
				n := e.Nest(attrOffload)
				e.Uint8(offloadAttrType, uint8(rtnl.MacsecOffloadOff))
				e.End(n)
			})},
	} {
		gtest.CompareRequest(t, ns, tc.want, tc.args...)
	}
}
