package rtnl

import (
	"fmt"
	"net"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"
)

// VFLinkState is the link state an SR-IOV virtual function reports to its
// user (`state auto|enable|disable`, IFLA_VF_LINK_STATE_*).
type VFLinkState uint32

// Virtual function link states.
const (
	VFLinkStateAuto    VFLinkState = unix.IFLA_VF_LINK_STATE_AUTO    // follow the physical function's link
	VFLinkStateEnable  VFLinkState = unix.IFLA_VF_LINK_STATE_ENABLE  // always up
	VFLinkStateDisable VFLinkState = unix.IFLA_VF_LINK_STATE_DISABLE // always down
)

// String returns "auto", "enable" or "disable", as ip names the state.
func (s VFLinkState) String() string {
	switch s {
	case VFLinkStateAuto:
		return "auto"
	case VFLinkStateEnable:
		return "enable"
	case VFLinkStateDisable:
		return "disable"
	}
	return fmt.Sprintf("%d", uint32(s))
}

// VFVlan is a VLAN of a virtual function (`vlan VLANID [qos QOS] [proto
// PROTO]`).
type VFVlan struct {
	// ID is the VLAN id; 0 with QoS 0 removes the VLAN.
	ID uint32
	// QoS is the priority of the frames sent.
	QoS uint32
	// Protocol is the tag's protocol, 802.1Q when zero.
	Protocol VlanProtocol
}

// VFChange lists changes [Conn.SetLink] makes to one SR-IOV virtual
// function of a physical device, as `ip link set DEV vf N …` does. Nil
// fields are left as they are. Devices without virtual functions refuse
// it (EOPNOTSUPP, or EINVAL for a VF they lack).
type VFChange struct {
	// VF is the number of the virtual function.
	VF uint32
	// MAC sets its MAC address (`mac`).
	MAC net.HardwareAddr
	// VLANs sets its VLANs (`vlan`); one 802.1Q VLAN is sent in the
	// kernel's older form, as ip does.
	VLANs []VFVlan
	// Rate sets its maximum transmit rate in Mbit/s in the kernel's older
	// form (`rate`).
	Rate *uint32
	// MinTxRate and MaxTxRate set its transmit rate bounds in Mbit/s
	// (`min_tx_rate`, `max_tx_rate`); both are sent, the other as 0 when
	// only one is set.
	MinTxRate, MaxTxRate *uint32
	// SpoofCheck, QueryRSS and Trust turn source address checking, RSS
	// queries and trusted mode on or off (`spoofchk`, `query_rss`,
	// `trust`).
	SpoofCheck, QueryRSS, Trust *bool
	// LinkState sets the link state it reports (`state`).
	LinkState *VFLinkState
	// NodeGUID and PortGUID set the InfiniBand GUIDs (`node_guid`,
	// `port_guid`).
	NodeGUID, PortGUID *uint64
}

// vfMACLen is the size of the address in struct ifla_vf_mac.
const vfMACLen = 32

func (v *VFChange) validate() error {
	if len(v.MAC) > vfMACLen {
		return errInvalid("vf mac", fmt.Sprintf("%v is longer than %d bytes", v.MAC, vfMACLen))
	}
	if v.MinTxRate != nil && v.MaxTxRate != nil && *v.MaxTxRate != 0 && *v.MinTxRate > *v.MaxTxRate {
		return errInvalid("vf min_tx_rate", fmt.Sprintf("%d is above max_tx_rate %d", *v.MinTxRate, *v.MaxTxRate))
	}
	return nil
}

// vfStruct is a struct of the kernel's ifla_vf_* family: the VF number
// followed by native-endian 32-bit fields.
func vfStruct(vf uint32, fields ...uint32) []byte {
	b := make([]byte, 4+4*len(fields))
	native.Endian.PutUint32(b, vf)
	for i, f := range fields {
		native.Endian.PutUint32(b[4+4*i:], f)
	}
	return b
}

func vfFlag(on bool) uint32 {
	if on {
		return 1
	}
	return 0
}

// encode appends IFLA_VFINFO_LIST with the change, in ip's order.
func (v *VFChange) encode(w *writer) error {
	if err := v.validate(); err != nil {
		return err
	}
	list := w.Nest(unix.IFLA_VFINFO_LIST)
	info := w.Nest(unix.IFLA_VF_INFO)
	if v.MAC != nil {
		b := vfStruct(v.VF, make([]uint32, vfMACLen/4)...)
		copy(b[4:], v.MAC)
		w.Raw(unix.IFLA_VF_MAC, b)
	}
	v.encodeVLANs(w)
	if v.Rate != nil {
		w.Raw(unix.IFLA_VF_TX_RATE, vfStruct(v.VF, *v.Rate))
	}
	for _, s := range []struct {
		typ uint16
		on  *bool
	}{{unix.IFLA_VF_SPOOFCHK, v.SpoofCheck}, {unix.IFLA_VF_RSS_QUERY_EN, v.QueryRSS}, {unix.IFLA_VF_TRUST, v.Trust}} {
		if s.on != nil {
			w.Raw(s.typ, vfStruct(v.VF, vfFlag(*s.on)))
		}
	}
	if v.LinkState != nil {
		w.Raw(unix.IFLA_VF_LINK_STATE, vfStruct(v.VF, uint32(*v.LinkState)))
	}
	for _, g := range []struct {
		typ  uint16
		guid *uint64
	}{{unix.IFLA_VF_IB_NODE_GUID, v.NodeGUID}, {unix.IFLA_VF_IB_PORT_GUID, v.PortGUID}} {
		if g.guid != nil {
			b := vfStruct(v.VF, 0, 0, 0) // struct ifla_vf_guid: u32, padding, u64
			native.Endian.PutUint64(b[8:], *g.guid)
			w.Raw(g.typ, b)
		}
	}
	if v.MinTxRate != nil || v.MaxTxRate != nil {
		var lo, hi uint32
		if v.MinTxRate != nil {
			lo = *v.MinTxRate
		}
		if v.MaxTxRate != nil {
			hi = *v.MaxTxRate
		}
		w.Raw(unix.IFLA_VF_RATE, vfStruct(v.VF, lo, hi))
	}
	w.End(info)
	w.End(list)
	return nil
}

// encodeVLANs appends the VLANs: a single 802.1Q one as IFLA_VF_VLAN,
// others as IFLA_VF_VLAN_LIST of struct ifla_vf_vlan_info.
func (v *VFChange) encodeVLANs(w *writer) {
	if len(v.VLANs) == 0 {
		return
	}
	proto := func(p VlanProtocol) VlanProtocol {
		if p == 0 {
			return VlanProtocol8021Q
		}
		return p
	}
	if len(v.VLANs) == 1 && proto(v.VLANs[0].Protocol) == VlanProtocol8021Q {
		w.Raw(unix.IFLA_VF_VLAN, vfStruct(v.VF, v.VLANs[0].ID, v.VLANs[0].QoS))
		return
	}
	n := w.Nest(unix.IFLA_VF_VLAN_LIST)
	for _, vl := range v.VLANs {
		b := vfStruct(v.VF, vl.ID, vl.QoS, 0)
		p := proto(vl.Protocol)
		b[12], b[13] = byte(p>>8), byte(p) // __be16 vlan_proto
		w.Raw(unix.IFLA_VF_VLAN_INFO, b)
	}
	w.End(n)
}
