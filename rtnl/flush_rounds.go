package rtnl

import (
	"context"
	"errors"
	"fmt"
)

// flushRun is one kind of object's part in the rounds of a flush, which
// [Conn.runFlushRounds] runs.
type flushRun struct {
	// what and one name the objects and one of them for errors:
	// "addresses" and "address", ….
	what, one string
	// dumpType and req are the dump request of each round.
	dumpType uint16
	req      []byte
	// delType is the type of the delete requests.
	delType uint16
	// pick returns the payload of the delete request for a dump reply
	// that passes the filters.
	pick func(typ uint16, data []byte) ([]byte, bool, error)
	// flushing, if set, is called with each payload pick returned.
	flushing func(del []byte)
	// gone tells the error of deleting an object that is already gone.
	gone func(error) bool
	// again, if set, is called after each round that deleted something
	// and tells whether to run another.
	again func() bool
}

// runFlushRounds dumps the objects and deletes those run.pick picks, again
// until a dump picks none, for at most r.Max rounds (0: no bound), calling
// r.Deleted after each round. It returns how many rounds deleted
// something; when the last of r.Max rounds deleted something, its error
// matches [ErrFlushIncomplete], and when an interrupted dump picked none,
// [ErrDumpInterrupted].
func (c *Conn) runFlushRounds(ctx context.Context, r FlushRounds, run flushRun) (int, error) {
	op := "rtnl: flush " + run.what
	round := 0
	for r.Max == 0 || round < r.Max {
		var dels [][]byte
		interrupted := false
		for m, err := range c.nl.Dump(ctx, op, run.dumpType, 0, run.req) {
			if errors.Is(err, ErrDumpInterrupted) {
				interrupted = true // the next round, if any, dumps again
				break
			}
			if err != nil {
				return round, err
			}
			if del, ok, err := run.pick(m.Type, m.Data); err != nil {
				return round, fmt.Errorf("%s: %w", op, err)
			} else if ok {
				dels = append(dels, del)
				if run.flushing != nil {
					run.flushing(del)
				}
			}
		}
		if len(dels) == 0 && interrupted {
			// Nothing found, but the dump may have missed objects.
			return round, fmt.Errorf("%s: %w", op, ErrDumpInterrupted)
		}
		if len(dels) == 0 {
			return round, nil
		}
		round++
		for _, del := range dels {
			if err := c.nl.Execute(ctx, op+": delete "+run.one, run.delType, 0, del, nil); err != nil && !run.gone(err) {
				return round, err
			}
		}
		if r.Deleted != nil {
			r.Deleted(round, len(dels))
		}
		if run.again != nil && !run.again() {
			return round, nil
		}
	}
	return round, fmt.Errorf("%s: %s may remain after %d rounds: %w", op, run.what, round, ErrFlushIncomplete)
}

// checkFlushRounds rejects a negative number of rounds.
func checkFlushRounds(what string, r FlushRounds) error {
	if r.Max < 0 {
		return errInvalid(what, fmt.Sprintf("negative number of rounds %d", r.Max))
	}
	return nil
}
