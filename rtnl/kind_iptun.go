package rtnl

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// This file holds the IP tunnels that share the IFLA_IPTUN_* attributes
// (ipip, sit, ip6tnl: [IPTunnel]) and what every tunnel kind shares: FOU/GUE
// encapsulation ([TunnelEncap]), the IPv6 tunnel options of ip6tnl and the
// ip6gre kinds ([IP6TunnelOptions]), and the helpers of kind_vti.go and
// kind_gre.go.
//
// Design: one Go type per kernel attribute space, with a Kind field naming
// the link kind among those that share it (IPTunnel: ipip, sit, ip6tnl;
// Vti: vti, vti6; Gre: gre, gretap, erspan, ip6gre, ip6gretap, ip6erspan).
// The kinds of one space differ in address family and in a few settings,
// which encode rejects for the kinds that have no use for them.
//
// The kernel rebuilds a tunnel's whole configuration from every change
// request (ipip, sit, ip6tnl, vti, gre and ip6gre alike): a setting left
// out of [Conn.SetLink] falls back to its default. To change one setting,
// read the link, change its Data and send all of it back, which is what ip
// does when it reads the tunnel before `ip link set … type KIND …`.

// IFLA_IPTUN_* (include/uapi/linux/if_tunnel.h); golang.org/x/sys/unix has
// none of them.
const (
	iflaIPTunLink              = 1  // IFLA_IPTUN_LINK: u32
	iflaIPTunLocal             = 2  // IFLA_IPTUN_LOCAL: in_addr or in6_addr
	iflaIPTunRemote            = 3  // IFLA_IPTUN_REMOTE
	iflaIPTunTTL               = 4  // IFLA_IPTUN_TTL: u8
	iflaIPTunTOS               = 5  // IFLA_IPTUN_TOS: u8
	iflaIPTunEncapLimit        = 6  // IFLA_IPTUN_ENCAP_LIMIT: u8
	iflaIPTunFlowInfo          = 7  // IFLA_IPTUN_FLOWINFO: be32
	iflaIPTunFlags             = 8  // IFLA_IPTUN_FLAGS: u16 (sit) or u32 (ip6tnl)
	iflaIPTunProto             = 9  // IFLA_IPTUN_PROTO: u8
	iflaIPTunPMTUDisc          = 10 // IFLA_IPTUN_PMTUDISC: u8
	iflaIPTun6RDPrefix         = 11 // IFLA_IPTUN_6RD_PREFIX: in6_addr
	iflaIPTun6RDRelayPrefix    = 12 // IFLA_IPTUN_6RD_RELAY_PREFIX: be32
	iflaIPTun6RDPrefixLen      = 13 // IFLA_IPTUN_6RD_PREFIXLEN: u16
	iflaIPTun6RDRelayPrefixLen = 14 // IFLA_IPTUN_6RD_RELAY_PREFIXLEN: u16
	iflaIPTunEncapType         = 15 // IFLA_IPTUN_ENCAP_TYPE: u16
	iflaIPTunCollectMetadata   = 19 // IFLA_IPTUN_COLLECT_METADATA: flag
	iflaIPTunFwMark            = 20 // IFLA_IPTUN_FWMARK: u32
)

// Tunnel encapsulation flags (TUNNEL_ENCAP_FLAG_*) and the SIT flag.
const (
	tunnelEncapFlagCsum    = 1 << 0 // TUNNEL_ENCAP_FLAG_CSUM
	tunnelEncapFlagCsum6   = 1 << 1 // TUNNEL_ENCAP_FLAG_CSUM6
	tunnelEncapFlagRemCsum = 1 << 2 // TUNNEL_ENCAP_FLAG_REMCSUM
	sitISATAP              = 0x0001 // SIT_ISATAP
)

// IPv6 tunnel flags (IP6_TNL_F_*, include/uapi/linux/ip6_tunnel.h).
const (
	ip6TnlFIgnEncapLimit    = 0x1  // IP6_TNL_F_IGN_ENCAP_LIMIT
	ip6TnlFUseOrigTClass    = 0x2  // IP6_TNL_F_USE_ORIG_TCLASS
	ip6TnlFUseOrigFlowLabel = 0x4  // IP6_TNL_F_USE_ORIG_FLOWLABEL
	ip6TnlFMIP6Dev          = 0x8  // IP6_TNL_F_MIP6_DEV
	ip6TnlFRcvDSCPCopy      = 0x10 // IP6_TNL_F_RCV_DSCP_COPY
	ip6TnlFUseOrigFwMark    = 0x20 // IP6_TNL_F_USE_ORIG_FWMARK
	ip6TnlFAllowLocalRemote = 0x40 // IP6_TNL_F_ALLOW_LOCAL_REMOTE
)

