package rtnl

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/josharian/native"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/beattr"
)

// encap appends the encapsulation e as ip does: the nested dataAttr
// (RTA_ENCAP or NHA_ENCAP) with the type's attributes in the order ip
// sends them for options given in the order of the fields, then the u16
// typeAttr (RTA_ENCAP_TYPE or NHA_ENCAP_TYPE). It validates e first and
// appends nothing when e is invalid (an *InvalidError) or nil.
func (w *writer) encap(typeAttr, dataAttr uint16, e *Encap) error {
	if e == nil {
		return nil
	}
	if err := e.validate(); err != nil {
		return err
	}
	n := w.Nest(dataAttr | attrs.Nested)
	switch e.Type {
	case EncapMPLS:
		w.mplsEncap(e.MPLS)
	case EncapIP, EncapIP6:
		w.ipEncap(e.IP)
	case EncapSeg6:
		w.Raw(seg6IPTunnelSRH, seg6TunnelInfo(e.Seg6))
	case EncapSeg6Local:
		w.seg6LocalEncap(e.Seg6Local)
	case EncapBPF:
		w.bpfEncap(e.BPF)
	case EncapIOAM6:
		w.ioam6Encap(e.IOAM6)
	case EncapRPL:
		w.Raw(rplIPTunnelSRH, rplSRH(e.RPL.Segments))
	case EncapXFRM:
		w.Uint32(lwtXFRMIfID, e.XFRM.IfID)
		if e.XFRM.Link != 0 {
			w.Uint32(lwtXFRMLink, uint32(e.XFRM.Link))
		}
	default:
		w.Append(e.Raw)
	}
	w.End(n)
	w.Uint16(typeAttr, uint16(e.Type))
	return nil
}

func (w *writer) mplsEncap(m *MPLSEncap) {
	w.labels(mplsIPTunnelDst, m.Labels)
	putUint8(w, mplsIPTunnelTTL, m.TTL)
}

func (w *writer) ipEncap(t *IPEncap) {
	if t.ID != nil {
		beattr.PutUint64(&w.Encoder, lwtunnelIPID, *t.ID)
	}
	putAddr(w, lwtunnelIPDst, t.Dst)
	putAddr(w, lwtunnelIPSrc, t.Src)
	putUint8(w, lwtunnelIPTTL, t.TTL)
	putUint8(w, lwtunnelIPTOS, t.TOS)
	if t.Flags != 0 {
		w.Port(lwtunnelIPFlags, uint16(t.Flags))
	}
}

// seg6TunnelInfo returns struct seg6_iptunnel_encap: the mode, a host-order
// int, and the routing header.
func seg6TunnelInfo(s *Seg6Encap) []byte {
	b := make([]byte, 4, 4+srhLen(&s.SRH))
	native.Endian.PutUint32(b, uint32(s.Mode))
	return appendSRH(b, &s.SRH)
}

// srhLen returns the size of the segment routing header of s.
func srhLen(s *SRH) int {
	n := srhHeaderLen + 16*len(s.Segments)
	if s.HMAC != 0 {
		n += srhHMACTLVLen
	}
	return n
}

// appendSRH appends the segment routing header of s as ip builds it: the
// segments last to first, and an HMAC TLV with the key id only.
func appendSRH(b []byte, s *SRH) []byte {
	size := srhLen(s)
	last := len(s.Segments) - 1
	var flags byte
	if s.HMAC != 0 {
		flags = srhFlagHMAC
	}
	b = append(b, 0, byte(size/8-1), srhTypeSeg6, byte(last), byte(last), flags, 0, 0)
	for i := last; i >= 0; i-- {
		a := s.Segments[i].As16()
		b = append(b, a[:]...)
	}
	if s.HMAC != 0 {
		tlv := make([]byte, srhHMACTLVLen)
		tlv[0], tlv[1] = srhTLVHMAC, srhHMACTLVLen-2
		binary.BigEndian.PutUint32(tlv[4:], s.HMAC)
		b = append(b, tlv...)
	}
	return b
}

