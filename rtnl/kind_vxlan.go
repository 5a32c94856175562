package rtnl

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/beattr"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// VXLAN attributes newer than golang.org/x/sys/unix knows (include/uapi/
// linux/if_link.h).
const (
	// IFLA_VXLAN_RESERVED_BITS: the reserved header bits a VXLAN device
	// accepts, a big-endian u64 (Linux 6.14 and later).
	iflaVxlanReservedBits = 0x21
	// IFLA_VXLAN_MC_ROUTE: route multicast traffic through the multicast
	// routing table, a u8 (Linux 6.17 and later).
	iflaVxlanMCRoute = 0x22
)

// vxlanMaxVNI is VXLAN_N_VID: VNIs are 24-bit.
const vxlanMaxVNI = 1<<24 - 1

// Vxlan is the data of a VXLAN device ("vxlan"). Its fields correspond to
// the options of `ip link add NAME type vxlan …`:
//
//	id VNI                  ID
//	remote ADDR, group ADDR Remote
//	local ADDR              Local
//	dev PHYS_DEV            LinkIndex
//	dstport PORT            Port
//	srcport MIN MAX         SrcPortRange
//	ttl TTL | auto          TTL (auto is 0)
//	ttl inherit             TTLInherit
//	tos TOS | inherit       TOS (inherit is 1)
//	df unset|set|inherit    DF
//	flowlabel LABEL         Label
//	[no]learning            Learning
//	ageing SECONDS          Ageing
//	maxaddress NUMBER       Limit
//	[no]proxy               Proxy
//	[no]rsc                 RSC
//	[no]l2miss, [no]l3miss  L2Miss, L3Miss
//	[no]udpcsum             UDPCsum
//	[no]udp6zerocsumtx      UDPZeroCsum6Tx
//	[no]udp6zerocsumrx      UDPZeroCsum6Rx
//	[no]remcsumtx           RemCsumTx
//	[no]remcsumrx           RemCsumRx
//	[no]external            External
//	[no]vnifilter           VNIFilter
//	gbp, gpe                GBP, GPE
//
// Nil pointer fields are not sent, leaving the kernel's default on a new
// device (learning on, ageing 300 s, destination port 8472, or 4790 with
// GPE) and the current value on a changed one. The kernel reports every
// setting back, so a Vxlan read from the kernel has most fields set.
//
// Most settings are fixed once the device exists: [Conn.SetLink] can change
// Remote, Local (keeping the address family), LinkIndex, TTL, TOS, DF,
// Label, Learning and Ageing; the kernel refuses the others ("Cannot change
// …"), even to the value they already have.
type Vxlan struct {
	// ID is the VXLAN network identifier (VNI), 0 to 16777215.
	ID *uint32
	// Remote is the default destination (IFLA_VXLAN_GROUP or
	// IFLA_VXLAN_GROUP6): a unicast address, ip's `remote`, or a multicast
	// group, ip's `group`, which needs LinkIndex. The zero Addr is not sent;
	// send the unspecified address (0.0.0.0 or ::) to clear it. The kernel
	// reports none when it is unset.
	Remote netip.Addr
	// Local is the source address (IFLA_VXLAN_LOCAL or IFLA_VXLAN_LOCAL6),
	// of the same family as Remote. The zero Addr is not sent.
	Local netip.Addr
	// LinkIndex is the index of the underlay device (IFLA_VXLAN_LINK, ip's
	// `dev`), in the namespace the device was created in.
	LinkIndex *int32
	// LinkName is the name of the LinkIndex device, filled in by Links and
	// the LinkBy functions when it is in the same namespace. It is never
	// sent.
	LinkName string
	// Port is the destination UDP port. 0 sent on creation means the
	// kernel's default (8472, or 4790 with GPE).
	Port *uint16
	// SrcPortRange is the range of UDP source ports (srcport MIN MAX); 0-0
	// means the kernel's choice.
	SrcPortRange *VxlanPortRange
	// TTL is the time to live of the outer packets; 0 is "auto" (the
	// route's hop limit).
	TTL *uint8
	// TTLInherit copies the TTL from the inner packet (ttl inherit). It can
	// only be set when the device is created; false sends nothing.
	TTLInherit bool
	// TOS is the type of service of the outer packets; 1 is "inherit".
	TOS *uint8
	// DF is how the outer packets' Don't Fragment bit is set.
	DF *VxlanDF
	// Label is the IPv6 flow label of the outer packets, 20 bits; only
	// for IPv6 devices.
	Label *uint32
	// LabelPolicy is the flow label policy (IFLA_VXLAN_LABEL_POLICY, recent
	// kernels; iproute2 6.1 neither sets nor prints it): 0 a fixed Label,
	// 1 inherited from the inner packet.
	LabelPolicy *uint32
	// Learning turns learning of remote MAC addresses into the FDB on or
	// off. When External is true and Learning is nil, learning is turned
	// off, as ip does.
	Learning *bool
	// Ageing is the lifetime of learned FDB entries in seconds; 0 on
	// creation means the default, 300.
	Ageing *uint32
	// Limit is the maximum number of FDB entries (maxaddress); 0 is
	// unlimited.
	Limit *uint32
	// Proxy turns ARP and neighbour discovery proxying on.
	Proxy *bool
	// RSC turns route short-circuiting on.
	RSC *bool
	// L2Miss and L3Miss turn on netlink notifications of missing
	// link-layer and IP entries.
	L2Miss, L3Miss *bool
	// UDPCsum turns UDP checksums on for IPv4 outer packets.
	UDPCsum *bool
	// UDPZeroCsum6Tx sends IPv6 outer packets with a zero UDP checksum;
	// UDPZeroCsum6Rx accepts them.
	UDPZeroCsum6Tx, UDPZeroCsum6Rx *bool
	// RemCsumTx and RemCsumRx turn remote checksum offload on.
	RemCsumTx, RemCsumRx *bool
	// RemCsumNoPartial turns off partial checksum offload with remote
	// checksum offload (a flag set only at creation; ip has no option for
	// it and does not print it).
	RemCsumNoPartial bool
	// External makes a metadata-based device (collect metadata), used by
	// lightweight tunnels and tc/BPF; ip's `external`.
	External *bool
	// VNIFilter turns on per-VNI filtering, for External devices only.
	VNIFilter *bool
	// GBP turns the Group Policy extension on (a flag set only at
	// creation).
	GBP bool
	// GPE turns the Generic Protocol Extension on (a flag set only at
	// creation); the kernel allows it with External only.
	GPE bool
	// LocalBypass delivers packets to local VXLAN devices directly
	// (Linux 6.6 and later; iproute2 6.1 does not print it).
	LocalBypass *bool
	// ReservedBits are the VXLAN header bits the device accepts set
	// (Linux 6.14 and later), in header order: the first byte of the
	// header is the most significant.
	ReservedBits *uint64
	// MCRoute routes multicast traffic through the multicast routing
	// table (Linux 6.17 and later).
	MCRoute *bool
}

