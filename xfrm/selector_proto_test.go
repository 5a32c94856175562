package xfrm_test

import (
	"testing"

	"github.com/nlkit/nlkit/xfrm"
)

func TestParseUpperProto(t *testing.T) {
	for in, want := range map[string]uint8{"any": 0, "tcp": 6, "udp": 17, "ipv6-icmp": 58, "gre": 47, "132": 132, "0x11": 17} {
		if got, err := xfrm.ParseUpperProto(in); err != nil || got != want {
			t.Errorf("ParseUpperProto(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "nope", "256"} {
		if _, err := xfrm.ParseUpperProto(in); err == nil {
			t.Errorf("ParseUpperProto(%q) succeeded", in)
		}
	}
}
