package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nlkit/nlkit/rtnl"
)

// neighFlushRounds is how many rounds ip neigh flush runs at most: ip's
// MAX_ROUNDS, which -loops leaves alone.
const neighFlushRounds = 10

// routeFlushTime is how long ip route flush runs rounds before it gives up.
const routeFlushTime = 30 * time.Second

// flushRoundReporter returns the rtnl.FlushRounds of a neighbour or route
// flush of at most max rounds (0: no bound) that, with -s, prints each
// round as ip does.
func (c *command) flushRoundReporter(max int) rtnl.FlushRounds {
	r := rtnl.FlushRounds{Max: max}
	if c.opts.stats > 0 {
		r.Deleted = func(round, deleted int) {
			fmt.Fprintf(c.stdout, "\n*** Round %d, deleting %d entries ***\n", round, deleted)
		}
	}
	return r
}

// printFlushEnd prints, with -s, ip's last line of a neighbour or route
// flush that completed after rounds rounds.
func (c *command) printFlushEnd(rounds int) {
	switch {
	case c.opts.stats == 0:
	case rounds == 0:
		fmt.Fprintln(c.stdout, "Nothing to flush.")
	default:
		fmt.Fprintf(c.stdout, "*** Flush is complete after %d round%s ***\n", rounds, plural(rounds))
	}
}

// plural is the "s" of a count other than 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// flushNeighbors flushes the neighbour entries that pass the filters in at
// most 10 rounds, as ip neigh flush does: with -s it reports each round
// and the end, with -s -s each entry a round deletes (as text, without
// its link when devHidden, whatever -j says), and when the last round
// still deleted something it says so on stdout and exits with 1.
func (c *command) flushNeighbors(ctx context.Context, filters []rtnl.NeighFilter, devHidden bool) error {
	r := c.flushRoundReporter(neighFlushRounds)
	if c.opts.stats > 1 {
		r.FlushingNeighbor = func(n rtnl.Neighbor) {
			if o, err := c.neighObject(n, devHidden); err == nil {
				c.printNeigh(o)
			}
		}
	}
	rounds, err := c.conn.FlushNeighborsRounds(ctx, r, filters...)
	switch {
	case errors.Is(err, rtnl.ErrFlushIncomplete):
		fmt.Fprintf(c.stdout, "*** Flush not complete bailing out after %d rounds\n", neighFlushRounds)
		return &exitError{"", 1}
	case err != nil:
		return err
	}
	c.printFlushEnd(rounds)
	return nil
}

// flushRoutes flushes the routes the selection passes, as ip route flush
// does: rounds until one finds nothing left, giving up when a round ends
// more than 30 seconds after the start; with -s it reports each round and
// the end, and with -s -s each route a round deletes, as text whatever -j
// says.
func (c *command) flushRoutes(ctx context.Context, s routeSelection) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	late := ""
	r := c.flushRoundReporter(0)
	report := r.Deleted
	r.Deleted = func(round, deleted int) {
		if took := time.Since(start); took > routeFlushTime {
			late = fmt.Sprintf("\n*** Flush not completed after %d seconds, %d entries remain ***\n", int(took.Seconds()), deleted)
			cancel()
		} else if report != nil {
			report(round, deleted)
		}
	}
	if c.opts.stats > 1 {
		r.FlushingRoute = func(rt rtnl.Route) {
			if o, err := c.routeObject(rt, s); err == nil {
				c.printRoute(o)
			}
		}
	}
	rounds, err := c.conn.FlushRoutesRounds(ctx, r, s.filters...)
	switch {
	case late != "":
		fmt.Fprint(c.stdout, late)
		return &exitError{"", 255}
	case err != nil:
		return terminated(err, "Flush")
	}
	c.printFlushEnd(rounds)
	return nil
}
