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

// Links returns the links of the calling thread's network namespace, as
// `ip -d -s link show` lists them; see [Conn.Links].
func Links(ctx context.Context, filters ...LinkFilter) ([]Link, error) {
	return withConn(ctx, func(c *Conn) ([]Link, error) { return c.Links(ctx, filters...) })
}

// LinksSeq streams the links of the calling thread's network namespace; see
// [Conn.LinksSeq].
func LinksSeq(ctx context.Context, filters ...LinkFilter) iter.Seq2[Link, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[Link, error] { return c.LinksSeq(ctx, filters...) })
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

// Links returns the links that pass the filters (every link without any),
// as `ip -d -s link show` lists them, with the names of parents and masters
// filled in.
//
// If the kernel reports the dump interrupted by a change, Links returns the
// links it read with an error matching [ErrDumpInterrupted], unless
// [WithDumpRetries] lets it dump again.
func (c *Conn) Links(ctx context.Context, filters ...LinkFilter) ([]Link, error) {
	return c.AppendLinks(ctx, nil, filters...)
}

// AppendLinks appends the links that [Conn.Links] returns to dst and
// returns the extended slice. A slice from an earlier list, truncated
// (links[:0]), is reused: listing as many links again does not allocate
// the slice anew, nor make the kernel supply new memory for it. On an
// error, it returns dst, its length unchanged; its spare capacity may have
// been written to.
func (c *Conn) AppendLinks(ctx context.Context, dst []Link, filters ...LinkFilter) ([]Link, error) {
	f := newLinkFilter(filters)
	var buf [96]byte
	req := linkRequest(buf[:], unix.AF_PACKET, 0)
	f.encode(&req)
	links, err := nlconn.Append(ctx, c.nl, "rtnl: dump links", unix.RTM_GETLINK, 0, req.Bytes(), dst,
		keepMatching(decodeLinkMessage, f.match))
	if !f.filtered() {
		resolveNames(links[len(dst):], nil)
		return links, err
	}
	// Parents and masters may be among the links filtered out.
	lc := c.newLinkCache(ctx)
	resolveNames(links[len(dst):], lc.lookup)
	if lc.err != nil {
		return dst, lc.err
	}
	return links, err
}

// LinksSeq streams the links that pass the filters as the kernel's reply
// arrives, decoding one at a time. Streamed links do not have the names of
// their parents and masters filled in (ParentName, ParentDown, Master): a
// link may come before the ones it refers to. A dump the kernel reports
// interrupted ends with an error matching [ErrDumpInterrupted].
func (c *Conn) LinksSeq(ctx context.Context, filters ...LinkFilter) iter.Seq2[Link, error] {
	return func(yield func(Link, error) bool) {
		f := newLinkFilter(filters)
		var buf [96]byte
		req := linkRequest(buf[:], unix.AF_PACKET, 0)
		f.encode(&req)
		nlconn.YieldDump(ctx, c.nl, "rtnl: dump links", unix.RTM_GETLINK, req.Bytes(),
			keepMatching(decodeLinkMessage, f.match), yield)
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
// link's parent, master and the links its kind data names, with further
// lookups.
func (c *Conn) getLink(ctx context.Context, op string, req []byte) (Link, error) {
	l, err := c.getLinkRaw(ctx, op, req)
	if err != nil {
		return l, err
	}
	links := []Link{l}
	lc := c.newLinkCache(ctx)
	resolveNames(links, lc.lookup)
	return links[0], lc.err
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

// resolveNames fills in the names of parents and masters, whether parents
// are down, and the names kind data refers to, from the links of one
// namespace; lookup, when not nil, finds the links that are not among them.
func resolveNames(links []Link, lookup func(index int32) (Link, bool)) {
	byIndex := make(map[int32]*Link, len(links))
	for i := range links {
		byIndex[links[i].Index] = &links[i]
	}
	find := func(index int32) (*Link, bool) {
		if l, ok := byIndex[index]; ok {
			return l, true
		}
		if lookup == nil {
			return nil, false
		}
		l, ok := lookup(index)
		return &l, ok
	}
	for i := range links {
		l := &links[i]
		if p := l.ParentIndex; p != nil && *p != 0 && l.LinkNetNSID == nil {
			if parent, ok := find(*p); ok {
				l.ParentName = parent.Name
				l.ParentDown = parent.Flags&unix.IFF_UP == 0
			}
		}
		if l.MasterIndex != 0 {
			if master, ok := find(l.MasterIndex); ok {
				l.Master = master.Name
			}
		}
		if l.Info != nil {
			l.Info.resolveRefs(func(index int32) string {
				if other, ok := find(index); ok {
					return other.Name
				}
				return ""
			})
		}
	}
}

// A linkCache looks links up by index for resolveNames, asking the kernel
// once per index, and keeps the first error other than a missing link.
type linkCache struct {
	c    *Conn
	ctx  context.Context
	seen map[int32]Link
	err  error
	// briefs are the names and types of the links looked up, for the
	// objects of a dump, which need no more, by index; those of indexes
	// past maxBriefIndex are in moreBriefs. last is the latest of them, as
	// the objects of a dump often follow each other on the same link.
	briefs     []linkBrief
	moreBriefs map[int32]linkBrief
	lastIndex  int32
	last       linkBrief
}

// maxBriefIndex is the largest link index whose brief a linkCache keeps in
// a slice, which spares objects on many links a map lookup each: indexes
// are small numbers, handed out in turn. It bounds the slice to about
// 100 KiB, whatever index a namespace that made and removed many links
// has reached.
const maxBriefIndex = 1 << 12

// A linkBrief is what most objects need of their link: its name and type,
// whether it exists, and whether it was looked up.
type linkBrief struct {
	name   string
	typ    LinkType
	exists bool
	known  bool
}

// brief returns the name and type of the link with the given index,
// looked up as lookup does, without copying the whole
// Link each time.
func (lc *linkCache) brief(index int32) linkBrief {
	if index == lc.lastIndex {
		return lc.last
	}
	var b linkBrief
	if index >= 0 && index <= maxBriefIndex && int(index) < len(lc.briefs) {
		b = lc.briefs[index]
	} else if index > maxBriefIndex {
		b = lc.moreBriefs[index]
	}
	if !b.known {
		b = lc.lookupBrief(index)
	}
	lc.lastIndex, lc.last = index, b
	return b
}

// lookupBrief looks the link up, and keeps its brief.
func (lc *linkCache) lookupBrief(index int32) linkBrief {
	l, exists := lc.lookup(index)
	b := linkBrief{name: l.Name, typ: l.Type, exists: exists, known: true}
	switch {
	case index < 0:
	case index <= maxBriefIndex:
		if int(index) >= len(lc.briefs) {
			lc.briefs = append(lc.briefs, make([]linkBrief, int(index)+1-len(lc.briefs))...)
		}
		lc.briefs[index] = b
	default:
		if lc.moreBriefs == nil {
			lc.moreBriefs = make(map[int32]linkBrief)
		}
		lc.moreBriefs[index] = b
	}
	return b
}

func (c *Conn) newLinkCache(ctx context.Context) *linkCache {
	return &linkCache{c: c, ctx: ctx, seen: make(map[int32]Link)}
}

func (lc *linkCache) lookup(index int32) (Link, bool) {
	l, ok := lc.seen[index]
	if !ok {
		var err error
		l, err = lc.c.lookupIndex(lc.ctx, index)
		if err != nil && lc.err == nil {
			lc.err = err
		}
		lc.seen[index] = l
	}
	return l, l.Index != 0
}
