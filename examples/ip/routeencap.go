package main

import (
	"context"
	"net/netip"
	"strings"

	"github.com/nlkit/nlkit/rtnl"
)

// parseEncap reads `encap TYPE ARGS` after "encap", for routes, their
// next hops and nexthop objects: each type takes its keywords until a
// word it does not know, which the caller reads on, as ip's
// lwt_parse_encap does.
func (c *command) parseEncap(ctx context.Context, w *words) (*rtnl.Encap, error) {
	name, err := w.value()
	if err != nil {
		return nil, err
	}
	var typ rtnl.EncapType
	for t := rtnl.EncapMPLS; t <= rtnl.EncapXFRM; t++ {
		if t.String() == name {
			typ = t
		}
	}
	e := &rtnl.Encap{Type: typ}
	switch typ {
	case rtnl.EncapMPLS:
		e.MPLS, err = parseMPLSEncap(w)
	case rtnl.EncapIP, rtnl.EncapIP6:
		e.IP, err = parseIPEncap(w, typ == rtnl.EncapIP6)
	case rtnl.EncapSeg6:
		e.Seg6, err = parseSeg6Encap(w)
	case rtnl.EncapSeg6Local:
		e.Seg6Local, err = c.parseSeg6Local(ctx, w)
	case rtnl.EncapIOAM6:
		e.IOAM6, err = parseIOAM6Encap(w)
	case rtnl.EncapRPL:
		e.RPL = &rtnl.RPLEncap{}
		if w.takeIf("segs") {
			e.RPL.Segments, err = w.segments()
		}
	case rtnl.EncapXFRM:
		e.XFRM, err = c.parseXFRMEncap(ctx, w)
	default:
		return nil, invarg("\"encap type\" value is invalid\n", name)
	}
	return e, err
}

// parseMPLSEncap reads `LABEL[/LABEL…] [ttl TTL]`.
func parseMPLSEncap(w *words) (*rtnl.MPLSEncap, error) {
	v, err := w.value()
	if err != nil {
		return nil, err
	}
	labels, err := parseLabels(v)
	if err != nil {
		return nil, err
	}
	m := &rtnl.MPLSEncap{Labels: labels}
	if w.takeIf("ttl") {
		n, err := w.uintValue("ttl", 8)
		if err != nil {
			return nil, err
		}
		ttl := uint8(n)
		m.TTL = &ttl
	}
	return m, nil
}

// parseLabels reads an MPLS label stack, LABEL[/LABEL…].
func parseLabels(v string) ([]uint32, error) {
	var labels []uint32
	for _, s := range strings.Split(v, "/") {
		n, err := parseCUint(s, 20)
		if err != nil {
			return nil, usageErr("Error: an mpls label is expected rather than \"" + v + "\".")
		}
		labels = append(labels, uint32(n))
	}
	return labels, nil
}

