package rtnl

import (
	"encoding/json"
	"net/netip"
	"testing"
)

// TestAddrLabelRequest checks the request against the one
// `ip addrlabel add prefix 2001:db8::/32 dev if3 label 100` sends: the
// ifaddrlblmsg, IFAL_LABEL, then IFAL_ADDRESS.
func TestAddrLabelRequest(t *testing.T) {
	got, err := addrLabelRequest(&AddrLabel{Prefix: netip.MustParsePrefix("2001:db8::/32"), LinkIndex: 3, Label: 100})
	if err != nil {
		t.Fatal(err)
	}
	want := "\x0a\x00\x20\x00\x03\x00\x00\x00\x00\x00\x00\x00" +
		"\x08\x00\x02\x00\x64\x00\x00\x00" +
		"\x14\x00\x01\x00\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	if string(got) != want {
		t.Errorf("request\n% x\nwant\n% x", got, want)
	}
	if got := addrLabelDumpRequest(); string(got) != "\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" {
		t.Errorf("dump request % x", got)
	}
}

// FuzzDecodeAddrLabel decodes arbitrary bytes as an address label
// message: neither decoding, marshalling nor building a request from the
// result may panic, the JSON must be valid, and a request built from a
// decoded entry must decode back to it.
func FuzzDecodeAddrLabel(f *testing.F) {
	req, _ := addrLabelRequest(&AddrLabel{Prefix: netip.MustParsePrefix("2001:db8::/32"), LinkIndex: 3, Label: 100})
	f.Add(req)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, derr := decodeAddrLabel(b)
		out, err := a.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON = %s, %v", out, err)
		}
		req, err := addrLabelRequest(&a)
		if derr != nil || err != nil {
			return
		}
		back, err := decodeAddrLabel(req)
		if err != nil || back != a {
			t.Fatalf("request of %+v decodes to %+v, %v", a, back, err)
		}
	})
}
