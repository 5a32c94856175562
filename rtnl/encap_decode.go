package rtnl

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/beattr"
)

// encapAttrs collects the two attributes of an encapsulation while the
// attributes of a route, a multipath next hop or a nexthop object are
// decoded: typeAttr (RTA_ENCAP_TYPE or NHA_ENCAP_TYPE) and dataAttr
// (RTA_ENCAP or NHA_ENCAP).
type encapAttrs struct {
	typeAttr, dataAttr uint16

	typ  uint16
	data []byte
	seen bool
}

// routeEncapAttrs and nexthopEncapAttrs collect the encapsulation of a
// route or multipath next hop, and of a nexthop object.
func routeEncapAttrs() encapAttrs {
	return encapAttrs{typeAttr: unix.RTA_ENCAP_TYPE, dataAttr: unix.RTA_ENCAP}
}
func nexthopEncapAttrs() encapAttrs {
	return encapAttrs{typeAttr: unix.NHA_ENCAP_TYPE, dataAttr: unix.NHA_ENCAP}
}

// take keeps the attribute at d when it is one of the encapsulation's, and
// reports whether it was.
func (a *encapAttrs) take(d *attrs.Decoder) bool {
	switch d.Type() {
	case a.typeAttr:
		a.typ = d.Uint16()
	case a.dataAttr:
		a.data, a.seen = d.Bytes(), true
	default:
		return false
	}
	return true
}

// decode decodes the encapsulation taken, or returns nil when there was
// none.
func (a *encapAttrs) decode() (*Encap, error) {
	if !a.seen {
		return nil, nil
	}
	return decodeEncap(a.typ, a.data)
}

// decodeEncap decodes an encapsulation: typ, the value of RTA_ENCAP_TYPE or
// NHA_ENCAP_TYPE, and data, the payload of RTA_ENCAP or NHA_ENCAP.
// Attributes it does not know are skipped; malformed ones are an error.
func decodeEncap(typ uint16, data []byte) (*Encap, error) {
	e := &Encap{Type: EncapType(typ)}
	d := attrs.NewDecoder(data)
	var err error
	switch e.Type {
	case EncapMPLS:
		e.MPLS, err = decodeMPLSEncap(d)
	case EncapIP, EncapIP6:
		e.IP, err = decodeIPEncap(d)
	case EncapSeg6:
		e.Seg6, err = decodeSeg6Encap(d)
	case EncapSeg6Local:
		e.Seg6Local, err = decodeSeg6LocalEncap(d)
	case EncapBPF:
		e.BPF, err = decodeBPFEncap(d)
	case EncapIOAM6:
		e.IOAM6, err = decodeIOAM6Encap(d)
	case EncapRPL:
		e.RPL, err = decodeRPLEncap(d)
	case EncapXFRM:
		e.XFRM, err = decodeXFRMEncap(d)
	default:
		e.Raw = bytes.Clone(data)
		return e, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s encap: %w", e.Type, err)
	}
	return e, nil
}

func decodeMPLSEncap(d attrs.Decoder) (*MPLSEncap, error) {
	m := &MPLSEncap{}
	for d.Next() {
		switch d.Type() {
		case mplsIPTunnelDst:
			labels, err := decodeLabels(d.Bytes())
			if err != nil {
				return nil, err
			}
			m.Labels = labels
		case mplsIPTunnelTTL:
			m.TTL = uint8Field(&d, new(uint8))
		}
	}
	return m, d.Err()
}

func decodeIPEncap(d attrs.Decoder) (*IPEncap, error) {
	t := &IPEncap{}
	for d.Next() {
		switch d.Type() {
		case lwtunnelIPID:
			if id := beattr.Uint64(&d); d.Len() == 8 {
				t.ID = &id
			}
		case lwtunnelIPDst:
			t.Dst = d.Addr()
		case lwtunnelIPSrc:
			t.Src = d.Addr()
		case lwtunnelIPTTL:
			t.TTL = uint8Field(&d, new(uint8))
		case lwtunnelIPTOS:
			t.TOS = uint8Field(&d, new(uint8))
		case lwtunnelIPFlags:
			t.Flags = TunnelFlags(d.Port())
		}
	}
	return t, d.Err()
}

