package rtnl

import (
	"net/netip"
	"strconv"

	"golang.org/x/sys/unix"
)

// This file and the other encap*.go files describe the lightweight tunnel
// encapsulation of a route or a nexthop object (RTA_ENCAP_TYPE and RTA_ENCAP,
// NHA_ENCAP_TYPE and NHA_ENCAP): `ip route add … encap TYPE …`.
//
// Routes and nexthop objects use them through three functions:
//
//   - (*writer).encap(typeAttr, dataAttr uint16, e *Encap) error appends the
//     nested dataAttr (RTA_ENCAP or NHA_ENCAP) and then the u16 typeAttr
//     (RTA_ENCAP_TYPE or NHA_ENCAP_TYPE), in ip's order. It validates e first
//     and returns an *InvalidError, appending nothing, when e is invalid. A
//     nil e appends nothing.
//   - decodeEncap(typ uint16, data []byte) (*Encap, error) decodes the value
//     of the type attribute and the payload of the nested attribute.
//   - (*Encap).writeJSON(w *jsonw.Writer) writes the members iproute2 6.1
//     prints for it inside the route, nexthop or multipath nexthop object:
//     "encap": "<type>" and the type's keys, flat in that object.
//
// Names of the links an encapsulation refers to (seg6local iif and oif, xfrm
// link) are in fields a list fills in with (*Encap).fillLinkNames; without
// them, the JSON names a link "ifN" as ip does for a link it cannot find.

// An Encap is the lightweight tunnel encapsulation of a route or a nexthop
// (`encap TYPE …`): Type, and the field for that type. Exactly the field
// of Type is set; for EncapIP and EncapIP6 it is IP. Types without a field
// of their own (ila, and types newer than this package) keep their
// attributes in Raw.
type Encap struct {
	// Type is the encapsulation type (RTA_ENCAP_TYPE).
	Type EncapType
	// MPLS is set for EncapMPLS.
	MPLS *MPLSEncap
	// IP is set for EncapIP and EncapIP6.
	IP *IPEncap
	// Seg6 is set for EncapSeg6.
	Seg6 *Seg6Encap
	// Seg6Local is set for EncapSeg6Local.
	Seg6Local *Seg6LocalEncap
	// BPF is set for EncapBPF.
	BPF *BPFEncap
	// IOAM6 is set for EncapIOAM6. Decoding leaves it nil when the kernel
	// sent an incomplete configuration, which ip prints no keys for.
	IOAM6 *IOAM6Encap
	// RPL is set for EncapRPL. Decoding leaves it nil when the kernel sent
	// no routing header.
	RPL *RPLEncap
	// XFRM is set for EncapXFRM.
	XFRM *XFRMEncap
	// Raw is the payload of RTA_ENCAP for any other type, sent and
	// received as it is.
	Raw []byte
}

// EncapType is a lightweight tunnel type (LWTUNNEL_ENCAP_*).
type EncapType uint16

// Lightweight tunnel types.
const (
	EncapMPLS      EncapType = unix.LWTUNNEL_ENCAP_MPLS       // mpls
	EncapIP        EncapType = unix.LWTUNNEL_ENCAP_IP         // ip
	EncapILA       EncapType = unix.LWTUNNEL_ENCAP_ILA        // ila
	EncapIP6       EncapType = unix.LWTUNNEL_ENCAP_IP6        // ip6
	EncapSeg6      EncapType = unix.LWTUNNEL_ENCAP_SEG6       // seg6
	EncapBPF       EncapType = unix.LWTUNNEL_ENCAP_BPF        // bpf
	EncapSeg6Local EncapType = unix.LWTUNNEL_ENCAP_SEG6_LOCAL // seg6local
	EncapRPL       EncapType = unix.LWTUNNEL_ENCAP_RPL        // rpl
	EncapIOAM6     EncapType = unix.LWTUNNEL_ENCAP_IOAM6      // ioam6
	EncapXFRM      EncapType = unix.LWTUNNEL_ENCAP_XFRM       // xfrm
)

