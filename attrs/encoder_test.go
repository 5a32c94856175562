package attrs_test

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/josharian/native"

	"github.com/nlkit/nlkit/attrs"
)

// hdr returns an attribute header with the given length and type field, in
// native byte order as the kernel expects it.
func hdr(length, typ uint16) []byte {
	b := make([]byte, attrs.HeaderLen)
	native.Endian.PutUint16(b, length)
	native.Endian.PutUint16(b[2:], typ)
	return b
}

// ne16 returns v in native byte order.
func ne16(v uint16) []byte { return native.Endian.AppendUint16(nil, v) }

// ne32 returns v in native byte order.
func ne32(v uint32) []byte { return native.Endian.AppendUint32(nil, v) }

// ne64 returns v in native byte order.
func ne64(v uint64) []byte { return native.Endian.AppendUint64(nil, v) }

// pad returns n zero bytes of padding.
func pad(n int) []byte { return make([]byte, n) }

// cat concatenates byte slices, so that expected wire data reads as header,
// payload, padding.
func cat(parts ...[]byte) []byte { return slices.Concat(parts...) }

// dirty returns a buffer of n bytes of prefix followed by spare capacity, all
// filled with 0xa5, so that any byte an Encoder fails to write stands out.
func dirty(n int) []byte {
	b := bytes.Repeat([]byte{0xa5}, n+1024)
	return b[:n]
}

