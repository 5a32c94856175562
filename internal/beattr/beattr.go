// Package beattr encodes and decodes the netlink attributes that carry a
// 32- or 64-bit value in network byte order without the
// NLA_F_NET_BYTEORDER flag, as the kernel carries tunnel keys and ids,
// flow labels and MACsec SCIs and SSCIs: the counterparts, for those
// widths, of [attrs.Encoder.Port] and [attrs.Decoder.Port].
package beattr

import (
	"encoding/binary"

	"github.com/nlkit/nlkit/attrs"
)

// PutUint32 appends v as a u32 in network byte order, without the flag.
func PutUint32(e *attrs.Encoder, typ uint16, v uint32) {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	e.Raw(typ, b[:])
}

// PutUint64 appends v as a u64 in network byte order, without the flag.
func PutUint64(e *attrs.Encoder, typ uint16, v uint64) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	e.Raw(typ, b[:])
}

// Uint32 returns the current attribute's u32 as PutUint32 appends it: in
// network byte order, whether or not the attribute has the flag. A payload
// that is not 4 bytes long records an error in d and yields 0.
func Uint32(d *attrs.Decoder) uint32 {
	v := d.Uint32() // checks the length, and converts a flagged payload
	if b := d.Bytes(); len(b) == 4 && d.TypeFlags()&attrs.NetByteOrder == 0 {
		return binary.BigEndian.Uint32(b)
	}
	return v
}

// Uint64 returns the current attribute's u64 as PutUint64 appends it: in
// network byte order, whether or not the attribute has the flag. A payload
// that is not 8 bytes long records an error in d and yields 0.
func Uint64(d *attrs.Decoder) uint64 {
	v := d.Uint64() // checks the length, and converts a flagged payload
	if b := d.Bytes(); len(b) == 8 && d.TypeFlags()&attrs.NetByteOrder == 0 {
		return binary.BigEndian.Uint64(b)
	}
	return v
}