// Inner protocols of IP tunnels (IFLA_IPTUN_PROTO).
const ipprotoMPLS = 137 // IPPROTO_MPLS

// tnlMaxFlowLabel is the largest IPv6 flow label (20 bits).
const tnlMaxFlowLabel = 1<<20 - 1

// TunnelEncapType is the UDP encapsulation of a tunnel's packets
// (TUNNEL_ENCAP_*).
type TunnelEncapType uint16

// Tunnel encapsulations.
const (
	TunnelEncapNone TunnelEncapType = 0 // encap none, noencap
	TunnelEncapFOU  TunnelEncapType = 1 // encap fou: Foo over UDP
	TunnelEncapGUE  TunnelEncapType = 2 // encap gue: Generic UDP Encapsulation
)

// String returns "none", "fou", "gue", or the number of a type ip has no
// name for.
func (t TunnelEncapType) String() string {
	switch t {
	case TunnelEncapNone:
		return "none"
	case TunnelEncapFOU:
		return "fou"
	case TunnelEncapGUE:
		return "gue"
	}
	return strconv.Itoa(int(t))
}

// TunnelEncap is the FOU or GUE encapsulation of a tunnel (ipip, sit,
// ip6tnl and every GRE kind), ip's `encap` options:
//
//	encap fou|gue|none, noencap    Type
//	encap-sport PORT|auto          SourcePort (auto is 0)
//	encap-dport PORT               DestPort
//	[no]encap-csum                 Checksum
//	[no]encap-udp6-csum            Checksum6
//	[no]encap-remcsum              RemoteChecksum
//
// It is sent as four attributes (*_ENCAP_TYPE, _FLAGS, _SPORT, _DPORT),
// all of them, as ip sends them. FOU and GUE need the fou module and a
// receiving port (`ip fou add`) on the remote end.
type TunnelEncap struct {
	// Type is the encapsulation.
	Type TunnelEncapType
	// SourcePort is the UDP source port; 0 lets the kernel choose one per
	// flow.
	SourcePort uint16
	// DestPort is the UDP destination port.
	DestPort uint16
	// Checksum turns UDP checksums on for IPv4 (TUNNEL_ENCAP_FLAG_CSUM).
	Checksum bool
	// Checksum6 turns UDP checksums on for IPv6 (TUNNEL_ENCAP_FLAG_CSUM6).
	Checksum6 bool
	// RemoteChecksum turns remote checksum offload on
	// (TUNNEL_ENCAP_FLAG_REMCSUM).
	RemoteChecksum bool
}

// encode appends the four encapsulation attributes; typeAttr is the kind's
// *_ENCAP_TYPE, the others follow it.
func (e *TunnelEncap) encode(w *writer, typeAttr uint16) {
	var flags uint16
	if e.Checksum {
		flags |= tunnelEncapFlagCsum
	}
	if e.Checksum6 {
		flags |= tunnelEncapFlagCsum6
	}
	if e.RemoteChecksum {
		flags |= tunnelEncapFlagRemCsum
	}
	w.Uint16(typeAttr, uint16(e.Type))
	w.Uint16(typeAttr+1, flags)
	w.Port(typeAttr+2, e.SourcePort)
	w.Port(typeAttr+3, e.DestPort)
}

// decodeAttr reads the current attribute into e if it is one of the four
// starting at typeAttr, and reports whether it was.
func (e *TunnelEncap) decodeAttr(d *attrs.Decoder, typeAttr uint16) bool {
	switch d.Type() {
	case typeAttr:
		e.Type = TunnelEncapType(d.Uint16())
	case typeAttr + 1:
		flags := d.Uint16()
		e.Checksum = flags&tunnelEncapFlagCsum != 0
		e.Checksum6 = flags&tunnelEncapFlagCsum6 != 0
		e.RemoteChecksum = flags&tunnelEncapFlagRemCsum != 0
	case typeAttr + 2:
		e.SourcePort = d.Port()
	case typeAttr + 3:
		e.DestPort = d.Port()
	default:
		return false
	}
	return true
}