var encoderTests = []struct {
	name string
	put  func(e *attrs.Encoder)
	want []byte
}{
	{
		name: "Uint8",
		put:  func(e *attrs.Encoder) { e.Uint8(1, 0x2a) },
		want: cat(hdr(5, 1), []byte{0x2a}, pad(3)),
	},
	{
		name: "Uint16",
		put:  func(e *attrs.Encoder) { e.Uint16(2, 0x1234) },
		want: cat(hdr(6, 2), ne16(0x1234), pad(2)),
	},
	{
		name: "Uint32",
		put:  func(e *attrs.Encoder) { e.Uint32(4, 1500) },
		want: cat(hdr(8, 4), ne32(1500)),
	},
	{
		name: "Uint64",
		put:  func(e *attrs.Encoder) { e.Uint64(5, 0x0102030405060708) },
		want: cat(hdr(12, 5), ne64(0x0102030405060708)),
	},
	{
		name: "Int32",
		put:  func(e *attrs.Encoder) { e.Int32(6, -2) },
		want: cat(hdr(8, 6), ne32(0xfffffffe)),
	},
	{
		name: "BigEndianUint16",
		put:  func(e *attrs.Encoder) { e.BigEndianUint16(7, 0x1234) },
		want: cat(hdr(6, 7|attrs.NetByteOrder), []byte{0x12, 0x34}, pad(2)),
	},
	{
		name: "BigEndianUint32",
		put:  func(e *attrs.Encoder) { e.BigEndianUint32(8, 0x01020304) },
		want: cat(hdr(8, 8|attrs.NetByteOrder), []byte{1, 2, 3, 4}),
	},
	{
		name: "BigEndianUint64",
		put:  func(e *attrs.Encoder) { e.BigEndianUint64(9, 0x0102030405060708) },
		want: cat(hdr(12, 9|attrs.NetByteOrder), []byte{1, 2, 3, 4, 5, 6, 7, 8}),
	},
	{
		name: "BigEndianUint32/flag already set",
		put:  func(e *attrs.Encoder) { e.BigEndianUint32(8|attrs.NetByteOrder, 1) },
		want: cat(hdr(8, 8|attrs.NetByteOrder), []byte{0, 0, 0, 1}),
	},
	{
		name: "Port",
		put:  func(e *attrs.Encoder) { e.Port(15, 4789) },
		want: cat(hdr(6, 15), []byte{0x12, 0xb5}, pad(2)),
	},
	{
		name: "String",
		put:  func(e *attrs.Encoder) { e.String(3, "eth0") },
		want: cat(hdr(9, 3), []byte("eth0\x00"), pad(3)),
	},
	{
		name: "String/NUL fills alignment",
		put:  func(e *attrs.Encoder) { e.String(3, "abc") },
		want: cat(hdr(8, 3), []byte("abc\x00")),
	},
	{
		name: "String/empty",
		put:  func(e *attrs.Encoder) { e.String(3, "") },
		want: cat(hdr(5, 3), []byte{0}, pad(3)),
	},
	{
		name: "Raw",
		put:  func(e *attrs.Encoder) { e.Raw(10, []byte{0xde, 0xad, 0xbe}) },
		want: cat(hdr(7, 10), []byte{0xde, 0xad, 0xbe}, pad(1)),
	},
	{
		name: "Raw/empty",
		put:  func(e *attrs.Encoder) { e.Raw(10, nil) },
		want: hdr(4, 10),
	},
	{
		name: "Flag",
		put:  func(e *attrs.Encoder) { e.Flag(11) },
		want: hdr(4, 11),
	},
	{
		name: "Addr/IPv4",
		put:  func(e *attrs.Encoder) { e.Addr(1, netip.MustParseAddr("192.0.2.1")) },
		want: cat(hdr(8, 1), []byte{192, 0, 2, 1}),
	},
	{
		name: "Addr/IPv6",
		put:  func(e *attrs.Encoder) { e.Addr(1, netip.MustParseAddr("2001:db8::1")) },
		want: cat(hdr(20, 1), []byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
	},
	{
		name: "Addr/IPv4-mapped IPv6",
		put:  func(e *attrs.Encoder) { e.Addr(1, netip.MustParseAddr("::ffff:192.0.2.1")) },
		want: cat(hdr(20, 1), []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1}),
	},
	{
		name: "Addr/zone dropped",
		put:  func(e *attrs.Encoder) { e.Addr(1, netip.MustParseAddr("fe80::1%eth0")) },
		want: cat(hdr(20, 1), []byte{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
	},
	{
		name: "Addr/invalid",
		put:  func(e *attrs.Encoder) { e.Addr(1, netip.Addr{}) },
		want: hdr(4, 1),
	},
	{
		name: "HardwareAddr",
		put: func(e *attrs.Encoder) {
			e.HardwareAddr(1, net.HardwareAddr{0x02, 0x00, 0x5e, 0x10, 0x20, 0x30})
		},
		want: cat(hdr(10, 1), []byte{0x02, 0x00, 0x5e, 0x10, 0x20, 0x30}, pad(2)),
	},
	{
		name: "HardwareAddr/nil",
		put:  func(e *attrs.Encoder) { e.HardwareAddr(1, nil) },
		want: hdr(4, 1),
	},
	{
		name: "type flags written as given",
		put:  func(e *attrs.Encoder) { e.Uint32(attrs.Nested|attrs.NetByteOrder|4, 1) },
		want: cat(hdr(8, 0xc004), ne32(1)),
	},
	{
		name: "sequence",
		put: func(e *attrs.Encoder) {
			e.Uint8(1, 1)
			e.String(3, "lo")
			e.Uint32(4, 65536)
		},
		want: cat(
			hdr(5, 1), []byte{1}, pad(3),
			hdr(7, 3), []byte("lo\x00"), pad(1),
			hdr(8, 4), ne32(65536),
		),
	},
	{
		name: "Nest/empty",
		put: func(e *attrs.Encoder) {
			e.End(e.Nest(18))
		},
		want: hdr(4, 18),
	},
	{
		name: "Nest",
		put: func(e *attrs.Encoder) {
			n := e.Nest(18)
			e.String(1, "vxlan")
			e.End(n)
		},
		want: cat(
			hdr(16, 18),
			hdr(10, 1), []byte("vxlan\x00"), pad(2),
		),
	},
	{
		name: "Nest/Nested flag",
		put: func(e *attrs.Encoder) {
			n := e.Nest(18 | attrs.Nested)
			e.Uint8(2, 7)
			e.End(n)
		},
		want: cat(
			hdr(12, 18|attrs.Nested),
			hdr(5, 2), []byte{7}, pad(3),
		),
	},
	{
		name: "Nest/nested nests",
		put: func(e *attrs.Encoder) {
			e.Uint32(4, 1450)
			info := e.Nest(18 | attrs.Nested)
			e.String(1, "vxlan")
			data := e.Nest(2 | attrs.Nested)
			e.Uint32(1, 42)
			e.Port(15, 4789)
			e.End(data)
			e.End(info)
			e.Flag(30)
		},
		want: cat(
			hdr(8, 4), ne32(1450),
			hdr(36, 18|attrs.Nested),
			/**/ hdr(10, 1), []byte("vxlan\x00"), pad(2),
			/**/ hdr(20, 2|attrs.Nested),
			/*    */ hdr(8, 1), ne32(42),
			/*    */ hdr(6, 15), []byte{0x12, 0xb5}, pad(2),
			hdr(4, 30),
		),
	},
	{
		name: "Nest/siblings",
		put: func(e *attrs.Encoder) {
			a := e.Nest(1)
			e.Flag(2)
			e.End(a)
			b := e.Nest(3)
			e.Uint8(4, 5)
			e.End(b)
		},
		want: cat(
			hdr(8, 1), hdr(4, 2),
			hdr(12, 3), hdr(5, 4), []byte{5}, pad(3),
		),
	},
}

func TestEncoder(t *testing.T) {
	for _, tt := range encoderTests {
		t.Run(tt.name, func(t *testing.T) {
			var e attrs.Encoder
			tt.put(&e)
			if err := e.Err(); err != nil {
				t.Fatalf("Err() = %v", err)
			}
			if diff := cmp.Diff(tt.want, e.Bytes()); diff != "" {
				t.Errorf("Bytes() mismatch (-want +got):\n%s", diff)
			}
			if e.Len() != len(tt.want) {
				t.Errorf("Len() = %d, want %d", e.Len(), len(tt.want))
			}
		})
	}
}

// TestEncoderDirtyBuffer runs the table on a reused buffer full of garbage,
// after a message header: the header must survive and every byte after it,
// padding included, must be written.
func TestEncoderDirtyBuffer(t *testing.T) {
	const prefixLen = 16 // a struct nlmsghdr
	for _, tt := range encoderTests {
		t.Run(tt.name, func(t *testing.T) {
			buf := dirty(prefixLen)
			prefix := bytes.Clone(buf)

			var e attrs.Encoder
			e.Uint32(99, 99) // leave state behind for Reset to clear
			e.Nest(98)
			e.Reset(buf)
			tt.put(&e)
			if err := e.Err(); err != nil {
				t.Fatalf("Err() = %v", err)
			}
			got := e.Bytes()
			if diff := cmp.Diff(prefix, got[:prefixLen]); diff != "" {
				t.Errorf("prefix mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got[prefixLen:]); diff != "" {
				t.Errorf("attributes mismatch (-want +got):\n%s", diff)
			}
			if &got[0] != &buf[0] {
				t.Error("Encoder reallocated a buffer with room to spare")
			}
		})
	}
}

func TestEncoderZeroesPadding(t *testing.T) {
	buf := bytes.Repeat([]byte{0xff}, 64)
	var e attrs.Encoder
	e.Reset(buf[:0])
	e.Uint8(1, 0)
	e.String(2, "ab")
	e.Raw(3, []byte{0})
	want := cat(
		hdr(5, 1), []byte{0}, pad(3),
		hdr(7, 2), []byte("ab\x00"), pad(1),
		hdr(5, 3), []byte{0}, pad(3),
	)
	if diff := cmp.Diff(want, e.Bytes()); diff != "" {
		t.Errorf("Bytes() mismatch (-want +got):\n%s", diff)
	}
}

func TestEncoderReset(t *testing.T) {
	header := []byte("0123456789abcdef") // stands for a 16-byte nlmsghdr
	buf := make([]byte, len(header), 256)
	copy(buf, header)

	var e attrs.Encoder
	e.Reset(buf)
	if e.Len() != len(header) {
		t.Fatalf("Len() after Reset = %d, want %d", e.Len(), len(header))
	}
	e.Uint32(4, 1500)
	want := cat(header, hdr(8, 4), ne32(1500))
	if diff := cmp.Diff(want, e.Bytes()); diff != "" {
		t.Fatalf("Bytes() mismatch (-want +got):\n%s", diff)
	}

	// Reusing the buffer for the next message keeps the header and
	// overwrites the old attributes.
	e.Reset(e.Bytes()[:len(header)])
	e.Uint8(1, 1)
	want = cat(header, hdr(5, 1), []byte{1}, pad(3))
	if diff := cmp.Diff(want, e.Bytes()); diff != "" {
		t.Fatalf("Bytes() after reuse mismatch (-want +got):\n%s", diff)
	}

	// Reset clears a sticky error and any open nest.
	e.Raw(1, make([]byte, 70000))
	e.Nest(2)
	if e.Err() == nil {
		t.Fatal("Err() = nil after an oversized put")
	}
	e.Reset(nil)
	if e.Err() != nil || e.Len() != 0 {
		t.Fatalf("after Reset(nil): Err() = %v, Len() = %d; want nil, 0", e.Err(), e.Len())
	}
	e.Flag(1)
	if diff := cmp.Diff(hdr(4, 1), e.Bytes()); diff != "" {
		t.Fatalf("Bytes() after Reset(nil) mismatch (-want +got):\n%s", diff)
	}
}

func TestEncoderTooLong(t *testing.T) {
	const max = 0xffff
	tests := []struct {
		name    string
		put     func(e *attrs.Encoder)
		wantErr error
		wantLen int
	}{
		{
			name:    "Raw/largest",
			put:     func(e *attrs.Encoder) { e.Raw(1, make([]byte, max-attrs.HeaderLen)) },
			wantLen: max + 1, // the padding takes the attribute to 64 KiB
		},
		{
			name:    "Raw/one too many",
			put:     func(e *attrs.Encoder) { e.Raw(1, make([]byte, max-attrs.HeaderLen+1)) },
			wantErr: attrs.ErrTooLong,
		},
		{
			name:    "String/largest",
			put:     func(e *attrs.Encoder) { e.String(1, strings.Repeat("x", max-attrs.HeaderLen-1)) },
			wantLen: max + 1,
		},
		{
			name:    "String/NUL is one too many",
			put:     func(e *attrs.Encoder) { e.String(1, strings.Repeat("x", max-attrs.HeaderLen)) },
			wantErr: attrs.ErrTooLong,
		},
		{
			name:    "HardwareAddr",
			put:     func(e *attrs.Encoder) { e.HardwareAddr(1, make(net.HardwareAddr, max)) },
			wantErr: attrs.ErrTooLong,
		},
		{
			// Nests hold whole padded attributes, so the longest one is
			// the largest multiple of 4 that fits in 16 bits.
			name: "Nest/largest",
			put: func(e *attrs.Encoder) {
				n := e.Nest(1)
				e.Raw(2, make([]byte, max-3-2*attrs.HeaderLen))
				e.End(n)
			},
			wantLen: max - 3,
		},
		{
			name: "Nest/one byte too many",
			put: func(e *attrs.Encoder) {
				n := e.Nest(1)
				e.Raw(2, make([]byte, max-2-2*attrs.HeaderLen))
				e.End(n)
			},
			wantErr: attrs.ErrTooLong,
			wantLen: max + 1,
		},
		{
			name: "Nest/too long",
			put: func(e *attrs.Encoder) {
				n := e.Nest(1)
				e.Raw(2, make([]byte, 40000))
				e.Raw(3, make([]byte, 40000))
				e.End(n)
			},
			wantErr: attrs.ErrTooLong,
			wantLen: 4 + 40004 + 40004,
		},
		{
			name: "Nest/inner too long",
			put: func(e *attrs.Encoder) {
				outer := e.Nest(1)
				inner := e.Nest(2)
				e.Raw(3, make([]byte, 40000))
				e.Raw(4, make([]byte, 40000))
				e.End(inner)
				e.End(outer)
			},
			wantErr: attrs.ErrTooLong,
			wantLen: 8 + 40004 + 40004,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e attrs.Encoder
			tt.put(&e)
			if err := e.Err(); err != tt.wantErr {
				t.Fatalf("Err() = %v, want %v", err, tt.wantErr)
			}
			if e.Len() != tt.wantLen {
				t.Fatalf("Len() = %d, want %d", e.Len(), tt.wantLen)
			}
			if tt.wantErr == nil {
				// The length field must be exact even at the limit.
				total := int(native.Endian.Uint16(e.Bytes()))
				if total != min(tt.wantLen, max) {
					t.Errorf("length field = %d, want %d", total, min(tt.wantLen, max))
				}
			}
		})
	}
}

// TestEncoderErrSticky checks that once an Encoder has failed, every call
// leaves the buffer and the error alone.
func TestEncoderErrSticky(t *testing.T) {
	for _, tt := range []struct {
		name string
		fail func(e *attrs.Encoder)
		want error
	}{
		{"ErrTooLong", func(e *attrs.Encoder) { e.Raw(1, make([]byte, 1<<16)) }, attrs.ErrTooLong},
		{"ErrUnbalanced", func(e *attrs.Encoder) { e.End(attrs.Nest{}) }, attrs.ErrUnbalanced},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var e attrs.Encoder
			e.Uint32(1, 1)
			open := e.Nest(2)
			tt.fail(&e)
			if e.Err() != tt.want {
				t.Fatalf("Err() = %v, want %v", e.Err(), tt.want)
			}
			before := bytes.Clone(e.Bytes())

			e.Uint8(1, 1)
			e.Uint16(1, 1)
			e.Uint32(1, 1)
			e.Uint64(1, 1)
			e.Int32(1, 1)
			e.BigEndianUint16(1, 1)
			e.BigEndianUint32(1, 1)
			e.BigEndianUint64(1, 1)
			e.Port(1, 1)
			e.String(1, "x")
			e.Raw(1, []byte{1})
			e.Flag(1)
			e.Addr(1, netip.IPv6Loopback())
			e.HardwareAddr(1, net.HardwareAddr{1})
			e.End(e.Nest(1))
			e.End(open)
			e.Raw(1, make([]byte, 1<<16))

			if e.Err() != tt.want {
				t.Errorf("Err() = %v after more calls, want %v", e.Err(), tt.want)
			}
			if diff := cmp.Diff(before, e.Bytes()); diff != "" {
				t.Errorf("calls after an error changed the buffer (-before +after):\n%s", diff)
			}
		})
	}
}

