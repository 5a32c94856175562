package main

import (
	"context"
	"encoding/binary"
	"net/netip"
	"strconv"

	"github.com/nlkit/nlkit/rtnl"
)

// tunnelEnds are the settings the IP tunnel kinds share: `local ADDR
// remote ADDR [ttl TTL] [dev DEV] [key|ikey|okey KEY]`.
type tunnelEnds struct {
	local, remote netip.Addr
	ttl           *uint8
	link          *int32
	ikey, okey    *uint32
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
		if v, ok := p.value("ttl"); ok {
			n := uint8(0)
			if v != "inherit" && v != "auto" {
				u, err := strconv.ParseUint(v, 0, 8)
				if err != nil {
					p.fail("Error: argument \"" + v + "\" is wrong: invalid TTL")
				}
				n = uint8(u)
			}
			e.ttl = &n
		}
		if dev, ok := p.value("dev"); ok {
			l, err := c.linkByName(ctx, dev)
			if err != nil {
				p.err = err
				return
			}
			e.link = &l.Index
		}
		for _, key := range []string{"key", "ikey", "okey"} {
			if v, ok := p.value(key); ok {
				k, err := parseKey(v)
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

// parseKey reads a tunnel key as ip does: a number or a dotted quad.
func parseKey(v string) (uint32, error) {
	if a, err := netip.ParseAddr(v); err == nil && a.Is4() {
		b := a.As4()
		return binary.BigEndian.Uint32(b[:]), nil
	}
	n, err := strconv.ParseUint(v, 0, 32)
	if err != nil {
		return 0, usageErr("Invalid value for \"key\": \"" + v + "\"; it should be an unsigned integer")
	}
	return uint32(n), nil
}

// tunnelData is the kind data of the IP tunnel kinds and of geneve.
func (c *command) tunnelData(ctx context.Context, kind string, p *kindParser) rtnl.LinkData {
	switch kind {
	case "geneve":
		g := &rtnl.Geneve{}
		p.each(func() {
			if id := p.u32("id"); id != nil {
				g.ID = id
			}
			if id := p.u32("vni"); id != nil {
				g.ID = id
			}
			if a, ok := p.addr("remote"); ok {
				g.Remote = a
			}
			if port := p.u16("dstport"); port != nil {
				g.Port = port
			}
		})
		return g
	}
	e := c.tunnel(ctx, p)
	switch kind {
	case "gre", "gretap", "ip6gre", "ip6gretap":
		return &rtnl.Gre{Kind: kind, Local: e.local, Remote: e.remote, TTL: e.ttl, LinkIndex: e.link, IKey: e.ikey, OKey: e.okey}
	case "vti", "vti6":
		return &rtnl.Vti{Kind: kind, Local: e.local, Remote: e.remote, LinkIndex: e.link, IKey: e.ikey, OKey: e.okey}
	}
	t := &rtnl.IPTunnel{Kind: kind, Local: e.local, Remote: e.remote, TTL: e.ttl, LinkIndex: e.link}
	if kind == "ipip" || kind == "sit" {
		// ip sends the inner protocol, 0 ("any") unless `mode` says.
		t.Proto = new(uint8)
	}
	return t
}
