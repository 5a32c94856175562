package attrs

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
)

// An Error describes malformed attribute data: where it was met and what was
// wrong.
type Error struct {
	// Offset is the position of the offending attribute header in the
	// decoded slice.
	Offset int
	// Type is the attribute's type without flags, or 0 when the header
	// itself is malformed: truncated, or with a length that does not fit.
	Type uint16
	// Reason says what was wrong.
	Reason string
}

// Error says where the attribute data is malformed and how.
func (e *Error) Error() string {
	if e.Type == 0 {
		return fmt.Sprintf("attrs: malformed attribute at offset %d: %s", e.Offset, e.Reason)
	}
	return fmt.Sprintf("attrs: attribute type %d at offset %d: %s", e.Type, e.Offset, e.Reason)
}

// A Decoder walks the attributes in a byte slice without copying them.
//
//	d := attrs.NewDecoder(b)
//	for d.Next() {
//		switch d.Type() {
//		case unix.IFLA_MTU:
//			mtu = d.Uint32()
//		case unix.IFLA_IFNAME:
//			name = d.String()
//		}
//	}
//	if err := d.Err(); err != nil { … }
//
// A malformed header ends the walk; a getter that finds a payload of the wrong
// length returns the zero value. Either records an error (an [*Error]) that
// [Decoder.Err] returns, and [Decoder.Next] returns false from then on. A
// Decoder is a small value: copy it freely, and nest by calling
// [Decoder.Nested].
type Decoder struct {
	b    []byte
	off  int    // offset in b of the next attribute header
	cur  int    // offset in b of the current attribute header
	typ  uint16 // current type field, flags included
	data []byte // current payload
	err  *Error
}

// NewDecoder returns a Decoder over the attributes in b.
func NewDecoder(b []byte) Decoder { return Decoder{b: b, cur: -1} }

// Next advances to the next attribute and reports whether there is one. It
// returns false at the end of the data and after any error.
func (d *Decoder) Next() bool {
	// The checks that pass on well-formed data are kept small enough for
	// Next to be inlined; what fails goes to malformed.
	rest := d.b[d.off:]
	if d.err != nil || len(rest) < HeaderLen {
		return d.end(len(rest))
	}
	n := int(binary.NativeEndian.Uint16(rest))
	if n < HeaderLen || n > len(rest) {
		return d.malformed(n, len(rest))
	}
	d.cur = d.off
	d.typ = binary.NativeEndian.Uint16(rest[2:])
	d.data = rest[HeaderLen:n:n]
	d.off += min(Align(n), len(rest))
	return true
}

// end ends a walk that has rest bytes left, too few for a header: at the
// end of the data, after an error, or on trailing bytes, an error.
func (d *Decoder) end(rest int) bool {
	d.data = nil
	if d.err == nil && rest > 0 {
		d.fail(d.off, 0, fmt.Sprintf("%d trailing bytes, too short for a header", rest))
	}
	return false
}

// malformed records a header whose length n does not fit the rest bytes
// left.
func (d *Decoder) malformed(n, rest int) bool {
	d.fail(d.off, 0, fmt.Sprintf("length %d does not fit the %d bytes left", n, rest))
	return false
}

func (d *Decoder) fail(off int, typ uint16, reason string) {
	if d.err == nil {
		d.err = &Error{Offset: off, Type: typ, Reason: reason}
	}
}

// Err returns the first error met, or nil.
func (d *Decoder) Err() error {
	if d.err == nil {
		return nil
	}
	return d.err
}

// Type returns the current attribute's type, without flags.
func (d *Decoder) Type() uint16 { return d.typ & TypeMask }

// TypeFlags returns the current attribute's flag bits ([Nested],
// [NetByteOrder]).
func (d *Decoder) TypeFlags() uint16 { return d.typ &^ TypeMask }

// Offset returns the position of the current attribute's header in the data
// the Decoder walks.
func (d *Decoder) Offset() int { return d.cur }

// Bytes returns the current payload. It aliases the decoded data: copy it to
// keep it past the data's lifetime.
func (d *Decoder) Bytes() []byte { return d.data }

// Len returns the length of the current payload.
func (d *Decoder) Len() int { return len(d.data) }

// payload returns the current payload if it is exactly n bytes long, and
// records an error otherwise.
func (d *Decoder) payload(n int) []byte {
	if len(d.data) != n {
		return d.wrongLength(n)
	}
	return d.data
}