func TestEncoderUnbalanced(t *testing.T) {
	tests := []struct {
		name string
		put  func(e *attrs.Encoder)
	}{
		{
			name: "outer before inner",
			put: func(e *attrs.Encoder) {
				outer := e.Nest(1)
				inner := e.Nest(2)
				e.End(outer)
				e.End(inner)
			},
		},
		{
			name: "twice",
			put: func(e *attrs.Encoder) {
				n := e.Nest(1)
				e.End(n)
				e.End(n)
			},
		},
		{
			name: "closed sibling instead of open one",
			put: func(e *attrs.Encoder) {
				a := e.Nest(1)
				e.End(a)
				e.Nest(2)
				e.Flag(3)
				e.End(a)
			},
		},
		{
			name: "zero Nest",
			put: func(e *attrs.Encoder) {
				e.Flag(1)
				e.End(attrs.Nest{})
			},
		},
		{
			name: "zero Nest inside a nest",
			put: func(e *attrs.Encoder) {
				e.Nest(1)
				e.End(attrs.Nest{})
			},
		},
		{
			name: "Nest from before Reset",
			put: func(e *attrs.Encoder) {
				n := e.Nest(1)
				e.Reset(nil)
				e.End(n)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A prefix that End must never write to.
			prefix := []byte("0123456789abcdef")
			var e attrs.Encoder
			e.Reset(bytes.Clone(prefix))
			tt.put(&e)
			if err := e.Err(); !errors.Is(err, attrs.ErrUnbalanced) {
				t.Fatalf("Err() = %v, want %v", err, attrs.ErrUnbalanced)
			}
			if b := e.Bytes(); len(b) >= len(prefix) && !bytes.Equal(b[:len(prefix)], prefix) {
				t.Errorf("prefix overwritten: %q", b[:len(prefix)])
			}
		})
	}
}

