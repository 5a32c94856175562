package ila

import (
	"context"
	"errors"
	"testing"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
)

// ilaFeature is ILA, which a kernel may be built without.
var ilaFeature = kfeature.Feature{Name: "ILA", Since: "4.7", Config: []string{"CONFIG_IPV6_ILA"}}

// TestRequestsLikeIP checks that nlkit's requests are the bytes ip sends.
func TestRequestsLikeIP(t *testing.T) {
	ns := testns.New(t)
	if _, err := gtest.Dial(t, ns).Family(context.Background(), familyName); errors.Is(err, genl.ErrNotSupported) {
		kfeature.Missing(t, ilaFeature, err)
	}
	csum, ident := CsumNeutralMap, IdentLUID
	for _, tc := range []struct {
		args []string
		cmd  uint8
		m    Mapping
		loc  bool
	}{
		{[]string{"ila", "add", "loc_match", "2001:db8:1:2", "loc", "2001:db8:3:4"}, cmdAdd,
			Mapping{LocatorMatch: Locator{0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2}, Locator: Locator{0x20, 0x01, 0x0d, 0xb8, 0, 3, 0, 4}}, true},
		{[]string{"ila", "add", "loc_match", "1:2:3:4", "loc", "5:6:7:8", "csum-mode", "neutral-map", "ident-type", "luid"}, cmdAdd,
			Mapping{LocatorMatch: Locator{0, 1, 0, 2, 0, 3, 0, 4}, Locator: Locator{0, 5, 0, 6, 0, 7, 0, 8}, CsumMode: &csum, IdentType: &ident}, true},
		{[]string{"ila", "del", "loc_match", "1:2:3:4"}, cmdDel, Mapping{LocatorMatch: Locator{0, 1, 0, 2, 0, 3, 0, 4}}, false},
	} {
		data, err := encodeMapping(tc.m, tc.loc)
		if err != nil {
			t.Fatal(err)
		}
		gtest.CompareRequest(t, ns, genl.Request{Command: tc.cmd, Version: version, Data: data}, tc.args...)
	}
}
