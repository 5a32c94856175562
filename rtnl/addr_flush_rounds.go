package rtnl

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// ErrFlushIncomplete is matched by the error of a flush that used up its
// rounds while its last round still deleted something, so that some objects
// may remain, as ip's "Flush remains incomplete" does.
var ErrFlushIncomplete = errors.New("flush remains incomplete")

// FlushRounds bounds and reports the rounds of [Conn.FlushAddressesRounds].
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
	if r.Max < 0 {
		return 0, errInvalid("address flush", fmt.Sprintf("negative number of rounds %d", r.Max))
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
	req := addrDumpRequest(&f)
	round := 0
	for r.Max == 0 || round < r.Max {
		var dels [][]byte
		interrupted := false
		for m, err := range c.nl.Dump(ctx, "rtnl: flush addresses", unix.RTM_GETADDR, 0, req) {
			if errors.Is(err, ErrDumpInterrupted) {
				interrupted = true // the next round, if any, dumps again
				break
			}
			if err != nil {
				return round, err
			}
			if del, ok, err := addrFlushRequest(m.Type, m.Data, &f, links); err != nil {
				return round, fmt.Errorf("rtnl: flush addresses: %w", err)
			} else if ok {
				dels = append(dels, del)
				if r.Flushing != nil {
					if a, err := decodeAddress(del); err == nil {
						r.Flushing(a)
					}
				}
			}
		}
		if len(dels) == 0 && interrupted {
			// Nothing found, but the dump may have missed addresses.
			return round, fmt.Errorf("rtnl: flush addresses: %w", ErrDumpInterrupted)
		}
		if len(dels) == 0 {
			return round, nil
		}
		round++
		for _, del := range dels {
			err := c.nl.Execute(ctx, "rtnl: flush addresses: delete address", unix.RTM_DELADDR, 0, del, nil)
			if err != nil && !errors.Is(err, unix.EADDRNOTAVAIL) {
				return round, err
			}
		}
		if r.Deleted != nil {
			r.Deleted(round, len(dels))
		}
		if f.mask&AddrSecondary != 0 && f.flags&AddrSecondary == 0 {
			// Primary addresses only: stop before secondaries promoted
			// meanwhile are flushed too.
			return round, nil
		}
	}
	return round, fmt.Errorf("rtnl: flush addresses: addresses may remain after %d rounds: %w", round, ErrFlushIncomplete)
}
