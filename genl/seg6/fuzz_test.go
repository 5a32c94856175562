package seg6

import (
	"encoding/json"
	"net/netip"
	"testing"

	"github.com/nlkit/nlkit/attrs"
)

func TestHMACKeyRoundTrip(t *testing.T) {
	k := HMACKey{ID: 9, Algorithm: SHA256, Secret: "s3cret"}
	got, err := decodeHMACKey(encodeHMACKey(k))
	if err != nil || got != k {
		t.Errorf("decode(encode(%+v)) = %+v, %v", k, got, err)
	}
	j, _ := HMACKey{ID: 1, Algorithm: 5, Secret: "a\x00b"}.MarshalJSON()
	if string(j) != `{"hmac":1,"algo":"<unknown>","secret":"a"}` {
		t.Errorf("JSON = %s", j)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(encodeHMACKey(HMACKey{ID: 9, Algorithm: SHA1, Secret: "x"}))
	var enc attrs.Encoder
	enc.Addr(attrDst, netip.MustParseAddr("2001:db8::1"))
	f.Add(enc.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		if k, err := decodeHMACKey(b); err == nil {
			json.Marshal(k)
		}
		decodeTunnelSource(b)
	})
}
