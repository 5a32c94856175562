package rtnl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// WatchTables is a set of the tables [Watch] mirrors.
type WatchTables uint8

// The tables.
const (
	WatchLinks     WatchTables = 1 << iota // links
	WatchAddresses                         // IPv4 and IPv6 addresses
	WatchRoutes                            // IPv4 and IPv6 routes of every table, without cached ones
	WatchNeighbors                         // IPv4 and IPv6 neighbours, without proxy entries
	// WatchAll is every table.
	WatchAll = WatchNeighbors<<1 - 1
)

// groups returns the notification groups of the tables.
func (t WatchTables) groups() MonitorGroups {
	var g MonitorGroups
	if t&WatchLinks != 0 {
		g |= MonitorLink
	}
	if t&WatchAddresses != 0 {
		g |= MonitorAddr
	}
	if t&WatchRoutes != 0 {
		g |= MonitorRoute
	}
	if t&WatchNeighbors != 0 {
		g |= MonitorNeigh
	}
	return g
}

// watchDumpTries is how many times a resynchronisation dumps a table that
// the kernel reports changed during the dump, before it takes the last
// dump: the notifications queued meanwhile correct it.
const watchDumpTries = 3

// Watch mirrors tables of the connection's namespace: it yields their
// objects as EventNew events, then an EventSynced event, then an event for
// each change, so that a consumer that applies them (EventNew: add the
// object, or replace the one with the same [Event.Key]; EventDelete: remove
// the one with its key) holds an exact copy of the tables. It subscribes
// before it dumps, so no change is lost between the two, and yields an
// EventNew only for an object that is new or differs from what it yielded
// before.
//
// When the kernel drops notifications (the receive buffer overran because
// changes came faster than the consumer took them), Watch drops the rest of
// the burst until changes pause (for a second at most), dumps the tables
// again, and yields EventResync, then the difference between what it had
// yielded and the kernel's tables as EventDelete and EventNew events, then
// EventSynced: the consumer's copy is then the kernel's again. Watch never
// yields [ErrOverrun]. It resynchronises the same way, without waiting,
// when a notification leaves it unsure what changed: the kernel removes or
// changes some routes without notifications (when an IPv4 address or a
// nexthop object is removed, when a link goes down or up), and some
// route notifications match none or several of the routes Watch knows.
//
// Watch works on the consumer's goroutine: a slow consumer delays nothing
// but itself, and the socket's receive buffer (see [WithReceiveBuffer]) is
// all that Watch buffers. It ends, without an error, when ctx is done, and
// leaves nothing running. The objects are those of [Event]; Watch does not
// take [WithAllNSID].
func (c *Conn) Watch(ctx context.Context, tables WatchTables, opts ...MonitorOption) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		switch {
		case tables == 0:
			yield(Event{}, fmt.Errorf("rtnl: watch: %w", errInvalid("watch tables", "none given")))
			return
		case tables&^WatchAll != 0:
			yield(Event{}, fmt.Errorf("rtnl: watch: %w", errInvalid("watch tables", fmt.Sprintf("unknown tables %#x", uint8(tables&^WatchAll)))))
			return
		}
		var o monitorOptions
		for _, opt := range opts {
			opt(&o)
		}
		if o.allNSID {
			yield(Event{}, fmt.Errorf("rtnl: watch: %w", errInvalid("watch option", "all-nsid mirrors no table")))
			return
		}
		groups := tables.groups()
		if tables&WatchRoutes != 0 {
			// The changes after which the kernel changes routes silently.
			groups |= MonitorLink | MonitorIPv4Addr | MonitorNexthop
		}
		s, err := c.Subscribe(ctx, groups, opts...)
		if err != nil {
			if ctx.Err() == nil {
				yield(Event{}, err)
			}
			return
		}
		defer s.Close()
		w := &watcher{c: c, tables: tables, yield: yield}
		err = w.run(ctx, s)
		if err != nil && ctx.Err() == nil {
			yield(Event{}, fmt.Errorf("rtnl: watch: %w", err))
		}
	}
}

// Watch mirrors tables of the calling thread's namespace. See [Conn.Watch].
func Watch(ctx context.Context, tables WatchTables, opts ...MonitorOption) iter.Seq2[Event, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[Event, error] { return c.Watch(ctx, tables, opts...) })
}