// writeJSON writes the "encap" object as ip's tnl_print_encap does: only
// for an encapsulation other than none.
func (e *TunnelEncap) writeJSON(w *jsonw.Writer) {
	if e == nil || e.Type == TunnelEncapNone {
		return
	}
	w.Open("encap")
	switch e.Type {
	case TunnelEncapFOU, TunnelEncapGUE:
		w.String("type", e.Type.String())
	default:
		w.Null("type")
	}
	w.Uint("sport", uint64(e.SourcePort))
	w.Uint("dport", uint64(e.DestPort))
	w.Bool("csum", e.Checksum)
	w.Bool("csum6", e.Checksum6)
	w.Bool("remcsum", e.RemoteChecksum)
	w.Close()
}

// IP6TunnelOptions are the settings of IPv6 tunnels (ip6tnl and the ip6gre
// kinds) that IPv4 tunnels lack:
//
//	encaplimit LIMIT       EncapLimit
//	encaplimit none        IgnoreEncapLimit
//	tclass TCLASS          TClass
//	tclass inherit         InheritTClass
//	flowlabel LABEL        FlowLabel
//	flowlabel inherit      InheritFlowLabel
//	dscp inherit           DSCPCopy
//	[no]allow-localremote  AllowLocalRemote
//	fwmark inherit         InheritFwMark
//
// TClass and FlowLabel travel in one attribute (*_FLOWINFO), sent when
// either is set; the flags in another (*_FLAGS, IP6_TNL_F_*), sent
// whenever the options are.
type IP6TunnelOptions struct {
	// EncapLimit is the tunnel encapsulation limit of the outer packets
	// (an IPv6 destination option); ip sends 4 unless told otherwise.
	EncapLimit *uint8
	// TClass is the traffic class of the outer packets.
	TClass *uint8
	// FlowLabel is the flow label of the outer packets, 20 bits.
	FlowLabel *uint32
	// IgnoreEncapLimit sends no encapsulation limit option.
	IgnoreEncapLimit bool
	// InheritTClass copies the traffic class of the inner packets.
	InheritTClass bool
	// InheritFlowLabel copies the flow label of the inner packets.
	InheritFlowLabel bool
	// DSCPCopy copies the DSCP of received outer packets to the inner ones
	// (IP6_TNL_F_RCV_DSCP_COPY).
	DSCPCopy bool
	// MIP6Dev marks a Mobile IPv6 tunnel (IP6_TNL_F_MIP6_DEV); ip has no
	// option for it.
	MIP6Dev bool
	// AllowLocalRemote allows a remote address that is local to the host.
	AllowLocalRemote bool
	// InheritFwMark copies the firewall mark of the inner packets.
	InheritFwMark bool
}

func (o *IP6TunnelOptions) validate(kind string) error {
	if o.FlowLabel != nil && *o.FlowLabel > tnlMaxFlowLabel {
		return errInvalid(kind+" flow label", fmt.Sprintf("%#x is above %#x", *o.FlowLabel, tnlMaxFlowLabel))
	}
	return nil
}

func (o *IP6TunnelOptions) flags() uint32 {
	var f uint32
	for _, b := range [...]struct {
		on   bool
		flag uint32
	}{
		{o.IgnoreEncapLimit, ip6TnlFIgnEncapLimit},
		{o.InheritTClass, ip6TnlFUseOrigTClass},
		{o.InheritFlowLabel, ip6TnlFUseOrigFlowLabel},
		{o.MIP6Dev, ip6TnlFMIP6Dev},
		{o.DSCPCopy, ip6TnlFRcvDSCPCopy},
		{o.InheritFwMark, ip6TnlFUseOrigFwMark},
		{o.AllowLocalRemote, ip6TnlFAllowLocalRemote},
	} {
		if b.on {
			f |= b.flag
		}
	}
	return f
}

