package ioam

import (
	"testing"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
)

func TestJSON(t *testing.T) {
	var enc attrs.Encoder
	enc.Uint32(attrSCID, 7)
	enc.Uint16(attrNSID, 1)
	enc.Raw(attrSCData, []byte("ab\x00\x00"))
	s, keep, err := decodeSchemaMessage(genl.Message{Command: cmdDumpSchemas, Data: enc.Bytes()})
	if err != nil || !keep {
		t.Fatalf("decode: %v %v", keep, err)
	}
	j, _ := s.MarshalJSON()
	if want := `{"schema":7,"namespace":1,"data":null,"":97,"":98,"":0,"":0}`; string(j) != want {
		t.Errorf("schema JSON = %s; want %s", j, want)
	}
	zero, data := uint64(0), uint32(0xab)
	j, _ = Namespace{ID: 3, Data: &data, Wide: &zero}.MarshalJSON()
	if want := `{"namespace":3,"data":"ab","wide":"0"}`; string(j) != want {
		t.Errorf("namespace JSON = %s; want %s", j, want)
	}
}

func FuzzDecode(f *testing.F) {
	var enc attrs.Encoder
	enc.Uint16(attrNSID, 1)
	enc.Uint32(attrSCID, 7)
	enc.Uint32(attrNSData, 5)
	enc.Uint64(attrNSDataWide, 6)
	enc.Raw(attrSCData, []byte("data"))
	f.Add(enc.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		if n, err := decodeNamespace(b); err == nil {
			n.MarshalJSON()
		}
		if s, err := decodeSchema(b); err == nil {
			s.MarshalJSON()
		}
	})
}
