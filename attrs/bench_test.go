package attrs_test

import (
	"fmt"
	"testing"

	"github.com/nlkit/nlkit/attrs"
)

// sink and sinkString keep benchmark results alive.
var (
	sink       uint64
	sinkString string
)

// encode64Uint32 encodes 64 u32 attributes into buf, reusing its memory.
func encode64Uint32(e *attrs.Encoder, buf []byte) {
	e.Reset(buf[:0])
	for i := range 64 {
		e.Uint32(uint16(i+1), uint32(i))
	}
}

// decode64Uint32 walks b and sums its u32 attributes.
func decode64Uint32(b []byte) uint64 {
	var sum uint64
	d := attrs.NewDecoder(b)
	for d.Next() {
		sum += uint64(d.Uint32())
	}
	if d.Err() != nil {
		panic(d.Err())
	}
	return sum
}

// encodeNested encodes 8 nests of a nest holding 8 u32 attributes each,
// the shape of, say, per-queue statistics.
func encodeNested(e *attrs.Encoder, buf []byte) {
	e.Reset(buf[:0])
	for i := range 8 {
		outer := e.Nest(uint16(i+1) | attrs.Nested)
		inner := e.Nest(1 | attrs.Nested)
		for j := range 8 {
			e.Uint32(uint16(j+1), uint32(i*j))
		}
		e.End(inner)
		e.End(outer)
	}
}

// decodeNested walks the output of encodeNested and sums its u32 attributes.
func decodeNested(b []byte) uint64 {
	var sum uint64
	d := attrs.NewDecoder(b)
	for d.Next() {
		outer := d.Nested()
		for outer.Next() {
			inner := outer.Nested()
			for inner.Next() {
				sum += uint64(inner.Uint32())
			}
		}
	}
	return sum
}

// encodeStrings encodes 16 interface-name-like strings.
func encodeStrings() []byte {
	var e attrs.Encoder
	for i := range 16 {
		e.String(uint16(i+1), fmt.Sprintf("vxlan-%03d", i))
	}
	return e.Bytes()
}

func BenchmarkEncode64Uint32(b *testing.B) {
	var e attrs.Encoder
	encode64Uint32(&e, nil)
	buf := e.Bytes()
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		encode64Uint32(&e, buf)
	}
}

func BenchmarkDecode64Uint32(b *testing.B) {
	var e attrs.Encoder
	encode64Uint32(&e, nil)
	buf := e.Bytes()
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		sink += decode64Uint32(buf)
	}
}

func BenchmarkEncodeNested(b *testing.B) {
	var e attrs.Encoder
	encodeNested(&e, nil)
	buf := e.Bytes()
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		encodeNested(&e, buf)
	}
}

func BenchmarkDecodeNested(b *testing.B) {
	var e attrs.Encoder
	encodeNested(&e, nil)
	buf := e.Bytes()
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		sink += decodeNested(buf)
	}
}

// BenchmarkDecodeStringBytes reads strings in place, without allocating.
func BenchmarkDecodeStringBytes(b *testing.B) {
	buf := encodeStrings()
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		d := attrs.NewDecoder(buf)
		for d.Next() {
			sink += uint64(len(d.StringBytes()))
		}
	}
}

// BenchmarkDecodeString is BenchmarkDecodeStringBytes keeping a copy of
// every string, for comparison: one allocation per attribute.
func BenchmarkDecodeString(b *testing.B) {
	buf := encodeStrings()
	b.ReportAllocs()
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		d := attrs.NewDecoder(buf)
		for d.Next() {
			sinkString = d.String()
		}
	}
}

// TestZeroAllocs holds the package to its promise: once the buffer has
// grown, neither encoding nor decoding allocates.
func TestZeroAllocs(t *testing.T) {
	var e attrs.Encoder
	encode64Uint32(&e, nil)
	u32 := e.Bytes()
	encodeNested(&e, nil)
	nested := e.Bytes()
	strs := encodeStrings()

	tests := []struct {
		name string
		f    func()
	}{
		{"Encode64Uint32", func() { encode64Uint32(&e, u32) }},
		{"Decode64Uint32", func() { sink += decode64Uint32(u32) }},
		{"EncodeNested", func() { encodeNested(&e, nested) }},
		{"DecodeNested", func() { sink += decodeNested(nested) }},
		{"DecodeStringBytes", func() {
			d := attrs.NewDecoder(strs)
			for d.Next() {
				sink += uint64(len(d.StringBytes()))
			}
		}},
	}
	for _, tt := range tests {
		if n := testing.AllocsPerRun(100, tt.f); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", tt.name, n)
		}
	}
}