// String returns the type's name as ip prints it, such as "mpls" or
// "seg6local", or "unknown".
func (t EncapType) String() string {
	switch t {
	case EncapMPLS:
		return "mpls"
	case EncapIP:
		return "ip"
	case EncapILA:
		return "ila"
	case EncapIP6:
		return "ip6"
	case EncapBPF:
		return "bpf"
	case EncapSeg6:
		return "seg6"
	case EncapSeg6Local:
		return "seg6local"
	case EncapRPL:
		return "rpl"
	case EncapIOAM6:
		return "ioam6"
	case EncapXFRM:
		return "xfrm"
	}
	return "unknown"
}

// MPLSEncap pushes an MPLS label stack (`encap mpls LABEL[/LABEL…] [ttl
// TTL]`; MPLS_IPTUNNEL_*).
type MPLSEncap struct {
	// Labels are the labels to push, outermost first, each below 2^20.
	Labels []uint32
	// TTL is the TTL of the pushed labels (`ttl`), or nil for the
	// kernel's default.
	TTL *uint8
}

// mplsMaxLabels is the most labels the kernel pushes (MAX_NEW_LABELS).
const mplsMaxLabels = 30

// IPEncap is an IPv4 (EncapIP) or IPv6 (EncapIP6) tunnel for a device in
// collect_md mode (`encap ip …`, `encap ip6 …`; LWTUNNEL_IP_* and
// LWTUNNEL_IP6_*). Nil pointers are not sent; the kernel reports every
// field.
type IPEncap struct {
	// ID is the tunnel key (`id`).
	ID *uint64
	// Src and Dst are the outer source and destination addresses (`src`,
	// `dst`) of the encapsulation's family, or the zero Addr.
	Src, Dst netip.Addr
	// TTL is the outer TTL (`ttl`), or the hop limit for IPv6 (`hoplimit`).
	TTL *uint8
	// TOS is the outer TOS (`tos`), or the traffic class for IPv6 (`tc`).
	TOS *uint8
	// Flags are the tunnel flags (`key`, `csum`, `seq`).
	Flags TunnelFlags
}

// TunnelFlags are the flags of an IP tunnel encapsulation (TUNNEL_*, as the
// 16-bit big-endian value the kernel carries).
type TunnelFlags uint16

// Tunnel flags.
const (
	TunnelCsum TunnelFlags = 0x01 // csum
	TunnelKey  TunnelFlags = 0x04 // key
	TunnelSeq  TunnelFlags = 0x08 // seq
)

// lwtunnelIP* are the attributes of an IP or IPv6 tunnel
// (enum lwtunnel_ip_t and lwtunnel_ip6_t share the numbers).
const (
	lwtunnelIPID    = 1
	lwtunnelIPDst   = 2
	lwtunnelIPSrc   = 3
	lwtunnelIPTTL   = 4 // LWTUNNEL_IP6_HOPLIMIT
	lwtunnelIPTOS   = 5 // LWTUNNEL_IP6_TC
	lwtunnelIPFlags = 6
)

// mplsIPTunnel* are the attributes of an MPLS encapsulation.
const (
	mplsIPTunnelDst = unix.MPLS_IPTUNNEL_DST
	mplsIPTunnelTTL = unix.MPLS_IPTUNNEL_TTL
)

// SRH is an IPv6 segment routing header (struct ipv6_sr_hdr), as seg6
// encapsulations and seg6local actions carry it.
type SRH struct {
	// Segments are the segments in the order the packet visits them, as
	// ip lists them. The header holds exactly these: ip's `mode inline`
	// (and seg6local End.B6) adds a last segment :: for the packet's
	// destination, so pass :: last to build the same header.
	Segments []netip.Addr
	// HMAC is the key id of the HMAC TLV (`hmac KEYID`), or 0 for none.
	HMAC uint32
}

// Seg6Encap inserts or encapsulates with a segment routing header
// (`encap seg6 mode MODE segs SEGMENTS [hmac KEYID]`; SEG6_IPTUNNEL_SRH).
type Seg6Encap struct {
	Mode Seg6Mode
	SRH  SRH
}

// Seg6Mode is the mode of a seg6 encapsulation (SEG6_IPTUN_MODE_*).
type Seg6Mode uint32

// Seg6 encapsulation modes.
const (
	Seg6ModeInline     Seg6Mode = 0 // inline
	Seg6ModeEncap      Seg6Mode = 1 // encap
	Seg6ModeL2Encap    Seg6Mode = 2 // l2encap
	Seg6ModeEncapRed   Seg6Mode = 3 // encap.red
	Seg6ModeL2EncapRed Seg6Mode = 4 // l2encap.red
)

