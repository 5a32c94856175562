package attrs_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"testing"

	"github.com/josharian/native"

	"github.com/nlkit/nlkit/attrs"
)

// FuzzDecode walks arbitrary data, descending into every attribute as if it
// were nested and calling every getter on it, and checks what the Decoder
// reports against the wire format: it must never panic, accept a malformed
// header or reject a good one, or report a payload outside its input.
func FuzzDecode(f *testing.F) {
	for _, seed := range decodeSeeds() {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkWalk(t, attrs.NewDecoder(data), data)
	})
}

// decodeSeeds returns well-formed and malformed attribute data.
func decodeSeeds() [][]byte {
	var e attrs.Encoder
	encode64Uint32(&e, nil)
	u32 := bytes.Clone(e.Bytes())
	encodeNested(&e, nil)
	nested := bytes.Clone(e.Bytes())

	seeds := [][]byte{
		nil,
		linkAttrs(),
		u32,
		nested,
		encodeStrings(),
		{8},                                  // truncated header
		cat(hdr(0, 1), pad(4)),               // length 0
		cat(hdr(3, 1), pad(4)),               // length shorter than a header
		cat(hdr(12, 1), ne32(1)),             // length past the end
		cat(hdr(8, 1), ne32(1), pad(3)),      // trailing bytes
		cat(hdr(5, 1), []byte{1}),            // last attribute unpadded
		cat(hdr(5, 1), []byte{1}, hdr(4, 2)), // padding missing in between
		cat(hdr(6, 1|attrs.NetByteOrder), []byte{0x12, 0x34}, pad(2)),
		cat(hdr(16, 1|attrs.Nested), hdr(8, 2), ne32(2), hdr(12, 3)), // bad nest
		cat(hdr(20, 1), []byte{0x20, 0x01, 0x0d, 0xb8}, pad(12)),     // IPv6
		cat(hdr(13, 1), []byte("a\x00b\x00c\x00d\x00e"), pad(3)),
	}
	for _, tt := range encoderTests {
		seeds = append(seeds, tt.want)
	}
	return seeds
}

// checkWalk walks d, a Decoder over data, checking every attribute and
// every error it reports, and recursing into each payload.
func checkWalk(t *testing.T, d attrs.Decoder, data []byte) {
	next := 0 // where the next header must start
	for d.Next() {
		off := d.Offset()
		if off != next {
			t.Fatalf("Offset() = %d, want %d", off, next)
		}
		if off%4 != 0 || off < 0 || off+attrs.HeaderLen > len(data) {
			t.Fatalf("Offset() = %d: misaligned or out of %d bytes of data", off, len(data))
		}
		length := int(native.Endian.Uint16(data[off:]))
		typ := native.Endian.Uint16(data[off+2:])
		p := d.Bytes()
		if length < attrs.HeaderLen || off+length > len(data) {
			t.Fatalf("accepted header of length %d at offset %d of %d bytes", length, off, len(data))
		}
		if len(p) != length-attrs.HeaderLen || d.Len() != len(p) {
			t.Fatalf("payload is %d bytes, Len() = %d, length field %d", len(p), d.Len(), length)
		}
		if len(p) > 0 && &p[0] != &data[off+attrs.HeaderLen] {
			t.Fatalf("Bytes() at offset %d does not alias the input", off)
		}
		if cap(p) != len(p) {
			t.Fatalf("cap(Bytes()) = %d, want %d", cap(p), len(p))
		}
		if d.Type() != typ&attrs.TypeMask || d.TypeFlags() != typ&^attrs.TypeMask {
			t.Fatalf("Type(), TypeFlags() = %#x, %#x; type field %#x", d.Type(), d.TypeFlags(), typ)
		}
		if d.Type()|d.TypeFlags() != typ {
			t.Fatalf("Type()|TypeFlags() = %#x, want %#x", d.Type()|d.TypeFlags(), typ)
		}

		checkGetters(t, d, p)
		checkWalk(t, d.Nested(), p)
		if d.Err() != nil {
			t.Fatalf("walking a payload failed the Decoder: %v", d.Err())
		}
		next = min(off+attrs.Align(length), len(data))
	}

	err := d.Err()
	rest := len(data) - next
	if err == nil {
		if rest != 0 {
			t.Fatalf("walk ended without error with %d bytes left", rest)
		}
		return
	}
	var e *attrs.Error
	if !errors.As(err, &e) {
		t.Fatalf("Err() = %v (%T), want an *attrs.Error", err, err)
	}
	if e.Offset != next || e.Type != 0 || e.Reason == "" || e.Error() == "" {
		t.Fatalf("Err() = %#v, want Offset %d, Type 0 and a Reason", e, next)
	}
	if rest >= attrs.HeaderLen {
		if n := int(native.Endian.Uint16(data[next:])); n >= attrs.HeaderLen && n <= rest {
			t.Fatalf("rejected a good header of length %d with %d bytes left: %v", n, rest, err)
		}
	}
	if d.Next() || d.Err() != err {
		t.Fatalf("error not sticky: Err() = %v, was %v", d.Err(), err)
	}
}