func (o *IP6TunnelOptions) setFlags(f uint32) {
	o.IgnoreEncapLimit = f&ip6TnlFIgnEncapLimit != 0
	o.InheritTClass = f&ip6TnlFUseOrigTClass != 0
	o.InheritFlowLabel = f&ip6TnlFUseOrigFlowLabel != 0
	o.MIP6Dev = f&ip6TnlFMIP6Dev != 0
	o.DSCPCopy = f&ip6TnlFRcvDSCPCopy != 0
	o.InheritFwMark = f&ip6TnlFUseOrigFwMark != 0
	o.AllowLocalRemote = f&ip6TnlFAllowLocalRemote != 0
}

// flowInfo returns the flow information word (host order) and whether it
// is sent.
func (o *IP6TunnelOptions) flowInfo() (uint32, bool) {
	if o.TClass == nil && o.FlowLabel == nil {
		return 0, false
	}
	var fi uint32
	if o.TClass != nil {
		fi |= uint32(*o.TClass) << 20
	}
	if o.FlowLabel != nil {
		fi |= *o.FlowLabel & tnlMaxFlowLabel
	}
	return fi, true
}

// encode appends the encapsulation limit, the flow information and the
// flags, in this order, as ip sends them for ip6tnl and ip6gre.
func (o *IP6TunnelOptions) encode(w *writer, limitAttr, flowAttr, flagsAttr uint16) {
	putUint8(w, limitAttr, o.EncapLimit)
	if fi, ok := o.flowInfo(); ok {
		w.bigEndian32(flowAttr, fi)
	}
	w.Uint32(flagsAttr, o.flags())
}

// ip6TunnelValues backs the pointer fields of a decoded IP6TunnelOptions.
type ip6TunnelValues struct {
	opts              IP6TunnelOptions
	encapLimit, class uint8
	label             uint32
}

func (v *ip6TunnelValues) setFlowInfo(fi uint32) {
	v.class = uint8(fi >> 20)
	v.label = fi & tnlMaxFlowLabel
	v.opts.TClass, v.opts.FlowLabel = &v.class, &v.label
}

// writeJSONLimitClassLabel writes what ip prints of the options after the
// hop limit: encap_limit, tclass, flowlabel and dscp copy.
func (o *IP6TunnelOptions) writeJSONLimitClassLabel(w *jsonw.Writer) {
	if o.IgnoreEncapLimit {
		w.Bool("ip6_tnl_f_ign_encap_limit", true)
	} else {
		writeJSONUint(w, "encap_limit", o.EncapLimit)
	}
	fi, haveFI := o.flowInfo()
	if o.InheritTClass {
		w.Bool("ip6_tnl_f_use_orig_tclass", true)
	} else if haveFI {
		w.String("tclass", fmt.Sprintf("0x%02x", (fi>>20)&0xff))
	}
	if o.InheritFlowLabel {
		w.Bool("ip6_tnl_f_use_orig_flowlabel", true)
	} else if haveFI {
		w.String("flowlabel", fmt.Sprintf("0x%05x", fi&tnlMaxFlowLabel))
	}
	if o.DSCPCopy {
		w.Bool("ip6_tnl_f_rcv_dscp_copy", true)
	}
}

// tnlWriteJSONFwMark writes "ip6_tnl_f_use_orig_fwmark" or a non-zero
// "fwmark", as ip prints them for IPv6 tunnels.
func tnlWriteJSONFwMark(w *jsonw.Writer, o *IP6TunnelOptions, fwmark *uint32) {
	if o != nil && o.InheritFwMark {
		w.Bool("ip6_tnl_f_use_orig_fwmark", true)
		return
	}
	writeJSONNonZeroHex(w, "fwmark", fwmark)
}

