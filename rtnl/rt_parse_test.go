package rtnl

import (
	"errors"
	"testing"
)

// TestParseNames reads the names and numbers ip takes for DS fields,
// realms and IP protocols, and refuses what ip refuses.
func TestParseNames(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint32
	}{{"EF", 0xb8}, {"default", 0}, {"10", 0x10}, {"0x28", 0x28}, {"CS7", 0xe0}} {
		if got, err := ParseDSField(tc.in); err != nil || uint32(got) != tc.want {
			t.Errorf("ParseDSField(%q) = %#x, %v; want %#x", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want uint32
	}{{"3/4", 3<<16 | 4}, {"7", 7}, {"cosmos/5", 5}, {"3/", 3 << 16}, {"0x10005", 0x10005}} {
		if got, err := ParseRealms(tc.in); err != nil || got != tc.want {
			t.Errorf("ParseRealms(%q) = %#x, %v; want %#x", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		want uint8
	}{{"tcp", 6}, {"ipv6-icmp", 58}, {"17", 17}, {"ipproto-253", 253}} {
		if got, err := ParseIPProto(tc.in); err != nil || got != tc.want {
			t.Errorf("ParseIPProto(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for name, err := range map[string]error{
		"ParseDSField(XX)":     second(ParseDSField("XX")),
		"ParseDSField(100)":    second(ParseDSField("100")),
		"ParseRealms(/4)":      second(ParseRealms("/4")),
		"ParseRealms(a/b)":     second(ParseRealms("a/b")),
		"ParseRealms(256/1)":   second(ParseRealms("256/1")),
		"ParseIPProto(nosuch)": second(ParseIPProto("nosuch")),
	} {
		if !errors.As(err, new(*InvalidError)) {
			t.Errorf("%s: %v, want an InvalidError", name, err)
		}
	}
}

// second returns the error of a parser's result.
func second[T any](_ T, err error) error { return err }
