package rtnl

import (
	"context"
	"errors"

	"golang.org/x/sys/unix"
)

// FlushNeighborsRounds is [Conn.FlushNeighbors] with the rounds bounded and
// reported by r, as `ip [-s] neigh flush` does (ip itself always allows 10
// rounds: its -loops is for addresses only). It returns how many rounds
// deleted something. When the last of r.Max rounds deleted something, the
// error matches [ErrFlushIncomplete], as ip's "Flush not complete"; when
// the dump of a round that found nothing to delete was interrupted, it
// matches [ErrDumpInterrupted]. A negative r.Max is an [*InvalidError].
func (c *Conn) FlushNeighborsRounds(ctx context.Context, r FlushRounds, filters ...NeighFilter) (int, error) {
	if err := checkFlushRounds("neighbour flush", r); err != nil {
		return 0, err
	}
	if len(filters) == 0 {
		return 0, errInvalid("neighbour flush", "no filter: FlushNeighbors would delete every entry")
	}
	f, err := newNeighFilter(filters, true)
	if err != nil {
		return 0, err
	}
	if err := c.checkLinks(ctx, "rtnl: flush neighbours", f.index, f.master); err != nil {
		return 0, err
	}
	run := flushRun{
		what: "neighbours", one: "neighbour",
		dumpType: unix.RTM_GETNEIGH, req: f.dumpRequest(), delType: unix.RTM_DELNEIGH,
		pick: func(typ uint16, data []byte) ([]byte, bool, error) {
			return neighFlushRequest(typ, data, &f)
		},
		gone: func(err error) bool { return errors.Is(err, ErrNotExist) },
		// After the first round, FAILED entries are left alone.
		again: func() bool {
			f.states &^= uint32(NeighFailed)
			return true
		},
	}
	if r.FlushingNeighbor != nil {
		lc := c.newLinkCache(ctx)
		run.flushing = func(del []byte) {
			if n, err := decodeNeighbor(del); err == nil {
				n.resolve(lc, &f)
				r.FlushingNeighbor(n)
			}
		}
	}
	return c.runFlushRounds(ctx, r, run)
}
