package attrs_test

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/nlkit/nlkit/attrs"
)

// attr is what a Decoder reports about one attribute.
type attr struct {
	Offset  int
	Type    uint16
	Flags   uint16
	Payload []byte
}

// walk returns the attributes d reports and the error that ended the walk.
func walk(d attrs.Decoder) ([]attr, error) {
	var got []attr
	for d.Next() {
		got = append(got, attr{d.Offset(), d.Type(), d.TypeFlags(), d.Bytes()})
	}
	return got, d.Err()
}

// asError returns err as an *attrs.Error, failing the test if it is not one.
func asError(t *testing.T, err error) *attrs.Error {
	t.Helper()
	var e *attrs.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *attrs.Error", err, err)
	}
	return e
}

// ignoreReason compares *attrs.Error values on where they happened only.
var ignoreReason = cmpopts.IgnoreFields(attrs.Error{}, "Reason")

// equalAddrs compares netip.Addr values, which cmp cannot see into.
var equalAddrs = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

func TestDecoderWalk(t *testing.T) {
	in := cat(
		hdr(8, 4), ne32(1500),
		hdr(9, 3), []byte("eth0\x00"), pad(3),
		hdr(6, 7|attrs.NetByteOrder), []byte{0x12, 0x34}, pad(2),
		hdr(4, 30),
		hdr(12, 18|attrs.Nested), hdr(5, 1), []byte{9}, pad(3),
		hdr(4, attrs.Nested|attrs.NetByteOrder|0x3fff),
	)
	want := []attr{
		{Offset: 0, Type: 4, Payload: ne32(1500)},
		{Offset: 8, Type: 3, Payload: []byte("eth0\x00")},
		{Offset: 20, Type: 7, Flags: attrs.NetByteOrder, Payload: []byte{0x12, 0x34}},
		{Offset: 28, Type: 30, Payload: []byte{}},
		{Offset: 32, Type: 18, Flags: attrs.Nested, Payload: cat(hdr(5, 1), []byte{9}, pad(3))},
		{Offset: 44, Type: 0x3fff, Flags: attrs.Nested | attrs.NetByteOrder, Payload: []byte{}},
	}
	got, err := walk(attrs.NewDecoder(in))
	if err != nil {
		t.Fatalf("Err() = %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("attributes mismatch (-want +got):\n%s", diff)
	}
}

func TestDecoderMalformed(t *testing.T) {
	first := cat(hdr(8, 4), ne32(1500))
	firstAttr := attr{Offset: 0, Type: 4, Payload: ne32(1500)}
	tests := []struct {
		name    string
		in      []byte
		want    []attr
		wantErr *attrs.Error // nil when the data is well formed
	}{
		{name: "nil", in: nil},
		{name: "empty", in: []byte{}},
		{
			name: "empty payload",
			in:   hdr(4, 1),
			want: []attr{{Type: 1, Payload: []byte{}}},
		},
		{
			name: "last attribute unpadded",
			in:   cat(first, hdr(5, 1), []byte{7}),
			want: []attr{firstAttr, {Offset: 8, Type: 1, Payload: []byte{7}}},
		},
		{
			name: "last attribute partly padded",
			in:   cat(first, hdr(6, 1), []byte{7, 8}, pad(1)),
			want: []attr{firstAttr, {Offset: 8, Type: 1, Payload: []byte{7, 8}}},
		},
		{name: "truncated header/1 byte", in: []byte{8}, wantErr: &attrs.Error{Offset: 0}},
		{name: "truncated header/3 bytes", in: hdr(8, 4)[:3], wantErr: &attrs.Error{Offset: 0}},
		{name: "length 0", in: cat(hdr(0, 1), pad(4)), wantErr: &attrs.Error{Offset: 0}},
		{name: "length 3", in: cat(hdr(3, 1), pad(4)), wantErr: &attrs.Error{Offset: 0}},
		{name: "length beyond data", in: cat(hdr(12, 1), ne32(1)), wantErr: &attrs.Error{Offset: 0}},
		{name: "length 0xffff", in: cat(hdr(0xffff, 1), pad(64)), wantErr: &attrs.Error{Offset: 0}},
		{
			name:    "second length beyond data",
			in:      cat(first, hdr(9, 1), []byte{1, 2, 3, 4}),
			want:    []attr{firstAttr},
			wantErr: &attrs.Error{Offset: 8},
		},
		{
			name:    "second length too short",
			in:      cat(first, hdr(2, 1), pad(4)),
			want:    []attr{firstAttr},
			wantErr: &attrs.Error{Offset: 8},
		},
		{name: "trailing 1 byte", in: cat(first, pad(1)), want: []attr{firstAttr}, wantErr: &attrs.Error{Offset: 8}},
		{name: "trailing 2 bytes", in: cat(first, pad(2)), want: []attr{firstAttr}, wantErr: &attrs.Error{Offset: 8}},
		{name: "trailing 3 bytes", in: cat(first, pad(3)), want: []attr{firstAttr}, wantErr: &attrs.Error{Offset: 8}},
		{
			// Without its padding, an attribute pushes the next header
			// off alignment: the decoder looks for it 3 bytes further on.
			name:    "padding missing before next attribute",
			in:      cat(hdr(5, 1), []byte{7}, hdr(4, 2)),
			want:    []attr{{Offset: 0, Type: 1, Payload: []byte{7}}},
			wantErr: &attrs.Error{Offset: 8},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := attrs.NewDecoder(tt.in)
			got, err := walk(d)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("attributes mismatch (-want +got):\n%s", diff)
			}
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Err() = %v, want nil", err)
				}
				return
			}
			e := asError(t, err)
			if diff := cmp.Diff(tt.wantErr, e, ignoreReason); diff != "" {
				t.Errorf("Err() mismatch (-want +got):\n%s", diff)
			}
			if e.Reason == "" {
				t.Error("Err() has no Reason")
			}
		})
	}
}

