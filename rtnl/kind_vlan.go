package rtnl

import (
	"fmt"
	"strconv"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// VLAN flags (enum vlan_flags, include/uapi/linux/if_vlan.h).
const (
	vlanFlagReorderHdr    = 0x1  // VLAN_FLAG_REORDER_HDR
	vlanFlagGVRP          = 0x2  // VLAN_FLAG_GVRP
	vlanFlagLooseBinding  = 0x4  // VLAN_FLAG_LOOSE_BINDING
	vlanFlagMVRP          = 0x8  // VLAN_FLAG_MVRP
	vlanFlagBridgeBinding = 0x10 // VLAN_FLAG_BRIDGE_BINDING
)

// vlanMaxID is the largest VLAN ID the kernel accepts (VLAN_VID_MASK - 1:
// 4095 is reserved).
const vlanMaxID = 4094

// vlanMaxPriority is the largest 802.1p priority (3 bits).
const vlanMaxPriority = 7

// VlanProtocol is the EtherType of a VLAN tag.
type VlanProtocol uint16

// VLAN protocols.
const (
	VlanProtocol8021Q  VlanProtocol = unix.ETH_P_8021Q  // 802.1Q, the default
	VlanProtocol8021AD VlanProtocol = unix.ETH_P_8021AD // 802.1ad (QinQ service tag)
)

// String returns the protocol's name as ip prints it, "802.1Q" or
// "802.1ad", or "[N]" for another one.
func (p VlanProtocol) String() string {
	switch p {
	case VlanProtocol8021Q:
		return "802.1Q"
	case VlanProtocol8021AD:
		return "802.1ad"
	}
	return "[" + strconv.Itoa(int(p)) + "]"
}

// VlanQoSMapping maps one priority to another (struct
// ifla_vlan_qos_mapping): in an ingress map, the 802.1p priority of
// received frames (From, 0 to 7) to the skb priority (To); in an egress
// map, the skb priority (From) to the 802.1p priority of sent frames (To,
// 0 to 7).
type VlanQoSMapping struct {
	From, To uint32
}

// vlanQoSMappingLen is the size of struct ifla_vlan_qos_mapping.
const vlanQoSMappingLen = 8

// Vlan is the data of an 802.1Q VLAN device ("vlan"), created on a parent
// link (Link.ParentIndex, ip's `link DEV`). Its fields correspond to the
// options of `ip link add link DEV NAME type vlan …`:
//
//	id VLANID                     ID
//	protocol 802.1Q|802.1ad       Protocol
//	reorder_hdr on|off            ReorderHeader
//	gvrp on|off                   GVRP
//	mvrp on|off                   MVRP
//	loose_binding on|off          LooseBinding
//	bridge_binding on|off         BridgeBinding
//	ingress-qos-map FROM:TO …     IngressQoS
//	egress-qos-map FROM:TO …      EgressQoS
//
// Nil fields are not sent. The flags travel in one attribute with a mask
// of the flags it sets, so each can be changed alone. [Conn.SetLink] can
// change the flags and add or change mappings of the QoS maps (a mapping to
// priority 0 removes one), one setting at a time; the kernel keeps the ID
// and the protocol.
type Vlan struct {
	// ID is the VLAN ID, 0 to 4094; the kernel needs one to create the
	// device.
	ID *uint16
	// Protocol is the tag's EtherType; the kernel's default is 802.1Q.
	Protocol *VlanProtocol
	// ReorderHeader makes the VLAN header look like an Ethernet header to
	// the stack (on by default).
	ReorderHeader *bool
	// GVRP and MVRP register the VLAN with the GARP or MRP VLAN
	// Registration Protocol.
	GVRP, MVRP *bool
	// LooseBinding keeps the device's state apart from the parent's: it
	// stays up when the parent goes down.
	LooseBinding *bool
	// BridgeBinding makes the device's state follow the state of the
	// bridge VLAN it belongs to, when its parent is a bridge.
	BridgeBinding *bool
	// IngressQoS and EgressQoS are the priority maps; nil is not sent. The
	// kernel reports only the mappings to a non-zero priority, in priority
	// order.
	IngressQoS, EgressQoS []VlanQoSMapping
}

// LinkKind returns "vlan".
func (*Vlan) LinkKind() string { return "vlan" }

func (v *Vlan) validate() error {
	if v.ID != nil && *v.ID > vlanMaxID {
		return errInvalid("vlan id", fmt.Sprintf("%d is above %d", *v.ID, vlanMaxID))
	}
	if p := v.Protocol; p != nil && *p != VlanProtocol8021Q && *p != VlanProtocol8021AD {
		return errInvalid("vlan protocol", fmt.Sprintf("%#04x is not 802.1Q (0x8100) or 802.1ad (0x88a8)", uint16(*p)))
	}
	for _, m := range v.IngressQoS {
		if m.From > vlanMaxPriority {
			return errInvalid("vlan ingress-qos-map", fmt.Sprintf("%d:%d maps from %d, not a VLAN priority (0 to 7)", m.From, m.To, m.From))
		}
	}
	for _, m := range v.EgressQoS {
		if m.To > vlanMaxPriority {
			return errInvalid("vlan egress-qos-map", fmt.Sprintf("%d:%d maps to %d, not a VLAN priority (0 to 7)", m.From, m.To, m.To))
		}
	}
	return nil
}

// flags returns the flags and the mask of IFLA_VLAN_FLAGS, and whether the
// attribute is sent.
func (v *Vlan) flags() (flags, mask uint32, ok bool) {
	for _, f := range v.flagFields() {
		if *f.p != nil {
			mask |= f.flag
			if **f.p {
				flags |= f.flag
			}
		}
	}
	return flags, mask, mask != 0
}

// flagFields lists the flag fields in the order ip prints them.
func (v *Vlan) flagFields() [5]struct {
	p    **bool
	flag uint32
	name string
} {
	return [5]struct {
		p    **bool
		flag uint32
		name string
	}{
		{&v.ReorderHeader, vlanFlagReorderHdr, "REORDER_HDR"},
		{&v.GVRP, vlanFlagGVRP, "GVRP"},
		{&v.MVRP, vlanFlagMVRP, "MVRP"},
		{&v.LooseBinding, vlanFlagLooseBinding, "LOOSE_BINDING"},
		{&v.BridgeBinding, vlanFlagBridgeBinding, "BRIDGE_BINDING"},
	}
}

func (v *Vlan) encode(w *writer) error {
	if err := v.validate(); err != nil {
		return err
	}
	// ip sends the options in the order they are given and the flags
	// last; this is the order of its usage text.
	putUint16(w, unix.IFLA_VLAN_ID, v.ID)
	putPort(w, unix.IFLA_VLAN_PROTOCOL, v.Protocol)
	vlanEncodeQoS(w, unix.IFLA_VLAN_INGRESS_QOS, v.IngressQoS)
	vlanEncodeQoS(w, unix.IFLA_VLAN_EGRESS_QOS, v.EgressQoS)
	if flags, mask, ok := v.flags(); ok {
		var b [8]byte
		native.Endian.PutUint32(b[:], flags)
		native.Endian.PutUint32(b[4:], mask)
		w.Raw(unix.IFLA_VLAN_FLAGS, b[:])
	}
	return nil
}

func vlanEncodeQoS(w *writer, typ uint16, m []VlanQoSMapping) {
	if m == nil {
		return
	}
	n := w.Nest(typ)
	for _, e := range m {
		var b [vlanQoSMappingLen]byte
		native.Endian.PutUint32(b[:], e.From)
		native.Endian.PutUint32(b[4:], e.To)
		w.Raw(unix.IFLA_VLAN_QOS_MAPPING, b[:])
	}
	w.End(n)
}

// vlanValues backs the pointer fields of a decoded Vlan.
type vlanValues struct {
	id                                           uint16
	proto                                        VlanProtocol
	reorder, gvrp, mvrp, looseBinding, brBinding bool
}

func (v *Vlan) decode(d attrs.Decoder) error {
	vals := new(vlanValues)
	var err error
	for d.Next() && err == nil {
		switch d.Type() {
		case unix.IFLA_VLAN_ID:
			v.ID = uint16Field(&d, &vals.id)
		case unix.IFLA_VLAN_PROTOCOL:
			v.Protocol = portField(&d, &vals.proto)
		case unix.IFLA_VLAN_FLAGS:
			b := d.Bytes()
			if len(b) < 8 {
				err = fmt.Errorf("vlan: IFLA_VLAN_FLAGS is %d bytes, want 8", len(b))
				break
			}
			flags := native.Endian.Uint32(b)
			vals.reorder = flags&vlanFlagReorderHdr != 0
			vals.gvrp = flags&vlanFlagGVRP != 0
			vals.mvrp = flags&vlanFlagMVRP != 0
			vals.looseBinding = flags&vlanFlagLooseBinding != 0
			vals.brBinding = flags&vlanFlagBridgeBinding != 0
			v.ReorderHeader, v.GVRP, v.MVRP = &vals.reorder, &vals.gvrp, &vals.mvrp
			v.LooseBinding, v.BridgeBinding = &vals.looseBinding, &vals.brBinding
		case unix.IFLA_VLAN_INGRESS_QOS:
			v.IngressQoS, err = vlanDecodeQoS(d.Nested())
		case unix.IFLA_VLAN_EGRESS_QOS:
			v.EgressQoS, err = vlanDecodeQoS(d.Nested())
		}
	}
	if err == nil {
		err = d.Err()
	}
	if err != nil {
		return fmt.Errorf("vlan: %w", err)
	}
	return nil
}

// vlanDecodeQoS decodes a QoS map; an empty one is an empty, non-nil
// slice, as ip prints it (`[]`).
func vlanDecodeQoS(d attrs.Decoder) ([]VlanQoSMapping, error) {
	m := []VlanQoSMapping{}
	for d.Next() {
		if d.Type() != unix.IFLA_VLAN_QOS_MAPPING {
			continue
		}
		b := d.Bytes()
		if len(b) < vlanQoSMappingLen {
			return nil, fmt.Errorf("IFLA_VLAN_QOS_MAPPING is %d bytes, want %d", len(b), vlanQoSMappingLen)
		}
		m = append(m, VlanQoSMapping{native.Endian.Uint32(b), native.Endian.Uint32(b[4:])})
	}
	return m, d.Err()
}

// writeJSON writes info_data as iproute2 6.1's vlan_print_opt does:
// nothing without an ID.
func (v *Vlan) writeJSON(w *jsonw.Writer) {
	if v.ID == nil {
		return
	}
	if v.Protocol != nil {
		w.String("protocol", v.Protocol.String())
	} else {
		w.String("protocol", "802.1q")
	}
	w.Uint("id", uint64(*v.ID))
	if flags, _, ok := v.flags(); ok {
		w.OpenArray("flags")
		for _, f := range v.flagFields() {
			if flags&f.flag != 0 {
				w.String("", f.name)
			}
		}
		w.CloseArray()
	}
	vlanWriteJSONQoS(w, "ingress_qos", v.IngressQoS)
	vlanWriteJSONQoS(w, "egress_qos", v.EgressQoS)
}

func vlanWriteJSONQoS(w *jsonw.Writer, key string, m []VlanQoSMapping) {
	if m == nil {
		return
	}
	w.OpenArray(key)
	for _, e := range m {
		w.Open("")
		w.Uint("from", uint64(e.From))
		w.Uint("to", uint64(e.To))
		w.Close()
	}
	w.CloseArray()
}
