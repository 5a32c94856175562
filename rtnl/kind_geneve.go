package rtnl

import (
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// geneveMaxVNI is the largest Geneve network identifier (24 bits).
const geneveMaxVNI = 1<<24 - 1

// GeneveDF is how a Geneve device sets the Don't Fragment bit of its outer
// IPv4 packets (IFLA_GENEVE_DF, GENEVE_DF_*).
type GeneveDF uint8

// Geneve DF settings.
const (
	GeneveDFUnset   GeneveDF = 0 // df unset: never set it (the default)
	GeneveDFSet     GeneveDF = 1 // df set: always set it
	GeneveDFInherit GeneveDF = 2 // df inherit: copy it from the inner IPv4 header
)

// String returns "unset", "set" or "inherit", or the number of another
// value.
func (df GeneveDF) String() string {
	switch df {
	case GeneveDFUnset:
		return "unset"
	case GeneveDFSet:
		return "set"
	case GeneveDFInherit:
		return "inherit"
	}
	return fmt.Sprint(uint8(df))
}

// Geneve is the data of a Geneve tunnel ("geneve"), Ethernet over UDP. Its
// fields correspond to the options of `ip link add NAME type geneve …`:
//
//	id VNI, vni VNI            ID
//	remote ADDR                Remote
//	ttl TTL|auto, hoplimit     TTL (auto is 0)
//	ttl inherit                TTLInherit
//	tos TOS|inherit            TOS (inherit is 1)
//	df unset|set|inherit       DF
//	flowlabel LABEL            Label
//	dstport PORT               Port
//	[no]external               External
//	[no]udpcsum                UDPCsum
//	[no]udp6zerocsumtx         UDPZeroCsum6Tx
//	[no]udp6zerocsumrx         UDPZeroCsum6Rx
//	innerprotoinherit          InnerProtoInherit
//
// Nil pointer fields and a zero Remote are not sent, leaving the kernel's
// default on a new device (destination port 6081, TTL auto) and the
// current value on a changed one: unlike the IP tunnels, a Geneve device
// can be changed one setting at a time. The kernel refuses to change Port,
// External, the checksum settings and InnerProtoInherit once the device
// exists.
type Geneve struct {
	// ID is the virtual network identifier, 0 to 16777215. A device that
	// is not External needs one.
	ID *uint32
	// Remote is the remote endpoint, a unicast IPv4 (IFLA_GENEVE_REMOTE)
	// or IPv6 (IFLA_GENEVE_REMOTE6) address. A device that is not External
	// needs one. The zero Addr is not sent.
	Remote netip.Addr
	// TTL is the time to live (hop limit) of the outer packets; 0 is auto
	// (the route's).
	TTL *uint8
	// TTLInherit copies the TTL of the inner packets.
	TTLInherit *bool
	// TOS is the type of service of the outer packets; 1 is inherit.
	TOS *uint8
	// DF is how the outer IPv4 packets' Don't Fragment bit is set.
	DF *GeneveDF
	// Label is the flow label of the outer IPv6 packets, 20 bits.
	Label *uint32
	// Port is the UDP destination port.
	Port *uint16
	// UDPCsum turns UDP checksums on for IPv4 outer packets.
	UDPCsum *bool
	// UDPZeroCsum6Tx sends IPv6 outer packets with a zero UDP checksum;
	// UDPZeroCsum6Rx accepts them.
	UDPZeroCsum6Tx, UDPZeroCsum6Rx *bool
	// External makes a metadata-based device (collect metadata), whose
	// endpoints come from the route or tc/BPF; ip's `external`.
	External bool
	// InnerProtoInherit carries the inner packets' protocol (IP) instead
	// of Ethernet frames, for an L3 device (a flag set at creation).
	InnerProtoInherit bool
}

// LinkKind returns "geneve".
func (*Geneve) LinkKind() string { return "geneve" }

func (g *Geneve) validate() error {
	if g.ID != nil && *g.ID > geneveMaxVNI {
		return errInvalid("geneve id", fmt.Sprintf("%d is above %d", *g.ID, geneveMaxVNI))
	}
	if g.Label != nil && *g.Label > tnlMaxFlowLabel {
		return errInvalid("geneve flow label", fmt.Sprintf("%#x is above %#x", *g.Label, tnlMaxFlowLabel))
	}
	if g.Label != nil && *g.Label != 0 && g.Remote.Is4() {
		return errInvalid("geneve flow label", "a flow label needs an IPv6 remote")
	}
	if g.DF != nil && *g.DF > GeneveDFInherit {
		return errInvalid("geneve df", fmt.Sprintf("%d is not unset (0), set (1) or inherit (2)", *g.DF))
	}
	if a := g.Remote; a.IsValid() {
		switch {
		case a.IsMulticast():
			return errInvalid("geneve remote", fmt.Sprintf("%s is multicast", a))
		case a.Zone() != "":
			return errInvalid("geneve remote", fmt.Sprintf("%s has a zone", a))
		}
	}
	if g.External && g.ID != nil && *g.ID != 0 {
		return errInvalid("geneve id", "an External device takes no VNI")
	}
	return nil
}

func (g *Geneve) encode(w *writer) error {
	if err := g.validate(); err != nil {
		return err
	}
	// ip's order (geneve_parse_opt): what it sends while parsing, then the
	// rest.
	putBool(w, unix.IFLA_GENEVE_TTL_INHERIT, g.TTLInherit)
	putUint8(w, unix.IFLA_GENEVE_DF, g.DF)
	putUint32(w, unix.IFLA_GENEVE_ID, g.ID)
	if a := g.Remote; a.Is4() {
		w.Addr(unix.IFLA_GENEVE_REMOTE, a)
	} else if a.Is6() {
		w.Addr(unix.IFLA_GENEVE_REMOTE6, a)
	}
	putBigEndian32(w, unix.IFLA_GENEVE_LABEL, g.Label)
	putUint8(w, unix.IFLA_GENEVE_TTL, g.TTL)
	putUint8(w, unix.IFLA_GENEVE_TOS, g.TOS)
	putPort(w, unix.IFLA_GENEVE_PORT, g.Port)
	putFlag(w, unix.IFLA_GENEVE_COLLECT_METADATA, g.External)
	putFlag(w, unix.IFLA_GENEVE_INNER_PROTO_INHERIT, g.InnerProtoInherit)
	putBool(w, unix.IFLA_GENEVE_UDP_CSUM, g.UDPCsum)
	putBool(w, unix.IFLA_GENEVE_UDP_ZERO_CSUM6_TX, g.UDPZeroCsum6Tx)
	putBool(w, unix.IFLA_GENEVE_UDP_ZERO_CSUM6_RX, g.UDPZeroCsum6Rx)
	return nil
}

// geneveValues backs the pointer fields of a decoded Geneve.
type geneveValues struct {
	id, label                        uint32
	port                             uint16
	ttl, tos                         uint8
	df                               GeneveDF
	ttlInherit, csum, zeroTx, zeroRx bool
}

func (g *Geneve) decode(d attrs.Decoder) error {
	v := new(geneveValues)
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_GENEVE_ID:
			g.ID = uint32Field(&d, &v.id)
		case unix.IFLA_GENEVE_REMOTE, unix.IFLA_GENEVE_REMOTE6:
			g.Remote = d.Addr()
		case unix.IFLA_GENEVE_TTL:
			g.TTL = uint8Field(&d, &v.ttl)
		case unix.IFLA_GENEVE_TTL_INHERIT:
			g.TTLInherit = boolField(&d, &v.ttlInherit)
		case unix.IFLA_GENEVE_TOS:
			g.TOS = uint8Field(&d, &v.tos)
		case unix.IFLA_GENEVE_DF:
			g.DF = uint8Field(&d, &v.df)
		case unix.IFLA_GENEVE_LABEL:
			g.Label = bigEndian32Field(&d, &v.label)
		case unix.IFLA_GENEVE_PORT:
			g.Port = portField(&d, &v.port)
		case unix.IFLA_GENEVE_COLLECT_METADATA:
			g.External = true
		case unix.IFLA_GENEVE_INNER_PROTO_INHERIT:
			g.InnerProtoInherit = true
		case unix.IFLA_GENEVE_UDP_CSUM:
			g.UDPCsum = boolField(&d, &v.csum)
		case unix.IFLA_GENEVE_UDP_ZERO_CSUM6_TX:
			g.UDPZeroCsum6Tx = boolField(&d, &v.zeroTx)
		case unix.IFLA_GENEVE_UDP_ZERO_CSUM6_RX:
			g.UDPZeroCsum6Rx = boolField(&d, &v.zeroRx)
		}
	}
	if err := d.Err(); err != nil {
		return fmt.Errorf("geneve: %w", err)
	}
	return nil
}