// String returns the mode's name as ip prints it, such as "encap", or
// "<unknown>".
func (m Seg6Mode) String() string {
	switch m {
	case Seg6ModeInline:
		return "inline"
	case Seg6ModeEncap:
		return "encap"
	case Seg6ModeL2Encap:
		return "l2encap"
	case Seg6ModeEncapRed:
		return "encap.red"
	case Seg6ModeL2EncapRed:
		return "l2encap.red"
	}
	return "<unknown>"
}

// Seg6LocalEncap is a seg6local action (`encap seg6local action ACTION
// …`; SEG6_LOCAL_*). Which parameters an action needs is the kernel's
// business: End.X needs NH6, End.T Table, End.DT4 and End.DT46 VRFTable,
// and so on.
type Seg6LocalEncap struct {
	// Action is the action (`action`).
	Action Seg6LocalAction
	// SRH is the header End.B6 and End.B6.Encaps push (`srh segs …
	// [hmac …]`), or nil.
	SRH *SRH
	// Table is the table to look up (`table`), or nil.
	Table *Table
	// VRFTable is the table of the VRF to look up (`vrftable`), or nil.
	VRFTable *Table
	// NH4 and NH6 are the IPv4 and IPv6 next hops (`nh4`, `nh6`), or the
	// zero Addr.
	NH4, NH6 netip.Addr
	// IIF and OIF are the indexes of the input and output links (`iif`,
	// `oif`), or 0; IIFName and OIFName their names, which lists fill in.
	IIF, OIF         int32
	IIFName, OIFName string
	// Endpoint is the BPF program of End.BPF (`endpoint`), or nil.
	Endpoint *BPFProgram
	// Counters are the action's counters (`count`): in a request, any
	// non-nil value asks the kernel to count, the values are ignored.
	Counters *Seg6LocalCounters
	// Flavors are the action's flavors (`flavors`), or nil.
	Flavors *Seg6LocalFlavors
}

// Seg6LocalAction is a seg6local action (SEG6_LOCAL_ACTION_*).
type Seg6LocalAction uint32

// Seg6local actions.
const (
	Seg6LocalEnd         Seg6LocalAction = 1  // End
	Seg6LocalEndX        Seg6LocalAction = 2  // End.X
	Seg6LocalEndT        Seg6LocalAction = 3  // End.T
	Seg6LocalEndDX2      Seg6LocalAction = 4  // End.DX2
	Seg6LocalEndDX6      Seg6LocalAction = 5  // End.DX6
	Seg6LocalEndDX4      Seg6LocalAction = 6  // End.DX4
	Seg6LocalEndDT6      Seg6LocalAction = 7  // End.DT6
	Seg6LocalEndDT4      Seg6LocalAction = 8  // End.DT4
	Seg6LocalEndB6       Seg6LocalAction = 9  // End.B6
	Seg6LocalEndB6Encaps Seg6LocalAction = 10 // End.B6.Encaps
	Seg6LocalEndBM       Seg6LocalAction = 11 // End.BM
	Seg6LocalEndS        Seg6LocalAction = 12 // End.S
	Seg6LocalEndAS       Seg6LocalAction = 13 // End.AS
	Seg6LocalEndAM       Seg6LocalAction = 14 // End.AM
	Seg6LocalEndBPF      Seg6LocalAction = 15 // End.BPF
	Seg6LocalEndDT46     Seg6LocalAction = 16 // End.DT46
)

// String returns the action's name as ip prints it, such as "End.X", or
// "<unknown>" for 0 and "<invalid>" for a number beyond the known ones.
func (a Seg6LocalAction) String() string {
	switch a {
	case Seg6LocalEnd:
		return "End"
	case Seg6LocalEndX:
		return "End.X"
	case Seg6LocalEndT:
		return "End.T"
	case Seg6LocalEndDX2:
		return "End.DX2"
	case Seg6LocalEndDX6:
		return "End.DX6"
	case Seg6LocalEndDX4:
		return "End.DX4"
	case Seg6LocalEndDT6:
		return "End.DT6"
	case Seg6LocalEndDT4:
		return "End.DT4"
	case Seg6LocalEndB6:
		return "End.B6"
	case Seg6LocalEndB6Encaps:
		return "End.B6.Encaps"
	case Seg6LocalEndBM:
		return "End.BM"
	case Seg6LocalEndS:
		return "End.S"
	case Seg6LocalEndAS:
		return "End.AS"
	case Seg6LocalEndAM:
		return "End.AM"
	case Seg6LocalEndBPF:
		return "End.BPF"
	case Seg6LocalEndDT46:
		return "End.DT46"
	case 0:
		return "<unknown>"
	}
	return "<invalid>"
}