// rplSRH returns the RPL source routing header of segs as ip builds it:
// uncompressed, the segments last to first.
func rplSRH(segs []netip.Addr) []byte {
	size := srhHeaderLen + 16*len(segs)
	b := make([]byte, srhHeaderLen, size)
	b[1], b[2], b[3] = byte(size/8-1), srhTypeRPL, byte(len(segs))
	for i := len(segs) - 1; i >= 0; i-- {
		a := segs[i].As16()
		b = append(b, a[:]...)
	}
	return b
}

// seg6LocalEncap appends the attributes of l: the action, then the
// parameters in the order of the fields, and the routing header last, as
// ip does.
func (w *writer) seg6LocalEncap(l *Seg6LocalEncap) {
	w.Uint32(seg6LocalAction, uint32(l.Action))
	putUint32(w, seg6LocalTable, l.Table)
	putUint32(w, seg6LocalVRFTable, l.VRFTable)
	putAddr(w, seg6LocalNH4, l.NH4)
	putAddr(w, seg6LocalNH6, l.NH6)
	if l.IIF != 0 {
		w.Uint32(seg6LocalIIF, uint32(l.IIF))
	}
	if l.OIF != 0 {
		w.Uint32(seg6LocalOIF, uint32(l.OIF))
	}
	if l.Endpoint != nil {
		w.bpfProgram(seg6LocalBPF, l.Endpoint)
	}
	if l.Counters != nil {
		n := w.Nest(seg6LocalCounters | attrs.Nested)
		w.Uint64(seg6LocalCntPackets, 0)
		w.Uint64(seg6LocalCntBytes, 0)
		w.Uint64(seg6LocalCntErrors, 0)
		w.End(n)
	}
	if f := l.Flavors; f != nil {
		n := w.Nest(seg6LocalFlavors | attrs.Nested)
		w.Uint32(seg6LocalFlvOperation, uint32(f.Ops))
		putUint8(w, seg6LocalFlvLCBlockBits, f.LocatorBlockBits)
		putUint8(w, seg6LocalFlvLCNodeFnBits, f.LocatorNodeFuncBits)
		w.End(n)
	}
	if l.SRH != nil {
		w.Raw(seg6LocalSRH, appendSRH(nil, l.SRH))
	}
}

// bpfProgram appends the nested attribute typ with the program's
// descriptor and name.
func (w *writer) bpfProgram(typ uint16, p *BPFProgram) {
	n := w.Nest(typ | attrs.Nested)
	w.Uint32(lwtBPFProgFD, uint32(p.FD))
	w.String(lwtBPFProgName, p.Name)
	w.End(n)
}

func (w *writer) bpfEncap(b *BPFEncap) {
	for _, p := range [...]struct {
		typ  uint16
		prog *BPFProgram
	}{{lwtBPFIn, b.In}, {lwtBPFOut, b.Out}, {lwtBPFXmit, b.Xmit}} {
		if p.prog != nil {
			w.bpfProgram(p.typ, p.prog)
		}
	}
	if b.Headroom != 0 {
		w.Uint32(lwtBPFXmitHeadroom, b.Headroom)
	}
}

func (w *writer) ioam6Encap(o *IOAM6Encap) {
	k, n, mode := o.FreqK, o.FreqN, o.Mode
	if k == 0 && n == 0 {
		k, n = 1, 1
	}
	if mode == 0 {
		mode = IOAM6ModeInline
	}
	w.Uint32(ioam6IPTunnelFreqK, k)
	w.Uint32(ioam6IPTunnelFreqN, n)
	w.Uint8(ioam6IPTunnelMode, uint8(mode))
	if mode != IOAM6ModeInline {
		w.Addr(ioam6IPTunnelDst, o.TunDst)
	}
	var trace [ioam6TraceHeaderLen]byte
	binary.BigEndian.PutUint16(trace[0:], o.Namespace)
	trace[3] = byte(o.TraceSize / 4)
	binary.BigEndian.PutUint32(trace[4:], o.TraceType<<8)
	w.Raw(ioam6IPTunnelTrace, trace[:])
}

