package rtnl

import (
	"context"
	"errors"

	"golang.org/x/sys/unix"
)

// FlushRoutesRounds is [Conn.FlushRoutes] with the rounds bounded and
// reported by r, as `ip [-s] route flush` does. ip 6.1 bounds the rounds
// by time, not by number (it gives up after 30 seconds, and its -loops is
// for addresses only): r.Max 0 and a deadline on ctx do as it does. It
// returns how many rounds deleted something. When the last of r.Max
// rounds deleted something, the error matches [ErrFlushIncomplete]; when
// the dump of a round that found nothing to delete was interrupted, it
// matches [ErrDumpInterrupted]. A negative r.Max is an [*InvalidError].
func (c *Conn) FlushRoutesRounds(ctx context.Context, r FlushRounds, filters ...RouteFilter) (int, error) {
	if err := checkFlushRounds("route flush", r); err != nil {
		return 0, err
	}
	if len(filters) == 0 {
		return 0, errInvalid("route flush", "no filter: FlushRoutes would delete every route of the main table")
	}
	f, err := newRouteFilter(filters)
	if err != nil {
		return 0, err
	}
	run := flushRun{
		what: "routes", one: "route",
		dumpType: unix.RTM_GETROUTE, req: f.dumpRequest(), delType: unix.RTM_DELROUTE,
		pick: func(typ uint16, data []byte) ([]byte, bool, error) {
			return routeFlushRequest(typ, data, &f)
		},
		gone: func(err error) bool { return errors.Is(err, ErrNotExist) },
	}
	if r.FlushingRoute != nil {
		rr := c.newRouteResolver(ctx)
		run.flushing = func(del []byte) {
			if rt, err := decodeRoute(del); err == nil && rr.resolve(&rt) == nil {
				r.FlushingRoute(rt)
			}
		}
	}
	return c.runFlushRounds(ctx, r, run)
}