// VxlanPortRange is a range of UDP ports, Low to High inclusive.
type VxlanPortRange struct {
	Low, High uint16
}

// VxlanDF says how a VXLAN device sets the Don't Fragment bit of its outer
// IPv4 packets (enum ifla_vxlan_df).
type VxlanDF uint8

// Don't Fragment settings.
const (
	// VxlanDFUnset leaves the bit clear (df unset), the default.
	VxlanDFUnset VxlanDF = iota
	// VxlanDFSet sets it (df set).
	VxlanDFSet
	// VxlanDFInherit copies it from the inner packet (df inherit).
	VxlanDFInherit
)

// String returns the setting as ip names it: "unset", "set" or "inherit",
// or the number for another value.
func (df VxlanDF) String() string {
	switch df {
	case VxlanDFUnset:
		return "unset"
	case VxlanDFSet:
		return "set"
	case VxlanDFInherit:
		return "inherit"
	}
	return strconv.Itoa(int(df))
}

// LinkKind returns "vxlan".
func (*Vxlan) LinkKind() string { return "vxlan" }

func (v *Vxlan) validate() error {
	if v.ID != nil && *v.ID > vxlanMaxVNI {
		return errInvalid("vxlan id", fmt.Sprintf("%d is above %d", *v.ID, vxlanMaxVNI))
	}
	if v.Label != nil && *v.Label > tnlMaxFlowLabel {
		return errInvalid("vxlan flow label", fmt.Sprintf("%#x is above %#x", *v.Label, tnlMaxFlowLabel))
	}
	if v.DF != nil && *v.DF > VxlanDFInherit {
		return errInvalid("vxlan df", fmt.Sprintf("%d is not unset (0), set (1) or inherit (2)", *v.DF))
	}
	if r := v.SrcPortRange; r != nil && r.High < r.Low {
		return errInvalid("vxlan source port range", fmt.Sprintf("%d-%d ends below its start", r.Low, r.High))
	}
	if v.Local.IsValid() && vxlanMulticast(v.Local) {
		return errInvalid("vxlan local address", fmt.Sprintf("%s is multicast", v.Local))
	}
	if v.Local.IsValid() && v.Remote.IsValid() && v.Local.Is4() != v.Remote.Is4() {
		return errInvalid("vxlan addresses", fmt.Sprintf("local %s and remote %s are of different families", v.Local, v.Remote))
	}
	if v.Label != nil && *v.Label != 0 && (v.Local.Is4() || v.Remote.Is4()) {
		return errInvalid("vxlan flow label", "a flow label needs IPv6 addresses")
	}
	external := v.External != nil && *v.External
	if v.VNIFilter != nil && *v.VNIFilter && !external {
		return errInvalid("vxlan vnifilter", "VNI filtering needs External (collect metadata)")
	}
	if v.GPE && !external {
		return errInvalid("vxlan gpe", "the kernel allows GPE only with External (collect metadata)")
	}
	return nil
}