// checkGetters calls every getter on copies of d, whose current payload is
// p, and checks each value, or the error for a payload of the wrong length,
// against a decoding of its own.
func checkGetters(t *testing.T, d attrs.Decoder, p []byte) {
	be := d.TypeFlags()&attrs.NetByteOrder != 0
	order := binary.ByteOrder(native.Endian)
	if be {
		order = binary.BigEndian
	}

	var u8 uint8
	if len(p) == 1 {
		u8 = p[0]
	}
	checkGetter(t, d, "Uint8", (*attrs.Decoder).Uint8, u8, len(p) == 1)
	var u16, port uint16
	if len(p) == 2 {
		u16, port = order.Uint16(p), binary.BigEndian.Uint16(p)
	}
	checkGetter(t, d, "Uint16", (*attrs.Decoder).Uint16, u16, len(p) == 2)
	checkGetter(t, d, "Port", (*attrs.Decoder).Port, port, len(p) == 2)
	var u32 uint32
	if len(p) == 4 {
		u32 = order.Uint32(p)
	}
	checkGetter(t, d, "Uint32", (*attrs.Decoder).Uint32, u32, len(p) == 4)
	checkGetter(t, d, "Int32", (*attrs.Decoder).Int32, int32(u32), len(p) == 4)
	var u64 uint64
	if len(p) == 8 {
		u64 = order.Uint64(p)
	}
	checkGetter(t, d, "Uint64", (*attrs.Decoder).Uint64, u64, len(p) == 8)

	addr, ok := netip.AddrFromSlice(p)
	checkGetter(t, d, "Addr", (*attrs.Decoder).Addr, addr, ok || len(p) == 0)

	str := p
	if i := bytes.IndexByte(p, 0); i >= 0 {
		str = p[:i]
	}
	checkGetter(t, d, "String", (*attrs.Decoder).String, string(str), true)
	if sb := d.StringBytes(); !bytes.Equal(sb, str) || (len(sb) > 0 && &sb[0] != &p[0]) {
		t.Fatalf("StringBytes() = %q, want %q aliasing the payload", sb, str)
	}

	hw := d.HardwareAddr()
	if !bytes.Equal(hw, p) || (len(p) == 0) != (hw == nil) {
		t.Fatalf("HardwareAddr() = %v, want %x", hw, p)
	}
	if len(hw) > 0 && &hw[0] == &p[0] {
		t.Fatal("HardwareAddr() aliases the payload")
	}
	if d.Err() != nil {
		t.Fatalf("StringBytes() or HardwareAddr() failed: %v", d.Err())
	}
}