// TestEncoderUnclosedNest documents that a nest never closed keeps the
// length of its header alone.
func TestEncoderUnclosedNest(t *testing.T) {
	var e attrs.Encoder
	e.Nest(1)
	e.Flag(2)
	if err := e.Err(); err != nil {
		t.Fatalf("Err() = %v", err)
	}
	if diff := cmp.Diff(cat(hdr(4, 1), hdr(4, 2)), e.Bytes()); diff != "" {
		t.Errorf("Bytes() mismatch (-want +got):\n%s", diff)
	}
}

func TestEncoderAppend(t *testing.T) {
	var e attrs.Encoder
	e.Reset(bytes.Repeat([]byte{0xee}, 64)[:0]) // dirty capacity: padding must be zeroed
	n := e.Nest(1)
	e.Append([]byte{1, 2, 3, 4, 5, 6}) // a fixed header, padded to 8 bytes
	e.Uint8(2, 9)
	e.End(n)
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	want := append(append(hdr(4+8+8, 1), 1, 2, 3, 4, 5, 6, 0, 0), append(hdr(5, 2), 9, 0, 0, 0)...)
	if !bytes.Equal(e.Bytes(), want) {
		t.Errorf("Append inside a nest:\n got %x\nwant %x", e.Bytes(), want)
	}

	// After an error, Append does nothing.
	e.End(attrs.Nest{})
	before := len(e.Bytes())
	e.Append([]byte{1})
	if len(e.Bytes()) != before {
		t.Error("Append wrote after an error")
	}
}
