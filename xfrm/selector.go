package xfrm

import (
	"encoding/binary"
	"net/netip"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/ipproto"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// A Selector picks the traffic a state or a policy applies to (struct
// xfrm_selector), as ip's `src PREFIX dst PREFIX proto P sport N dport N
// dev NAME` arguments do.
type Selector struct {
	// Family is unix.AF_INET or unix.AF_INET6. Writing, 0 takes it from the
	// prefixes (or, for a policy, from its templates).
	Family uint16
	// Src and Dst are the source and destination prefixes; the zero Prefix
	// is any address.
	Src, Dst netip.Prefix
	// Proto is the IP protocol number (unix.IPPROTO_TCP, …), 0 for any.
	Proto uint8
	// SrcPort and DstPort are the ports (host order) with their masks: a
	// port counts only where its mask is non-zero. Writing, a non-zero port
	// with a zero mask gets the mask 0xffff. For ICMP, SrcPort holds the
	// type and DstPort the code; for GRE they hold the key's halves.
	SrcPort, SrcPortMask, DstPort, DstPortMask uint16
	// LinkIndex is the interface index (ip's dev), 0 for any.
	LinkIndex int32
	// LinkName is the interface's name. The lists and gets of a Conn fill
	// it in; writing, a LinkName with a zero LinkIndex is looked up in the
	// Conn's namespace.
	LinkName string
	// User is the user id the selector matches (shown by ip -s as uid).
	User uint32
}

// IsZero reports whether the selector matches everything and names no
// family.
func (s Selector) IsZero() bool { return s == Selector{} }

// family returns the selector's family: Family, or the prefixes'.
func (s Selector) family() uint16 {
	switch {
	case s.Family != 0:
		return s.Family
	case s.Src.IsValid():
		return familyOf(s.Src.Addr())
	case s.Dst.IsValid():
		return familyOf(s.Dst.Addr())
	}
	return 0
}

// validate checks that the prefixes agree with the family.
func (s Selector) validate(family uint16) error {
	for _, p := range []netip.Prefix{s.Src, s.Dst} {
		if p.IsValid() && familyOf(p.Addr()) != family {
			return errInvalid("selector", "prefixes "+s.Src.String()+" and "+s.Dst.String()+" are of different families")
		}
	}
	return nil
}

// put writes the selector as struct xfrm_selector with the given family.
func (s Selector) put(b []byte, family uint16) {
	clear(b[:sizeSelector])
	putAddr(b[0:], s.Dst.Addr())
	putAddr(b[16:], s.Src.Addr())
	dmask, smask := s.DstPortMask, s.SrcPortMask
	if s.DstPort != 0 && dmask == 0 {
		dmask = 0xffff
	}
	if s.SrcPort != 0 && smask == 0 {
		smask = 0xffff
	}
	binary.BigEndian.PutUint16(b[32:], s.DstPort)
	binary.BigEndian.PutUint16(b[34:], dmask)
	binary.BigEndian.PutUint16(b[36:], s.SrcPort)
	binary.BigEndian.PutUint16(b[38:], smask)
	native.Endian.PutUint16(b[40:], family)
	b[42] = byte(prefixBits(s.Dst))
	b[43] = byte(prefixBits(s.Src))
	b[44] = s.Proto
	native.Endian.PutUint32(b[48:], uint32(s.LinkIndex))
	native.Endian.PutUint32(b[52:], s.User)
}

// prefixBits is p's length, 0 for the zero Prefix.
func prefixBits(p netip.Prefix) int {
	if !p.IsValid() {
		return 0
	}
	return p.Bits()
}

// getSelector decodes a struct xfrm_selector (b holds at least
// sizeSelector bytes).
func getSelector(b []byte) Selector {
	s := Selector{
		Family:      native.Endian.Uint16(b[40:]),
		DstPort:     binary.BigEndian.Uint16(b[32:]),
		DstPortMask: binary.BigEndian.Uint16(b[34:]),
		SrcPort:     binary.BigEndian.Uint16(b[36:]),
		SrcPortMask: binary.BigEndian.Uint16(b[38:]),
		Proto:       b[44],
		LinkIndex:   int32(native.Endian.Uint32(b[48:])),
		User:        native.Endian.Uint32(b[52:]),
	}
	s.Dst = makePrefix(getAddr(b[0:], s.Family), int(b[42]))
	s.Src = makePrefix(getAddr(b[16:], s.Family), int(b[43]))
	return s
}

// makePrefix makes the prefix a/bits, or the zero Prefix when a is not
// valid or bits does not fit it.
func makePrefix(a netip.Addr, bits int) netip.Prefix {
	if !a.IsValid() || bits > a.BitLen() {
		return netip.Prefix{}
	}
	return netip.PrefixFrom(a, bits)
}

// writeJSON writes the selector's members into the open object w: src and
// dst (whose form gives the family), then proto, the ports (or ICMP type and code, or GRE key), dev and
// user, as ip xfrm prints the selector.
func (s Selector) writeJSON(w *jsonw.Writer) {
	w.String("src", prefixString(s.Src, s.Family))
	w.String("dst", prefixString(s.Dst, s.Family))
	if s.Proto != 0 {
		w.String("proto", protoName(s.Proto))
	}
	switch s.Proto {
	case unix.IPPROTO_ICMP, unix.IPPROTO_ICMPV6, ipprotoMH:
		if s.SrcPortMask != 0 {
			w.Uint("type", uint64(s.SrcPort))
		}
		if s.DstPortMask != 0 {
			w.Uint("code", uint64(s.DstPort))
		}
	case unix.IPPROTO_GRE:
		if s.SrcPortMask != 0 || s.DstPortMask != 0 {
			w.Uint("key", uint64(s.SrcPort)<<16|uint64(s.DstPort))
		}
	default:
		if s.SrcPortMask != 0 {
			w.Uint("sport", uint64(s.SrcPort))
		}
		if s.DstPortMask != 0 {
			w.Uint("dport", uint64(s.DstPort))
		}
	}
	if s.LinkIndex != 0 || s.LinkName != "" {
		w.String("dev", linkName(s.LinkIndex, s.LinkName))
	}
	w.Uint("user", uint64(s.User))
}

// ipprotoMH is the IPv6 mobility header protocol.
const ipprotoMH = 135

// prefixString prints p as ip xfrm does: ADDR/LEN, with the family's
// unspecified address for the zero Prefix.
func prefixString(p netip.Prefix, family uint16) string {
	if p.IsValid() {
		return p.String()
	}
	if family == unix.AF_INET6 {
		return "::/0"
	}
	return "0.0.0.0/0"
}

// protoName names an IP protocol as ip xfrm's selector does (from
// /etc/protocols), or gives its number.
func protoName(p uint8) string {
	if name, ok := ipproto.Name(p); ok {
		return name
	}
	return itoa(uint64(p))
}