// IPTunnel is the data of an IP-in-IP tunnel: kinds "ipip" (IPv4 over
// IPv4), "sit" (IPv6 and more over IPv4) and "ip6tnl" (IPv4 or IPv6 over
// IPv6), which share the IFLA_IPTUN_* attributes. Its fields correspond to
// the options of `ip link add NAME type ipip|sit|ip6tnl …`:
//
//	mode ipip|ip6ip|mplsip|any   Proto (sit also ip6ip; ip6tnl: ip6ip6, ipip6, any)
//	remote ADDR                  Remote
//	local ADDR                   Local
//	dev PHYS_DEV                 LinkIndex
//	ttl TTL|inherit, hoplimit    TTL (inherit is 0)
//	tos TOS|inherit              TOS (ipip, sit; inherit is 1)
//	[no]pmtudisc                 PMTUDisc (ipip, sit)
//	isatap                       ISATAP (sit)
//	6rd-prefix PREFIX            SixRDPrefix (sit)
//	6rd-relay_prefix PREFIX      SixRDRelayPrefix (sit)
//	fwmark MARK                  FwMark
//	external                     External
//	encap …                      Encap
//	encaplimit, tclass, …        IP6 (ip6tnl; see IP6TunnelOptions)
//
// Nil pointer fields and zero addresses are not sent. The kernel's
// defaults differ from ip's: ip sends mode any (the kernel's default is
// ipip for ipip, ip6ip for sit), ttl inherit (sit's default is 64),
// pmtudisc, and for ip6tnl hoplimit 64, encaplimit 4 and encap-udp6-csum;
// set them to get the same tunnel as ip's. A non-zero TTL turns path MTU
// discovery on whatever PMTUDisc says, so encode refuses the two together,
// as ip does.
//
// The kernel rebuilds the whole configuration from a change request: to
// change a tunnel with [Conn.SetLink], send back all of its Data as read
// from the kernel, with the changes made.
type IPTunnel struct {
	// Kind is "ipip", "sit" or "ip6tnl"; empty means "ipip".
	Kind string
	// External makes a metadata-based tunnel (collect metadata), whose
	// endpoints come from the route or tc/BPF; ip's `external`.
	External bool
	// Proto is the inner protocol (IFLA_IPTUN_PROTO): unix.IPPROTO_IPIP
	// (mode ipip, ip6tnl's ipip6), unix.IPPROTO_IPV6 (sit's ip6ip,
	// ip6tnl's ip6ip6), 137 (IPPROTO_MPLS, mode mplsip, not for ip6tnl),
	// or 0 (any).
	Proto *uint8
	// Local and Remote are the tunnel's endpoints: IPv4 addresses for
	// ipip and sit, IPv6 for ip6tnl. The zero Addr is not sent; ip prints
	// "any" for an unspecified address.
	Local, Remote netip.Addr
	// LinkIndex is the index of the device the tunnel's packets go out of
	// (IFLA_IPTUN_LINK, ip's `dev`); 0 is none.
	LinkIndex *int32
	// LinkName is the name of the LinkIndex device, filled in by Links and
	// the LinkBy functions. It is never sent.
	LinkName string
	// TTL is the time to live (ip6tnl: hop limit) of the outer packets; 0
	// copies the inner packet's (inherit).
	TTL *uint8
	// TOS is the type of service of the outer packets (ipip, sit); 1 is
	// inherit.
	TOS *uint8
	// PMTUDisc turns path MTU discovery (the Don't Fragment bit) on or off
	// (ipip, sit). The kernel turns it on when it is not sent.
	PMTUDisc *bool
	// FwMark is the firewall mark of the outer packets.
	FwMark *uint32
	// ISATAP makes an ISATAP tunnel (sit only): IFLA_IPTUN_FLAGS, sent when
	// not nil.
	ISATAP *bool
	// SixRDPrefix is the IPv6 prefix of a 6rd tunnel (sit only), and
	// SixRDRelayPrefix its IPv4 relay prefix. The zero Prefix is not sent.
	// The kernel reports 2002::/16 and 0.0.0.0/0 for a sit tunnel without
	// 6rd settings.
	SixRDPrefix, SixRDRelayPrefix netip.Prefix
	// IP6 holds the IPv6 tunnel options (ip6tnl only).
	IP6 *IP6TunnelOptions
	// Encap is the FOU or GUE encapsulation, sent when not nil.
	Encap *TunnelEncap
}

// LinkKind returns Kind, or "ipip" when it is empty.
func (t *IPTunnel) LinkKind() string {
	if t.Kind == "" {
		return "ipip"
	}
	return t.Kind
}

