package attrs

import (
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
)

// ErrTooLong reports an attribute, or a nest, longer than the 65535 bytes its
// 16-bit length field can describe.
var ErrTooLong = errors.New("attrs: attribute longer than 65535 bytes")

// ErrUnbalanced reports an [Encoder.End] that does not close the innermost
// open nest.
var ErrUnbalanced = errors.New("attrs: nest closed out of order")

// An Encoder appends netlink attributes to a byte slice.
//
// The zero Encoder is ready to use and starts with an empty buffer; call
// [Encoder.Reset] to append to a buffer of your own, for instance one that
// already holds a netlink message header. Bytes that precede the attributes
// are left untouched. An Encoder does not allocate once its buffer has grown
// to the size of the messages it writes.
//
// Errors are sticky: after the first one (see [ErrTooLong], [ErrUnbalanced])
// the Encoder ignores further puts, and [Encoder.Err] reports it.
type Encoder struct {
	buf  []byte
	open int // 1 + offset of the innermost open nest's header, 0 if none
	err  error
}

// A Nest marks a nested attribute opened by [Encoder.Nest]; pass it to
// [Encoder.End] to close the nest. The zero Nest closes nothing.
type Nest struct {
	off   int // 1 + offset of the nest's header, as in Encoder.open
	outer int // the enclosing nest's off, 0 if none
}

// Reset makes e append to buf, which may already hold data (a message
// header, say), and clears any error.
func (e *Encoder) Reset(buf []byte) {
	*e = Encoder{buf: buf}
}

// Bytes returns the buffer: whatever it held at [Encoder.Reset], followed by
// the encoded attributes. It aliases the Encoder's memory until the next Reset.
func (e *Encoder) Bytes() []byte { return e.buf }

// Len returns the length of the buffer in bytes.
func (e *Encoder) Len() int { return len(e.buf) }

// Err returns the first error the Encoder met, or nil.
func (e *Encoder) Err() error { return e.err }

// header appends an attribute header for a payload of n bytes followed by
// the payload's room and padding, and returns the payload's slice. It returns
// nil when the Encoder has failed.
func (e *Encoder) header(typ uint16, n int) []byte {
	if e.err != nil {
		return nil
	}
	total := HeaderLen + n
	if total > maxLen {
		e.err = ErrTooLong
		return nil
	}
	off := len(e.buf)
	e.buf = grow(e.buf, Align(total))
	binary.NativeEndian.PutUint16(e.buf[off:], uint16(total))
	binary.NativeEndian.PutUint16(e.buf[off+2:], typ)
	pad := e.buf[off+total : off+Align(total)]
	clear(pad)
	return e.buf[off+HeaderLen : off+total]
}

// grow extends b by n bytes, reallocating only when its capacity is short.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), 2*cap(b)+n)
		copy(nb, b)
		b = nb
	}
	return b[:len(b)+n]
}

// Uint8 appends an attribute holding v.
func (e *Encoder) Uint8(typ uint16, v uint8) {
	if p := e.header(typ, 1); p != nil {
		p[0] = v
	}
}

// Uint16 appends an attribute holding v in native byte order.
func (e *Encoder) Uint16(typ uint16, v uint16) {
	if p := e.header(typ, 2); p != nil {
		binary.NativeEndian.PutUint16(p, v)
	}
}

// Uint32 appends an attribute holding v in native byte order.
func (e *Encoder) Uint32(typ uint16, v uint32) {
	if p := e.header(typ, 4); p != nil {
		binary.NativeEndian.PutUint32(p, v)
	}
}

// Uint64 appends an attribute holding v in native byte order.
func (e *Encoder) Uint64(typ uint16, v uint64) {
	if p := e.header(typ, 8); p != nil {
		binary.NativeEndian.PutUint64(p, v)
	}
}

// Int32 appends an attribute holding v in native byte order.
func (e *Encoder) Int32(typ uint16, v int32) { e.Uint32(typ, uint32(v)) }

// BigEndianUint16 appends an attribute holding v in network byte order, with
// [NetByteOrder] set in its type.
func (e *Encoder) BigEndianUint16(typ uint16, v uint16) {
	if p := e.header(typ|NetByteOrder, 2); p != nil {
		p[0], p[1] = byte(v>>8), byte(v)
	}
}

