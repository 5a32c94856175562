package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	vnl "github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// A writeTarget is the link each write run adds its routes through: made
// afresh before the run, and deleted after it, which deletes its routes.
type writeTarget struct {
	ctx   context.Context
	ns    *namespace
	index int32
}

func (w *writeTarget) setup() error {
	var err error
	w.index, err = addVeth(w.ctx, w.ns.c, "w0", "w1", true)
	return err
}

func (w *writeTarget) teardown() error {
	return w.ns.c.DeleteLinkByName(w.ctx, "w0")
}

// A writer is one implementation's way to add routes, and the floor it is
// compared with.
type writer struct {
	impl
	floor string
}

// Names of the write floors.
const (
	floorOneByOne  = "raw one-at-a-time"
	floorPipelined = "raw pipelined"
)

// writers returns the implementations that add the IPv4 host routes dsts
// `dev w0`, the floors first.
func writers(ctx context.Context, cl *clients, w *writeTarget, dsts []netip.Addr, batchFile string) []writer {
	c := cl.ns.c
	var b rtnl.Batch
	return []writer{
		{impl{floorOneByOne, func() (int, error) { return cl.raw.addRoutesOneByOne(dsts, w.index) }}, floorOneByOne},
		{impl{floorPipelined, func() (int, error) { return cl.raw.addRoutesPipelined(dsts, w.index) }}, floorPipelined},
		{impl{"nlkit AddRoute", func() (int, error) {
			for _, dst := range dsts {
				if err := c.AddRoute(ctx, rtnl.Route{Dst: netip.PrefixFrom(dst, 32), LinkIndex: w.index}); err != nil {
					return 0, err
				}
			}
			return len(dsts), nil
		}}, floorOneByOne},
		{impl{"nlkit Batch", func() (int, error) {
			b.Reset()
			for _, dst := range dsts {
				if err := b.AddRoute(rtnl.Route{Dst: netip.PrefixFrom(dst, 32), LinkIndex: w.index}); err != nil {
					return 0, err
				}
			}
			return len(dsts), c.SendBatch(ctx, &b)
		}}, floorPipelined},
		{impl{"vishvananda/netlink RouteAdd", func() (int, error) {
			for _, dst := range dsts {
				a := dst.As4()
				r := &vnl.Route{LinkIndex: int(w.index), Scope: vnl.SCOPE_LINK, Dst: &net.IPNet{IP: a[:], Mask: net.CIDRMask(32, 32)}}
				if err := cl.vish.RouteAdd(r); err != nil {
					return 0, err
				}
			}
			return len(dsts), nil
		}}, floorOneByOne},
		{impl{"jsimonetti/rtnetlink Route.Add", func() (int, error) {
			for _, dst := range dsts {
				a := dst.As4()
				err := cl.jsim.Route.Add(&rtnetlink.RouteMessage{
					Family: unix.AF_INET, DstLength: 32, Table: unix.RT_TABLE_MAIN, Protocol: unix.RTPROT_BOOT,
					Scope: unix.RT_SCOPE_LINK, Type: unix.RTN_UNICAST,
					Attributes: rtnetlink.RouteAttributes{Dst: a[:], OutIface: uint32(w.index)},
				})
				if err != nil {
					return 0, err
				}
			}
			return len(dsts), nil
		}}, floorOneByOne},
		{impl{"mdlayher/netlink framing", func() (int, error) {
			var req []byte
			for _, dst := range dsts {
				req = cl.raw.appendRouteAdd(req[:0], dst, w.index)
				_, err := cl.mdl.Execute(netlink.Message{
					Header: netlink.Header{Type: unix.RTM_NEWROUTE, Flags: netlink.Request | netlink.Acknowledge | netlink.Create | netlink.Excl},
					Data:   req[unix.SizeofNlMsghdr:],
				})
				if err != nil {
					return 0, err
				}
			}
			return len(dsts), nil
		}}, floorOneByOne},
		{impl{"ip -batch", func() (int, error) {
			cmd := exec.Command("ip", "-n", cl.ns.name, "-batch", batchFile)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				return 0, fmt.Errorf("ip -batch: %v: %s", err, stderr.Bytes())
			}
			return len(dsts), nil
		}}, floorPipelined},
	}
}

// writeBatchFile writes the ip -batch file that adds dsts dev w0, and
// returns its path.
func writeBatchFile(dsts []netip.Addr) (string, error) {
	f, err := os.CreateTemp("", "nlkit-bench-*.batch")
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	for _, dst := range dsts {
		fmt.Fprintf(&buf, "route add %s/32 dev w0\n", dst)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), f.Close()
}
