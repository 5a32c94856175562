package rtnl

import (
	"encoding/json"
	"testing"

	"golang.org/x/sys/unix"
)

// TestNetConfRequest checks the requests against the ones ip 6.1 sends:
// a dump is a netconfmsg padded to 4 bytes; a get adds NETCONFA_IFINDEX.
func TestNetConfRequest(t *testing.T) {
	if got := netconfRequest(unix.AF_INET6, 0); string(got) != "\x0a\x00\x00\x00" {
		t.Errorf("dump request % x", got)
	}
	want := []byte{unix.AF_INET, 0, 0, 0, 8, 0, netconfaIfIndex, 0, 0xfe, 0xff, 0xff, 0xff}
	if got := netconfRequest(unix.AF_INET, NetConfDefault); string(got) != string(want) {
		t.Errorf("get request % x, want % x", got, want)
	}
}

// FuzzDecodeNetConf decodes arbitrary bytes as a netconf message: neither
// decoding nor marshalling may panic, and the JSON must be valid.
func FuzzDecodeNetConf(f *testing.F) {
	f.Add([]byte{})
	f.Add(netconfRequest(unix.AF_INET, NetConfAll))
	f.Add([]byte("\x02\x00\x00\x00\x08\x00\x01\x00\x02\x00\x00\x00\x08\x00\x02\x00\x01\x00\x00\x00" +
		"\x08\x00\x03\x00\x07\x00\x00\x00\x08\x00\x04\x00\x00\x00\x00\x00\x05\x00\x07\x00\x01\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n, _ := decodeNetConf(b)
		out, err := n.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON = %s, %v", out, err)
		}
	})
}
