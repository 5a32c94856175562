package rtnl

import (
	"fmt"
	"net/netip"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// IFLA_GRE_* (include/uapi/linux/if_tunnel.h); golang.org/x/sys/unix has
// none of them.
const (
	iflaGreLink            = 1  // IFLA_GRE_LINK: u32
	iflaGreIFlags          = 2  // IFLA_GRE_IFLAGS: be16
	iflaGreOFlags          = 3  // IFLA_GRE_OFLAGS: be16
	iflaGreIKey            = 4  // IFLA_GRE_IKEY: be32
	iflaGreOKey            = 5  // IFLA_GRE_OKEY: be32
	iflaGreLocal           = 6  // IFLA_GRE_LOCAL: in_addr or in6_addr
	iflaGreRemote          = 7  // IFLA_GRE_REMOTE
	iflaGreTTL             = 8  // IFLA_GRE_TTL: u8
	iflaGreTOS             = 9  // IFLA_GRE_TOS: u8
	iflaGrePMTUDisc        = 10 // IFLA_GRE_PMTUDISC: u8
	iflaGreEncapLimit      = 11 // IFLA_GRE_ENCAP_LIMIT: u8
	iflaGreFlowInfo        = 12 // IFLA_GRE_FLOWINFO: be32
	iflaGreFlags           = 13 // IFLA_GRE_FLAGS: u32 (IP6_TNL_F_*)
	iflaGreEncapType       = 14 // IFLA_GRE_ENCAP_TYPE: u16
	iflaGreCollectMetadata = 18 // IFLA_GRE_COLLECT_METADATA: flag
	iflaGreIgnoreDF        = 19 // IFLA_GRE_IGNORE_DF: u8
	iflaGreFwMark          = 20 // IFLA_GRE_FWMARK: u32
	iflaGreErspanIndex     = 21 // IFLA_GRE_ERSPAN_INDEX: u32
	iflaGreErspanVer       = 22 // IFLA_GRE_ERSPAN_VER: u8
	iflaGreErspanDir       = 23 // IFLA_GRE_ERSPAN_DIR: u8
	iflaGreErspanHwID      = 24 // IFLA_GRE_ERSPAN_HWID: u16
)

// GRE header flags (GRE_*, include/uapi/linux/if_tunnel.h), as carried in
// IFLA_GRE_IFLAGS and IFLA_GRE_OFLAGS (big-endian).
const (
	greCsum = 0x8000 // GRE_CSUM
	greKey  = 0x2000 // GRE_KEY
	greSeq  = 0x1000 // GRE_SEQ
)

// Limits of the ERSPAN fields (include/net/erspan.h).
const (
	erspanMaxIndex = 1<<20 - 1 // INDEX_MASK: 20 bits
	erspanMaxHwID  = 1<<6 - 1  // HWID_MASK: 6 bits
	erspanMaxKey   = 1<<10 - 1 // ID_MASK: the session ID, 10 bits
)

// ErspanDir is the direction of the traffic an ERSPAN version 2 tunnel
// mirrors.
type ErspanDir uint8

// ERSPAN directions.
const (
	ErspanIngress ErspanDir = 0 // erspan_dir ingress
	ErspanEgress  ErspanDir = 1 // erspan_dir egress
)

// String returns "ingress" for 0 and "egress" otherwise, as ip prints it.
func (d ErspanDir) String() string {
	if d == ErspanIngress {
		return "ingress"
	}
	return "egress"
}

// greKind reports whether kind is one Gre describes (ok), and whether it
// runs over IPv6.
func greKind(kind string) (v6, ok bool) {
	switch kind {
	case "gre", "gretap", "erspan":
		return false, true
	case "ip6gre", "ip6gretap", "ip6erspan":
		return true, true
	}
	return false, false
}

// Gre is the data of a GRE tunnel: kinds "gre" (IPv4 packets over IPv4),
// "gretap" (Ethernet over IPv4), "erspan" (mirrored Ethernet over IPv4) and
// their IPv6 counterparts "ip6gre", "ip6gretap" and "ip6erspan", which
// share the IFLA_GRE_* attributes. Its fields correspond to the options of
// `ip link add NAME type gre|gretap|erspan|ip6gre|ip6gretap|ip6erspan …`:
//
//	remote ADDR                 Remote
//	local ADDR                  Local
//	dev PHYS_DEV                LinkIndex
//	ttl TTL|inherit, hoplimit   TTL (inherit is 0)
//	tos TOS|inherit             TOS (IPv4 kinds; inherit is 1)
//	[no]pmtudisc                PMTUDisc (IPv4 kinds)
//	[no]ignore-df               IgnoreDF (IPv4 kinds)
//	key KEY                     IKey and OKey
//	ikey KEY, okey KEY          IKey, OKey
//	[i|o]seq                    ISeq, OSeq
//	[i|o]csum                   ICsum, OCsum
//	fwmark MARK                 FwMark
//	external                    External
//	erspan_ver VERSION          ErspanVersion (erspan kinds)
//	erspan IDX                  ErspanIndex (version 1)
//	erspan_dir ingress|egress   ErspanDir (version 2)
//	erspan_hwid HWID            ErspanHwID (version 2)
//	encap …                     Encap
//	encaplimit, tclass, …       IP6 (IPv6 kinds; see IP6TunnelOptions)
//
// Nil pointer fields and zero addresses are not sent. The keys and the
// sequence and checksum flags always are (IFLA_GRE_IKEY, _OKEY, _IFLAGS,
// _OFLAGS, as ip sends them), except for an External tunnel without any.
// The kernel takes the ERSPAN settings from the erspan kinds only; ip sends
// erspan_ver 1 for every IPv6 kind.
//
// An erspan or ip6erspan tunnel that is not External needs a key (the
// ERSPAN session ID, 0 to 1023) and sequence numbers, and no checksums.
//
// The kernel rebuilds the whole configuration from a change request: to
// change a tunnel with [Conn.SetLink], send back all of its Data as read
// from the kernel, with the changes made.
type Gre struct {
	// Kind is "gre", "gretap", "erspan", "ip6gre", "ip6gretap" or
	// "ip6erspan"; empty means "gre".
	Kind string
	// External makes a metadata-based tunnel (collect metadata), whose
	// endpoints and keys come from the route or tc/BPF; ip's `external`.
	External bool
	// Local and Remote are the tunnel's endpoints: IPv4 addresses for
	// gre, gretap and erspan, IPv6 for the ip6 kinds. The zero Addr is not
	// sent; ip prints "any" for an unspecified address.
	Local, Remote netip.Addr
	// LinkIndex is the index of the device the tunnel's packets go out of
	// (IFLA_GRE_LINK, ip's `dev`); 0 is none.
	LinkIndex *int32
	// LinkName is the name of the LinkIndex device, filled in by Links and
	// the LinkBy functions. It is never sent.
	LinkName string
	// TTL is the time to live (IPv6: hop limit) of the outer packets; 0
	// copies the inner packet's (inherit).
	TTL *uint8
	// TOS is the type of service of the outer packets (IPv4 kinds); 1 is
	// inherit.
	TOS *uint8
	// PMTUDisc turns path MTU discovery (the Don't Fragment bit) on or off
	// (IPv4 kinds). The kernel turns it on when it is not sent.
	PMTUDisc *bool
	// IgnoreDF sends packets that do not fit the path MTU fragmented even
	// when they have the Don't Fragment bit (IPv4 kinds); it needs
	// PMTUDisc off.
	IgnoreDF *bool
	// IKey is the key incoming packets must carry, OKey the key outgoing
	// packets carry; nil is none (GRE_KEY off). ip's `key` sets both.
	IKey, OKey *uint32
	// ISeq drops incoming packets out of sequence; OSeq numbers outgoing
	// packets (GRE_SEQ).
	ISeq, OSeq bool
	// ICsum requires checksums in incoming packets; OCsum checksums
	// outgoing ones (GRE_CSUM).
	ICsum, OCsum bool
	// FwMark is the firewall mark of the outer packets.
	FwMark *uint32
	// IP6 holds the IPv6 tunnel options (IPv6 kinds only).
	IP6 *IP6TunnelOptions
	// ErspanVersion is the ERSPAN version: 0 (type I, erspan only), 1
	// (type II, the kernel's default) or 2 (type III).
	ErspanVersion *uint8
	// ErspanIndex is the ERSPAN index, 20 bits (version 1).
	ErspanIndex *uint32
	// ErspanDir is the mirrored traffic's direction (version 2).
	ErspanDir *ErspanDir
	// ErspanHwID is the ERSPAN hardware ID, 6 bits (version 2).
	ErspanHwID *uint16
	// Encap is the FOU or GUE encapsulation, sent when not nil.
	Encap *TunnelEncap
}

// LinkKind returns Kind, or "gre" when it is empty.
func (g *Gre) LinkKind() string {
	if g.Kind == "" {
		return "gre"
	}
	return g.Kind
}

func (g *Gre) validate() error {
	kind := g.LinkKind()
	v6, ok := greKind(kind)
	if !ok {
		return errInvalid("gre kind", fmt.Sprintf("%q is not gre, gretap, erspan, ip6gre, ip6gretap or ip6erspan", kind))
	}
	if err := tnlCheckAddr(kind, "local", g.Local, v6); err != nil {
		return err
	}
	if err := tnlCheckAddr(kind, "remote", g.Remote, v6); err != nil {
		return err
	}
	if v6 {
		switch {
		case g.TOS != nil:
			return errInvalid(kind+" tos", "an IPv6 tunnel sets a traffic class: use IP6.TClass")
		case g.PMTUDisc != nil:
			return errInvalid(kind+" pmtudisc", "only IPv4 GRE tunnels take it")
		case g.IgnoreDF != nil:
			return errInvalid(kind+" ignore-df", "only IPv4 GRE tunnels take it")
		}
		if g.IP6 != nil {
			if err := g.IP6.validate(kind); err != nil {
				return err
			}
		}
	} else if g.IP6 != nil {
		return errInvalid(kind+" IPv6 options", "only ip6gre, ip6gretap and ip6erspan tunnels take them")
	}
	if g.IgnoreDF != nil && *g.IgnoreDF && (g.PMTUDisc == nil || *g.PMTUDisc) {
		return errInvalid(kind+" ignore-df", "it needs path MTU discovery off (PMTUDisc false)")
	}
	if g.ErspanVersion != nil && *g.ErspanVersion > 2 {
		return errInvalid(kind+" erspan version", fmt.Sprintf("%d is not 0, 1 or 2", *g.ErspanVersion))
	}
	if g.ErspanIndex != nil && *g.ErspanIndex > erspanMaxIndex {
		return errInvalid(kind+" erspan index", fmt.Sprintf("%d is above %d", *g.ErspanIndex, erspanMaxIndex))
	}
	if g.ErspanDir != nil && *g.ErspanDir > ErspanEgress {
		return errInvalid(kind+" erspan direction", fmt.Sprintf("%d is not ingress (0) or egress (1)", *g.ErspanDir))
	}
	if g.ErspanHwID != nil && *g.ErspanHwID > erspanMaxHwID {
		return errInvalid(kind+" erspan hwid", fmt.Sprintf("%#x is above %#x", *g.ErspanHwID, erspanMaxHwID))
	}
	if (kind == "erspan" || kind == "ip6erspan") && !g.External && (g.ErspanVersion == nil || *g.ErspanVersion != 0) {
		// erspan_validate and ip6erspan_tap_validate.
		switch {
		case g.IKey == nil && g.OKey == nil, !g.ISeq && !g.OSeq, g.ICsum || g.OCsum:
			return errInvalid(kind+" flags", "an ERSPAN tunnel needs a key and sequence numbers, and no checksums")
		case g.IKey != nil && *g.IKey > erspanMaxKey, g.OKey != nil && *g.OKey > erspanMaxKey:
			return errInvalid(kind+" key", fmt.Sprintf("an ERSPAN session ID is at most %d", erspanMaxKey))
		}
	}
	return nil
}

// greFlags returns the GRE header flags of one direction.
func greFlags(key *uint32, seq, csum bool) uint16 {
	var f uint16
	if key != nil {
		f |= greKey
	}
	if seq {
		f |= greSeq
	}
	if csum {
		f |= greCsum
	}
	return f
}

func (g *Gre) encode(w *writer) error {
	if err := g.validate(); err != nil {
		return err
	}
	// ip's order (gre_parse_opt in link_gre.c and link_gre6.c).
	putFlag(w, iflaGreCollectMetadata, g.External)
	iflags, oflags := greFlags(g.IKey, g.ISeq, g.ICsum), greFlags(g.OKey, g.OSeq, g.OCsum)
	if !g.External || iflags != 0 || oflags != 0 {
		var ikey, okey uint32
		if g.IKey != nil {
			ikey = *g.IKey
		}
		if g.OKey != nil {
			okey = *g.OKey
		}
		w.bigEndian32(iflaGreIKey, ikey)
		w.bigEndian32(iflaGreOKey, okey)
		w.Port(iflaGreIFlags, iflags)
		w.Port(iflaGreOFlags, oflags)
	}
	putAddr(w, iflaGreLocal, g.Local)
	putAddr(w, iflaGreRemote, g.Remote)
	if v6, _ := greKind(g.LinkKind()); v6 {
		putInt32(w, iflaGreLink, g.LinkIndex)
		putUint8(w, iflaGreTTL, g.TTL)
		if g.IP6 != nil {
			g.IP6.encode(w, iflaGreEncapLimit, iflaGreFlowInfo, iflaGreFlags)
		}
	} else {
		putBool(w, iflaGrePMTUDisc, g.PMTUDisc)
		putBool(w, iflaGreIgnoreDF, g.IgnoreDF)
		putUint8(w, iflaGreTOS, g.TOS)
		putInt32(w, iflaGreLink, g.LinkIndex)
		putUint8(w, iflaGreTTL, g.TTL)
	}
	putUint32(w, iflaGreFwMark, g.FwMark)
	putUint8(w, iflaGreErspanVer, g.ErspanVersion)
	putUint32(w, iflaGreErspanIndex, g.ErspanIndex)
	putUint8(w, iflaGreErspanDir, g.ErspanDir)
	putUint16(w, iflaGreErspanHwID, g.ErspanHwID)
	if g.Encap != nil {
		g.Encap.encode(w, iflaGreEncapType)
	}
	return nil
}

// greValues backs the pointer fields of a decoded Gre.
type greValues struct {
	ttl, tos, erspanVer uint8
	pmtudisc, ignoreDF  bool
	link                int32
	ikey, okey, fwmark  uint32
	erspanIndex         uint32
	erspanDir           ErspanDir
	erspanHwID          uint16
	iflags, oflags      uint16
	haveIKey, haveOKey  bool
	encap               TunnelEncap
	ip6                 ip6TunnelValues
}

func (g *Gre) decode(d attrs.Decoder) error {
	v := new(greValues)
	for d.Next() {
		if v.encap.decodeAttr(&d, iflaGreEncapType) {
			g.Encap = &v.encap
			continue
		}
		switch d.Type() {
		case iflaGreCollectMetadata:
			g.External = true
		case iflaGreLink:
			g.LinkIndex = int32Field(&d, &v.link)
		case iflaGreIFlags:
			v.iflags = d.Port()
		case iflaGreOFlags:
			v.oflags = d.Port()
		case iflaGreIKey:
			v.ikey, v.haveIKey = bigEndian32(&d), true
		case iflaGreOKey:
			v.okey, v.haveOKey = bigEndian32(&d), true
		case iflaGreLocal:
			g.Local = d.Addr()
		case iflaGreRemote:
			g.Remote = d.Addr()
		case iflaGreTTL:
			g.TTL = uint8Field(&d, &v.ttl)
		case iflaGreTOS:
			g.TOS = uint8Field(&d, &v.tos)
		case iflaGrePMTUDisc:
			g.PMTUDisc = boolField(&d, &v.pmtudisc)
		case iflaGreIgnoreDF:
			g.IgnoreDF = boolField(&d, &v.ignoreDF)
		case iflaGreFwMark:
			g.FwMark = uint32Field(&d, &v.fwmark)
		case iflaGreEncapLimit:
			v.ip6.opts.EncapLimit = uint8Field(&d, &v.ip6.encapLimit)
			g.IP6 = &v.ip6.opts
		case iflaGreFlowInfo:
			v.ip6.setFlowInfo(bigEndian32(&d))
			g.IP6 = &v.ip6.opts
		case iflaGreFlags:
			v.ip6.opts.setFlags(d.Uint32())
			g.IP6 = &v.ip6.opts
		case iflaGreErspanVer:
			g.ErspanVersion = uint8Field(&d, &v.erspanVer)
		case iflaGreErspanIndex:
			g.ErspanIndex = uint32Field(&d, &v.erspanIndex)
		case iflaGreErspanDir:
			g.ErspanDir = uint8Field(&d, &v.erspanDir)
		case iflaGreErspanHwID:
			g.ErspanHwID = uint16Field(&d, &v.erspanHwID)
		}
	}
	if err := d.Err(); err != nil {
		return fmt.Errorf("%s: %w", g.LinkKind(), err)
	}
	if v.iflags&greKey != 0 && v.haveIKey {
		g.IKey = &v.ikey
	}
	if v.oflags&greKey != 0 && v.haveOKey {
		g.OKey = &v.okey
	}
	g.ISeq, g.ICsum = v.iflags&greSeq != 0, v.iflags&greCsum != 0
	g.OSeq, g.OCsum = v.oflags&greSeq != 0, v.oflags&greCsum != 0
	return nil
}

// resolveRefs fills in LinkName.
func (g *Gre) resolveRefs(name func(int32) string) {
	resolveLinkRef(&g.LinkName, g.LinkIndex, name)
}

// writeJSON writes info_data as iproute2 6.1's gre_print_opt does (that of
// link_gre.c for the IPv4 kinds, of link_gre6.c for the IPv6 ones).
func (g *Gre) writeJSON(w *jsonw.Writer) {
	v6, _ := greKind(g.LinkKind())
	if g.External {
		w.Bool("external", true)
	}
	w.String("remote", tnlEndpoint(g.Remote, v6))
	w.String("local", tnlEndpoint(g.Local, v6))
	writeJSONLink(w, g.LinkIndex, g.LinkName)
	w.Uint("ttl", uint64(tnlU8(g.TTL)))
	if v6 {
		if g.IP6 != nil {
			g.IP6.writeJSONLimitClassLabel(w)
		}
	} else {
		writeJSONNonZeroHex(w, "tos", g.TOS)
		writeJSONBool(w, "pmtudisc", g.PMTUDisc)
		writeJSONTrue(w, "ignore_df", g.IgnoreDF)
	}
	if g.IKey != nil {
		w.String("ikey", tnlKeyString(*g.IKey))
	}
	if g.OKey != nil {
		w.String("okey", tnlKeyString(*g.OKey))
	}
	for _, f := range [...]struct {
		key string
		on  bool
	}{{"iseq", g.ISeq}, {"oseq", g.OSeq}, {"icsum", g.ICsum}, {"ocsum", g.OCsum}} {
		if f.on {
			w.Bool(f.key, true)
		}
	}
	if v6 {
		if g.IP6 != nil && g.IP6.AllowLocalRemote {
			w.Bool("ip6_tnl_f_allow_local_remote", true)
		}
		tnlWriteJSONFwMark(w, g.IP6, g.FwMark)
	} else {
		writeJSONNonZeroHex(w, "fwmark", g.FwMark)
	}
	writeJSONUint(w, "erspan_index", g.ErspanIndex)
	writeJSONUint(w, "erspan_ver", g.ErspanVersion)
	if g.ErspanDir != nil {
		w.String("erspan_dir", g.ErspanDir.String())
	}
	writeJSONHex(w, "erspan_hwid", g.ErspanHwID)
	g.Encap.writeJSON(w)
}
