package tcpmetrics

import (
	"encoding/json"
	"net/netip"
	"testing"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
)

// entryAttrs encodes an entry with every attribute ip prints.
func entryAttrs() []byte {
	var enc attrs.Encoder
	encodeAddrs(&enc, netip.MustParseAddr("10.9.0.2"), netip.MustParseAddr("10.9.0.1"))
	enc.Uint64(attrAge, 1500)
	enc.Uint32(attrTWTSVal, 7)
	enc.Uint32(attrTWTSStamp, 3)
	vals := enc.Nest(attrVals | attrs.Nested)
	enc.Uint32(metricRTT, 8)
	enc.Uint32(metricRTTVar, 4)
	enc.Uint32(metricCwnd, 10)
	enc.Uint32(metricRTTUs, 1200)
	enc.Uint32(metricRTTVarUs, 400)
	enc.End(vals)
	enc.Uint16(attrFastOpenMSS, 1400)
	enc.Uint16(attrFastOpenSynDrop, 2)
	enc.Uint64(attrFastOpenDropTS, 5000)
	enc.Raw(attrFastOpenCookie, []byte{0xde, 0xad, 0xbe, 0xef})
	return enc.Bytes()
}

func TestEntryJSON(t *testing.T) {
	e, keep, err := decodeEntryMessage(genl.Message{Command: cmdGet, Data: entryAttrs()})
	if err != nil || !keep {
		t.Fatalf("decode: %v, %v", keep, err)
	}
	j, _ := json.Marshal(e)
	const want = `{"dst":"10.9.0.2","age":1.5,"tw_ts_stamp":"7/3","cwnd":10,"rtt":0.00015,"rttvar":0.0001,"fopen_miss":1400,"fopen_syn_drops":2,"fopen_syn_drop_ts":0.005,"fo_cookie":"deadbeef","source":"10.9.0.1"}`
	if string(j) != want {
		t.Errorf("JSON\n got %s\nwant %s", j, want)
	}
	if _, keep, _ := decodeEntryMessage(genl.Message{Command: cmdDel}); keep {
		t.Errorf("a message of another command is kept")
	}
}

func FuzzDecodeEntry(f *testing.F) {
	f.Add(entryAttrs())
	f.Fuzz(func(t *testing.T, b []byte) {
		if e, err := decodeEntry(b); err == nil {
			if _, err := json.Marshal(e); err != nil {
				t.Fatal(err)
			}
		}
	})
}
