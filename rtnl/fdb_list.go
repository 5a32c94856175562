package rtnl

import (
	"context"
	"iter"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// FDB returns the FDB entries of the calling thread's network namespace;
// see [Conn.FDB].
func FDB(ctx context.Context, filters ...FDBFilter) ([]FDBEntry, error) {
	return withConn(ctx, func(c *Conn) ([]FDBEntry, error) { return c.FDB(ctx, filters...) })
}

// FDBSeq streams the FDB entries of the calling thread's network namespace;
// see [Conn.FDBSeq].
func FDBSeq(ctx context.Context, filters ...FDBFilter) iter.Seq2[FDBEntry, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[FDBEntry, error] { return c.FDBSeq(ctx, filters...) })
}

// FDB returns the entries of the forwarding databases that pass the
// filters, as `bridge -d -s fdb show` lists them: those of the bridges and
// their ports, and those of devices with a table of their own (vxlan, and
// the multicast and unicast addresses of other devices). The JSON of the
// result is what `bridge -j -d -s fdb show` prints with the same
// selectors. The names of the devices, via devices and masters are filled
// in. An invalid filter gives an [*InvalidError]; a bridge or device index
// that names no link, an error matching [ErrNotExist].
//
// If the kernel reports the dump interrupted by a change, FDB returns the
// entries it read with an error matching [ErrDumpInterrupted], unless
// [WithDumpRetries] lets it dump again.
func (c *Conn) FDB(ctx context.Context, filters ...FDBFilter) ([]FDBEntry, error) {
	f, err := newFDBFilter(filters)
	if err != nil {
		return nil, err
	}
	if err := c.checkLinks(ctx, "rtnl: dump fdb", f.port, f.bridge); err != nil {
		return nil, err
	}
	es, err := nlconn.Collect(ctx, c.nl, "rtnl: dump fdb", unix.RTM_GETNEIGH, 0, f.dumpRequest(),
		keepMatching(decodeFDBMessage, f.match))
	lc := c.newLinkCache(ctx)
	for i := range es {
		es[i].resolve(lc, &f)
	}
	if lc.err != nil {
		return nil, lc.err
	}
	return es, err
}

// FDBSeq streams the FDB entries that pass the filters as the kernel's
// reply arrives, decoding one at a time; see [Conn.FDB]. A dump the kernel
// reports interrupted ends with an error matching [ErrDumpInterrupted].
func (c *Conn) FDBSeq(ctx context.Context, filters ...FDBFilter) iter.Seq2[FDBEntry, error] {
	return func(yield func(FDBEntry, error) bool) {
		f, err := newFDBFilter(filters)
		if err == nil {
			err = c.checkLinks(ctx, "rtnl: dump fdb", f.port, f.bridge)
		}
		if err != nil {
			yield(FDBEntry{}, err)
			return
		}
		lc := c.newLinkCache(ctx)
		nlconn.YieldDump(ctx, c.nl, "rtnl: dump fdb", unix.RTM_GETNEIGH, f.dumpRequest(),
			func(m nlconn.Message) (FDBEntry, bool, error) {
				e, keep, err := decodeFDBMessage(m)
				if !keep || !f.match(&e) {
					return e, false, err
				}
				e.resolve(lc, &f)
				return e, true, lc.err
			}, yield)
	}
}

// resolve fills in the names of the entry's device, via device and master
// and the device's type, and marks it listed with a device filter.
func (e *FDBEntry) resolve(lc *linkCache, f *fdbFilter) {
	e.devFiltered = f.port != 0
	if e.LinkIndex != 0 {
		if l, ok := lc.lookup(e.LinkIndex); ok {
			e.LinkName, e.linkType = l.Name, l.Type
		}
	}
	if e.ViaIndex != 0 && e.LinkNetNSID == nil {
		if l, ok := lc.lookup(e.ViaIndex); ok {
			e.ViaName = l.Name
		}
	}
	if e.MasterIndex != 0 {
		if l, ok := lc.lookup(e.MasterIndex); ok {
			e.MasterName = l.Name
		}
	}
}