// wrongLength records a payload that is not n bytes long, and returns nil.
func (d *Decoder) wrongLength(n int) []byte {
	d.fail(d.cur, d.Type(), fmt.Sprintf("payload is %d bytes, want %d", len(d.data), n))
	return nil
}

func (d *Decoder) bigEndian() bool { return d.typ&NetByteOrder != 0 }

// Uint8 returns the current payload as a u8.
func (d *Decoder) Uint8() uint8 {
	if p := d.payload(1); p != nil {
		return p[0]
	}
	return 0
}

// Uint16 returns the current payload as a u16, in native byte order unless
// the attribute has [NetByteOrder] set.
func (d *Decoder) Uint16() uint16 {
	if len(d.data) == 2 && d.typ&NetByteOrder == 0 {
		return binary.NativeEndian.Uint16(d.data) // kept small enough to inline
	}
	return d.uint16()
}

func (d *Decoder) uint16() uint16 {
	if p := d.payload(2); p != nil {
		return uint16(p[0])<<8 | uint16(p[1])
	}
	return 0
}

// Uint32 returns the current payload as a u32, in native byte order unless
// the attribute has [NetByteOrder] set.
func (d *Decoder) Uint32() uint32 {
	if len(d.data) == 4 && d.typ&NetByteOrder == 0 {
		return binary.NativeEndian.Uint32(d.data) // kept small enough to inline
	}
	return d.uint32()
}

func (d *Decoder) uint32() uint32 {
	if p := d.payload(4); p != nil {
		return be32(p)
	}
	return 0
}

// Uint64 returns the current payload as a u64, in native byte order unless
// the attribute has [NetByteOrder] set.
func (d *Decoder) Uint64() uint64 {
	p := d.payload(8)
	switch {
	case p == nil:
		return 0
	case d.bigEndian():
		return uint64(be32(p))<<32 | uint64(be32(p[4:]))
	default:
		return binary.NativeEndian.Uint64(p)
	}
}

// Int32 returns the current payload as an s32.
func (d *Decoder) Int32() int32 { return int32(d.Uint32()) }

// Port returns a 16-bit payload in network byte order, whether or not the
// attribute has [NetByteOrder] set: the counterpart of [Encoder.Port].
func (d *Decoder) Port() uint16 {
	if p := d.payload(2); p != nil {
		return uint16(p[0])<<8 | uint16(p[1])
	}
	return 0
}

func be32(p []byte) uint32 {
	return uint32(p[0])<<24 | uint32(p[1])<<16 | uint32(p[2])<<8 | uint32(p[3])
}

// String returns the payload as a string, up to its first NUL byte (or the
// whole payload when it has none). It allocates a copy; see
// [Decoder.StringBytes] for one that does not.
func (d *Decoder) String() string { return string(d.StringBytes()) }

// StringBytes returns the payload up to its first NUL byte, aliasing the
// decoded data.
func (d *Decoder) StringBytes() []byte {
	for i, c := range d.data {
		if c == 0 {
			return d.data[:i]
		}
	}
	return d.data
}

// Addr returns a 4-byte payload as an IPv4 address and a 16-byte payload as
// an IPv6 address. An empty payload, which [Encoder.Addr] writes for the zero
// Addr, yields the zero Addr; any other length records an error.
func (d *Decoder) Addr() netip.Addr {
	if len(d.data) == 4 {
		return netip.AddrFrom4([4]byte(d.data)) // kept small enough to inline
	}
	return d.otherAddr()
}

// otherAddr is Addr for a payload of other than 4 bytes.
func (d *Decoder) otherAddr() netip.Addr {
	switch len(d.data) {
	case 0:
		return netip.Addr{}
	case 16:
		return netip.AddrFrom16([16]byte(d.data))
	}
	d.fail(d.cur, d.Type(), fmt.Sprintf("payload is %d bytes, want an IPv4 or IPv6 address", len(d.data)))
	return netip.Addr{}
}

// HardwareAddr returns a copy of the payload as a link-layer address, or nil
// for an empty payload.
func (d *Decoder) HardwareAddr() net.HardwareAddr {
	if len(d.data) == 0 {
		return nil
	}
	return net.HardwareAddr(append([]byte(nil), d.data...))
}

// Nested returns a Decoder over the current payload. Errors met by the
// returned Decoder are its own: check its Err too.
func (d *Decoder) Nested() Decoder { return NewDecoder(d.data) }