// TestDecoderMalformedSticky checks that after a malformed header Next keeps
// returning false and a getter's own failure does not replace the error.
func TestDecoderMalformedSticky(t *testing.T) {
	d := attrs.NewDecoder(cat(hdr(5, 1), []byte{1}, pad(3), hdr(2, 2)))
	if !d.Next() {
		t.Fatalf("first Next() = false, Err() = %v", d.Err())
	}
	if d.Next() {
		t.Fatal("Next() = true on a header of length 2")
	}
	err := d.Err()
	_ = d.Uint64() // wrong length for the last good attribute's payload
	for range 3 {
		if d.Next() {
			t.Fatal("Next() = true after an error")
		}
	}
	if d.Err() != err {
		t.Errorf("Err() = %v, want the first error %v", d.Err(), err)
	}
}

func TestDecoderGetters(t *testing.T) {
	// one returns the bytes of a single attribute of type 1 with the given
	// flags and payload.
	one := func(flags uint16, payload []byte) []byte {
		return cat(hdr(uint16(attrs.HeaderLen+len(payload)), 1|flags), payload, pad(attrs.Align(len(payload))-len(payload)))
	}
	be := attrs.NetByteOrder
	tests := []struct {
		name string
		in   []byte
		get  func(d *attrs.Decoder) any
		want any
	}{
		{"Uint8", one(0, []byte{0xfe}), func(d *attrs.Decoder) any { return d.Uint8() }, uint8(0xfe)},
		{"Uint16", one(0, ne16(0x1234)), func(d *attrs.Decoder) any { return d.Uint16() }, uint16(0x1234)},
		{"Uint16/NetByteOrder", one(be, []byte{0x12, 0x34}), func(d *attrs.Decoder) any { return d.Uint16() }, uint16(0x1234)},
		{"Uint32", one(0, ne32(0x01020304)), func(d *attrs.Decoder) any { return d.Uint32() }, uint32(0x01020304)},
		{"Uint32/NetByteOrder", one(be, []byte{1, 2, 3, 4}), func(d *attrs.Decoder) any { return d.Uint32() }, uint32(0x01020304)},
		{"Uint64", one(0, ne64(0x0102030405060708)), func(d *attrs.Decoder) any { return d.Uint64() }, uint64(0x0102030405060708)},
		{"Uint64/NetByteOrder", one(be, []byte{1, 2, 3, 4, 5, 6, 7, 8}), func(d *attrs.Decoder) any { return d.Uint64() }, uint64(0x0102030405060708)},
		{"Uint32/Nested flag ignored", one(attrs.Nested, ne32(7)), func(d *attrs.Decoder) any { return d.Uint32() }, uint32(7)},
		{"Int32", one(0, ne32(0xfffffffe)), func(d *attrs.Decoder) any { return d.Int32() }, int32(-2)},
		{"Int32/NetByteOrder", one(be, []byte{0xff, 0xff, 0xff, 0xfe}), func(d *attrs.Decoder) any { return d.Int32() }, int32(-2)},
		{"Port", one(0, []byte{0x12, 0xb5}), func(d *attrs.Decoder) any { return d.Port() }, uint16(4789)},
		{"Port/NetByteOrder", one(be, []byte{0x12, 0xb5}), func(d *attrs.Decoder) any { return d.Port() }, uint16(4789)},
		{"String", one(0, []byte("eth0\x00")), func(d *attrs.Decoder) any { return d.String() }, "eth0"},
		{"String/no NUL", one(0, []byte("eth0")), func(d *attrs.Decoder) any { return d.String() }, "eth0"},
		{"String/stops at first NUL", one(0, []byte("a\x00b\x00")), func(d *attrs.Decoder) any { return d.String() }, "a"},
		{"String/empty payload", one(0, nil), func(d *attrs.Decoder) any { return d.String() }, ""},
		{"StringBytes", one(0, []byte("eth0\x00")), func(d *attrs.Decoder) any { return d.StringBytes() }, []byte("eth0")},
		{"StringBytes/no NUL", one(0, []byte("eth0")), func(d *attrs.Decoder) any { return d.StringBytes() }, []byte("eth0")},
		{"StringBytes/only NUL", one(0, []byte{0}), func(d *attrs.Decoder) any { return d.StringBytes() }, []byte{}},
		{"Addr/IPv4", one(0, []byte{192, 0, 2, 1}), func(d *attrs.Decoder) any { return d.Addr() }, netip.MustParseAddr("192.0.2.1")},
		{
			"Addr/IPv6",
			one(0, []byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
			func(d *attrs.Decoder) any { return d.Addr() },
			netip.MustParseAddr("2001:db8::1"),
		},
		{
			"Addr/IPv4-mapped IPv6",
			one(0, []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1}),
			func(d *attrs.Decoder) any { return d.Addr() },
			netip.MustParseAddr("::ffff:192.0.2.1"),
		},
		{"Addr/empty", one(0, nil), func(d *attrs.Decoder) any { return d.Addr() }, netip.Addr{}},
		{
			"HardwareAddr",
			one(0, []byte{2, 0, 0x5e, 0x10, 0x20, 0x30}),
			func(d *attrs.Decoder) any { return d.HardwareAddr() },
			net.HardwareAddr{2, 0, 0x5e, 0x10, 0x20, 0x30},
		},
		{"HardwareAddr/empty", one(0, nil), func(d *attrs.Decoder) any { return d.HardwareAddr() }, net.HardwareAddr(nil)},
		{"Bytes", one(0, []byte{1, 2, 3}), func(d *attrs.Decoder) any { return d.Bytes() }, []byte{1, 2, 3}},
		{"Len", one(0, []byte{1, 2, 3}), func(d *attrs.Decoder) any { return d.Len() }, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := attrs.NewDecoder(tt.in)
			if !d.Next() {
				t.Fatalf("Next() = false, Err() = %v", d.Err())
			}
			got := tt.get(&d)
			if err := d.Err(); err != nil {
				t.Fatalf("Err() = %v", err)
			}
			if diff := cmp.Diff(tt.want, got, equalAddrs); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			if d.Next() {
				t.Error("Next() = true past the only attribute")
			}
		})
	}
}

