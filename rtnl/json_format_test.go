package rtnl

import (
	"net/netip"
	"testing"
)

func TestInetNtop(t *testing.T) {
	for in, want := range map[string]string{
		"10.0.0.1":        "10.0.0.1",
		"2001:db8::1":     "2001:db8::1",
		"::":              "::",
		"::1":             "::1",
		"::10.0.0.2":      "::10.0.0.2",
		"::ffff:10.0.0.2": "::ffff:10.0.0.2",
		"::1:0:0":         "::1:0:0",
		"fe80::1%eth0":    "fe80::1",
	} {
		if got := inetNtop(netip.MustParseAddr(in)); got != want {
			t.Errorf("inetNtop(%s) = %s; want %s", in, got, want)
		}
	}
}

func TestPrintfHex(t *testing.T) {
	for in, want := range map[uint64]string{0: "0", 1: "0x1", 0x2a: "0x2a", 0x8001: "0x8001", 0xfffff: "0xfffff"} {
		if got := printfHex(in); got != want {
			t.Errorf("printfHex(%d) = %s; want %s", in, got, want)
		}
	}
	if got := printfHex(uint16(0x8001)); got != "0x8001" {
		t.Errorf("printfHex(uint16(0x8001)) = %s; want 0x8001", got)
	}
}
