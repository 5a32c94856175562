package fou

import (
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"
)

func TestRoundTrip(t *testing.T) {
	for _, p := range []ReceivePort{
		{Port: 5555, Encap: Direct, IPProto: 4, Family: unix.AF_INET},
		{Port: 5557, Encap: GUE, Family: unix.AF_INET6, Local: netip.MustParseAddr("2001:db8::1"),
			Peer: netip.MustParseAddr("2001:db8::2"), PeerPort: 7, LinkIndex: 3},
	} {
		b, err := encodePort(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodePort(b)
		if err != nil || got != p {
			t.Errorf("decode(encode(%+v)) = %+v, %v", p, got, err)
		}
	}
	j, _ := ReceivePort{Port: 1, Encap: GUE, Family: unix.AF_INET6, LinkIndex: 4}.MarshalJSON()
	if want := `{"port":1,"gue":null,"family":"inet6","dev":"if4"}`; string(j) != want {
		t.Errorf("JSON = %s; want %s", j, want)
	}
}

func FuzzDecodePort(f *testing.F) {
	b, _ := encodePort(ReceivePort{Port: 5555, Encap: Direct, IPProto: 4, Local: netip.MustParseAddr("10.0.0.1"),
		Peer: netip.MustParseAddr("10.0.0.2"), PeerPort: 1, LinkIndex: 2})
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, err := decodePort(b); err == nil {
			p.MarshalJSON()
		}
	})
}
