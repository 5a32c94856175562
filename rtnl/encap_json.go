package rtnl

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/nlkit/nlkit/internal/jsonw"
)

// writeJSON writes the members iproute2 6.1 prints for the encapsulation
// inside a route, nexthop or multipath nexthop object: "encap" with the
// type's name, then the type's keys flat in the same object (so an ip
// encapsulation adds a second "dst"). Seg6local counters ("stats64") are
// written when the kernel reported them, as ip prints them with -s.
func (e *Encap) writeJSON(w *jsonw.Writer) {
	w.String("encap", e.Type.String())
	switch {
	case e.MPLS != nil:
		e.MPLS.writeJSON(w)
	case e.IP != nil:
		e.IP.writeJSON(w, e.Type == EncapIP6)
	case e.Seg6 != nil:
		w.String("mode", e.Seg6.Mode.String())
		e.Seg6.SRH.writeJSON(w)
	case e.Seg6Local != nil:
		e.Seg6Local.writeJSON(w)
	case e.BPF != nil:
		e.BPF.writeJSON(w)
	case e.IOAM6 != nil:
		e.IOAM6.writeJSON(w)
	case e.RPL != nil:
		writeJSONSegments(w, e.RPL.Segments)
	case e.XFRM != nil:
		w.Uint("if_id", uint64(e.XFRM.IfID))
		if e.XFRM.Link != 0 {
			w.String("link_dev", nameOrIndex(e.XFRM.LinkName, e.XFRM.Link))
		}
	}
}

func (m *MPLSEncap) writeJSON(w *jsonw.Writer) {
	if m.Labels != nil {
		var b strings.Builder
		for i, l := range m.Labels {
			if i > 0 {
				b.WriteByte('/')
			}
			b.WriteString(strconv.FormatUint(uint64(l), 10))
		}
		w.String("dst", b.String())
	}
	writeJSONUint(w, "ttl", m.TTL)
}

func (t *IPEncap) writeJSON(w *jsonw.Writer, ip6 bool) {
	writeJSONUint(w, "id", t.ID)
	if t.Src.IsValid() {
		w.String("src", inetNtop(t.Src))
	}
	if t.Dst.IsValid() {
		w.String("dst", inetNtop(t.Dst))
	}
	if ip6 {
		writeJSONUint(w, "hoplimit", t.TTL)
		writeJSONUint(w, "tc", t.TOS)
	} else {
		writeJSONUint(w, "ttl", t.TTL)
		writeJSONUint(w, "tos", t.TOS)
	}
	for _, f := range [...]struct {
		flag TunnelFlags
		name string
	}{{TunnelKey, "key"}, {TunnelCsum, "csum"}, {TunnelSeq, "seq"}} {
		if t.Flags&f.flag != 0 {
			w.Bool(f.name, true)
		}
	}
}

// writeJSON writes "segs" and, when there is an HMAC TLV, "hmac".
func (s *SRH) writeJSON(w *jsonw.Writer) {
	writeJSONSegments(w, s.Segments)
	if s.HMAC != 0 {
		w.String("hmac", printfHex(s.HMAC))
	}
}

// writeJSONSegments writes "segs", the addresses of a routing header.
func writeJSONSegments(w *jsonw.Writer, segs []netip.Addr) {
	w.OpenArray("segs")
	for _, a := range segs {
		w.String("", inetNtop(a))
	}
	w.CloseArray()
}

func (l *Seg6LocalEncap) writeJSON(w *jsonw.Writer) {
	w.String("action", l.Action.String())
	if l.SRH != nil {
		w.Open("srh")
		l.SRH.writeJSON(w)
		w.Close()
	}
	if l.Table != nil {
		w.String("table", l.Table.String())
	}
	if l.VRFTable != nil {
		w.String("vrftable", l.VRFTable.String())
	}
	if l.NH4.IsValid() {
		w.String("nh4", inetNtop(l.NH4))
	}
	if l.NH6.IsValid() {
		w.String("nh6", inetNtop(l.NH6))
	}
	if l.IIF != 0 {
		w.String("iif", nameOrIndex(l.IIFName, l.IIF))
	}
	if l.OIF != 0 {
		w.String("oif", nameOrIndex(l.OIFName, l.OIF))
	}
	if l.Endpoint != nil {
		l.Endpoint.writeJSON(w, "endpoint")
	}
	if c := l.Counters; c != nil {
		w.Open("stats64")
		w.Uint("packets", c.Packets)
		w.Uint("bytes", c.Bytes)
		w.Uint("errors", c.Errors)
		w.Close()
	}
	if f := l.Flavors; f != nil {
		w.OpenArray("flavors")
		for i := range 32 {
			if f.Ops&(1<<i) != 0 {
				if name := seg6FlavorName(i); name != "" {
					w.String("", name)
				}
			}
		}
		w.CloseArray()
		writeJSONUint(w, "lblen", f.LocatorBlockBits)
		writeJSONUint(w, "nflen", f.LocatorNodeFuncBits)
	}
}

// writeJSON writes key with the program's name, or "<unknown>" as ip
// does for a program without one.
func (p *BPFProgram) writeJSON(w *jsonw.Writer, key string) {
	name := p.Name
	if name == "" {
		name = "<unknown>"
	}
	w.String(key, name)
}

func (b *BPFEncap) writeJSON(w *jsonw.Writer) {
	if b.In != nil {
		b.In.writeJSON(w, "in")
	}
	if b.Out != nil {
		b.Out.writeJSON(w, "out")
	}
	if b.Xmit != nil {
		b.Xmit.writeJSON(w, "xmit")
	}
	if b.Headroom != 0 {
		w.Uint("headroom", uint64(b.Headroom))
	}
}

func (o *IOAM6Encap) writeJSON(w *jsonw.Writer) {
	w.Uint("freqk", uint64(o.FreqK))
	w.Uint("freqn", uint64(o.FreqN))
	if !o.TunDst.IsValid() && o.Mode != IOAM6ModeInline {
		return
	}
	w.String("mode", o.Mode.String())
	if o.Mode != IOAM6ModeInline {
		w.String("tundst", inetNtop(o.TunDst))
	}
	w.Null("trace")
	w.Null("prealloc")
	w.String("type", hexBare(o.TraceType))
	w.Uint("ns", uint64(o.Namespace))
	w.Uint("size", uint64(o.TraceSize))
}
