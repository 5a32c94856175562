package rtnl

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// An NTableFilter narrows the tables [Conn.NTables] returns, as the
// selectors of `ip ntable show` do. Filters combine.
type NTableFilter func(*ntableFilter)

type ntableFilter struct {
	family  uint8
	name    string
	index   int32 // -1: the tables' own entries only
	invalid error
}

// FilterNTableFamily keeps the tables of one family, such as unix.AF_INET
// (`ip -4 ntable show`). The kernel applies it.
func FilterNTableFamily(family uint8) NTableFilter {
	return func(f *ntableFilter) { f.family = family }
}

// FilterNTableName keeps the entries of the table with the given name
// (`ip ntable show name NAME`).
func FilterNTableName(name string) NTableFilter {
	return func(f *ntableFilter) { f.name = name }
}

// FilterNTableLink keeps the parameters of the link with the given index
// (`ip ntable show dev DEV`).
func FilterNTableLink(index int32) NTableFilter {
	return func(f *ntableFilter) {
		if index <= 0 && f.invalid == nil {
			f.invalid = errInvalid("neighbour table link index", fmt.Sprintf("%d", index))
		}
		f.index = index
	}
}

// FilterNTableNoLink keeps the tables' own entries, with their defaults,
// and leaves out the links' parameters (`ip ntable show dev none`).
func FilterNTableNoLink() NTableFilter {
	return func(f *ntableFilter) { f.index = -1 }
}

func newNTableFilter(filters []NTableFilter) (ntableFilter, error) {
	var f ntableFilter
	for _, fn := range filters {
		fn(&f)
	}
	return f, f.invalid
}

// match reports whether t passes the filter, as ip decides it.
func (f *ntableFilter) match(t *NTable) bool {
	switch {
	case f.name != "" && t.Name != f.name:
		return false
	case t.Parms == nil || f.index == 0:
		return true
	case t.LinkIndex != 0:
		return f.index == t.LinkIndex
	}
	return f.index == -1
}

// ntableDumpRequest returns the payload of an RTM_GETNEIGHTBL dump: an
// ndtmsg of the family.
func ntableDumpRequest(family uint8) []byte {
	return []byte{family, 0, 0, 0}
}

// NTables returns the neighbour tables as seen from the calling thread's
// network namespace; see [Conn.NTables].
func NTables(ctx context.Context, filters ...NTableFilter) ([]NTable, error) {
	return withConn(ctx, func(c *Conn) ([]NTable, error) { return c.NTables(ctx, filters...) })
}

// NTablesSeq streams the neighbour tables as seen from the calling
// thread's network namespace; see [Conn.NTablesSeq].
func NTablesSeq(ctx context.Context, filters ...NTableFilter) iter.Seq2[NTable, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[NTable, error] { return c.NTablesSeq(ctx, filters...) })
}

// NTables returns the neighbour tables and the parameters of the
// namespace's links in them that pass the filters, as `ip -s ntable show`
// lists them, with the link names filled in. The kernel applies the family
// filter; the others are applied to what comes back, as ip does.
//
// An interrupted dump is handled as [Conn.Addresses] does.
func (c *Conn) NTables(ctx context.Context, filters ...NTableFilter) ([]NTable, error) {
	f, err := newNTableFilter(filters)
	if err != nil {
		return nil, err
	}
	ts, err := nlconn.Collect(ctx, c.nl, "rtnl: dump neighbour tables", unix.RTM_GETNEIGHTBL, 0,
		ntableDumpRequest(f.family), keepMatching(decodeNTableMessage, f.match))
	if err != nil && !errors.Is(err, ErrDumpInterrupted) {
		return nil, err
	}
	lc := c.newLinkCache(ctx)
	for i := range ts {
		ts[i].LinkName = lc.linkName(ts[i].LinkIndex)
	}
	if lc.err != nil {
		return nil, lc.err
	}
	return ts, err
}

// NTablesSeq streams the neighbour tables that pass the filters as the
// kernel's reply arrives; see [Conn.NTables]. A dump the kernel reports
// interrupted ends with an error matching [ErrDumpInterrupted].
func (c *Conn) NTablesSeq(ctx context.Context, filters ...NTableFilter) iter.Seq2[NTable, error] {
	return func(yield func(NTable, error) bool) {
		f, err := newNTableFilter(filters)
		if err != nil {
			yield(NTable{}, err)
			return
		}
		lc := c.newLinkCache(ctx)
		nlconn.YieldDump(ctx, c.nl, "rtnl: dump neighbour tables", unix.RTM_GETNEIGHTBL, ntableDumpRequest(f.family),
			keepMatching(decodeNTableMessage, f.match), func(t NTable, err error) bool {
				if err == nil {
					t.LinkName = lc.linkName(t.LinkIndex)
					err = lc.err
				}
				return yield(t, err) && err == nil
			})
	}
}