func TestDecoderWrongLength(t *testing.T) {
	tests := []struct {
		name  string
		sizes []int // payload lengths the getter must refuse
		get   func(d *attrs.Decoder) any
		zero  any
	}{
		{"Uint8", []int{0, 2, 4}, func(d *attrs.Decoder) any { return d.Uint8() }, uint8(0)},
		{"Uint16", []int{0, 1, 3, 4}, func(d *attrs.Decoder) any { return d.Uint16() }, uint16(0)},
		{"Uint32", []int{0, 2, 3, 5, 8}, func(d *attrs.Decoder) any { return d.Uint32() }, uint32(0)},
		{"Uint64", []int{0, 4, 7, 9, 16}, func(d *attrs.Decoder) any { return d.Uint64() }, uint64(0)},
		{"Int32", []int{0, 2, 8}, func(d *attrs.Decoder) any { return d.Int32() }, int32(0)},
		{"Port", []int{0, 1, 4}, func(d *attrs.Decoder) any { return d.Port() }, uint16(0)},
		{"Addr", []int{1, 3, 5, 6, 15, 17, 32}, func(d *attrs.Decoder) any { return d.Addr() }, netip.Addr{}},
	}
	for _, tt := range tests {
		for _, size := range tt.sizes {
			t.Run(fmt.Sprintf("%s/%d bytes", tt.name, size), func(t *testing.T) {
				// A good attribute, the offending one with both flags
				// set, then one that must never be reached.
				in := cat(
					hdr(8, 4), ne32(1500),
					hdr(uint16(attrs.HeaderLen+size), 7|attrs.Nested|attrs.NetByteOrder),
					bytes.Repeat([]byte{0xff}, size), pad(attrs.Align(size)-size),
					hdr(4, 9),
				)
				d := attrs.NewDecoder(in)
				d.Next()
				d.Next()
				if got := tt.get(&d); !cmp.Equal(got, tt.zero, equalAddrs) {
					t.Errorf("got %v, want %v", got, tt.zero)
				}
				e := asError(t, d.Err())
				want := &attrs.Error{Offset: 8, Type: 7}
				if diff := cmp.Diff(want, e, ignoreReason); diff != "" {
					t.Errorf("Err() mismatch (-want +got):\n%s", diff)
				}
				if d.Next() {
					t.Errorf("Next() = true after an error")
				}
				// Another failure leaves the first error in place.
				d.Uint8()
				d.Uint64()
				if d.Err() != error(e) {
					t.Errorf("Err() changed to %v", d.Err())
				}
			})
		}
	}
}