// BigEndianUint32 appends an attribute holding v in network byte order, with
// [NetByteOrder] set in its type.
func (e *Encoder) BigEndianUint32(typ uint16, v uint32) {
	if p := e.header(typ|NetByteOrder, 4); p != nil {
		putBE32(p, v)
	}
}

// BigEndianUint64 appends an attribute holding v in network byte order, with
// [NetByteOrder] set in its type.
func (e *Encoder) BigEndianUint64(typ uint16, v uint64) {
	if p := e.header(typ|NetByteOrder, 8); p != nil {
		putBE32(p, uint32(v>>32))
		putBE32(p[4:], uint32(v))
	}
}

// Port appends a 16-bit value in network byte order without the
// [NetByteOrder] flag, the way rtnetlink carries UDP ports and similar
// fields (IFLA_VXLAN_PORT, IFLA_GENEVE_PORT, …).
func (e *Encoder) Port(typ uint16, v uint16) {
	if p := e.header(typ, 2); p != nil {
		p[0], p[1] = byte(v>>8), byte(v)
	}
}

func putBE32(p []byte, v uint32) {
	p[0], p[1], p[2], p[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}

// String appends s as a NUL-terminated string. s should not contain a NUL
// byte: readers, the kernel and [Decoder.String] among them, stop at the
// first one.
func (e *Encoder) String(typ uint16, s string) {
	if p := e.header(typ, len(s)+1); p != nil {
		p[copy(p, s)] = 0
	}
}

// Raw appends an attribute whose payload is b.
func (e *Encoder) Raw(typ uint16, b []byte) {
	if p := e.header(typ, len(b)); p != nil {
		copy(p, b)
	}
}

// Flag appends an attribute with no payload, whose presence is its value.
func (e *Encoder) Flag(typ uint16) { e.header(typ, 0) }

// Addr appends an IP address: 4 bytes for an IPv4 address, 16 for IPv6 (an
// IPv4-mapped IPv6 address stays 16 bytes). The zone is dropped; an invalid
// Addr appends an empty payload.
func (e *Encoder) Addr(typ uint16, a netip.Addr) {
	switch {
	case a.Is4():
		b := a.As4()
		e.Raw(typ, b[:])
	case a.Is6():
		b := a.As16()
		e.Raw(typ, b[:])
	default:
		e.Raw(typ, nil)
	}
}

// HardwareAddr appends a link-layer address.
func (e *Encoder) HardwareAddr(typ uint16, a net.HardwareAddr) { e.Raw(typ, a) }

// Append appends b verbatim, padded with zeros to a multiple of 4 bytes: a
// fixed-size structure that precedes attributes inside a nest, such as the
// ifinfomsg of a veth peer (VETH_INFO_PEER) or an rtnexthop.
func (e *Encoder) Append(b []byte) {
	if e.err != nil {
		return
	}
	off := len(e.buf)
	e.buf = grow(e.buf, Align(len(b)))
	clear(e.buf[off+copy(e.buf[off:], b):])
}

// Nest opens a nested attribute of the given type; attributes appended until
// the matching [Encoder.End] form its payload. The type is written as given:
// OR [Nested] into it where the kernel wants the flag.
func (e *Encoder) Nest(typ uint16) Nest {
	n := Nest{off: len(e.buf) + 1, outer: e.open}
	if e.header(typ, 0) != nil {
		e.open = n.off
	}
	return n
}

// End closes the nest n, writing its final length. Closing anything but the
// innermost open nest, a nest twice, or the zero Nest records
// [ErrUnbalanced].
func (e *Encoder) End(n Nest) {
	if e.err != nil {
		return
	}
	if n.off == 0 || n.off != e.open {
		e.err = ErrUnbalanced
		return
	}
	e.open = n.outer
	off := n.off - 1
	length := len(e.buf) - off
	if length > maxLen {
		e.err = ErrTooLong
		return
	}
	binary.NativeEndian.PutUint16(e.buf[off:], uint16(length))
}
