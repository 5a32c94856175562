package rtnl

import (
	"encoding/json"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"
)

// TestTokenRequest checks the request against the one
// `ip token set ::1:2:3:4 dev if3` sends.
func TestTokenRequest(t *testing.T) {
	got, err := tokenRequest(3, netip.MustParseAddr("::1:2:3:4"))
	if err != nil {
		t.Fatal(err)
	}
	want := "\x0a\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
		"\x1c\x00\x1a\x00" + "\x18\x00\x0a\x00" + "\x14\x00\x07\x00" +
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x02\x00\x03\x00\x04"
	if string(got) != want {
		t.Errorf("request\n% x\nwant\n% x", got, want)
	}
}

// FuzzDecodeToken decodes arbitrary bytes as an AF_INET6 link message:
// neither decoding nor marshalling may panic, and the JSON must be valid.
func FuzzDecodeToken(f *testing.F) {
	req, _ := tokenRequest(3, netip.MustParseAddr("::1:2:3:4"))
	f.Add(req)
	// The request's IFLA_AF_SPEC/AF_INET6 as IFLA_PROTINFO.
	msg := append([]byte(nil), req[:ifInfoMsgLen]...)
	msg = append(msg, 0x18, 0, unix.IFLA_PROTINFO, 0)
	f.Add(append(msg, req[ifInfoMsgLen+8:]...))
	f.Fuzz(func(t *testing.T, b []byte) {
		tok, _, _ := decodeToken(b)
		out, err := tok.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON = %s, %v", out, err)
		}
	})
}