func (v *Vxlan) encode(w *writer) error {
	if err := v.validate(); err != nil {
		return err
	}
	// The options ip sends as it parses them, in the order of its usage
	// text, then those it adds after parsing: id, local, remote, learning
	// and dstport.
	putFlag(w, unix.IFLA_VXLAN_TTL_INHERIT, v.TTLInherit)
	putUint8(w, unix.IFLA_VXLAN_TTL, v.TTL)
	putUint8(w, unix.IFLA_VXLAN_TOS, v.TOS)
	putUint8(w, unix.IFLA_VXLAN_DF, v.DF)
	putBigEndian32(w, unix.IFLA_VXLAN_LABEL, v.Label)
	putInt32(w, unix.IFLA_VXLAN_LINK, v.LinkIndex)
	if r := v.SrcPortRange; r != nil {
		var b [4]byte
		binary.BigEndian.PutUint16(b[:], r.Low)
		binary.BigEndian.PutUint16(b[2:], r.High)
		w.Raw(unix.IFLA_VXLAN_PORT_RANGE, b[:])
	}
	putBool(w, unix.IFLA_VXLAN_PROXY, v.Proxy)
	putBool(w, unix.IFLA_VXLAN_RSC, v.RSC)
	putBool(w, unix.IFLA_VXLAN_L2MISS, v.L2Miss)
	putBool(w, unix.IFLA_VXLAN_L3MISS, v.L3Miss)
	putUint32(w, unix.IFLA_VXLAN_AGEING, v.Ageing)
	putUint32(w, unix.IFLA_VXLAN_LIMIT, v.Limit)
	putBool(w, unix.IFLA_VXLAN_UDP_CSUM, v.UDPCsum)
	putBool(w, unix.IFLA_VXLAN_UDP_ZERO_CSUM6_TX, v.UDPZeroCsum6Tx)
	putBool(w, unix.IFLA_VXLAN_UDP_ZERO_CSUM6_RX, v.UDPZeroCsum6Rx)
	putBool(w, unix.IFLA_VXLAN_REMCSUM_TX, v.RemCsumTx)
	putBool(w, unix.IFLA_VXLAN_REMCSUM_RX, v.RemCsumRx)
	putBool(w, unix.IFLA_VXLAN_COLLECT_METADATA, v.External)
	putFlag(w, unix.IFLA_VXLAN_GBP, v.GBP)
	putFlag(w, unix.IFLA_VXLAN_GPE, v.GPE)
	putBool(w, unix.IFLA_VXLAN_VNIFILTER, v.VNIFilter)
	// Options iproute2 6.1 does not have.
	putFlag(w, unix.IFLA_VXLAN_REMCSUM_NOPARTIAL, v.RemCsumNoPartial)
	putBool(w, unix.IFLA_VXLAN_LOCALBYPASS, v.LocalBypass)
	putUint32(w, unix.IFLA_VXLAN_LABEL_POLICY, v.LabelPolicy)
	if v.ReservedBits != nil {
		beattr.PutUint64(&w.Encoder, iflaVxlanReservedBits, *v.ReservedBits)
	}
	putBool(w, iflaVxlanMCRoute, v.MCRoute)

	putUint32(w, unix.IFLA_VXLAN_ID, v.ID)
	if v.Local.IsValid() {
		w.Addr(vxlanAddrType(v.Local, unix.IFLA_VXLAN_LOCAL, unix.IFLA_VXLAN_LOCAL6), v.Local)
	}
	if v.Remote.IsValid() {
		w.Addr(vxlanAddrType(v.Remote, unix.IFLA_VXLAN_GROUP, unix.IFLA_VXLAN_GROUP6), v.Remote)
	}
	switch {
	case v.Learning != nil:
		putBool(w, unix.IFLA_VXLAN_LEARNING, v.Learning)
	case v.External != nil && *v.External:
		w.Uint8(unix.IFLA_VXLAN_LEARNING, 0)
	}
	putPort(w, unix.IFLA_VXLAN_PORT, v.Port)
	return nil
}

