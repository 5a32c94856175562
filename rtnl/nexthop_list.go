package rtnl

import (
	"context"
	"fmt"
	"iter"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// Nexthops returns the nexthop objects of the calling thread's network
// namespace; see [Conn.Nexthops].
func Nexthops(ctx context.Context, filters ...NexthopFilter) ([]Nexthop, error) {
	return withConn(ctx, func(c *Conn) ([]Nexthop, error) { return c.Nexthops(ctx, filters...) })
}

// NexthopsSeq streams the nexthop objects of the calling thread's network
// namespace; see [Conn.NexthopsSeq].
func NexthopsSeq(ctx context.Context, filters ...NexthopFilter) iter.Seq2[Nexthop, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[Nexthop, error] { return c.NexthopsSeq(ctx, filters...) })
}

// GetNexthop returns the nexthop object of the calling thread's network
// namespace with the given ID; see [Conn.GetNexthop].
func GetNexthop(ctx context.Context, id uint32) (Nexthop, error) {
	return withConn(ctx, func(c *Conn) (Nexthop, error) { return c.GetNexthop(ctx, id) })
}

// Nexthops returns the nexthop objects that pass the filters (every one
// without any), in the kernel's order, by ID, with the names of their
// devices. An invalid filter gives an [*InvalidError]; with
// [FilterNexthopID], a missing nexthop gives an error matching
// [ErrNotExist].
//
// If the kernel reports the dump interrupted by a change, Nexthops returns
// the nexthops it read with an error matching [ErrDumpInterrupted], unless
// [WithDumpRetries] lets it dump again.
func (c *Conn) Nexthops(ctx context.Context, filters ...NexthopFilter) ([]Nexthop, error) {
	f, err := newNexthopFilter(filters)
	if err != nil {
		return nil, err
	}
	if f.id != 0 {
		n, err := c.GetNexthop(ctx, f.id)
		if err != nil || !f.match(&n) {
			return nil, err
		}
		return []Nexthop{n}, nil
	}
	nhs, err := nlconn.Collect(ctx, c.nl, "rtnl: dump nexthops", unix.RTM_GETNEXTHOP, 0, f.dumpRequest(),
		keepMatching(decodeNexthopMessage, f.match))
	lc := c.newLinkCache(ctx)
	for i := range nhs {
		lc.nameNexthop(&nhs[i])
	}
	if lc.err != nil {
		return nil, lc.err
	}
	return nhs, err
}

// NexthopsSeq streams the nexthop objects that pass the filters as the
// kernel's reply arrives, decoding one at a time and looking the names of
// their devices up. A dump the kernel reports interrupted ends with an
// error matching [ErrDumpInterrupted].
func (c *Conn) NexthopsSeq(ctx context.Context, filters ...NexthopFilter) iter.Seq2[Nexthop, error] {
	return func(yield func(Nexthop, error) bool) {
		f, err := newNexthopFilter(filters)
		if err != nil {
			yield(Nexthop{}, err)
			return
		}
		if f.id != 0 {
			n, err := c.GetNexthop(ctx, f.id)
			if err != nil || f.match(&n) {
				yield(n, err)
			}
			return
		}
		lc := c.newLinkCache(ctx)
		nlconn.YieldDump(ctx, c.nl, "rtnl: dump nexthops", unix.RTM_GETNEXTHOP, f.dumpRequest(),
			keepMatching(decodeNexthopMessage, f.match), func(n Nexthop, err error) bool {
				if err == nil {
					lc.nameNexthop(&n)
					err = lc.err
				}
				return yield(n, err) && err == nil
			})
	}
}

// nameNexthop fills in the names of the links a nexthop refers to: its
// device, and those of its encapsulation.
func (lc *linkCache) nameNexthop(n *Nexthop) {
	name := func(index int32) string {
		l, _ := lc.lookup(index)
		return l.Name
	}
	if n.LinkIndex != 0 {
		n.LinkName = name(n.LinkIndex)
	}
	if n.Encap != nil {
		n.Encap.fillLinkNames(name)
	}
}

// GetNexthop returns the nexthop object with the given ID, with the name
// of its device, as `ip nexthop get id ID` shows it. A missing one gives an
// error matching [ErrNotExist].
func (c *Conn) GetNexthop(ctx context.Context, id uint32) (Nexthop, error) {
	if id == 0 {
		return Nexthop{}, errInvalid("nexthop ID", "0")
	}
	var n Nexthop
	found := false
	op := fmt.Sprintf("rtnl: get nexthop %d", id)
	err := c.nl.Execute(ctx, op, unix.RTM_GETNEXTHOP, 0, nexthopIDRequest(id), func(m nlconn.Message) error {
		var keep bool
		var err error
		n, keep, err = decodeNexthopMessage(m)
		found = found || keep
		return err
	})
	if err == nil && !found {
		err = fmt.Errorf("%s: the kernel sent no nexthop", op)
	}
	if err != nil {
		return Nexthop{}, err
	}
	lc := c.newLinkCache(ctx)
	lc.nameNexthop(&n)
	return n, lc.err
}

// nexthopIDRequest returns the payload of a request for one nexthop by ID,
// as ip sends it to get or delete one: an nhmsg (AF_UNSPEC) and NHA_ID.
func nexthopIDRequest(id uint32) []byte {
	var w writer
	w.Append(make([]byte, nhMsgLen))
	w.Uint32(unix.NHA_ID, id)
	return w.Bytes()
}
