package main

import (
	"context"
	"encoding/binary"
	"net/netip"

	"github.com/nlkit/nlkit/rtnl"
)

// tunnelEnds are the settings the IP tunnel kinds share: `local ADDR
// remote ADDR [dev DEV] [key|ikey|okey KEY] [fwmark MARK]`.
type tunnelEnds struct {
	local, remote netip.Addr
	link          *int32
	ikey, okey    *uint32
	fwmark        *uint32
}

// tunnel reads the shared tunnel settings.
func (c *command) tunnel(ctx context.Context, p *kindParser) tunnelEnds {
	var e tunnelEnds
	p.each(func() {
		if a, ok := p.addr("local"); ok {
			e.local = a
		}
		if a, ok := p.addr("remote"); ok {
			e.remote = a
		}
		if dev, ok := p.value("dev"); ok {
			index := c.tunnelDev(ctx, p, dev)
			e.link = &index
		}
		p.opt32(&e.fwmark, "fwmark", "invalid fwmark\n")
		for _, key := range []string{"key", "ikey", "okey"} {
			if v, ok := p.value(key); ok {
				k, err := parseKey(key, v)
				if err != nil {
					p.err = err
					return
				}
				if key != "okey" {
					e.ikey = &k
				}
				if key != "ikey" {
					e.okey = &k
				}
			}
		}
	})
	return e
}

// parseKey reads the tunnel key of option name as ip does: a number or a
// dotted quad.
func parseKey(name, v string) (uint32, error) {
	if a, err := netip.ParseAddr(v); err == nil && a.Is4() {
		b := a.As4()
		return binary.BigEndian.Uint32(b[:]), nil
	}
	n, err := parseCUint(v, 32)
	if err != nil {
		return 0, usageErr("invalid value for \"" + name + "\": \"" + v + "\"; it should be an unsigned integer")
	}
	return uint32(n), nil
}

// tunnelData is the kind data of vti and vti6 (ip's link_vti.c and
// link_vti6.c).
func (c *command) tunnelData(ctx context.Context, kind string, p *kindParser) rtnl.LinkData {
	e := c.tunnel(ctx, p)
	return &rtnl.Vti{Kind: kind, Local: e.local, Remote: e.remote, LinkIndex: e.link, IKey: e.ikey, OKey: e.okey, FwMark: e.fwmark}
}
