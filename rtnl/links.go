package rtnl

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// rtextFilterVF asks the kernel to include SR-IOV VF information, as
// `ip link show` does (RTEXT_FILTER_VF).
const rtextFilterVF = 1

// maxAltNameLen is the longest name a link lookup accepts: altnames go up to
// ALTIFNAMSIZ - 1 bytes.
const maxAltNameLen = 127

// linkRequest builds an ifinfomsg for family and index followed by the
// IFLA_EXT_MASK attribute, in buf.
func linkRequest(buf []byte, family uint8, index int32) attrs.Encoder {
	hdr := buf[:ifInfoMsgLen]
	clear(hdr)
	hdr[0] = family
	native.Endian.PutUint32(hdr[4:], uint32(index))
	var e attrs.Encoder
	e.Reset(hdr)
	e.Uint32(unix.IFLA_EXT_MASK, rtextFilterVF)
	return e
}

// Links returns every link of the calling thread's network namespace, as
// `ip -d -s link show` lists them.
func Links(ctx context.Context) ([]Link, error) {
	return withConn(ctx, func(c *Conn) ([]Link, error) { return c.Links(ctx) })
}

// LinksSeq streams the links of the calling thread's network namespace; see
// [Conn.LinksSeq].
func LinksSeq(ctx context.Context) iter.Seq2[Link, error] {
	return func(yield func(Link, error) bool) {
		c, err := Dial(ctx)
		if err != nil {
			yield(Link{}, err)
			return
		}
		defer c.Close()
		for l, err := range c.LinksSeq(ctx) {
			if !yield(l, err) {
				return
			}
		}
	}
}

// LinkByName returns the link of the calling thread's network namespace
// with the given name or alternative name; see [Conn.LinkByName].
func LinkByName(ctx context.Context, name string) (Link, error) {
	return withConn(ctx, func(c *Conn) (Link, error) { return c.LinkByName(ctx, name) })
}

// LinkByIndex returns the link of the calling thread's network namespace
// with the given index; see [Conn.LinkByIndex].
func LinkByIndex(ctx context.Context, index int32) (Link, error) {
	return withConn(ctx, func(c *Conn) (Link, error) { return c.LinkByIndex(ctx, index) })
}

// Links returns every link, as `ip -d -s link show` lists them, with the
// names of parents and masters filled in.
//
// If the kernel reports the dump interrupted by a change, Links returns the
// links it read with an error matching [ErrDumpInterrupted], unless
// [WithDumpRetries] lets it dump again.
func (c *Conn) Links(ctx context.Context) ([]Link, error) {
	var buf [32]byte
	req := linkRequest(buf[:], unix.AF_PACKET, 0)
	links, err := nlconn.Collect(ctx, c.nl, "rtnl: dump links", unix.RTM_GETLINK, 0, req.Bytes(), decodeLinkMessage)
	resolveNames(links)
	return links, err
}

// LinksSeq streams every link as the kernel's reply arrives, decoding one
// at a time. Streamed links do not have the names of their parents and
// masters filled in (ParentName, ParentDown, Master): a link may come before
// the ones it refers to. A dump the kernel reports interrupted ends with an
// error matching [ErrDumpInterrupted].
func (c *Conn) LinksSeq(ctx context.Context) iter.Seq2[Link, error] {
	return func(yield func(Link, error) bool) {
		var buf [32]byte
		req := linkRequest(buf[:], unix.AF_PACKET, 0)
		for m, err := range c.nl.Dump(ctx, "rtnl: dump links", unix.RTM_GETLINK, 0, req.Bytes()) {
			if err != nil {
				yield(Link{}, err)
				return
			}
			l, keep, err := decodeLinkMessage(m)
			if err != nil {
				yield(Link{}, fmt.Errorf("rtnl: dump links: %w", err))
				return
			}
			if keep && !yield(l, nil) {
				return
			}
		}
	}
}

// decodeLinkMessage decodes a link from a dump reply, skipping messages of
// other types.
func decodeLinkMessage(m nlconn.Message) (Link, bool, error) {
	if m.Type != unix.RTM_NEWLINK {
		return Link{}, false, nil
	}
	l, err := decodeLink(m.Data)
	return l, err == nil, err
}