func (t *IPTunnel) validate() error {
	kind := t.LinkKind()
	var protos []uint8
	switch kind {
	case "ipip":
		protos = []uint8{0, unix.IPPROTO_IPIP, ipprotoMPLS}
	case "sit":
		protos = []uint8{0, unix.IPPROTO_IPIP, unix.IPPROTO_IPV6, ipprotoMPLS}
	case "ip6tnl":
		protos = []uint8{0, unix.IPPROTO_IPIP, unix.IPPROTO_IPV6}
	default:
		return errInvalid("ip tunnel kind", fmt.Sprintf("%q is not ipip, sit or ip6tnl", kind))
	}
	if t.Proto != nil && !slices.Contains(protos, *t.Proto) {
		return errInvalid(kind+" mode", fmt.Sprintf("protocol %d is not one of %v", *t.Proto, protos))
	}
	v6 := kind == "ip6tnl"
	if err := tnlCheckAddr(kind, "local", t.Local, v6); err != nil {
		return err
	}
	if err := tnlCheckAddr(kind, "remote", t.Remote, v6); err != nil {
		return err
	}
	if v6 {
		switch {
		case t.TOS != nil:
			return errInvalid("ip6tnl tos", "an ip6tnl tunnel sets a traffic class: use IP6.TClass")
		case t.PMTUDisc != nil:
			return errInvalid("ip6tnl pmtudisc", "only ipip and sit tunnels take it")
		}
		if t.IP6 != nil {
			if err := t.IP6.validate(kind); err != nil {
				return err
			}
		}
	} else if t.IP6 != nil {
		return errInvalid(kind+" IPv6 options", "only ip6tnl tunnels take them")
	}
	if kind != "sit" {
		switch {
		case t.ISATAP != nil && *t.ISATAP:
			return errInvalid(kind+" isatap", "only sit tunnels take it")
		case t.SixRDPrefix.IsValid() || t.SixRDRelayPrefix.IsValid():
			return errInvalid(kind+" 6rd prefix", "only sit tunnels take it")
		}
	}
	if t.TTL != nil && *t.TTL != 0 && t.PMTUDisc != nil && !*t.PMTUDisc {
		return errInvalid(kind+" ttl", "a fixed TTL needs path MTU discovery (ip: ttl != 0 and nopmtudisc are incompatible)")
	}
	return t.validate6RD()
}

// validate6RD checks the 6rd prefixes as the kernel does
// (ipip6_tunnel_update_6rd): the relay prefix is at most 32 bits, and the
// 6rd prefix and the IPv4 address bits it embeds fit in 64 bits.
func (t *IPTunnel) validate6RD() error {
	p, r := t.SixRDPrefix, t.SixRDRelayPrefix
	if p.IsValid() && !p.Addr().Is6() {
		return errInvalid("sit 6rd prefix", fmt.Sprintf("%s is not an IPv6 prefix", p))
	}
	if r.IsValid() && !r.Addr().Is4() {
		return errInvalid("sit 6rd relay prefix", fmt.Sprintf("%s is not an IPv4 prefix", r))
	}
	if !p.IsValid() && !r.IsValid() {
		return nil
	}
	relayBits := 0
	if r.IsValid() {
		relayBits = r.Bits()
	}
	if p.Bits()+32-relayBits > 64 {
		return errInvalid("sit 6rd prefix", fmt.Sprintf("prefix length %d and relay prefix length %d leave more than 64 bits", p.Bits(), relayBits))
	}
	return nil
}

func (t *IPTunnel) encode(w *writer) error {
	if err := t.validate(); err != nil {
		return err
	}
	// ip's order, ipip_parse_opt / ip6tunnel_parse_opt.
	putUint8(w, iflaIPTunProto, t.Proto)
	putFlag(w, iflaIPTunCollectMetadata, t.External)
	putAddr(w, iflaIPTunLocal, t.Local)
	putAddr(w, iflaIPTunRemote, t.Remote)
	if t.LinkKind() == "ip6tnl" {
		putUint8(w, iflaIPTunTTL, t.TTL)
		if t.IP6 != nil {
			t.IP6.encode(w, iflaIPTunEncapLimit, iflaIPTunFlowInfo, iflaIPTunFlags)
		}
		putInt32(w, iflaIPTunLink, t.LinkIndex)
		putUint32(w, iflaIPTunFwMark, t.FwMark)
		if t.Encap != nil {
			t.Encap.encode(w, iflaIPTunEncapType)
		}
		return nil
	}
	putBool(w, iflaIPTunPMTUDisc, t.PMTUDisc)
	putUint8(w, iflaIPTunTOS, t.TOS)
	putUint8(w, iflaIPTunTTL, t.TTL)
	putInt32(w, iflaIPTunLink, t.LinkIndex)
	putUint32(w, iflaIPTunFwMark, t.FwMark)
	if t.Encap != nil {
		t.Encap.encode(w, iflaIPTunEncapType)
	}
	if t.ISATAP != nil && t.LinkKind() == "sit" {
		var flags uint16
		if *t.ISATAP {
			flags = sitISATAP
		}
		w.Uint16(iflaIPTunFlags, flags)
	}
	if p := t.SixRDPrefix; p.IsValid() {
		w.Addr(iflaIPTun6RDPrefix, p.Addr())
		w.Uint16(iflaIPTun6RDPrefixLen, uint16(p.Bits()))
	}
	if r := t.SixRDRelayPrefix; r.IsValid() {
		w.Addr(iflaIPTun6RDRelayPrefix, r.Addr())
		w.Uint16(iflaIPTun6RDRelayPrefixLen, uint16(r.Bits()))
	}
	return nil
}

