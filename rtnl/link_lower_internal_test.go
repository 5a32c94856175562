package rtnl

import (
	"bytes"
	"net"
	"testing"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// TestVFChangeEncoding checks the structs of a VF change against the
// kernel's layouts (struct ifla_vf_mac, ifla_vf_vlan_info, ifla_vf_guid,
// ifla_vf_rate) as ip fills them.
func TestVFChangeEncoding(t *testing.T) {
	var w writer
	defer w.close()
	mac := net.HardwareAddr{2, 0, 0, 0, 0, 1}
	err := w.setLink(2, &LinkChange{VF: &VFChange{
		VF: 7, MAC: mac, VLANs: []VFVlan{{ID: 5, QoS: 1, Protocol: VlanProtocol8021AD}},
		NodeGUID: ptr[uint64](0x0011223344556677), MaxTxRate: ptr[uint32](100),
	}})
	if err != nil {
		t.Fatal(err)
	}
	d := attrs.NewDecoder(w.Bytes()[unix.SizeofIfInfomsg:])
	got := map[uint16][]byte{}
	for d.Next() {
		if d.Type() != unix.IFLA_VFINFO_LIST {
			continue
		}
		list := d.Nested()
		for list.Next() {
			info := list.Nested()
			for info.Next() {
				if info.Type() == unix.IFLA_VF_VLAN_LIST {
					vl := info.Nested()
					for vl.Next() {
						got[vl.Type()+100] = vl.Bytes()
					}
					continue
				}
				got[info.Type()] = info.Bytes()
			}
		}
	}
	if err := d.Err(); err != nil {
		t.Fatal(err)
	}
	u32 := func(b []byte, i int) uint32 { return native.Endian.Uint32(b[4*i:]) }
	if b := got[unix.IFLA_VF_MAC]; len(b) != 36 || u32(b, 0) != 7 || !bytes.Equal(b[4:10], mac) || !bytes.Equal(b[10:], make([]byte, 26)) {
		t.Errorf("IFLA_VF_MAC = % x", b)
	}
	if b := got[unix.IFLA_VF_VLAN_INFO+100]; len(b) != 16 || u32(b, 0) != 7 || u32(b, 1) != 5 || u32(b, 2) != 1 || b[12] != 0x88 || b[13] != 0xa8 {
		t.Errorf("IFLA_VF_VLAN_INFO = % x", b)
	}
	if b := got[unix.IFLA_VF_IB_NODE_GUID]; len(b) != 16 || u32(b, 0) != 7 || native.Endian.Uint64(b[8:]) != 0x0011223344556677 {
		t.Errorf("IFLA_VF_IB_NODE_GUID = % x", b)
	}
	if b := got[unix.IFLA_VF_RATE]; len(b) != 12 || u32(b, 0) != 7 || u32(b, 1) != 0 || u32(b, 2) != 100 {
		t.Errorf("IFLA_VF_RATE = % x", b)
	}
}