// vxlanAddrType returns the attribute type for a's family.
func vxlanAddrType(a netip.Addr, v4, v6 uint16) uint16 {
	if a.Is4() {
		return v4
	}
	return v6
}

// vxlanMulticast reports whether ip takes a as multicast: 224.0.0.0/4, or
// ff00::/8 (an IPv4-mapped address is not).
func vxlanMulticast(a netip.Addr) bool {
	if a.Is4() {
		return a.As4()[0]&0xf0 == 0xe0
	}
	return a.As16()[0] == 0xff
}

// vxlanValues backs the pointer fields of one decoded Vxlan.
type vxlanValues struct {
	id, ageing, limit, label, labelPolicy          uint32
	link                                           int32
	port                                           uint16
	ttl, tos                                       uint8
	df                                             VxlanDF
	ports                                          VxlanPortRange
	reserved                                       uint64
	learning, proxy, rsc, l2miss, l3miss, udpCsum  bool
	zeroCsum6Tx, zeroCsum6Rx, remCsumTx, remCsumRx bool
	external, vniFilter, localBypass, mcRoute      bool
}

func (v *Vxlan) decode(d attrs.Decoder) error {
	vals := new(vxlanValues)
	var err error
	for d.Next() && err == nil {
		switch d.Type() {
		case unix.IFLA_VXLAN_ID:
			v.ID = uint32Field(&d, &vals.id)
		case unix.IFLA_VXLAN_GROUP:
			v.Remote, err = vxlanDecodeAddr(&d, "IFLA_VXLAN_GROUP", 4)
		case unix.IFLA_VXLAN_GROUP6:
			v.Remote, err = vxlanDecodeAddr(&d, "IFLA_VXLAN_GROUP6", 16)
		case unix.IFLA_VXLAN_LOCAL:
			v.Local, err = vxlanDecodeAddr(&d, "IFLA_VXLAN_LOCAL", 4)
		case unix.IFLA_VXLAN_LOCAL6:
			v.Local, err = vxlanDecodeAddr(&d, "IFLA_VXLAN_LOCAL6", 16)
		case unix.IFLA_VXLAN_LINK:
			v.LinkIndex = int32Field(&d, &vals.link)
		case unix.IFLA_VXLAN_TTL:
			v.TTL = uint8Field(&d, &vals.ttl)
		case unix.IFLA_VXLAN_TTL_INHERIT:
			// The kernel reports a u8; requests carry a flag.
			v.TTLInherit = d.Len() == 0 || d.Uint8() != 0
		case unix.IFLA_VXLAN_TOS:
			v.TOS = uint8Field(&d, &vals.tos)
		case unix.IFLA_VXLAN_DF:
			v.DF = uint8Field(&d, &vals.df)
		case unix.IFLA_VXLAN_LABEL:
			v.Label = bigEndian32Field(&d, &vals.label)
		case unix.IFLA_VXLAN_LABEL_POLICY:
			v.LabelPolicy = uint32Field(&d, &vals.labelPolicy)
		case unix.IFLA_VXLAN_LEARNING:
			v.Learning = boolField(&d, &vals.learning)
		case unix.IFLA_VXLAN_AGEING:
			v.Ageing = uint32Field(&d, &vals.ageing)
		case unix.IFLA_VXLAN_LIMIT:
			v.Limit = uint32Field(&d, &vals.limit)
		case unix.IFLA_VXLAN_PORT_RANGE:
			if b := d.Bytes(); len(b) == 4 {
				vals.ports = VxlanPortRange{binary.BigEndian.Uint16(b), binary.BigEndian.Uint16(b[2:])}
				v.SrcPortRange = &vals.ports
			} else {
				err = vxlanLenError("IFLA_VXLAN_PORT_RANGE", len(b), 4)
			}
		case unix.IFLA_VXLAN_PORT:
			v.Port = portField(&d, &vals.port)
		case unix.IFLA_VXLAN_PROXY:
			v.Proxy = boolField(&d, &vals.proxy)
		case unix.IFLA_VXLAN_RSC:
			v.RSC = boolField(&d, &vals.rsc)
		case unix.IFLA_VXLAN_L2MISS:
			v.L2Miss = boolField(&d, &vals.l2miss)
		case unix.IFLA_VXLAN_L3MISS:
			v.L3Miss = boolField(&d, &vals.l3miss)
		case unix.IFLA_VXLAN_UDP_CSUM:
			v.UDPCsum = boolField(&d, &vals.udpCsum)
		case unix.IFLA_VXLAN_UDP_ZERO_CSUM6_TX:
			v.UDPZeroCsum6Tx = boolField(&d, &vals.zeroCsum6Tx)
		case unix.IFLA_VXLAN_UDP_ZERO_CSUM6_RX:
			v.UDPZeroCsum6Rx = boolField(&d, &vals.zeroCsum6Rx)
		case unix.IFLA_VXLAN_REMCSUM_TX:
			v.RemCsumTx = boolField(&d, &vals.remCsumTx)
		case unix.IFLA_VXLAN_REMCSUM_RX:
			v.RemCsumRx = boolField(&d, &vals.remCsumRx)
		case unix.IFLA_VXLAN_REMCSUM_NOPARTIAL:
			v.RemCsumNoPartial = true
		case unix.IFLA_VXLAN_COLLECT_METADATA:
			v.External = boolField(&d, &vals.external)
		case unix.IFLA_VXLAN_VNIFILTER:
			v.VNIFilter = boolField(&d, &vals.vniFilter)
		case unix.IFLA_VXLAN_GBP:
			v.GBP = true
		case unix.IFLA_VXLAN_GPE:
			v.GPE = true
		case unix.IFLA_VXLAN_LOCALBYPASS:
			v.LocalBypass = boolField(&d, &vals.localBypass)
		case iflaVxlanReservedBits:
			if b := d.Bytes(); len(b) == 8 {
				vals.reserved = binary.BigEndian.Uint64(b)
				v.ReservedBits = &vals.reserved
			} else {
				err = vxlanLenError("IFLA_VXLAN_RESERVED_BITS", len(b), 8)
			}
		case iflaVxlanMCRoute:
			v.MCRoute = boolField(&d, &vals.mcRoute)
		}
	}
	if err != nil {
		return err
	}
	return d.Err()
}