// ipTunnelValues backs the pointer fields of a decoded IPTunnel.
type ipTunnelValues struct {
	proto, ttl, tos       uint8
	pmtudisc, isatap      bool
	link                  int32
	fwmark                uint32
	prefixLen, relayLen   uint16
	prefix, relay         netip.Addr
	havePrefix, haveRelay bool
	encap                 TunnelEncap
	ip6                   ip6TunnelValues
}

func (t *IPTunnel) decode(d attrs.Decoder) error {
	v := new(ipTunnelValues)
	v6 := t.LinkKind() == "ip6tnl"
	for d.Next() {
		if v.encap.decodeAttr(&d, iflaIPTunEncapType) {
			t.Encap = &v.encap
			continue
		}
		switch d.Type() {
		case iflaIPTunCollectMetadata:
			t.External = true
		case iflaIPTunProto:
			t.Proto = uint8Field(&d, &v.proto)
		case iflaIPTunLocal:
			t.Local = d.Addr()
		case iflaIPTunRemote:
			t.Remote = d.Addr()
		case iflaIPTunLink:
			t.LinkIndex = int32Field(&d, &v.link)
		case iflaIPTunTTL:
			t.TTL = uint8Field(&d, &v.ttl)
		case iflaIPTunTOS:
			t.TOS = uint8Field(&d, &v.tos)
		case iflaIPTunPMTUDisc:
			t.PMTUDisc = boolField(&d, &v.pmtudisc)
		case iflaIPTunFwMark:
			t.FwMark = uint32Field(&d, &v.fwmark)
		case iflaIPTunFlags:
			if v6 {
				v.ip6.opts.setFlags(d.Uint32())
				t.IP6 = &v.ip6.opts
			} else {
				v.isatap = d.Uint16()&sitISATAP != 0
				t.ISATAP = &v.isatap
			}
		case iflaIPTunEncapLimit:
			v.ip6.opts.EncapLimit = uint8Field(&d, &v.ip6.encapLimit)
			t.IP6 = &v.ip6.opts
		case iflaIPTunFlowInfo:
			v.ip6.setFlowInfo(bigEndian32(&d))
			t.IP6 = &v.ip6.opts
		case iflaIPTun6RDPrefix:
			v.prefix, v.havePrefix = d.Addr(), true
		case iflaIPTun6RDPrefixLen:
			v.prefixLen, v.havePrefix = d.Uint16(), true
		case iflaIPTun6RDRelayPrefix:
			v.relay, v.haveRelay = d.Addr(), true
		case iflaIPTun6RDRelayPrefixLen:
			v.relayLen, v.haveRelay = d.Uint16(), true
		}
	}
	if err := d.Err(); err != nil {
		return fmt.Errorf("%s: %w", t.LinkKind(), err)
	}
	if v.havePrefix {
		if !v.prefix.IsValid() {
			v.prefix = netip.IPv6Unspecified()
		}
		t.SixRDPrefix = netip.PrefixFrom(v.prefix, int(v.prefixLen))
	}
	if v.haveRelay {
		if !v.relay.IsValid() {
			v.relay = netip.IPv4Unspecified()
		}
		t.SixRDRelayPrefix = netip.PrefixFrom(v.relay, int(v.relayLen))
	}
	return nil
}