// TestDecoderBytesCapped checks that appending to a payload cannot overwrite
// the attributes that follow it.
func TestDecoderBytesCapped(t *testing.T) {
	in := cat(hdr(5, 1), []byte{1}, pad(3), hdr(8, 2), ne32(2))
	d := attrs.NewDecoder(in)
	d.Next()
	p := d.Bytes()
	if cap(p) != len(p) {
		t.Errorf("cap(Bytes()) = %d, want %d", cap(p), len(p))
	}
	_ = append(p, 0xff, 0xff, 0xff, 0xff, 0xff)
	d.Next()
	if got := d.Uint32(); got != 2 || d.Err() != nil {
		t.Errorf("second attribute = %d, %v after appending to the first payload; want 2, nil", got, d.Err())
	}
}

func TestDecoderAliasing(t *testing.T) {
	in := cat(hdr(10, 1), []byte{2, 0, 0x5e, 0, 0, 1, 0}, pad(1))
	d := attrs.NewDecoder(in)
	d.Next()
	hw := d.HardwareAddr()
	sb := d.StringBytes()
	b := d.Bytes()
	in[attrs.HeaderLen] = 0xaa
	if hw[0] != 2 {
		t.Error("HardwareAddr() aliases the input")
	}
	if b[0] != 0xaa || sb[0] != 0xaa {
		t.Error("Bytes() or StringBytes() copied the input")
	}
}

func TestDecoderNested(t *testing.T) {
	// node is an attribute and, when it is nested, its children.
	type node struct {
		Type  uint16
		Flags uint16
		Value uint32
		Kids  []node
	}
	var tree func(t *testing.T, d attrs.Decoder) []node
	tree = func(t *testing.T, d attrs.Decoder) []node {
		var nodes []node
		for d.Next() {
			n := node{Type: d.Type(), Flags: d.TypeFlags()}
			if d.TypeFlags()&attrs.Nested != 0 {
				n.Kids = tree(t, d.Nested())
			} else {
				n.Value = d.Uint32()
			}
			nodes = append(nodes, n)
		}
		if err := d.Err(); err != nil {
			t.Fatalf("Err() = %v", err)
		}
		return nodes
	}

	in := cat(
		hdr(8, 1), ne32(1),
		hdr(40, 2|attrs.Nested),
		/**/ hdr(8, 3), ne32(3),
		/**/ hdr(28, 4|attrs.Nested),
		/*    */ hdr(8, 5), ne32(5),
		/*    */ hdr(16, 6|attrs.Nested),
		/*        */ hdr(4, 7|attrs.Nested),
		/*        */ hdr(8, 8), ne32(8),
		/*    */
		hdr(4, 9|attrs.Nested),
		hdr(8, 10), ne32(10),
	)
	want := []node{
		{Type: 1, Value: 1},
		{Type: 2, Flags: attrs.Nested, Kids: []node{
			{Type: 3, Value: 3},
			{Type: 4, Flags: attrs.Nested, Kids: []node{
				{Type: 5, Value: 5},
				{Type: 6, Flags: attrs.Nested, Kids: []node{
					{Type: 7, Flags: attrs.Nested},
					{Type: 8, Value: 8},
				}},
			}},
		}},
		{Type: 9, Flags: attrs.Nested},
		{Type: 10, Value: 10},
	}
	if diff := cmp.Diff(want, tree(t, attrs.NewDecoder(in))); diff != "" {
		t.Errorf("tree mismatch (-want +got):\n%s", diff)
	}
}