// checkGetter calls get on a copy of d and checks that it returns want, and
// that it records an error, at the current attribute, exactly when ok is
// false.
func checkGetter[T comparable](t *testing.T, d attrs.Decoder, name string, get func(*attrs.Decoder) T, want T, ok bool) {
	t.Helper()
	if got := get(&d); got != want {
		t.Fatalf("%s() = %v, want %v", name, got, want)
	}
	err := d.Err()
	if ok {
		if err != nil {
			t.Fatalf("%s() failed on a %d-byte payload: %v", name, d.Len(), err)
		}
		return
	}
	var e *attrs.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s() on a %d-byte payload: Err() = %v, want an *attrs.Error", name, d.Len(), err)
	}
	if e.Offset != d.Offset() || e.Type != d.Type() || e.Reason == "" {
		t.Fatalf("%s() error = %#v, want Offset %d, Type %d", name, e, d.Offset(), d.Type())
	}
	if d.Next() {
		t.Fatalf("Next() = true after %s() failed", name)
	}
}

// Opcodes of a FuzzRoundTrip program. Each is followed by its operands: a
// type (2 bytes, little-endian) and then a value whose encoding the opcode
// says. A program that runs short reads zeros.
const (
	opUint8           = iota // 1 byte
	opUint16                 // 2 bytes
	opUint32                 // 4 bytes
	opUint64                 // 8 bytes
	opInt32                  // 4 bytes
	opBigEndianUint16        // 2 bytes
	opBigEndianUint32        // 4 bytes
	opBigEndianUint64        // 8 bytes
	opPort                   // 2 bytes
	opString                 // length byte, then the string
	opRaw                    // length byte, then the bytes
	opFlag                   // nothing
	opAddr                   // kind byte (v4, v6, zero, v4-mapped v6, zoned v6), 4 or 16 bytes
	opHardwareAddr           // length byte, then the bytes
	opNest                   // nothing; opens a nest
	opEnd                    // no type: closes the innermost nest, if any
	opBigRaw                 // length (2 bytes); a payload that long
	opEndZero                // no type: closes the zero Nest, an error
	opEndAgain               // no type: closes the last nest closed again, an error
	numOps
)

// program reads a FuzzRoundTrip program, returning zeros once it runs out.
type program []byte

func (p *program) next8() byte {
	if len(*p) == 0 {
		return 0
	}
	c := (*p)[0]
	*p = (*p)[1:]
	return c
}

func (p *program) nextBytes(n int) []byte {
	n = min(n, len(*p))
	b := (*p)[:n]
	*p = (*p)[n:]
	return b
}

func (p *program) next16() uint16 { return uint16(p.next8()) | uint16(p.next8())<<8 }
func (p *program) next32() uint32 { return uint32(p.next16()) | uint32(p.next16())<<16 }
func (p *program) next64() uint64 { return uint64(p.next32()) | uint64(p.next32())<<32 }

// node is an attribute a FuzzRoundTrip program put, and what decoding it
// must give back.
type node struct {
	op   byte
	typ  uint16 // the type field the Encoder must write, flags included
	u    uint64 // integer value
	b    []byte // String, Raw, HardwareAddr and BigRaw payload
	addr netip.Addr
	kids []node // a nest's attributes
}