// LinkByName returns the link with the given name or alternative name. A
// missing link is an error matching [ErrNotExist].
func (c *Conn) LinkByName(ctx context.Context, name string) (Link, error) {
	if name == "" || len(name) > maxAltNameLen {
		return Link{}, fmt.Errorf("rtnl: get link %q: invalid name: %w", name, unix.EINVAL)
	}
	var buf [32 + 2*attrs.HeaderLen + maxAltNameLen + 1]byte
	req := linkRequest(buf[:], unix.AF_UNSPEC, 0)
	if len(name) < unix.IFNAMSIZ {
		req.String(unix.IFLA_IFNAME, name)
	} else {
		req.String(unix.IFLA_ALT_IFNAME, name)
	}
	return c.getLink(ctx, "rtnl: get link "+name, req.Bytes())
}

// LinkByIndex returns the link with the given index. A missing link is an
// error matching [ErrNotExist].
func (c *Conn) LinkByIndex(ctx context.Context, index int32) (Link, error) {
	if index <= 0 {
		return Link{}, fmt.Errorf("rtnl: get link %d: invalid index: %w", index, unix.EINVAL)
	}
	var buf [32]byte
	req := linkRequest(buf[:], unix.AF_UNSPEC, index)
	return c.getLink(ctx, fmt.Sprintf("rtnl: get link %d", index), req.Bytes())
}

// getLink sends an RTM_GETLINK request and fills in the names of the
// link's parent and master with further lookups.
func (c *Conn) getLink(ctx context.Context, op string, req []byte) (Link, error) {
	l, err := c.getLinkRaw(ctx, op, req)
	if err != nil {
		return l, err
	}
	if p := l.ParentIndex; p != nil && *p != 0 && l.LinkNetNSID == nil {
		parent, err := c.lookupIndex(ctx, *p)
		if err != nil {
			return l, err
		}
		l.ParentName = parent.Name
		l.ParentDown = parent.Flags&unix.IFF_UP == 0
	}
	if l.MasterIndex != 0 {
		master, err := c.lookupIndex(ctx, l.MasterIndex)
		if err != nil {
			return l, err
		}
		l.Master = master.Name
	}
	if l.Info != nil {
		var lookupErr error
		l.Info.resolveRefs(func(index int32) string {
			other, err := c.lookupIndex(ctx, index)
			if err != nil && lookupErr == nil {
				lookupErr = err
			}
			return other.Name
		})
		if lookupErr != nil {
			return l, lookupErr
		}
	}
	return l, nil
}

// lookupIndex gets a link by index without resolving its names; a missing
// link gives a zero Link and no error.
func (c *Conn) lookupIndex(ctx context.Context, index int32) (Link, error) {
	var buf [32]byte
	req := linkRequest(buf[:], unix.AF_UNSPEC, index)
	l, err := c.getLinkRaw(ctx, fmt.Sprintf("rtnl: get link %d", index), req.Bytes())
	if errors.Is(err, ErrNotExist) {
		return Link{}, nil
	}
	return l, err
}

func (c *Conn) getLinkRaw(ctx context.Context, op string, req []byte) (Link, error) {
	var l Link
	found := false
	err := c.nl.Execute(ctx, op, unix.RTM_GETLINK, 0, req, func(m nlconn.Message) error {
		if m.Type != unix.RTM_NEWLINK {
			return nil
		}
		var err error
		l, err = decodeLink(m.Data)
		found = true
		return err
	})
	if err == nil && !found {
		err = fmt.Errorf("%s: the kernel sent no link", op)
	}
	return l, err
}

// resolveNames fills in the names of parents and masters, and whether
// parents are down, from the links of one namespace.
func resolveNames(links []Link) {
	byIndex := make(map[int32]*Link, len(links))
	for i := range links {
		byIndex[links[i].Index] = &links[i]
	}
	for i := range links {
		l := &links[i]
		if p := l.ParentIndex; p != nil && *p != 0 && l.LinkNetNSID == nil {
			if parent, ok := byIndex[*p]; ok {
				l.ParentName = parent.Name
				l.ParentDown = parent.Flags&unix.IFF_UP == 0
			}
		}
		if master, ok := byIndex[l.MasterIndex]; ok && l.MasterIndex != 0 {
			l.Master = master.Name
		}
		if l.Info != nil {
			l.Info.resolveRefs(func(index int32) string {
				if other, ok := byIndex[index]; ok {
					return other.Name
				}
				return ""
			})
		}
	}
}