// ChangeNTable changes the thresholds, garbage collection interval or
// parameters of a neighbour table, or the parameters of a link in it, as
// `ip ntable change name NAME [dev DEV] …` does (RTM_SETNEIGHTBL): the
// table is t.Name (of t.Family, when it is set), the link t.LinkIndex, and
// the fields set in t (Thresh1, Thresh2, Thresh3, GCInterval, and the
// fields of Parms but Refcnt and Reachable) are the changes.
//
// Only the initial network namespace may change the thresholds, the
// interval and the tables' own parameters; elsewhere, and for a table or
// link that does not exist, the kernel's error matches [ErrNotExist].
// Invalid input (no name, nothing to change, a negative time) is rejected
// with an [*InvalidError].
func (c *Conn) ChangeNTable(ctx context.Context, t NTable) error {
	req, err := ntableChangeRequest(&t)
	if err != nil {
		return err
	}
	op := fmt.Sprintf("rtnl: change neighbour table %s", t.Name)
	if t.LinkIndex != 0 {
		op += fmt.Sprintf(" on link %d", t.LinkIndex)
	}
	return c.nl.Execute(ctx, op, unix.RTM_SETNEIGHTBL, unix.NLM_F_REPLACE, req, nil)
}

// ntableChangeRequest builds the payload of an RTM_SETNEIGHTBL request for
// t, with the attributes in the order ip sends them for
// `ip ntable change name NAME thresh1 … gc_int … dev DEV base_reachable …`.
func ntableChangeRequest(t *NTable) ([]byte, error) {
	if t.Name == "" {
		return nil, errInvalid("neighbour table name", "empty")
	}
	if t.LinkIndex < 0 {
		return nil, errInvalid("neighbour table link index", fmt.Sprintf("%d", t.LinkIndex))
	}
	var w writer
	w.Append(ntableDumpRequest(t.Family))
	w.String(ndtaName, t.Name)
	putUint32(&w, ndtaThresh1, t.Thresh1)
	putUint32(&w, ndtaThresh2, t.Thresh2)
	putUint32(&w, ndtaThresh3, t.Thresh3)
	if err := putNTableMillis(&w, ndtaGCInterval, "gc interval", t.GCInterval); err != nil {
		return nil, err
	}
	changes := t.Thresh1 != nil || t.Thresh2 != nil || t.Thresh3 != nil || t.GCInterval != nil
	if p := t.Parms; p != nil || t.LinkIndex != 0 {
		if p == nil {
			p = &NTableParms{}
		}
		nest := w.Nest(ndtaParms)
		if t.LinkIndex != 0 {
			w.Int32(ndtpaIfIndex, t.LinkIndex)
		}
		start := w.Len()
		for _, m := range [...]struct {
			typ  uint16
			what string
			v    *time.Duration
		}{
			{ndtpaBaseReachableTime, "base reachable time", p.BaseReachable},
			{ndtpaRetransTime, "retransmit time", p.Retrans},
			{ndtpaGCStaleTime, "gc stale time", p.GCStale},
			{ndtpaDelayProbeTime, "delay probe time", p.DelayProbe},
		} {
			if err := putNTableMillis(&w, m.typ, m.what, m.v); err != nil {
				return nil, err
			}
		}
		putUint32(&w, ndtpaQueueLen, p.Queue)
		putUint32(&w, ndtpaAppProbes, p.AppProbes)
		putUint32(&w, ndtpaUcastProbes, p.UcastProbes)
		putUint32(&w, ndtpaMcastProbes, p.McastProbes)
		if err := putNTableMillis(&w, ndtpaAnycastDelay, "anycast delay", p.AnycastDelay); err != nil {
			return nil, err
		}
		if err := putNTableMillis(&w, ndtpaProxyDelay, "proxy delay", p.ProxyDelay); err != nil {
			return nil, err
		}
		putUint32(&w, ndtpaProxyQlen, p.ProxyQueue)
		if err := putNTableMillis(&w, ndtpaLocktime, "locktime", p.Locktime); err != nil {
			return nil, err
		}
		putUint32(&w, ndtpaQueueLenBytes, p.QueueBytes)
		putUint32(&w, ndtpaMcastReprobes, p.McastReprobes)
		if err := putNTableMillis(&w, ndtpaIntervalProbeTime, "interval probe time", p.IntervalProbeTime); err != nil {
			return nil, err
		}
		changes = changes || w.Len() > start
		w.End(nest)
	}
	if !changes {
		return nil, errInvalid("neighbour table change", "nothing to change")
	}
	return w.Bytes(), w.Err()
}

// putNTableMillis appends *p in milliseconds as a u64 when p is not nil, and
// refuses a negative duration.
func putNTableMillis(w *writer, typ uint16, what string, p *time.Duration) error {
	if p == nil {
		return nil
	}
	if *p < 0 {
		return errInvalid("neighbour table "+what, p.String())
	}
	w.Uint64(typ, uint64(p.Milliseconds()))
	return nil
}