// Seg6LocalCounters are the counters of a seg6local action
// (SEG6_LOCAL_CNT_*).
type Seg6LocalCounters struct {
	Packets, Bytes, Errors uint64
}

// Seg6LocalFlavors are the flavors of a seg6local action
// (SEG6_LOCAL_FLV_*).
type Seg6LocalFlavors struct {
	// Ops are the flavors (`flavors psp,usp,…`).
	Ops Seg6Flavors
	// LocatorBlockBits and LocatorNodeFuncBits are the lengths of the
	// locator block and of the locator node function of next-csid
	// (`lblen`, `nflen`), or nil.
	LocatorBlockBits, LocatorNodeFuncBits *uint8
}

// Seg6Flavors are seg6local flavors (1 << SEG6_LOCAL_FLV_OP_*).
type Seg6Flavors uint32

// Seg6local flavors.
const (
	Seg6FlavorPSP      Seg6Flavors = 1 << 1 // psp
	Seg6FlavorUSP      Seg6Flavors = 1 << 2 // usp
	Seg6FlavorUSD      Seg6Flavors = 1 << 3 // usd
	Seg6FlavorNextCSID Seg6Flavors = 1 << 4 // next-csid
)

// seg6FlavorName returns the name ip gives the flavor of bit i, or "".
func seg6FlavorName(i int) string {
	switch Seg6Flavors(1) << i {
	case Seg6FlavorPSP:
		return "psp"
	case Seg6FlavorUSP:
		return "usp"
	case Seg6FlavorUSD:
		return "usd"
	case Seg6FlavorNextCSID:
		return "next-csid"
	}
	return ""
}

// BPFEncap runs BPF programs on the route's packets (`encap bpf …`;
// LWT_BPF_*).
type BPFEncap struct {
	// In, Out and Xmit are the programs of the input, output and transmit
	// hooks (`in`, `out`, `xmit`), or nil.
	In, Out, Xmit *BPFProgram
	// Headroom is the headroom xmit needs (`headroom`), or 0.
	Headroom uint32
}

// A BPFProgram is a BPF program of a lightweight tunnel (LWT_BPF_PROG_*).
type BPFProgram struct {
	// FD is the program's file descriptor, in a request: the kernel
	// reports the name only, and lists leave FD 0.
	FD int32
	// Name is the program's name, which the kernel requires.
	Name string
}

// IOAM6Encap inserts IOAM pre-allocated trace data (`encap ioam6 [freq K/N]
// [mode MODE [tundst ADDR]] trace prealloc type TYPE ns NS size SIZE`;
// IOAM6_IPTUNNEL_*).
type IOAM6Encap struct {
	// FreqK and FreqN insert the trace in K of every N packets (`freq
	// K/N`), 1 to 1000000 with K ≤ N; 0 and 0 in a request stand for 1/1,
	// ip's default.
	FreqK, FreqN uint32
	// Mode is the insertion mode (`mode`); 0 in a request stands for
	// IOAM6ModeInline, ip's default.
	Mode IOAM6Mode
	// TunDst is the tunnel destination of IOAM6ModeEncap and IOAM6ModeAuto
	// (`tundst`), or the zero Addr.
	TunDst netip.Addr
	// TraceType is the 24-bit trace type (`type`), not 0.
	TraceType uint32
	// Namespace is the IOAM namespace (`ns`).
	Namespace uint16
	// TraceSize is the room for node data in bytes (`size`), a multiple
	// of 4 from 4 to 244.
	TraceSize uint16
}

// IOAM6Mode is the insertion mode of an ioam6 encapsulation
// (IOAM6_IPTUNNEL_MODE_*).
type IOAM6Mode uint8

// IOAM6 insertion modes.
const (
	IOAM6ModeInline IOAM6Mode = 1 // inline
	IOAM6ModeEncap  IOAM6Mode = 2 // encap
	IOAM6ModeAuto   IOAM6Mode = 3 // auto
)