// model runs prog on e, predicting what the Encoder does: it returns the
// attributes put, the number of bytes they take, and the Encoder's error.
// After an error it keeps calling e, which must ignore the calls, but stops
// recording.
func model(e *attrs.Encoder, prog program) (top []node, size int, err error) {
	type frame struct {
		nest  attrs.Nest
		start int // size at the nest's header
		kids  []node
		node  node
	}
	var (
		stack  []frame
		closed attrs.Nest // the nest closed last, if any
	)
	kids := &top
	add := func(n node, payload int) {
		if err != nil {
			return
		}
		if attrs.HeaderLen+payload > 0xffff {
			err = attrs.ErrTooLong
			return
		}
		*kids = append(*kids, n)
		size += attrs.Align(attrs.HeaderLen + payload)
	}
	end := func() {
		f := &stack[len(stack)-1]
		e.End(f.nest)
		closed = f.nest
		if err == nil {
			if size-f.start > 0xffff {
				err = attrs.ErrTooLong
			}
		}
		f.node.kids = f.kids
		stack = stack[:len(stack)-1]
		kids = &top
		if len(stack) > 0 {
			kids = &stack[len(stack)-1].kids
		}
		if err == nil {
			*kids = append(*kids, f.node)
		}
	}

	for len(prog) > 0 {
		op := prog.next8() % numOps
		var typ uint16
		if op != opEnd && op != opEndZero && op != opEndAgain {
			typ = prog.next16()
		}
		plain := typ &^ attrs.NetByteOrder // keeps native-order integers native
		switch op {
		case opUint8:
			v := prog.next8()
			e.Uint8(plain, v)
			add(node{op: op, typ: plain, u: uint64(v)}, 1)
		case opUint16:
			v := prog.next16()
			e.Uint16(plain, v)
			add(node{op: op, typ: plain, u: uint64(v)}, 2)
		case opUint32:
			v := prog.next32()
			e.Uint32(plain, v)
			add(node{op: op, typ: plain, u: uint64(v)}, 4)
		case opUint64:
			v := prog.next64()
			e.Uint64(plain, v)
			add(node{op: op, typ: plain, u: v}, 8)
		case opInt32:
			v := prog.next32()
			e.Int32(plain, int32(v))
			add(node{op: op, typ: plain, u: uint64(v)}, 4)
		case opBigEndianUint16:
			v := prog.next16()
			e.BigEndianUint16(typ, v)
			add(node{op: op, typ: typ | attrs.NetByteOrder, u: uint64(v)}, 2)
		case opBigEndianUint32:
			v := prog.next32()
			e.BigEndianUint32(typ, v)
			add(node{op: op, typ: typ | attrs.NetByteOrder, u: uint64(v)}, 4)
		case opBigEndianUint64:
			v := prog.next64()
			e.BigEndianUint64(typ, v)
			add(node{op: op, typ: typ | attrs.NetByteOrder, u: v}, 8)
		case opPort:
			v := prog.next16()
			e.Port(typ, v)
			add(node{op: op, typ: typ, u: uint64(v)}, 2)
		case opString:
			s := prog.nextBytes(int(prog.next8()))
			e.String(typ, string(s))
			add(node{op: op, typ: typ, b: s}, len(s)+1)
		case opRaw:
			b := prog.nextBytes(int(prog.next8()))
			e.Raw(typ, b)
			add(node{op: op, typ: typ, b: b}, len(b))
		case opFlag:
			e.Flag(typ)
			add(node{op: op, typ: typ}, 0)
		case opAddr:
			var a, want netip.Addr
			var b16 [16]byte
			switch prog.next8() % 5 {
			case 0:
				a = netip.AddrFrom4([4]byte{prog.next8(), prog.next8(), prog.next8(), prog.next8()})
			case 1:
				copy(b16[:], prog.nextBytes(16))
				a = netip.AddrFrom16(b16)
			case 2:
				// The zero Addr.
			case 3:
				a = netip.AddrFrom16(netip.AddrFrom4([4]byte{prog.next8(), prog.next8(), prog.next8(), prog.next8()}).As16())
			case 4:
				copy(b16[:], prog.nextBytes(16))
				a = netip.AddrFrom16(b16).WithZone("eth0")
			}
			want = a.WithZone("")
			e.Addr(typ, a)
			add(node{op: op, typ: typ, addr: want}, len(want.AsSlice()))
		case opHardwareAddr:
			b := prog.nextBytes(int(prog.next8()))
			e.HardwareAddr(typ, net.HardwareAddr(b))
			add(node{op: op, typ: typ, b: b}, len(b))
		case opNest:
			n := e.Nest(typ)
			stack = append(stack, frame{nest: n, start: size, node: node{op: op, typ: typ}})
			if err == nil {
				size += attrs.HeaderLen
			}
			kids = &stack[len(stack)-1].kids
		case opEnd:
			if len(stack) > 0 {
				end()
			}
		case opBigRaw:
			b := make([]byte, prog.next16())
			for i := range b {
				b[i] = byte(i)
			}
			e.Raw(typ, b)
			add(node{op: op, typ: typ, b: b}, len(b))
		case opEndZero:
			e.End(attrs.Nest{})
			if err == nil {
				err = attrs.ErrUnbalanced
			}
		case opEndAgain:
			if closed != (attrs.Nest{}) {
				e.End(closed)
				if err == nil {
					err = attrs.ErrUnbalanced
				}
			}
		}
	}
	for len(stack) > 0 {
		end()
	}
	return top, size, err
}

