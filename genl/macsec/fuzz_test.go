package macsec

import (
	"testing"

	"github.com/nlkit/nlkit/attrs"
)

// secyMessage encodes a dump message with a SecY, a transmit SA and a
// receive SC with an SA, as the fuzz seed.
func secyMessage() []byte {
	var e attrs.Encoder
	e.Uint32(attrIfIndex, 4)
	secy := e.Nest(attrSecY)
	e.Raw(secyAttrSCI, []byte{2, 0, 0, 0, 0, 1, 0, 1})
	e.Uint8(secyAttrEncodingSA, 1)
	e.Uint64(secyAttrCipherSuite, 0x0080C20001000003)
	e.Uint8(secyAttrICVLen, 16)
	e.Uint8(secyAttrValidate, 2)
	e.Uint32(secyAttrWindow, 8)
	e.End(secy)
	stats := e.Nest(attrSecYStats)
	e.Uint64(1, 5)
	e.End(stats)
	txsas := e.Nest(attrTxSAList)
	sa := e.Nest(1)
	e.Uint8(saAttrAN, 1)
	e.Uint64(saAttrPN, 1<<40)
	e.Raw(saAttrSSCI, []byte{0, 0, 1, 2})
	e.Uint8(saAttrActive, 1)
	e.Raw(saAttrKeyID, make([]byte, 16))
	e.End(sa)
	e.End(txsas)
	rxscs := e.Nest(attrRxSCList)
	sc := e.Nest(1)
	e.Raw(rxscAttrSCI, []byte{2, 0, 0, 0, 0, 2, 0, 1})
	e.Uint8(rxscAttrActive, 1)
	e.End(sc)
	e.End(rxscs)
	off := e.Nest(attrOffload)
	e.Uint8(offloadAttrType, 0)
	e.End(off)
	return e.Bytes()
}

func TestSecYJSON(t *testing.T) {
	s, err := decodeSecY(secyMessage())
	if err != nil {
		t.Fatal(err)
	}
	j, _ := s.MarshalJSON()
	const want = `{"ifindex":4,"ifname":"if4","protect":false,"validate":"strict","sc":true,"sa":true,"encrypt":false,"send_sci":false,"end_station":false,"scb":false,"replay":false,"window":8,"cipher_suite":"GCM-AES-XPN-128","icv_length":16,"sci":"0x200000000010001","encoding_sa":1,"OutPktsUntagged":5,"sa_list":[{"an":1,"pn":0,"ssci":"0x102","active":true,"key":"00000000000000000000000000000000"}],"rx_sc":[{"sci":"0x200000000020001","active":true,"sa_list":[]}],"offload":"off"}`
	if string(j) != want {
		t.Errorf("JSON\n got %s\nwant %s", j, want)
	}
}

func FuzzDecodeSecY(f *testing.F) {
	f.Add(secyMessage())
	f.Fuzz(func(t *testing.T, b []byte) {
		if s, err := decodeSecY(b); err == nil {
			s.MarshalJSON()
		}
	})
}