// A watchEntry is an object as the watch last yielded it.
type watchEntry struct {
	raw []byte // the message it was decoded from, to tell changes apart
	ev  Event
}

// A watcher is the state of one Watch: the objects as the consumer knows
// them.
type watcher struct {
	c      *Conn
	tables WatchTables
	yield  func(Event, error) bool

	state map[watchKey]watchEntry
	// aliases lists, for each identity, the next hops keys of its entries.
	aliases map[watchKey][]string
	// linkStates holds, when routes are watched, the linkState of every
	// link.
	linkStates map[int32]uint32
}

// errStopped reports that the consumer stopped the iteration.
var errStopped = errors.New("stopped")

// emit yields an event, and errStopped when the consumer stops.
func (w *watcher) emit(ev Event) error {
	if !w.yield(ev, nil) {
		return errStopped
	}
	return nil
}

// run yields the snapshot, then the changes, until ctx is done, the
// consumer stops or an error occurs.
func (w *watcher) run(ctx context.Context, s *Subscription) error {
	w.state = make(map[watchKey]watchEntry)
	w.aliases = make(map[watchKey][]string)
	w.linkStates = make(map[int32]uint32)
	err := w.resync(ctx, w.tables, false)
	for err == nil {
		err = w.follow(ctx, s)
	}
	if err == errStopped {
		return nil
	}
	return err
}

// follow applies the notifications until one calls for a
// resynchronisation, which it then does.
func (w *watcher) follow(ctx context.Context, s *Subscription) error {
	for n, err := range s.sub.Notifications(ctx) {
		if err != nil {
			if errors.Is(err, ErrOverrun) {
				if err := waitQuiet(ctx, s.sub); err != nil {
					return err
				}
				return w.resync(ctx, w.tables, true)
			}
			return err
		}
		ev, ok, err := decodeEvent(n.Message)
		if err != nil {
			return w.resync(ctx, w.tables, true) // what changed is unknown
		}
		if !ok || len(n.Data) == 0 {
			continue
		}
		resync, err := w.apply(ev, n.Data[0], n.Data, n.Flags)
		if err != nil {
			return err
		}
		if resync != 0 {
			return w.resync(ctx, resync, true)
		}
	}
	return ctx.Err()
}

// After an overrun, Watch drops the notifications of the burst of changes
// until none has come for watchQuiet, or for watchQuietMax at most, before
// it dumps: dumping while the burst goes on would overrun again.
const (
	watchQuiet    = 20 * time.Millisecond
	watchQuietMax = time.Second
)

// waitQuiet empties the subscription's queue (until then the kernel would
// not report the losses during the dump) and waits for the changes to
// pause, dropping their notifications.
func waitQuiet(ctx context.Context, sub *nlconn.Subscription) error {
	for start := time.Now(); ; {
		if err := sub.Discard(); err != nil {
			return err
		}
		if time.Since(start) >= watchQuietMax {
			return nil
		}
		qctx, cancel := context.WithTimeout(ctx, watchQuiet)
		var err error
		for _, err = range sub.Notifications(qctx) {
			break // one came: the burst goes on
		}
		cancel()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded):
			return sub.Discard()
		case err != nil && !errors.Is(err, ErrOverrun):
			return err
		}
	}
}

// apply brings the state up to date with one notification and yields what
// changed. It returns the tables to dump again when the notification leaves
// the watch unsure of them: the routes when the kernel may have removed or
// changed some without notifications (an IPv4 address removed, a link
// removed or gone down or up, whose IPv4 routes the kernel flushes or
// flags silently, a nexthop object changed or removed, which changes or
// removes the routes that use it), or when a route notification matches
// none or several of the routes it knows.
func (w *watcher) apply(ev Event, family uint8, raw []byte, flags uint16) (WatchTables, error) {
	resync := w.silentRouteChanges(ev, family, raw)
	k, ok := watchKeyOf(&ev, family)
	if !ok || w.tables&k.table == 0 {
		return resync, nil
	}
	old, had := w.state[k]
	switch {
	case ev.Kind == EventDelete && had:
		return resync, w.removeAndEmit(k)
	case ev.Kind == EventDelete && k.table == WatchRoutes && len(w.aliases[k.identity()]) > 0:
		// Some of the next hops of a multipath route, or a route that
		// another replaced: which routes are left is unclear.
		return resync | WatchRoutes, nil
	case ev.Kind != EventNew:
		return resync, nil // a delete of what the dump did not have already
	}
	if k.table == WatchRoutes {
		others, known := w.routesReplaced(k, ev.Route, flags)
		if !known {
			return resync | WatchRoutes, nil
		}
		for _, o := range others {
			if err := w.removeAndEmit(o); err != nil {
				return 0, err
			}
		}
	}
	if had && bytes.Equal(old.raw, raw) {
		return resync, nil
	}
	w.store(k, watchEntry{raw: bytes.Clone(raw), ev: ev})
	return resync, w.emit(ev)
}