func decodeSeg6Encap(d attrs.Decoder) (*Seg6Encap, error) {
	for d.Next() {
		if d.Type() != seg6IPTunnelSRH {
			continue
		}
		b := d.Bytes()
		if len(b) < 4 {
			return nil, fmt.Errorf("tunnel info of %d bytes", len(b))
		}
		s := &Seg6Encap{Mode: Seg6Mode(native.Endian.Uint32(b))}
		srh, err := decodeSRH(b[4:])
		if err != nil {
			return nil, err
		}
		s.SRH = *srh
		return s, nil
	}
	// Without a routing header ip prints no keys: neither do we.
	return nil, d.Err()
}

// decodeSRH decodes a segment routing header, as ip reads it: the segments
// from first_segment down to 0, and the key id of an HMAC TLV where the
// HMAC flag says there is one, 40 bytes from the end of the header.
func decodeSRH(b []byte) (*SRH, error) {
	if len(b) < srhHeaderLen {
		return nil, fmt.Errorf("segment routing header of %d bytes", len(b))
	}
	n := int(b[4]) + 1
	if srhHeaderLen+16*n > len(b) {
		return nil, fmt.Errorf("segment routing header of %d bytes too short for %d segments", len(b), n)
	}
	s := &SRH{Segments: make([]netip.Addr, n)}
	for i := range n {
		off := srhHeaderLen + 16*(n-1-i)
		s.Segments[i] = netip.AddrFrom16([16]byte(b[off : off+16]))
	}
	if b[5]&srhFlagHMAC != 0 {
		off := (int(b[1])+1)*8 - srhHMACTLVLen
		if off < srhHeaderLen || off+8 > len(b) {
			return nil, fmt.Errorf("segment routing header of %d bytes has no room for its HMAC TLV", len(b))
		}
		s.HMAC = binary.BigEndian.Uint32(b[off+4:])
	}
	return s, nil
}

func decodeSeg6LocalEncap(d attrs.Decoder) (*Seg6LocalEncap, error) {
	l := &Seg6LocalEncap{}
	hasAction := false
	var err error
	for d.Next() {
		switch d.Type() {
		case seg6LocalAction:
			l.Action, hasAction = Seg6LocalAction(d.Uint32()), true
		case seg6LocalSRH:
			l.SRH, err = decodeSRH(d.Bytes())
		case seg6LocalTable:
			l.Table = uint32Field(&d, new(Table))
		case seg6LocalVRFTable:
			l.VRFTable = uint32Field(&d, new(Table))
		case seg6LocalNH4:
			l.NH4 = d.Addr()
		case seg6LocalNH6:
			l.NH6 = d.Addr()
		case seg6LocalIIF:
			l.IIF = d.Int32()
		case seg6LocalOIF:
			l.OIF = d.Int32()
		case seg6LocalBPF:
			l.Endpoint, err = decodeBPFProgram(d.Nested())
		case seg6LocalCounters:
			l.Counters, err = decodeSeg6LocalCounters(d.Nested())
		case seg6LocalFlavors:
			l.Flavors, err = decodeSeg6LocalFlavors(d.Nested())
		}
		if err != nil {
			return nil, err
		}
	}
	if err := d.Err(); err != nil || !hasAction {
		// Without an action ip prints no keys: neither do we.
		return nil, err
	}
	return l, nil
}

func decodeSeg6LocalCounters(d attrs.Decoder) (*Seg6LocalCounters, error) {
	c := &Seg6LocalCounters{}
	for d.Next() {
		switch d.Type() {
		case seg6LocalCntPackets:
			c.Packets = d.Uint64()
		case seg6LocalCntBytes:
			c.Bytes = d.Uint64()
		case seg6LocalCntErrors:
			c.Errors = d.Uint64()
		}
	}
	return c, d.Err()
}

