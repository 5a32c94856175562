package rtnl

import (
	"net/netip"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/beattr"
)

// This file holds the helpers for the optional settings of links and link
// kinds, which are pointer fields: nil is not sent, and a decoded value
// points into one struct that backs all the pointer fields of the value
// (a linkValues, vxlanValues, …), so that decoding allocates once.
//
// The put functions append the attribute for a field only when it is set.
// The Field functions store the current attribute's payload in *p, the
// backing struct's field, and return p, for the caller to assign to the
// pointer field. They are generic over the named types of the kinds
// (VxlanDF, MacvlanMode, …), whose underlying type sets the payload's size.

// putUint8 appends *p as a u8 when p is not nil.
func putUint8[T ~uint8](w *writer, typ uint16, p *T) {
	if p != nil {
		w.Uint8(typ, uint8(*p))
	}
}

// putUint16 appends *p as a u16 in host byte order when p is not nil.
func putUint16[T ~uint16](w *writer, typ uint16, p *T) {
	if p != nil {
		w.Uint16(typ, uint16(*p))
	}
}

// putUint32 appends *p as a u32 in host byte order when p is not nil.
func putUint32[T ~uint32](w *writer, typ uint16, p *T) {
	if p != nil {
		w.Uint32(typ, uint32(*p))
	}
}

// putInt32 appends *p as an s32 in host byte order when p is not nil.
func putInt32[T ~int32](w *writer, typ uint16, p *T) {
	if p != nil {
		w.Int32(typ, int32(*p))
	}
}

// putUint64 appends *p as a u64 in host byte order when p is not nil.
func putUint64[T ~uint64](w *writer, typ uint16, p *T) {
	if p != nil {
		w.Uint64(typ, uint64(*p))
	}
}

// putPort appends *p as a u16 in network byte order without the
// NLA_F_NET_BYTEORDER flag ([attrs.Encoder.Port]) when p is not nil.
func putPort[T ~uint16](w *writer, typ uint16, p *T) {
	if p != nil {
		w.Port(typ, uint16(*p))
	}
}

// putBool appends *p as a u8, 1 for true and 0 for false, when p is not
// nil.
func putBool(w *writer, typ uint16, p *bool) {
	if p != nil {
		var v uint8
		if *p {
			v = 1
		}
		w.Uint8(typ, v)
	}
}

// putFlag appends an attribute without payload when on is true.
func putFlag(w *writer, typ uint16, on bool) {
	if on {
		w.Flag(typ)
	}
}

// putAddr appends a when it is valid (not the zero Addr).
func putAddr(w *writer, typ uint16, a netip.Addr) {
	if a.IsValid() {
		w.Addr(typ, a)
	}
}

// bigEndian32 appends v as a u32 in network byte order without the
// NLA_F_NET_BYTEORDER flag, as the kernel carries tunnel keys, flow
// information and flow labels: the 32-bit counterpart of
// [attrs.Encoder.Port].
func (w *writer) bigEndian32(typ uint16, v uint32) { beattr.PutUint32(&w.Encoder, typ, v) }

// putBigEndian32 appends *p as [writer.bigEndian32] does when p is not nil.
func putBigEndian32(w *writer, typ uint16, p *uint32) {
	if p != nil {
		w.bigEndian32(typ, *p)
	}
}

// uint8Field stores the current attribute's u8 in *p and returns p.
func uint8Field[T ~uint8](d *attrs.Decoder, p *T) *T {
	*p = T(d.Uint8())
	return p
}

// uint16Field stores the current attribute's u16 in *p and returns p.
func uint16Field[T ~uint16](d *attrs.Decoder, p *T) *T {
	*p = T(d.Uint16())
	return p
}

// uint32Field stores the current attribute's u32 in *p and returns p.
func uint32Field[T ~uint32](d *attrs.Decoder, p *T) *T {
	*p = T(d.Uint32())
	return p
}

// int32Field stores the current attribute's s32 in *p and returns p.
func int32Field[T ~int32](d *attrs.Decoder, p *T) *T {
	*p = T(d.Int32())
	return p
}

// uint64Field stores the current attribute's u64 in *p and returns p.
func uint64Field[T ~uint64](d *attrs.Decoder, p *T) *T {
	*p = T(d.Uint64())
	return p
}

// portField stores the current attribute's u16 in network byte order
// ([attrs.Decoder.Port]) in *p and returns p.
func portField[T ~uint16](d *attrs.Decoder, p *T) *T {
	*p = T(d.Port())
	return p
}

// boolField stores whether the current attribute's u8 is not zero in *p
// and returns p.
func boolField(d *attrs.Decoder, p *bool) *bool {
	*p = d.Uint8() != 0
	return p
}

// bigEndian32 returns the current attribute's u32 as
// [writer.bigEndian32] appends it: in network byte order, whether or not
// the attribute has the NLA_F_NET_BYTEORDER flag.
func bigEndian32(d *attrs.Decoder) uint32 { return beattr.Uint32(d) }

// bigEndian32Field stores [bigEndian32] of the current attribute in *p and
// returns p.
func bigEndian32Field(d *attrs.Decoder, p *uint32) *uint32 {
	*p = bigEndian32(d)
	return p
}