// FuzzRoundTrip runs a program of puts and nests on an Encoder that appends
// to a dirty buffer after a prefix, then decodes the result: every attribute
// must come back with the type and value put, padding zeroed and the prefix
// untouched, or the Encoder must report the error the program called for.
func FuzzRoundTrip(f *testing.F) {
	seeds := []struct {
		prefix uint8
		prog   []byte
	}{
		{0, nil},
		{16, []byte{
			opString, 3, 0, 6, 'v', 'x', 'l', 'a', 'n', '0',
			opUint32, 4, 0, 0xaa, 0x05, 0, 0,
			opNest, 18, 0x80,
			/**/ opString, 1, 0, 5, 'v', 'x', 'l', 'a', 'n',
			/**/ opNest, 2, 0x80,
			/*    */ opUint32, 1, 0, 42, 0, 0, 0,
			/*    */ opPort, 15, 0, 0x12, 0xb5,
			/*    */ opAddr, 2, 0, 0, 192, 0, 2, 1,
			/**/ opEnd,
			opEnd,
		}},
		{0, []byte{
			opUint8, 1, 0, 0xfe,
			opUint16, 2, 0x40, 0x34, 0x12, // NetByteOrder in the type must be dropped
			opUint64, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8,
			opInt32, 4, 0, 0xfe, 0xff, 0xff, 0xff,
			opBigEndianUint16, 5, 0, 0x34, 0x12,
			opBigEndianUint32, 6, 0x40, 4, 3, 2, 1,
			opBigEndianUint64, 7, 0xc0, 1, 2, 3, 4, 5, 6, 7, 8,
			opFlag, 8, 0,
			opRaw, 9, 0, 3, 0xde, 0xad, 0xbe,
			opHardwareAddr, 10, 0, 6, 2, 0, 0x5e, 0x10, 0x20, 0x30,
			opHardwareAddr, 10, 0, 0,
			opString, 11, 0, 3, 'a', 0, 'b',
			opAddr, 12, 0, 2,
		}},
		{4, []byte{
			opAddr, 1, 0, 0, 10, 0, 0, 1,
			opAddr, 1, 0, 1, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
			opAddr, 1, 0, 3, 192, 0, 2, 1,
			opAddr, 1, 0, 4, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		}},
		{0, []byte{opNest, 1, 0, opNest, 2, 0, opNest, 3, 0, opFlag, 4, 0, opEnd, opFlag, 5, 0}},
		{0, []byte{opBigRaw, 1, 0, 0xfb, 0xff, opFlag, 2, 0}},                             // largest attribute
		{0, []byte{opBigRaw, 1, 0, 0xfc, 0xff, opFlag, 2, 0}},                             // ErrTooLong
		{0, []byte{opNest, 1, 0, opBigRaw, 2, 0, 0x40, 0x9c, opBigRaw, 3, 0, 0x40, 0x9c}}, // nest too long
		{8, []byte{opNest, 1, 0, opFlag, 2, 0, opEndZero, opFlag, 3, 0, opEnd}},           // ErrUnbalanced
		{0, []byte{opNest, 1, 0, opEnd, opNest, 2, 0, opFlag, 3, 0, opEndAgain, opEnd}},   // ErrUnbalanced
	}
	for _, s := range seeds {
		f.Add(s.prefix, s.prog)
	}

	f.Fuzz(func(t *testing.T, prefixLen uint8, prog []byte) {
		// A buffer full of garbage, with a prefix the Encoder must keep.
		n := int(prefixLen % 64)
		buf := bytes.Repeat([]byte{0xa5}, n+64)
		prefix := bytes.Clone(buf[:n])

		var e attrs.Encoder
		if n > 0 {
			e.Reset(buf[:n])
		}
		want, size, wantErr := model(&e, prog)
		out := e.Bytes()

		if err := e.Err(); err != wantErr {
			t.Fatalf("Err() = %v, want %v", err, wantErr)
		}
		if len(out) < n || !bytes.Equal(out[:n], prefix) {
			t.Fatalf("prefix %x became %x", prefix, out[:min(n, len(out))])
		}
		if wantErr != nil {
			// The buffer stopped growing at the error.
			if e.Len() != n+size {
				t.Fatalf("Len() = %d after %v, want %d", e.Len(), wantErr, n+size)
			}
			return
		}
		if e.Len() != n+size || len(out) != n+size {
			t.Fatalf("Len() = %d, len(Bytes()) = %d, want %d", e.Len(), len(out), n+size)
		}
		checkTree(t, attrs.NewDecoder(out[n:]), out[n:], want)
	})
}