func decodeSeg6LocalFlavors(d attrs.Decoder) (*Seg6LocalFlavors, error) {
	f := &Seg6LocalFlavors{}
	for d.Next() {
		switch d.Type() {
		case seg6LocalFlvOperation:
			f.Ops = Seg6Flavors(d.Uint32())
		case seg6LocalFlvLCBlockBits:
			f.LocatorBlockBits = uint8Field(&d, new(uint8))
		case seg6LocalFlvLCNodeFnBits:
			f.LocatorNodeFuncBits = uint8Field(&d, new(uint8))
		}
	}
	return f, d.Err()
}

func decodeBPFProgram(d attrs.Decoder) (*BPFProgram, error) {
	p := &BPFProgram{}
	for d.Next() {
		switch d.Type() {
		case lwtBPFProgFD:
			p.FD = d.Int32()
		case lwtBPFProgName:
			p.Name = d.String()
		}
	}
	return p, d.Err()
}

func decodeBPFEncap(d attrs.Decoder) (*BPFEncap, error) {
	b := &BPFEncap{}
	var err error
	for d.Next() {
		switch d.Type() {
		case lwtBPFIn:
			b.In, err = decodeBPFProgram(d.Nested())
		case lwtBPFOut:
			b.Out, err = decodeBPFProgram(d.Nested())
		case lwtBPFXmit:
			b.Xmit, err = decodeBPFProgram(d.Nested())
		case lwtBPFXmitHeadroom:
			b.Headroom = d.Uint32()
		}
		if err != nil {
			return nil, err
		}
	}
	return b, d.Err()
}

func decodeIOAM6Encap(d attrs.Decoder) (*IOAM6Encap, error) {
	o := &IOAM6Encap{}
	var trace []byte
	var hasK, hasN, hasMode bool
	for d.Next() {
		switch d.Type() {
		case ioam6IPTunnelMode:
			o.Mode, hasMode = IOAM6Mode(d.Uint8()), true
		case ioam6IPTunnelDst:
			o.TunDst = d.Addr()
		case ioam6IPTunnelTrace:
			trace = d.Bytes()
		case ioam6IPTunnelFreqK:
			o.FreqK, hasK = d.Uint32(), true
		case ioam6IPTunnelFreqN:
			o.FreqN, hasN = d.Uint32(), true
		}
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	if trace == nil || !hasK || !hasN || !hasMode {
		// ip prints no keys for an incomplete configuration: neither do we.
		return nil, nil
	}
	if len(trace) < ioam6TraceHeaderLen {
		return nil, fmt.Errorf("trace header of %d bytes", len(trace))
	}
	o.Namespace = binary.BigEndian.Uint16(trace)
	o.TraceSize = uint16(trace[3]&0x7f) * 4
	o.TraceType = binary.BigEndian.Uint32(trace[4:]) >> 8
	return o, nil
}

func decodeRPLEncap(d attrs.Decoder) (*RPLEncap, error) {
	for d.Next() {
		if d.Type() != rplIPTunnelSRH {
			continue
		}
		b := d.Bytes()
		if len(b) < srhHeaderLen {
			return nil, fmt.Errorf("routing header of %d bytes", len(b))
		}
		n := int(b[3])
		if srhHeaderLen+16*n > len(b) {
			return nil, fmt.Errorf("routing header of %d bytes too short for %d segments", len(b), n)
		}
		r := &RPLEncap{Segments: make([]netip.Addr, n)}
		for i := range n {
			off := srhHeaderLen + 16*(n-1-i)
			r.Segments[i] = netip.AddrFrom16([16]byte(b[off : off+16]))
		}
		return r, nil
	}
	return nil, d.Err()
}

func decodeXFRMEncap(d attrs.Decoder) (*XFRMEncap, error) {
	x := &XFRMEncap{}
	for d.Next() {
		switch d.Type() {
		case lwtXFRMIfID:
			x.IfID = d.Uint32()
		case lwtXFRMLink:
			x.Link = d.Int32()
		}
	}
	return x, d.Err()
}