// validate checks e as ip checks the options of `encap`, and that exactly
// the field of its type is set.
func (e *Encap) validate() error {
	set := 0
	for _, p := range [...]bool{e.MPLS != nil, e.IP != nil, e.Seg6 != nil, e.Seg6Local != nil,
		e.BPF != nil, e.IOAM6 != nil, e.RPL != nil, e.XFRM != nil, e.Raw != nil} {
		if p {
			set++
		}
	}
	var ok bool
	switch e.Type {
	case EncapMPLS:
		ok = e.MPLS != nil
	case EncapIP, EncapIP6:
		ok = e.IP != nil
	case EncapSeg6:
		ok = e.Seg6 != nil
	case EncapSeg6Local:
		ok = e.Seg6Local != nil
	case EncapBPF:
		ok = e.BPF != nil
	case EncapIOAM6:
		ok = e.IOAM6 != nil
	case EncapRPL:
		ok = e.RPL != nil
	case EncapXFRM:
		ok = e.XFRM != nil
	case 0:
		return errInvalid("encap", "no type")
	default:
		ok = e.Raw != nil
	}
	if !ok || set != 1 {
		return errInvalid("encap", fmt.Sprintf("type %s (%d) needs its own field set and no other", e.Type, uint16(e.Type)))
	}
	switch e.Type {
	case EncapMPLS:
		return e.MPLS.validate()
	case EncapIP:
		return e.IP.validate(netip.Addr.Is4, "IPv4")
	case EncapIP6:
		return e.IP.validate(netip.Addr.Is6, "IPv6")
	case EncapSeg6:
		if e.Seg6.Mode > Seg6ModeL2EncapRed {
			return errInvalid("seg6 encap", fmt.Sprintf("unknown mode %d", e.Seg6.Mode))
		}
		return e.Seg6.SRH.validate("seg6 encap")
	case EncapSeg6Local:
		return e.Seg6Local.validate()
	case EncapBPF:
		return e.BPF.validate()
	case EncapIOAM6:
		return e.IOAM6.validate()
	case EncapRPL:
		return validateSegments("rpl encap", e.RPL.Segments, srhHeaderLen)
	case EncapXFRM:
		if e.XFRM.IfID == 0 {
			return errInvalid("xfrm encap", "if_id 0")
		}
		if e.XFRM.Link < 0 {
			return errInvalid("xfrm encap", fmt.Sprintf("link index %d", e.XFRM.Link))
		}
	}
	return nil
}

func (m *MPLSEncap) validate() error {
	if len(m.Labels) == 0 || len(m.Labels) > mplsMaxLabels {
		return errInvalid("mpls encap", fmt.Sprintf("%d labels, want 1 to %d", len(m.Labels), mplsMaxLabels))
	}
	for _, l := range m.Labels {
		if l >= 1<<20 {
			return errInvalid("mpls encap", fmt.Sprintf("label %d beyond 20 bits", l))
		}
	}
	return nil
}

func (t *IPEncap) validate(isFamily func(netip.Addr) bool, family string) error {
	for _, a := range [...]netip.Addr{t.Src, t.Dst} {
		if a.IsValid() && !isFamily(a) {
			return errInvalid("ip encap", fmt.Sprintf("address %s is not %s", a, family))
		}
	}
	if t.Flags&^(TunnelCsum|TunnelKey|TunnelSeq) != 0 {
		return errInvalid("ip encap", fmt.Sprintf("unknown flags %#x", uint16(t.Flags)))
	}
	return nil
}

func (s *SRH) validate(what string) error {
	hmac := 0
	if s.HMAC != 0 {
		hmac = srhHMACTLVLen
	}
	return validateSegments(what, s.Segments, srhHeaderLen+hmac)
}

