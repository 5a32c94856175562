package beattr

import (
	"bytes"
	"testing"

	"github.com/nlkit/nlkit/attrs"
)

func TestRoundTrip(t *testing.T) {
	var e attrs.Encoder
	PutUint32(&e, 1, 0x01020304)
	PutUint64(&e, 2, 0x0102030405060708)
	e.BigEndianUint32(3, 0x0a0b0c0d) // flagged
	e.BigEndianUint64(4, 0x0a0b0c0d0e0f1011)
	want := []byte{
		8, 0, 1, 0, 1, 2, 3, 4,
		12, 0, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8,
	}
	if got := e.Bytes()[:len(want)]; !bytes.Equal(got, want) {
		t.Fatalf("encoded % x; want % x", got, want)
	}
	d := attrs.NewDecoder(e.Bytes())
	var got []uint64
	for d.Next() {
		switch d.Type() {
		case 1, 3:
			got = append(got, uint64(Uint32(&d)))
		case 2, 4:
			got = append(got, Uint64(&d))
		}
	}
	if err := d.Err(); err != nil {
		t.Fatal(err)
	}
	for i, w := range []uint64{0x01020304, 0x0102030405060708, 0x0a0b0c0d, 0x0a0b0c0d0e0f1011} {
		if i >= len(got) || got[i] != w {
			t.Fatalf("decoded %x; want %x at %d", got, w, i)
		}
	}
}

func TestWrongLength(t *testing.T) {
	var e attrs.Encoder
	e.Raw(1, []byte{1, 2, 3})
	e.Raw(2, []byte{1, 2, 3, 4})
	d := attrs.NewDecoder(e.Bytes())
	for d.Next() {
		var v uint64
		if d.Type() == 1 {
			v = uint64(Uint32(&d))
		} else {
			v = Uint64(&d)
		}
		if v != 0 {
			t.Errorf("attribute %d of %d bytes decoded as %x; want 0", d.Type(), d.Len(), v)
		}
	}
	if d.Err() == nil {
		t.Error("no error for payloads of the wrong length")
	}
}