// routesReplaced returns the routes that the new route r, of key k,
// replaces: with NLM_F_REPLACE the one other route of its identity, and
// for an IPv6 multipath route the routes of its identity that it merged.
// It returns false when it cannot tell which.
func (w *watcher) routesReplaced(k watchKey, r *Route, flags uint16) ([]watchKey, bool) {
	var others []watchKey
	for _, nh := range w.aliases[k.identity()] {
		if nh != k.nexthops {
			others = append(others, watchKey{table: k.table, ident: k.ident, nexthops: nh})
		}
	}
	switch {
	case flags&unix.NLM_F_REPLACE != 0:
		return others, len(others) <= 1
	case r.Family == unix.AF_INET6 && len(r.Nexthops) > 0:
		var merged []watchKey
		for _, o := range others {
			if sharesNexthop(w.state[o].ev.Route, r) {
				merged = append(merged, o)
			}
		}
		return merged, true
	}
	return nil, true
}

// sharesNexthop reports whether the routes a and b have a next hop in
// common.
func sharesNexthop(a, b *Route) bool {
	hops := func(r *Route) []RouteNexthop {
		if len(r.Nexthops) > 0 {
			return r.Nexthops
		}
		return []RouteNexthop{{Gateway: r.Gateway, LinkIndex: r.LinkIndex}}
	}
	for _, x := range hops(a) {
		for _, y := range hops(b) {
			if x.Gateway == y.Gateway && x.LinkIndex == y.LinkIndex {
				return true
			}
		}
	}
	return false
}

// silentRouteChanges returns WatchRoutes when routes are watched and the
// notification tells of a change after which the kernel removes or flags
// routes without notifications, and follows the state of the links.
func (w *watcher) silentRouteChanges(ev Event, family uint8, raw []byte) WatchTables {
	if w.tables&WatchRoutes == 0 {
		return 0
	}
	switch {
	case ev.Address != nil && ev.Kind == EventDelete && family == unix.AF_INET:
		return WatchRoutes
	case ev.Nexthop != nil:
		// The routes that use it change or go with it.
		return WatchRoutes
	case ev.Link != nil && family != unix.AF_BRIDGE:
		state, had := w.linkStates[ev.Link.Index]
		if ev.Kind == EventDelete {
			delete(w.linkStates, ev.Link.Index)
			return WatchRoutes
		}
		w.linkStates[ev.Link.Index] = linkState(raw)
		if had && state != linkState(raw) {
			return WatchRoutes
		}
	}
	return 0
}

// linkState returns the flags of an ifinfomsg that, when they change, make
// the kernel change IPv4 routes silently: IFF_UP and IFF_LOWER_UP.
func linkState(b []byte) uint32 {
	if len(b) < unix.SizeofIfInfomsg {
		return 0
	}
	return native.Endian.Uint32(b[8:]) & (unix.IFF_UP | unix.IFF_LOWER_UP)
}

// removeAndEmit removes the entry of k and yields its deletion.
func (w *watcher) removeAndEmit(k watchKey) error {
	e, ok := w.state[k]
	if !ok {
		return nil
	}
	w.remove(k)
	e.ev.Kind = EventDelete
	return w.emit(e.ev)
}

// store sets the entry of k.
func (w *watcher) store(k watchKey, e watchEntry) {
	if _, ok := w.state[k]; !ok {
		ident := k.identity()
		w.aliases[ident] = append(w.aliases[ident], k.nexthops)
	}
	w.state[k] = e
}

// remove deletes the entry of k.
func (w *watcher) remove(k watchKey) {
	delete(w.state, k)
	ident := k.identity()
	nhs := w.aliases[ident]
	for i, nh := range nhs {
		if nh == k.nexthops {
			nhs = append(nhs[:i], nhs[i+1:]...)
			break
		}
	}
	if len(nhs) == 0 {
		delete(w.aliases, ident)
	} else {
		w.aliases[ident] = nhs
	}
}