// checkTree checks that d, a Decoder over data, gives back exactly the
// attributes in want.
func checkTree(t *testing.T, d attrs.Decoder, data []byte, want []node) {
	for i, w := range want {
		if !d.Next() {
			t.Fatalf("attribute %d of %d missing: Err() = %v", i, len(want), d.Err())
		}
		if d.Type()|d.TypeFlags() != w.typ {
			t.Fatalf("attribute %d: type %#x, want %#x", i, d.Type()|d.TypeFlags(), w.typ)
		}
		end := d.Offset() + attrs.HeaderLen + d.Len()
		if padding := data[end:min(attrs.Align(end), len(data))]; !allZero(padding) {
			t.Fatalf("attribute %d: padding %x not zeroed", i, padding)
		}

		var got any
		switch w.op {
		case opUint8:
			got = uint64(d.Uint8())
		case opUint16, opBigEndianUint16:
			got = uint64(d.Uint16())
		case opUint32, opBigEndianUint32:
			got = uint64(d.Uint32())
		case opUint64, opBigEndianUint64:
			got = d.Uint64()
		case opInt32:
			got = uint64(uint32(d.Int32()))
		case opPort:
			got = uint64(d.Port())
		}
		if got != nil && got != w.u {
			t.Fatalf("attribute %d (op %d): got %#x, want %#x", i, w.op, got, w.u)
		}

		switch w.op {
		case opString:
			s := w.b
			if j := bytes.IndexByte(s, 0); j >= 0 {
				s = s[:j]
			}
			if got := d.String(); got != string(s) {
				t.Fatalf("attribute %d: String() = %q, want %q", i, got, s)
			}
			if p := d.Bytes(); !bytes.Equal(p, append(bytes.Clone(w.b), 0)) {
				t.Fatalf("attribute %d: payload %q, want %q and a NUL", i, p, w.b)
			}
		case opRaw, opBigRaw:
			if !bytes.Equal(d.Bytes(), w.b) {
				t.Fatalf("attribute %d: Bytes() = %x, want %x", i, d.Bytes(), w.b)
			}
		case opFlag:
			if d.Len() != 0 {
				t.Fatalf("attribute %d: flag has a %d-byte payload", i, d.Len())
			}
		case opAddr:
			if got := d.Addr(); got != w.addr {
				t.Fatalf("attribute %d: Addr() = %v, want %v", i, got, w.addr)
			}
		case opHardwareAddr:
			if got := d.HardwareAddr(); !bytes.Equal(got, w.b) || (got == nil) != (len(w.b) == 0) {
				t.Fatalf("attribute %d: HardwareAddr() = %v, want %v", i, got, net.HardwareAddr(w.b))
			}
		case opNest:
			checkTree(t, d.Nested(), d.Bytes(), w.kids)
		}
		if err := d.Err(); err != nil {
			t.Fatalf("attribute %d (op %d): %v", i, w.op, err)
		}
	}
	if d.Next() {
		t.Fatalf("unexpected attribute %d of type %#x after the %d put", len(want), d.Type(), len(want))
	}
	if err := d.Err(); err != nil {
		t.Fatalf("Err() = %v", err)
	}
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
