package rtnl

import (
	"context"
	"fmt"
	"iter"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/addrfamily"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// Neighbors returns the neighbour entries of the calling thread's network
// namespace; see [Conn.Neighbors].
func Neighbors(ctx context.Context, filters ...NeighFilter) ([]Neighbor, error) {
	return withConn(ctx, func(c *Conn) ([]Neighbor, error) { return c.Neighbors(ctx, filters...) })
}

// NeighborsSeq streams the neighbour entries of the calling thread's
// network namespace; see [Conn.NeighborsSeq].
func NeighborsSeq(ctx context.Context, filters ...NeighFilter) iter.Seq2[Neighbor, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[Neighbor, error] { return c.NeighborsSeq(ctx, filters...) })
}

// Neighbors returns the neighbour entries that pass the filters, as
// `ip -d -s neigh show` lists them: the JSON of the result is what
// `ip -j -d -s neigh show` prints with the same selectors. Without a filter
// that is every IPv4 and IPv6 entry but the NOARP ones; proxy entries are
// listed alone, with [FilterNeighProxy]. The names of the links are filled
// in. An invalid filter gives an [*InvalidError]; a link or master index
// that names no link, an error matching [ErrNotExist].
//
// If the kernel reports the dump interrupted by a change, Neighbors
// returns the entries it read with an error matching [ErrDumpInterrupted],
// unless [WithDumpRetries] lets it dump again.
func (c *Conn) Neighbors(ctx context.Context, filters ...NeighFilter) ([]Neighbor, error) {
	return c.AppendNeighbors(ctx, nil, filters...)
}

// AppendNeighbors appends the neighbour entries that [Conn.Neighbors]
// returns to dst and returns the extended slice. A slice from an earlier
// list, truncated (neighs[:0]), is reused: listing as many entries again
// allocates nothing for them, nor makes the kernel supply new memory for
// them. On an error, it returns dst, its length unchanged; its spare
// capacity may have been written to.
func (c *Conn) AppendNeighbors(ctx context.Context, dst []Neighbor, filters ...NeighFilter) ([]Neighbor, error) {
	f, err := newNeighFilter(filters, false)
	if err != nil {
		return dst, err
	}
	if err := c.checkLinks(ctx, "rtnl: dump neighbours", f.index, f.master); err != nil {
		return dst, err
	}
	var (
		nd neighDecoder
		lc = c.newLinkCache(ctx)
	)
	// Each entry is resolved as it is decoded, while it is at hand: a pass
	// over the slice afterwards would walk all its memory again.
	ns, err := nlconn.AppendInto(ctx, c.nl, "rtnl: dump neighbours", unix.RTM_GETNEIGH, 0, f.dumpRequest(), dst,
		func(m nlconn.Message, n *Neighbor) (bool, error) {
			var keep bool
			var err error
			if *n, keep, err = nd.message(m); err != nil || !keep || !f.match(n) {
				return false, err
			}
			n.resolve(lc, &f)
			return true, nil
		})
	if lc.err != nil {
		return dst, lc.err
	}
	return ns, err
}

// NeighborsSeq streams the neighbour entries that pass the filters as the
// kernel's reply arrives, decoding one at a time; see [Conn.Neighbors]. A
// dump the kernel reports interrupted ends with an error matching
// [ErrDumpInterrupted].
func (c *Conn) NeighborsSeq(ctx context.Context, filters ...NeighFilter) iter.Seq2[Neighbor, error] {
	return func(yield func(Neighbor, error) bool) {
		f, err := newNeighFilter(filters, false)
		if err == nil {
			err = c.checkLinks(ctx, "rtnl: dump neighbours", f.index, f.master)
		}
		if err != nil {
			yield(Neighbor{}, err)
			return
		}
		lc := c.newLinkCache(ctx)
		var nd neighDecoder
		nlconn.YieldDump(ctx, c.nl, "rtnl: dump neighbours", unix.RTM_GETNEIGH, f.dumpRequest(),
			func(m nlconn.Message) (Neighbor, bool, error) {
				n, keep, err := nd.message(m)
				if !keep || !f.match(&n) {
					return n, false, err
				}
				n.resolve(lc, &f)
				return n, true, lc.err
			}, yield)
	}
}

// checkLinks returns an error matching [ErrNotExist] when one of the
// indexes, those above 0, names no link: the kernel's filters by link and
// master would make the dump empty instead.
func (c *Conn) checkLinks(ctx context.Context, op string, indexes ...int32) error {
	for _, index := range indexes {
		if index <= 0 {
			continue
		}
		l, err := c.lookupIndex(ctx, index)
		if err != nil {
			return err
		}
		if l.Index == 0 {
			return fmt.Errorf("%s: link %d: %w", op, index, ErrNotExist)
		}
	}
	return nil
}

// resolve fills in the name and type of the entry's link, and marks it
// listed with a link filter.
func (n *Neighbor) resolve(lc *linkCache, f *neighFilter) {
	n.devFiltered = f.index != 0
	if n.LinkIndex != 0 {
		if l := lc.brief(n.LinkIndex); l.exists {
			n.LinkName, n.linkType = l.name, l.typ
		}
	}
}

// GetNeighbor returns the entry for the address dst on the link with the
// given index, as `ip neigh get ADDR dev DEV` does (RTM_GETNEIGH), with the
// link's name filled in. A missing entry or link gives an error matching
// [ErrNotExist].
func (c *Conn) GetNeighbor(ctx context.Context, linkIndex int32, dst netip.Addr) (Neighbor, error) {
	return c.getNeighbor(ctx, linkIndex, dst, 0)
}

// GetProxyNeighbor returns the proxy entry for dst on the link with the
// given index (0 for a proxy entry on no link), as
// `ip neigh get proxy ADDR dev DEV` does.
func (c *Conn) GetProxyNeighbor(ctx context.Context, linkIndex int32, dst netip.Addr) (Neighbor, error) {
	return c.getNeighbor(ctx, linkIndex, dst, NeighProxy)
}

func (c *Conn) getNeighbor(ctx context.Context, linkIndex int32, dst netip.Addr, flags NeighFlags) (Neighbor, error) {
	family := addrfamily.Of(dst)
	switch {
	case family == unix.AF_UNSPEC:
		return Neighbor{}, errInvalid("neighbour address", "no address")
	case linkIndex < 0 || linkIndex == 0 && flags&NeighProxy == 0:
		return Neighbor{}, errInvalid("neighbour link index", fmt.Sprintf("%d", linkIndex))
	}
	var w writer
	putNdMsg(&w, family, linkIndex, 0, flags)
	w.Addr(unix.NDA_DST, dst)
	op := fmt.Sprintf("rtnl: get neighbour %s on link %d", dst, linkIndex)
	var n Neighbor
	found := false
	err := c.nl.Execute(ctx, op, unix.RTM_GETNEIGH, 0, w.Bytes(), func(m nlconn.Message) error {
		if m.Type != unix.RTM_NEWNEIGH {
			return nil
		}
		var err error
		n, err = decodeNeighbor(m.Data)
		found = true
		return err
	})
	if err == nil && !found {
		err = fmt.Errorf("%s: the kernel sent no neighbour", op)
	}
	if err != nil {
		return n, err
	}
	lc := c.newLinkCache(ctx)
	n.resolve(lc, &neighFilter{})
	return n, lc.err
}