// writeJSON writes info_data as iproute2 6.1's geneve_print_opt does.
func (g *Geneve) writeJSON(w *jsonw.Writer) {
	if g.External {
		w.Bool("external", true)
	}
	writeJSONUint(w, "id", g.ID)
	if a := g.Remote; a.Is4() && !a.IsUnspecified() {
		w.String("remote", a.String())
	} else if a.Is6() && !a.IsUnspecified() && !a.IsMulticast() {
		w.String("remote6", inetNtop(a))
	}
	if g.TTLInherit == nil || !*g.TTLInherit {
		writeJSONUint(w, "ttl", g.TTL)
	}
	writeJSONNonZeroHex(w, "tos", g.TOS)
	if g.DF != nil && *g.DF <= GeneveDFInherit {
		w.String("df", g.DF.String())
	}
	writeJSONNonZeroHex(w, "label", g.Label)
	writeJSONUint(w, "port", g.Port)
	writeJSONBool(w, "udp_csum", g.UDPCsum)
	writeJSONBool(w, "udp_zero_csum6_tx", g.UDPZeroCsum6Tx)
	writeJSONBool(w, "udp_zero_csum6_rx", g.UDPZeroCsum6Rx)
	if g.InnerProtoInherit {
		w.Bool("inner_proto_inherit", true)
	}
}