// resync dumps the tables and yields the difference from the state, framed
// by EventResync (when marked) and EventSynced.
func (w *watcher) resync(ctx context.Context, tables WatchTables, marked bool) error {
	fresh, order, err := w.dump(ctx, tables)
	if err != nil {
		return err
	}
	if marked {
		if err := w.emit(Event{Kind: EventResync, NSID: nlconn.NoNSID}); err != nil {
			return err
		}
	}
	var gone []watchKey
	for k := range w.state {
		if _, ok := fresh[k]; !ok && tables&k.table != 0 {
			gone = append(gone, k)
		}
	}
	for _, k := range gone {
		if err := w.removeAndEmit(k); err != nil {
			return err
		}
	}
	for _, k := range order {
		e := fresh[k]
		if prev, ok := w.state[k]; ok && bytes.Equal(prev.raw, e.raw) {
			continue
		}
		w.store(k, e)
		if err := w.emit(e.ev); err != nil {
			return err
		}
	}
	return w.emit(Event{Kind: EventSynced, NSID: nlconn.NoNSID})
}

// dump reads the tables, in the order links, addresses, routes,
// neighbours. It returns their entries and keys in the kernel's order.
// When it dumps routes, it dumps the links too, for their linkStates.
func (w *watcher) dump(ctx context.Context, tables WatchTables) (map[watchKey]watchEntry, []watchKey, error) {
	fresh := make(map[watchKey]watchEntry)
	var order []watchKey
	wanted := tables
	if tables&WatchRoutes != 0 {
		tables |= WatchLinks
		clear(w.linkStates)
	}
	for _, t := range []struct {
		table WatchTables
		op    string
		typ   uint16
		hdr   int
	}{
		{WatchLinks, "rtnl: watch: dump links", unix.RTM_GETLINK, unix.SizeofIfInfomsg},
		{WatchAddresses, "rtnl: watch: dump addresses", unix.RTM_GETADDR, unix.SizeofIfAddrmsg},
		{WatchRoutes, "rtnl: watch: dump routes", unix.RTM_GETROUTE, unix.SizeofRtMsg},
		{WatchNeighbors, "rtnl: watch: dump neighbours", unix.RTM_GETNEIGH, unix.SizeofNdMsg},
	} {
		if tables&t.table == 0 {
			continue
		}
		req := make([]byte, t.hdr) // family AF_UNSPEC, no filter: the whole table
		for try := 1; ; try++ {
			entries, keys, err := w.dumpTable(ctx, t.op, t.typ, req, t.table)
			if errors.Is(err, nlkit.ErrDumpInterrupted) && try < watchDumpTries {
				continue
			}
			if err != nil && !errors.Is(err, nlkit.ErrDumpInterrupted) {
				return nil, nil, err
			}
			if wanted&t.table == 0 {
				break // links dumped for their states only
			}
			for i, k := range keys {
				if _, dup := fresh[k]; !dup {
					order = append(order, k)
				}
				fresh[k] = entries[i]
			}
			break
		}
	}
	return fresh, order, nil
}

// dumpTable dumps one table and returns the entries the watch mirrors and
// their keys, with the dump's error. It records the states of the links it
// reads when routes are watched.
func (w *watcher) dumpTable(ctx context.Context, op string, typ uint16, req []byte, table WatchTables) ([]watchEntry, []watchKey, error) {
	var entries []watchEntry
	var keys []watchKey
	for m, err := range w.c.nl.Dump(ctx, op, typ, 0, req) {
		if err != nil {
			return entries, keys, err
		}
		ev, ok, err := decodeEvent(m)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", op, err)
		}
		if !ok || len(m.Data) == 0 {
			continue
		}
		k, ok := watchKeyOf(&ev, m.Data[0])
		if !ok || k.table != table {
			continue
		}
		if ev.Link != nil && w.tables&WatchRoutes != 0 {
			w.linkStates[ev.Link.Index] = linkState(m.Data)
		}
		entries = append(entries, watchEntry{raw: bytes.Clone(m.Data), ev: ev})
		keys = append(keys, k)
	}
	return entries, keys, nil
}