// TestDecoderNestedError checks that a malformed nest fails its own Decoder,
// with offsets relative to the nest's payload, and not the outer one.
func TestDecoderNestedError(t *testing.T) {
	in := cat(
		hdr(16, 1|attrs.Nested), hdr(8, 2), ne32(2), hdr(12, 3), // inner length past the nest
		hdr(8, 4), ne32(4),
	)
	d := attrs.NewDecoder(in)
	if !d.Next() {
		t.Fatalf("Next() = false, Err() = %v", d.Err())
	}
	inner := d.Nested()
	got, err := walk(inner)
	if diff := cmp.Diff([]attr{{Offset: 0, Type: 2, Payload: ne32(2)}}, got); diff != "" {
		t.Errorf("nested attributes mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&attrs.Error{Offset: 8}, asError(t, err), ignoreReason); diff != "" {
		t.Errorf("nested Err() mismatch (-want +got):\n%s", diff)
	}
	if !d.Next() || d.Type() != 4 || d.Uint32() != 4 || d.Err() != nil {
		t.Errorf("outer walk after a bad nest: type %d, value %d, Err() = %v; want 4, 4, nil", d.Type(), d.Uint32(), d.Err())
	}
}

// TestDecoderCopy checks that a copied Decoder walks on its own.
func TestDecoderCopy(t *testing.T) {
	in := cat(hdr(8, 1), ne32(1), hdr(8, 2), ne32(2), hdr(8, 3), ne32(3))
	d := attrs.NewDecoder(in)
	d.Next()
	saved := d
	d.Next()
	d.Next()
	if saved.Type() != 1 || saved.Uint32() != 1 {
		t.Errorf("copy moved with the original: type %d", saved.Type())
	}
	if !saved.Next() || saved.Type() != 2 {
		t.Errorf("copy's Next() went to type %d, want 2", saved.Type())
	}
}

func TestDecoderBeforeNext(t *testing.T) {
	d := attrs.NewDecoder(cat(hdr(8, 1), ne32(1)))
	if d.Offset() != -1 || d.Type() != 0 || d.TypeFlags() != 0 || d.Bytes() != nil || d.Len() != 0 {
		t.Errorf("before Next: Offset() = %d, Type() = %d, TypeFlags() = %#x, Bytes() = %v; want -1, 0, 0, nil",
			d.Offset(), d.Type(), d.TypeFlags(), d.Bytes())
	}
	var zero attrs.Decoder
	if zero.Next() || zero.Err() != nil {
		t.Errorf("zero Decoder: Next() = true or Err() = %v", zero.Err())
	}
}

func TestDecoderEndClearsPayload(t *testing.T) {
	d := attrs.NewDecoder(cat(hdr(8, 1), ne32(1)))
	d.Next()
	if d.Next() {
		t.Fatal("Next() = true past the end")
	}
	if d.Bytes() != nil || d.Err() != nil {
		t.Errorf("at the end: Bytes() = %v, Err() = %v; want nil, nil", d.Bytes(), d.Err())
	}
}

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		err  *attrs.Error
		want string
	}{
		{
			&attrs.Error{Offset: 8, Reason: "2 trailing bytes, too short for a header"},
			"attrs: malformed attribute at offset 8: 2 trailing bytes, too short for a header",
		},
		{
			&attrs.Error{Offset: 12, Type: 4, Reason: "payload is 2 bytes, want 4"},
			"attrs: attribute type 4 at offset 12: payload is 2 bytes, want 4",
		},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}

	// The messages the Decoder itself builds.
	d := attrs.NewDecoder(cat(hdr(6, 4), ne16(1), pad(2)))
	d.Next()
	d.Uint32()
	if got, want := d.Err().Error(), "attrs: attribute type 4 at offset 0: payload is 2 bytes, want 4"; got != want {
		t.Errorf("getter error = %q, want %q", got, want)
	}
	d = attrs.NewDecoder(cat(hdr(8, 4), ne32(1), pad(2)))
	for d.Next() {
	}
	if got, want := d.Err().Error(), "attrs: malformed attribute at offset 8: 2 trailing bytes, too short for a header"; got != want {
		t.Errorf("header error = %q, want %q", got, want)
	}
}