// parseIPEncap reads the keywords of `encap ip` (id, dst, src, tos, ttl,
// key, csum, seq) or of `encap ip6` (tc and hoplimit for tos and ttl).
func parseIPEncap(w *words, v6 bool) (*rtnl.IPEncap, error) {
	e := &rtnl.IPEncap{}
	tos, ttl := "tos", "ttl"
	if v6 {
		tos, ttl = "tc", "hoplimit"
	}
	for w.more() {
		var err error
		switch k := w.peek(); k {
		case "id":
			w.take()
			var n uint64
			if n, err = w.uintValue("id", 64); err == nil {
				e.ID = &n
			}
		case "dst", "src":
			w.take()
			var a netip.Addr
			if a, err = w.addr(); err == nil {
				if k == "dst" {
					e.Dst = a
				} else {
					e.Src = a
				}
			}
		case tos:
			w.take()
			var d uint8
			if d, err = w.dsfield(k); err == nil {
				e.TOS = &d
			}
		case ttl:
			w.take()
			var n uint64
			if n, err = w.uintValue(k, 8); err == nil {
				t := uint8(n)
				e.TTL = &t
			}
		case "key":
			w.take()
			e.Flags |= rtnl.TunnelKey
		case "csum":
			w.take()
			e.Flags |= rtnl.TunnelCsum
		case "seq":
			w.take()
			e.Flags |= rtnl.TunnelSeq
		default:
			return e, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return e, nil
}

// parseSeg6Encap reads `mode MODE segs SEGMENTS [hmac KEYID]`. In mode
// inline ip adds the segment :: that stands for the packet's own
// destination.
func parseSeg6Encap(w *words) (*rtnl.Seg6Encap, error) {
	e := &rtnl.Seg6Encap{Mode: rtnl.Seg6ModeEncap}
	for w.more() {
		var err error
		switch w.peek() {
		case "mode":
			w.take()
			var v string
			if v, err = w.value(); err == nil {
				var ok bool
				if e.Mode, ok = named(v, rtnl.Seg6ModeInline, rtnl.Seg6ModeEncap, rtnl.Seg6ModeL2Encap, rtnl.Seg6ModeEncapRed, rtnl.Seg6ModeL2EncapRed); !ok {
					err = invarg("\"mode\" value is invalid\n", v)
				}
			}
		case "segs":
			w.take()
			e.SRH.Segments, err = w.segments()
		case "hmac":
			w.take()
			e.SRH.HMAC, err = w.u32("hmac")
		default:
			return seg6Inline(e), nil
		}
		if err != nil {
			return nil, err
		}
	}
	return seg6Inline(e), nil
}

// seg6Inline adds the segment :: of mode inline.
func seg6Inline(e *rtnl.Seg6Encap) *rtnl.Seg6Encap {
	if e.Mode == rtnl.Seg6ModeInline {
		e.SRH.Segments = append(e.SRH.Segments, netip.IPv6Unspecified())
	}
	return e
}

// parseSeg6Local reads `action ACTION [table T] [vrftable T] [nh4 A]
// [nh6 A] [iif D] [oif D] [srh segs S [hmac K]] [count] [flavors F]
// [lblen N] [nflen N]`.
func (c *command) parseSeg6Local(ctx context.Context, w *words) (*rtnl.Seg6LocalEncap, error) {
	e := &rtnl.Seg6LocalEncap{}
	for w.more() {
		var err error
		k := w.peek()
		switch k {
		case "action":
			w.take()
			var v string
			if v, err = w.value(); err == nil {
				err = invarg("\"action\" value is invalid\n", v)
				for a := rtnl.Seg6LocalEnd; a <= rtnl.Seg6LocalEndDT46; a++ {
					if a.String() == v {
						e.Action, err = a, nil
					}
				}
			}
		case "table", "vrftable":
			w.take()
			var v string
			var t rtnl.Table
			if v, err = w.value(); err == nil {
				if t, err = parseTable(v); err == nil {
					if k == "table" {
						e.Table = &t
					} else {
						e.VRFTable = &t
					}
				}
			}
		case "nh4", "nh6":
			w.take()
			var a netip.Addr
			if a, err = w.addr(); err == nil {
				if k == "nh4" {
					e.NH4 = a
				} else {
					e.NH6 = a
				}
			}
		case "iif", "oif":
			w.take()
			var l rtnl.Link
			if l, err = c.linkWord(ctx, w); err == nil {
				if k == "iif" {
					e.IIF = l.Index
				} else {
					e.OIF = l.Index
				}
			}
		case "srh":
			w.take()
			e.SRH = &rtnl.SRH{}
			if !w.takeIf("segs") {
				return nil, invarg("missing \"segs\" attribute for srh\n", w.peek())
			}
			if e.SRH.Segments, err = w.segments(); err == nil && w.takeIf("hmac") {
				e.SRH.HMAC, err = w.u32("hmac")
			}
		case "count":
			w.take()
			e.Counters = &rtnl.Seg6LocalCounters{}
		case "flavors":
			w.take()
			err = parseFlavors(w, e)
		case "lblen", "nflen":
			w.take()
			var n uint64
			if n, err = w.uintValue(k, 8); err == nil {
				if e.Flavors == nil {
					e.Flavors = &rtnl.Seg6LocalFlavors{}
				}
				b := uint8(n)
				if k == "lblen" {
					e.Flavors.LocatorBlockBits = &b
				} else {
					e.Flavors.LocatorNodeFuncBits = &b
				}
			}
		default:
			return b6Segment(e), nil
		}
		if err != nil {
			return nil, err
		}
	}
	return b6Segment(e), nil
}

// b6Segment adds the segment :: that End.B6 inserts its header with, as
// ip does for that action's srh.
func b6Segment(e *rtnl.Seg6LocalEncap) *rtnl.Seg6LocalEncap {
	if e.Action == rtnl.Seg6LocalEndB6 && e.SRH != nil {
		e.SRH.Segments = append(e.SRH.Segments, netip.IPv6Unspecified())
	}
	return e
}

// parseFlavors reads the comma-separated flavors of `flavors F[,F…]`.
func parseFlavors(w *words, e *rtnl.Seg6LocalEncap) error {
	v, err := w.value()
	if err != nil {
		return err
	}
	if e.Flavors == nil {
		e.Flavors = &rtnl.Seg6LocalFlavors{}
	}
	for _, name := range strings.Split(v, ",") {
		f, ok := named(name, rtnl.Seg6FlavorPSP, rtnl.Seg6FlavorUSP, rtnl.Seg6FlavorUSD, rtnl.Seg6FlavorNextCSID)
		if !ok {
			return invarg("invalid \"flavors\" attribute\n", v)
		}
		e.Flavors.Ops |= f
	}
	return nil
}

// parseIOAM6Encap reads `[freq K/N] [mode MODE] [tundst ADDR] trace
// prealloc type TYPE ns NS size SIZE`.
func parseIOAM6Encap(w *words) (*rtnl.IOAM6Encap, error) {
	e := &rtnl.IOAM6Encap{}
	for w.more() {
		var err error
		switch k := w.peek(); k {
		case "freq":
			w.take()
			var v string
			if v, err = w.value(); err == nil {
				k, n, _ := strings.Cut(v, "/")
				fk, err1 := parseCUint(k, 32)
				fn, err2 := parseCUint(n, 32)
				if err1 != nil || err2 != nil {
					err = invarg("Invalid \"freq\" value\n", v)
				}
				e.FreqK, e.FreqN = uint32(fk), uint32(fn)
			}
		case "mode":
			w.take()
			var v string
			if v, err = w.value(); err == nil {
				var ok bool
				if e.Mode, ok = named(v, rtnl.IOAM6ModeInline, rtnl.IOAM6ModeEncap, rtnl.IOAM6ModeAuto); !ok {
					err = invarg("Invalid \"mode\" value\n", v)
				}
			}
		case "tundst":
			w.take()
			e.TunDst, err = w.addr()
		case "trace", "prealloc":
			w.take()
		case "type":
			w.take()
			var n uint64
			n, err = w.uintValue("trace type", 24)
			e.TraceType = uint32(n)
		case "ns":
			w.take()
			var n uint64
			n, err = w.uintValue("trace ns", 16)
			e.Namespace = uint16(n)
		case "size":
			w.take()
			var n uint64
			n, err = w.uintValue("trace size", 16)
			e.TraceSize = uint16(n)
		default:
			return e, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return e, nil
}

// parseXFRMEncap reads `if_id ID [link_dev DEV]`.
func (c *command) parseXFRMEncap(ctx context.Context, w *words) (*rtnl.XFRMEncap, error) {
	e := &rtnl.XFRMEncap{}
	for w.more() {
		var err error
		switch w.peek() {
		case "if_id":
			w.take()
			e.IfID, err = w.u32("if_id")
		case "link_dev":
			w.take()
			var l rtnl.Link
			if l, err = c.linkWord(ctx, w); err == nil {
				e.Link = l.Index
			}
		default:
			return e, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return e, nil
}

// segments takes a comma-separated list of IPv6 addresses.
func (w *words) segments() ([]netip.Addr, error) {
	v, err := w.value()
	if err != nil {
		return nil, err
	}
	var segs []netip.Addr
	for _, s := range strings.Split(v, ",") {
		a, err := parseAddr(s)
		if err != nil {
			return nil, err
		}
		segs = append(segs, a)
	}
	return segs, nil
}

// addr takes an address.
func (w *words) addr() (netip.Addr, error) {
	v, err := w.value()
	if err != nil {
		return netip.Addr{}, err
	}
	return parseAddr(v)
}

// dsfield takes a DS field value by name or hexadecimal number.
func (w *words) dsfield(key string) (uint8, error) {
	v, err := w.value()
	if err != nil {
		return 0, err
	}
	d, err := rtnl.ParseDSField(v)
	if err != nil {
		return 0, invarg("\""+key+"\" value is invalid\n", v)
	}
	return d, nil
}

// linkWord takes a device name and looks the link up.
func (c *command) linkWord(ctx context.Context, w *words) (rtnl.Link, error) {
	v, err := w.value()
	if err != nil {
		return rtnl.Link{}, err
	}
	return c.linkByName(ctx, v)
}
