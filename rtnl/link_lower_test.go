package rtnl_test

import (
	"context"
	"errors"
	"net"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// TestSetLinkProtoDown holds a vxlan device down with reasons, as `ip link
// set DEV protodown on protodown_reason N on` does, and compares nlkit's
// reading with ip's; a veth, which has no protodown, refuses it as it
// refuses ip.
func TestSetLinkProtoDown(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	ns.IP(t, "link", "add", "vx0", "type", "vxlan", "id", "4", "dstport", "4789")
	vx := mustLink(t, c, "vx0")
	for _, ch := range []rtnl.LinkChange{
		{ProtoDown: ptr(true)},
		{ProtoDownReason: &rtnl.ProtoDownReasonChange{Reason: 3, On: true}},
		{ProtoDownReason: &rtnl.ProtoDownReasonChange{Reason: 31, On: true}},
		{ProtoDownReason: &rtnl.ProtoDownReasonChange{Reason: 3}},
	} {
		if err := c.SetLink(ctx, vx.Index, ch); err != nil {
			t.Fatalf("SetLink(%+v): %v", ch, err)
		}
	}
	l := checkLink(t, ns, c, "vx0")
	if !l.ProtoDown || l.ProtoDownReason != 1<<31 {
		t.Errorf("ProtoDown %v, reasons %#x; want true, 1<<31", l.ProtoDown, l.ProtoDownReason)
	}
	if err := c.SetLink(ctx, vx.Index, rtnl.LinkChange{ProtoDownReason: &rtnl.ProtoDownReasonChange{Reason: 32}}); !isInvalid(err) {
		t.Errorf("reason 32: got %v, want an invalid-input error", err)
	}
	v0 := addVeth(t, ns, c, "v0", "v1")
	err := c.SetLink(ctx, v0, rtnl.LinkChange{ProtoDown: ptr(true)})
	if !errors.Is(err, unix.EOPNOTSUPP) {
		t.Fatalf("protodown on a veth: got %v, want the kernel's EOPNOTSUPP", err)
	}
}

// TestSetLinkVF sends virtual function changes to a veth, which has none:
// the kernel must refuse each with EOPNOTSUPP, as it refuses ip's
// requests, having parsed them.
func TestSetLinkVF(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	ctx := context.Background()
	v0 := addVeth(t, ns, c, "v0", "v1")
	state := rtnl.VFLinkStateEnable
	for _, vf := range []rtnl.VFChange{
		{VF: 0, MAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}},
		{VF: 1, VLANs: []rtnl.VFVlan{{ID: 5, QoS: 2}}},
		{VF: 1, VLANs: []rtnl.VFVlan{{ID: 5, Protocol: rtnl.VlanProtocol8021AD}, {ID: 6}}},
		{VF: 2, Rate: ptr[uint32](10), SpoofCheck: ptr(true), Trust: ptr(false), QueryRSS: ptr(true), LinkState: &state},
		{VF: 2, MinTxRate: ptr[uint32](10), MaxTxRate: ptr[uint32](100)},
		{VF: 3, NodeGUID: ptr[uint64](0x0011223344556677), PortGUID: ptr[uint64](1)},
	} {
		err := c.SetLink(ctx, v0, rtnl.LinkChange{VF: &vf})
		if !errors.Is(err, unix.EOPNOTSUPP) {
			t.Errorf("SetLink(vf %+v): got %v, want EOPNOTSUPP", vf, err)
		}
	}
	bad := rtnl.VFChange{MinTxRate: ptr[uint32](10), MaxTxRate: ptr[uint32](5)}
	if err := c.SetLink(ctx, v0, rtnl.LinkChange{VF: &bad}); !isInvalid(err) {
		t.Errorf("min above max: got %v, want an invalid-input error", err)
	}
}

// TestSetLinkXDPDetach detaches XDP programs from a veth that has none,
// as `ip link set DEV xdp off` does: the kernel accepts it in every mode a
// veth has.
func TestSetLinkXDPDetach(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	v0 := addVeth(t, ns, c, "v0", "v1")
	for _, m := range []rtnl.XDPMode{rtnl.XDPModeAny, rtnl.XDPModeGeneric, rtnl.XDPModeDriver} {
		if err := c.SetLink(context.Background(), v0, rtnl.LinkChange{XDPDetach: &m}); err != nil {
			t.Errorf("SetLink(%v off): %v", m, err)
		}
	}
	checkLink(t, ns, c, "v0")
}
