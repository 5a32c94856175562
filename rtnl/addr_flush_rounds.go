package rtnl

import (
	"context"
	"errors"

	"golang.org/x/sys/unix"
)

// ErrFlushIncomplete is matched by the error of a flush that used up its
// rounds while its last round still deleted something, so that some objects
// may remain, as ip's "Flush remains incomplete" does.
var ErrFlushIncomplete = errors.New("flush remains incomplete")

// FlushRounds bounds and reports the rounds of [Conn.FlushAddressesRounds],
// [Conn.FlushNeighborsRounds] and [Conn.FlushRoutesRounds].
type FlushRounds struct {
	// Max is the most rounds to run, as ip's -loops: 0 for no bound.
	// A round dumps the objects and deletes those that pass the filters.
	Max int
	// Deleted, if set, is called after each round that deleted
	// something, with the number of the round (from 1) and how many
	// objects it deleted.
	Deleted func(round, deleted int)
	// Flushing, if set, is called with each address a round is about to
	// delete, in the order of the dump, as `ip -s -s addr flush` prints
	// them.
	Flushing func(Address)
	// FlushingNeighbor, if set, is called with each neighbour entry a
	// round of [Conn.FlushNeighborsRounds] is about to delete, in the
	// order of the dump and with its link's name, as
	// `ip -s -s neigh flush` prints them.
	FlushingNeighbor func(Neighbor)
	// FlushingRoute, if set, is called with each route a round of
	// [Conn.FlushRoutesRounds] is about to delete, in the order of the
	// dump and with its links' names and nexthop object, as
	// `ip -s -s route flush` prints them.
	FlushingRoute func(Route)
}

// FlushAddressesRounds is [Conn.FlushAddresses] with the rounds bounded and
// reported by r, as `ip -loops N [-s] addr flush` does. It returns how many
// rounds deleted something. When the last of r.Max rounds deleted
// something, the error matches [ErrFlushIncomplete] (as in ip, even if that
// round deleted the last ones: only a further round would tell), unless
// the filters ask for primary addresses only, which takes a single round.
// When the dump of a round that found nothing to delete was interrupted,
// the error matches [ErrDumpInterrupted]: addresses may remain. A negative
// r.Max is an [*InvalidError].
func (c *Conn) FlushAddressesRounds(ctx context.Context, r FlushRounds, filters ...AddrFilter) (int, error) {
	if err := checkFlushRounds("address flush", r); err != nil {
		return 0, err
	}
	if len(filters) == 0 {
		return 0, errInvalid("address flush", "no filter: FlushAddresses would delete every address")
	}
	f, err := newAddrFilter(filters)
	if err != nil {
		return 0, err
	}
	links, err := c.addrLinks(ctx, &f)
	if err != nil && !errors.Is(err, ErrDumpInterrupted) {
		return 0, err
	}
	run := flushRun{
		what: "addresses", one: "address",
		dumpType: unix.RTM_GETADDR, req: addrDumpRequest(&f), delType: unix.RTM_DELADDR,
		pick: func(typ uint16, data []byte) ([]byte, bool, error) {
			return addrFlushRequest(typ, data, &f, links)
		},
		gone: func(err error) bool { return errors.Is(err, unix.EADDRNOTAVAIL) },
		// Primary addresses only: stop before secondaries promoted
		// meanwhile are flushed too.
		again: func() bool { return f.mask&AddrSecondary == 0 || f.flags&AddrSecondary != 0 },
	}
	if r.Flushing != nil {
		run.flushing = func(del []byte) {
			if a, err := decodeAddress(del); err == nil {
				r.Flushing(a)
			}
		}
	}
	return c.runFlushRounds(ctx, r, run)
}
