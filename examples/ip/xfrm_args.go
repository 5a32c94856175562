package main

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/xfrm"
)

// failure is one of ip xfrm's checks that exit with status 1.
func failure(format string, args ...any) error {
	return &exitError{fmt.Sprintf(format, args...), 1}
}

// u32 reads a number as ip's get_u32 does (decimal, 0x hex or 0 octal).
func u32(v string) (uint32, bool) {
	n, err := parseCUint(v, 32)
	return uint32(n), err == nil
}

// nextPrefix reads the next argument, ADDR[/PLEN], as ip's get_prefix
// does.
func (a *words) nextPrefix() (netip.Prefix, error) {
	v, err := a.value()
	if err != nil {
		return netip.Prefix{}, err
	}
	p, err := parsePrefix(v)
	if err != nil || (a.family != 0 && familyOfAddr(p.Addr()) != a.family) {
		name := "any valid"
		switch a.family {
		case unix.AF_INET:
			name = "inet"
		case unix.AF_INET6:
			name = "inet6"
		}
		return p, &exitError{"Error: " + name + " prefix is expected rather than \"" + v + "\".", 1}
	}
	return p, nil
}

// familyOfAddr is an address's family.
func familyOfAddr(a netip.Addr) uint16 {
	if a.Is4() {
		return unix.AF_INET
	}
	return unix.AF_INET6
}

// xfrmID is what ip's xfrm_id_parse reads: the addresses (with the lengths
// given, for filters), the protocol and the SPI.
type xfrmID struct {
	src, dst     netip.Prefix
	family       uint16 // of the last address, 0 for none
	proto        xfrm.Proto
	spi          uint32
	hasSPI, seen bool
}

// id reads an ID (src, dst, proto and spi, in a row) from the current
// argument on, leaving a at its last word; loose allows no proto. As in
// ip, the addresses are read in the family of -4 or -6, or of what came
// before the ID, and the ID's family becomes the family of what follows.
func (a *words) id(loose bool) (xfrmID, error) {
	var id xfrmID
	start := a.i
loop:
	for {
		w := a.last()
		switch w {
		case "src", "dst":
			p, err := a.nextPrefix()
			if err != nil {
				return id, err
			}
			if w == "src" {
				id.src = p
			} else {
				id.dst = p
			}
			id.family = familyOfAddr(p.Addr())
		case "proto":
			v, err := a.value()
			if err != nil {
				return id, err
			}
			p, ok := xfrmProtoByName(v)
			if !ok {
				return id, invarg("XFRM-PROTO value is invalid", v)
			}
			id.proto = p
		case "spi":
			v, err := a.value()
			if err != nil {
				return id, err
			}
			n, ok := u32(v)
			if !ok {
				return id, invarg("SPI value is invalid", v)
			}
			id.spi, id.hasSPI = n, true
		default:
			a.back()
			break loop
		}
		if !a.more() {
			break
		}
		a.take()
	}
	id.seen = a.i >= start
	if id.src.IsValid() && id.dst.IsValid() && id.src.Addr().Is4() != id.dst.Addr().Is4() {
		return id, invarg("the same address family is required between values after \"src\" and \"dst\"", a.last())
	}
	if id.spi != 0 && id.proto != 0 {
		switch {
		case id.proto == xfrm.ProtoRoute2 || id.proto == xfrm.ProtoHAO:
			return id, failure("\"spi\" is invalid with XFRM-PROTO value \"%s\"", id.proto)
		case id.proto == xfrm.ProtoComp && id.spi >= 0x10000:
			return id, failure("SPI value is too large with XFRM-PROTO value \"%s\"", id.proto)
		}
	}
	if !loose && id.proto == 0 {
		return id, missarg("XFRM-PROTO")
	}
	if !id.seen {
		return id, missarg("ID")
	}
	if a.family == 0 {
		a.family = id.family
	}
	return id, nil
}

// xfrmProtoByName reads an XFRM-PROTO as ip does: by name only.
func xfrmProtoByName(v string) (xfrm.Proto, bool) {
	for _, p := range []xfrm.Proto{xfrm.ProtoESP, xfrm.ProtoAH, xfrm.ProtoComp, xfrm.ProtoRoute2, xfrm.ProtoHAO, xfrm.ProtoAny} {
		if p.String() == v {
			return p, true
		}
	}
	return 0, false
}

// mode reads a MODE, abbreviated as ip allows.
func mode(v string) (xfrm.Mode, error) {
	for _, m := range []xfrm.Mode{xfrm.ModeTransport, xfrm.ModeTunnel, xfrm.ModeRO, xfrm.ModeInTrigger, xfrm.ModeBEET} {
		if matches(v, m.String()) {
			return m, nil
		}
	}
	return 0, invarg("MODE value is invalid", v)
}

// mark reads `mark V [mask M]` from "mark" on; the mask is all ones when
// not given.
func (a *words) mark() (xfrm.Mark, error) {
	v, err := a.value()
	if err != nil {
		return xfrm.Mark{}, err
	}
	m := xfrm.Mark{Mask: 0xffffffff}
	var ok bool
	if m.Value, ok = u32(v); !ok {
		return m, invarg("MARK value is invalid\n", v)
	}
	if a.peek() == "mask" {
		a.take()
		v, err := a.value()
		if err != nil {
			return m, err
		}
		if m.Mask, ok = u32(v); !ok {
			return m, invarg("MASK value is invalid\n", v)
		}
	}
	return m, nil
}

// seq reads a SEQ as ip does: its number in network byte order.
func (a *words) seq() (uint32, error) {
	n, err := a.u32Arg("SEQ value is invalid")
	return binary.NativeEndian.Uint32(binary.BigEndian.AppendUint32(nil, n)), err
}