// validateSegments checks that segs are one or more IPv6 addresses that fit
// a routing header with fixed bytes besides them, whose length in 8-byte
// units less one is a byte.
func validateSegments(what string, segs []netip.Addr, fixed int) error {
	if len(segs) == 0 {
		return errInvalid(what, "no segments")
	}
	if fixed+16*len(segs) > 256*8 {
		return errInvalid(what, fmt.Sprintf("%d segments do not fit a routing header", len(segs)))
	}
	for _, a := range segs {
		if !a.Is6() {
			return errInvalid(what, fmt.Sprintf("segment %s is not an IPv6 address", a))
		}
	}
	return nil
}

func (l *Seg6LocalEncap) validate() error {
	if l.Action < Seg6LocalEnd || l.Action > Seg6LocalEndDT46 {
		return errInvalid("seg6local encap", fmt.Sprintf("unknown action %d", l.Action))
	}
	if l.SRH != nil {
		if err := l.SRH.validate("seg6local encap srh"); err != nil {
			return err
		}
	}
	switch {
	case l.NH4.IsValid() && !l.NH4.Is4():
		return errInvalid("seg6local encap", fmt.Sprintf("nh4 %s is not IPv4", l.NH4))
	case l.NH6.IsValid() && !l.NH6.Is6():
		return errInvalid("seg6local encap", fmt.Sprintf("nh6 %s is not IPv6", l.NH6))
	case l.IIF < 0 || l.OIF < 0:
		return errInvalid("seg6local encap", "negative link index")
	case l.Endpoint != nil && l.Endpoint.Name == "":
		return errInvalid("seg6local encap", "endpoint program without a name")
	}
	if f := l.Flavors; f != nil {
		known := Seg6FlavorPSP | Seg6FlavorUSP | Seg6FlavorUSD | Seg6FlavorNextCSID
		switch {
		case f.Ops == 0 || f.Ops&^known != 0:
			return errInvalid("seg6local encap", fmt.Sprintf("flavors %#x", uint32(f.Ops)))
		case f.Ops&Seg6FlavorNextCSID == 0 && (f.LocatorBlockBits != nil || f.LocatorNodeFuncBits != nil):
			return errInvalid("seg6local encap", "lblen and nflen need the next-csid flavor")
		}
	}
	return nil
}

func (b *BPFEncap) validate() error {
	if b.In == nil && b.Out == nil && b.Xmit == nil {
		return errInvalid("bpf encap", "no program")
	}
	for _, p := range [...]*BPFProgram{b.In, b.Out, b.Xmit} {
		if p != nil && p.Name == "" {
			return errInvalid("bpf encap", "program without a name")
		}
	}
	if b.Headroom > lwtBPFMaxHeadroom {
		return errInvalid("bpf encap", fmt.Sprintf("headroom %d beyond %d", b.Headroom, lwtBPFMaxHeadroom))
	}
	return nil
}

func (o *IOAM6Encap) validate() error {
	inline := o.Mode == 0 || o.Mode == IOAM6ModeInline
	switch {
	case (o.FreqK != 0 || o.FreqN != 0) &&
		(o.FreqK < 1 || o.FreqK > ioam6FreqMax || o.FreqN < 1 || o.FreqN > ioam6FreqMax || o.FreqK > o.FreqN):
		return errInvalid("ioam6 encap", fmt.Sprintf("frequency %d/%d", o.FreqK, o.FreqN))
	case o.Mode > IOAM6ModeAuto:
		return errInvalid("ioam6 encap", fmt.Sprintf("unknown mode %d", o.Mode))
	case inline && o.TunDst.IsValid():
		return errInvalid("ioam6 encap", "inline mode with a tunnel destination")
	case !inline && !o.TunDst.Is6():
		return errInvalid("ioam6 encap", "encap and auto modes need an IPv6 tunnel destination")
	case o.TraceType == 0 || o.TraceType >= 1<<24:
		return errInvalid("ioam6 encap", fmt.Sprintf("trace type %#x", o.TraceType))
	case o.TraceSize == 0 || o.TraceSize%4 != 0 || o.TraceSize > ioam6TraceSizeMax:
		return errInvalid("ioam6 encap", fmt.Sprintf("trace size %d", o.TraceSize))
	}
	return nil
}