// resolveRefs fills in LinkName.
func (t *IPTunnel) resolveRefs(name func(int32) string) {
	resolveLinkRef(&t.LinkName, t.LinkIndex, name)
}

// writeJSON writes info_data as iproute2 6.1's iptunnel_print_opt (ipip,
// sit) and ip6tunnel_print_opt (ip6tnl) do.
func (t *IPTunnel) writeJSON(w *jsonw.Writer) {
	if t.External {
		w.Bool("external", true)
	}
	v6 := t.LinkKind() == "ip6tnl"
	if t.Proto != nil {
		var name string
		switch *t.Proto {
		case unix.IPPROTO_IPIP:
			name = "ipip"
			if v6 {
				name = "ipip6"
			}
		case unix.IPPROTO_IPV6:
			name = "ip6ip"
			if v6 {
				name = "ip6ip6"
			}
		case ipprotoMPLS:
			if !v6 {
				name = "mplsip"
			}
		case 0:
			name = "any"
		}
		if name != "" {
			w.String("proto", name)
		}
	}
	w.String("remote", tnlEndpoint(t.Remote, v6))
	w.String("local", tnlEndpoint(t.Local, v6))
	writeJSONLink(w, t.LinkIndex, t.LinkName)
	w.Uint("ttl", uint64(tnlU8(t.TTL)))
	if v6 {
		if t.IP6 != nil {
			o := t.IP6
			o.writeJSONLimitClassLabel(w)
			if o.MIP6Dev {
				w.Bool("ip6_tnl_f_mip6_dev", true)
			}
			if o.AllowLocalRemote {
				w.Bool("ip6_tnl_f_allow_local_remote", true)
			}
		}
		tnlWriteJSONFwMark(w, t.IP6, t.FwMark)
		t.Encap.writeJSON(w)
		return
	}
	writeJSONNonZeroHex(w, "tos", t.TOS)
	w.Bool("pmtudisc", t.PMTUDisc != nil && *t.PMTUDisc)
	writeJSONTrue(w, "isatap", t.ISATAP)
	if p := t.SixRDPrefix; p.IsValid() && p.Bits() != 0 {
		w.String("prefix", inetNtop(p.Addr()))
		w.Int("prefixlen", int64(p.Bits()))
		if r := t.SixRDRelayPrefix; r.IsValid() && !r.Addr().IsUnspecified() {
			w.String("relay_prefix", inetNtop(r.Addr()))
			w.Int("relay_prefixlen", int64(r.Bits()))
		}
	}
	writeJSONNonZeroHex(w, "fwmark", t.FwMark)
	t.Encap.writeJSON(w)
}

// Helpers shared by the tunnel kinds (kind_iptun.go, kind_vti.go,
// kind_gre.go, kind_geneve.go).

// tnlCheckAddr checks that a tunnel endpoint, when set, is of the kind's
// family.
func tnlCheckAddr(kind, what string, a netip.Addr, v6 bool) error {
	switch {
	case !a.IsValid():
		return nil
	case v6 && !a.Is6():
		return errInvalid(kind+" "+what+" address", fmt.Sprintf("%s is not an IPv6 address", a))
	case !v6 && !a.Is4():
		return errInvalid(kind+" "+what+" address", fmt.Sprintf("%s is not an IPv4 address", a))
	case a.Zone() != "":
		return errInvalid(kind+" "+what+" address", fmt.Sprintf("%s has a zone", a))
	}
	return nil
}

func tnlU8(p *uint8) uint8 {
	if p == nil {
		return 0
	}
	return *p
}

// tnlEndpoint formats a tunnel endpoint as ip's tnl_print_endpoint does:
// "any" when unset or unspecified, "unknown" for an address of the other
// family.
func tnlEndpoint(a netip.Addr, v6 bool) string {
	switch {
	case !a.IsValid():
		return "any"
	case a.Is6() != v6:
		return "unknown"
	case a.IsUnspecified():
		return "any"
	}
	return inetNtop(a)
}

// tnlKeyString formats a GRE or VTI key as ip does: the four bytes of the
// key in network order as a dotted quad.
func tnlKeyString(key uint32) string {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], key)
	return netip.AddrFrom4(b).String()
}