// selector reads a SELECTOR from the current argument on (src, dst, dev
// and one run of UPSPEC words), leaving a at its last word; it reads
// nothing when the current word starts none.
func (a *words) selector(sel *xfrm.Selector) (bool, error) {
	read, err := a.selectorWords(sel)
	if err == nil && sel.Src.IsValid() && sel.Dst.IsValid() && sel.Src.Addr().Is4() != sel.Dst.Addr().Is4() {
		return read, invarg("the same address family is required between values after \"src\" and \"dst\"", a.last())
	}
	return read, err
}

// selectorWords reads the words of a SELECTOR for selector.
func (a *words) selectorWords(sel *xfrm.Selector) (bool, error) {
	start, upspec := a.i, false
	for {
		switch w := a.last(); w {
		case "src", "dst":
			p, err := a.nextPrefix()
			if err != nil {
				return false, err
			}
			if w == "src" {
				sel.Src = p
			} else {
				sel.Dst = p
			}
			sel.Family = familyOfAddr(p.Addr())
		case "dev":
			v, err := a.value()
			if err != nil {
				return false, err
			}
			if v != "none" {
				sel.LinkName = v
			}
		default:
			if upspec {
				a.back()
				return a.i >= start, nil
			}
			upspec = true
			if err := a.upspec(sel); err != nil {
				return false, err
			}
			if a.i < start {
				return false, nil
			}
		}
		if !a.more() {
			return true, nil
		}
		a.take()
	}
}

// upspec reads the UPSPEC words from the current one on, leaving a at the
// last one read, or one before the current word when it reads none.
func (a *words) upspec(sel *xfrm.Selector) error {
	var ports, typeCode, key string
	for {
		w := a.last()
		switch w {
		case "proto":
			v, err := a.value()
			if err != nil {
				return err
			}
			p, err := xfrm.ParseUpperProto(v)
			if err != nil {
				return invarg("PROTO value is invalid", v)
			}
			sel.Proto = p
		case "sport", "dport", "type", "code":
			v, err := a.value()
			if err != nil {
				return err
			}
			n, perr := parseCUint(v, 16)
			if perr != nil || (w == "type" || w == "code") && n > 0xff {
				return invarg("value after \""+w+"\" is invalid", v)
			}
			port, mask := &sel.SrcPort, &sel.SrcPortMask
			if w == "dport" || w == "code" {
				port, mask = &sel.DstPort, &sel.DstPortMask
			}
			*port = uint16(n)
			if w == "sport" || w == "dport" {
				ports = w
				if n != 0 {
					*mask = 0xffff
				}
			} else {
				typeCode = w
				*mask = 0xffff
			}
		case "key":
			v, err := a.value()
			if err != nil {
				return err
			}
			k, ok := greKey(v)
			if !ok {
				return usageErr("value after \"key\" is invalid")
			}
			key = w
			sel.SrcPort, sel.DstPort = uint16(k>>16), uint16(k)
			sel.SrcPortMask, sel.DstPortMask = 0xffff, 0xffff
		default:
			a.back()
			return checkUpspec(sel.Proto, ports, typeCode, key)
		}
		if !a.more() {
			return checkUpspec(sel.Proto, ports, typeCode, key)
		}
		a.take()
	}
}

// greKey reads a GRE key as a number or a dotted quad.
func greKey(v string) (uint32, bool) {
	if strings.Contains(v, ".") {
		a, err := netip.ParseAddr(v)
		if err != nil || !a.Is4() {
			return 0, false
		}
		return binary.BigEndian.Uint32(a.AsSlice()), true
	}
	return u32(v)
}

// checkUpspec refuses ports, types and keys the protocol has none of.
func checkUpspec(proto uint8, ports, typeCode, key string) error {
	name := xfrm.UpperProtoName(proto)
	switch {
	case ports != "" && !(proto == unix.IPPROTO_TCP || proto == unix.IPPROTO_UDP || proto == unix.IPPROTO_SCTP || proto == unix.IPPROTO_DCCP || proto == 0):
		return failure("\"sport\" and \"dport\" are invalid with PROTO value \"%s\"", name)
	case typeCode != "" && !(proto == unix.IPPROTO_ICMP || proto == unix.IPPROTO_ICMPV6 || proto == 135):
		return failure("\"type\" and \"code\" are invalid with PROTO value \"%s\"", name)
	case key != "" && proto != unix.IPPROTO_GRE:
		return failure("\"key\" is invalid with PROTO value \"%s\"", name)
	}
	return nil
}

// lifetime reads one LIMIT after "limit".
func (a *words) lifetime(l *xfrm.LifetimeConfig) error {
	w, err := a.value()
	if err != nil {
		return err
	}
	var field *uint64
	switch w {
	case "time-soft":
		field = &l.SoftAddExpires
	case "time-hard":
		field = &l.HardAddExpires
	case "time-use-soft":
		field = &l.SoftUseExpires
	case "time-use-hard":
		field = &l.HardUseExpires
	case "byte-soft":
		field = &l.SoftByteLimit
	case "byte-hard":
		field = &l.HardByteLimit
	case "packet-soft":
		field = &l.SoftPacketLimit
	case "packet-hard":
		field = &l.HardPacketLimit
	default:
		return invarg("LIMIT value is invalid", w)
	}
	v, err := a.value()
	if err != nil {
		return err
	}
	n, perr := parseCUint(v, 64)
	if perr != nil {
		return invarg("value after \""+w+"\" is invalid", v)
	}
	*field = n
	return nil
}