func vxlanLenError(attr string, got, want int) error {
	return fmt.Errorf("vxlan: %s is %d bytes, want %d", attr, got, want)
}

// vxlanDecodeAddr returns the current payload as an address of n bytes.
func vxlanDecodeAddr(d *attrs.Decoder, attr string, n int) (netip.Addr, error) {
	if d.Len() != n {
		return netip.Addr{}, vxlanLenError(attr, d.Len(), n)
	}
	return d.Addr(), nil
}

// resolveRefs fills in LinkName.
func (v *Vxlan) resolveRefs(name func(int32) string) {
	resolveLinkRef(&v.LinkName, v.LinkIndex, name)
}

// writeJSON writes info_data as iproute2 6.1's vxlan_print_opt does.
func (v *Vxlan) writeJSON(w *jsonw.Writer) {
	writeJSONTrue(w, "external", v.External)
	writeJSONTrue(w, "vnifilter", v.VNIFilter)
	writeJSONUint(w, "id", v.ID)
	if a := v.Remote; a.IsValid() && !a.IsUnspecified() {
		key := "remote"
		if vxlanMulticast(a) {
			key = "group"
		}
		if !a.Is4() {
			key += "6"
		}
		w.String(key, inetNtop(a))
	}
	if a := v.Local; a.IsValid() && !a.IsUnspecified() {
		key := "local"
		if !a.Is4() {
			key = "local6"
		}
		w.String(key, inetNtop(a))
	}
	writeJSONLink(w, v.LinkIndex, v.LinkName)
	if r := v.SrcPortRange; r != nil {
		w.Open("port_range")
		w.Uint("low", uint64(r.Low))
		w.Uint("high", uint64(r.High))
		w.Close()
	}
	writeJSONUint(w, "port", v.Port)
	writeJSONBool(w, "learning", v.Learning)
	writeJSONTrue(w, "proxy", v.Proxy)
	writeJSONTrue(w, "rsc", v.RSC)
	writeJSONTrue(w, "l2miss", v.L2Miss)
	writeJSONTrue(w, "l3miss", v.L3Miss)
	writeJSONNonZeroHex(w, "tos", v.TOS)
	if !v.TTLInherit {
		writeJSONUint(w, "ttl", v.TTL)
	}
	if v.DF != nil && *v.DF <= VxlanDFInherit {
		w.String("df", v.DF.String())
	}
	writeJSONNonZeroHex(w, "label", v.Label)
	writeJSONUint(w, "ageing", v.Ageing)
	if v.Limit != nil && *v.Limit != 0 {
		w.Uint("limit", uint64(*v.Limit))
	}
	writeJSONBool(w, "udp_csum", v.UDPCsum)
	writeJSONBool(w, "udp_zero_csum6_tx", v.UDPZeroCsum6Tx)
	writeJSONBool(w, "udp_zero_csum6_rx", v.UDPZeroCsum6Rx)
	writeJSONTrue(w, "remcsum_tx", v.RemCsumTx)
	writeJSONTrue(w, "remcsum_rx", v.RemCsumRx)
	if v.GBP {
		w.Bool("gbp", true)
	}
	if v.GPE {
		w.Bool("gpe", true)
	}
}