// String returns the mode's name as ip prints it, such as "inline", or
// "<unknown>".
func (m IOAM6Mode) String() string {
	switch m {
	case IOAM6ModeInline:
		return "inline"
	case IOAM6ModeEncap:
		return "encap"
	case IOAM6ModeAuto:
		return "auto"
	}
	return "<unknown>"
}

// ioam6IPTunnel* are the attributes of an ioam6 encapsulation, and the
// limits ip checks.
const (
	ioam6IPTunnelMode   = 1
	ioam6IPTunnelDst    = 2
	ioam6IPTunnelTrace  = 3
	ioam6IPTunnelFreqK  = 4
	ioam6IPTunnelFreqN  = 5
	ioam6FreqMax        = 1000000
	ioam6TraceSizeMax   = 244 // IOAM6_TRACE_DATA_SIZE_MAX
	ioam6TraceHeaderLen = 8   // struct ioam6_trace_hdr
)

// RPLEncap inserts an RPL source routing header (`encap rpl segs
// SEGMENTS`; RPL_IPTUNNEL_SRH).
type RPLEncap struct {
	// Segments are the segments in the order the packet visits them.
	Segments []netip.Addr
}

// XFRMEncap sends the route's packets through an xfrm interface's
// policies (`encap xfrm if_id ID [link_dev DEV]`; LWT_XFRM_*).
type XFRMEncap struct {
	// IfID is the xfrm interface id (`if_id`), not 0.
	IfID uint32
	// Link is the index of the underlying link (`link_dev`), or 0;
	// LinkName its name, which lists fill in.
	Link     int32
	LinkName string
}

// Attribute numbers of the BPF, seg6, seg6local, rpl and xfrm
// encapsulations.
const (
	lwtBPFIn           = 1
	lwtBPFOut          = 2
	lwtBPFXmit         = 3
	lwtBPFXmitHeadroom = 4
	lwtBPFProgFD       = 1 // also SEG6_LOCAL_BPF_PROG
	lwtBPFProgName     = 2 // also SEG6_LOCAL_BPF_PROG_NAME
	lwtBPFMaxHeadroom  = 256

	seg6IPTunnelSRH = 1
	rplIPTunnelSRH  = 1

	seg6LocalAction   = 1
	seg6LocalSRH      = 2
	seg6LocalTable    = 3
	seg6LocalNH4      = 4
	seg6LocalNH6      = 5
	seg6LocalIIF      = 6
	seg6LocalOIF      = 7
	seg6LocalBPF      = 8
	seg6LocalVRFTable = 9
	seg6LocalCounters = 10
	seg6LocalFlavors  = 11

	seg6LocalCntPackets = 2
	seg6LocalCntBytes   = 3
	seg6LocalCntErrors  = 4

	seg6LocalFlvOperation    = 1
	seg6LocalFlvLCBlockBits  = 2
	seg6LocalFlvLCNodeFnBits = 3

	lwtXFRMIfID = 1
	lwtXFRMLink = 2
)

// Segment routing header layout (struct ipv6_sr_hdr, struct sr6_tlv_hmac,
// struct ipv6_rpl_sr_hdr).
const (
	srhHeaderLen  = 8
	srhTypeSeg6   = 4 // IPV6_SRCRT_TYPE_4
	srhTypeRPL    = 3 // IPV6_SRCRT_TYPE_3
	srhFlagHMAC   = 1 << 3
	srhTLVHMAC    = 5
	srhHMACTLVLen = 40
)

// fillLinkNames sets the names of the links e refers to from name, which
// returns "" for an index it does not know.
func (e *Encap) fillLinkNames(name func(index int32) string) {
	if l := e.Seg6Local; l != nil {
		if l.IIF != 0 {
			l.IIFName = name(l.IIF)
		}
		if l.OIF != 0 {
			l.OIFName = name(l.OIF)
		}
	}
	if x := e.XFRM; x != nil && x.Link != 0 {
		x.LinkName = name(x.Link)
	}
}

// hexBare formats v in lower-case hexadecimal without a prefix, as ip's
// print_hex does in JSON.
func hexBare(v uint32) string { return strconv.FormatUint(uint64(v), 16) }
