package rtnl_test

import (
	"context"
	"log"
	"net"

	"github.com/nlkit/nlkit/rtnl"
)

// Hold a VXLAN device down for protocol reason 3, as `ip link set dev vx0
// protodown on protodown_reason 3 on` does, in a named namespace.
func ExampleLinkChange_protoDown() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	l, err := c.LinkByName(ctx, "vx0")
	if err != nil {
		log.Fatal(err)
	}
	on := true
	err = c.SetLink(ctx, l.Index, rtnl.LinkChange{
		ProtoDown:       &on,
		ProtoDownReason: &rtnl.ProtoDownReasonChange{Reason: 3, On: true},
	})
	if err != nil {
		log.Fatal(err)
	}
}

// Give virtual function 2 of an SR-IOV device a MAC address and a VLAN,
// as `ip link set dev eth0 vf 2 mac 02:00:00:00:00:02 vlan 100` does.
func ExampleVFChange() {
	ctx := context.Background()
	l, err := rtnl.LinkByName(ctx, "eth0")
	if err != nil {
		log.Fatal(err)
	}
	vf := rtnl.VFChange{
		VF:    2,
		MAC:   net.HardwareAddr{2, 0, 0, 0, 0, 2},
		VLANs: []rtnl.VFVlan{{ID: 100}},
	}
	c, err := rtnl.Dial(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if err := c.SetLink(ctx, l.Index, rtnl.LinkChange{VF: &vf}); err != nil {
		log.Fatal(err)
	}
}

// Detach the XDP program of a link, whatever its mode, as `ip link set
// dev eth0 xdp off` does.
func ExampleXDPMode() {
	ctx := context.Background()
	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	l, err := c.LinkByName(ctx, "eth0")
	if err != nil {
		log.Fatal(err)
	}
	mode := rtnl.XDPModeAny
	if err := c.SetLink(ctx, l.Index, rtnl.LinkChange{XDPDetach: &mode}); err != nil {
		log.Fatal(err)
	}
}
