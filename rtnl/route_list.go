package rtnl

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// Routes returns the routes of the calling thread's network namespace; see
// [Conn.Routes].
func Routes(ctx context.Context, filters ...RouteFilter) ([]Route, error) {
	return withConn(ctx, func(c *Conn) ([]Route, error) { return c.Routes(ctx, filters...) })
}

// RoutesSeq streams the routes of the calling thread's network namespace;
// see [Conn.RoutesSeq].
func RoutesSeq(ctx context.Context, filters ...RouteFilter) iter.Seq2[Route, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[Route, error] { return c.RoutesSeq(ctx, filters...) })
}

// Routes returns the routes that pass the filters, in the kernel's order,
// as `ip -d -s route show` lists them with the same selectors: without
// filters, the IPv4 routes of the main table. The names of the links are
// filled in (LinkName, InputLinkName, and those of the next hops).
//
// A table the kernel does not have gives an error matching [ErrNotExist]
// ("ipv4: FIB table does not exist"), but for the main table, which a
// namespace without routes may lack: that lists no routes, as with ip.
// An output link filter naming no link gives an error matching
// [ErrNotExist] too; an invalid filter gives an [*InvalidError].
//
// If the kernel reports the dump interrupted by a change, Routes returns
// the routes it read with an error matching [ErrDumpInterrupted], unless
// [WithDumpRetries] lets it dump again.
func (c *Conn) Routes(ctx context.Context, filters ...RouteFilter) ([]Route, error) {
	return c.AppendRoutes(ctx, nil, filters...)
}

// AppendRoutes appends the routes that [Conn.Routes] returns to dst and
// returns the extended slice.
//
// A slice from an earlier list, truncated (routes[:0]), is reused: listing
// as many routes again allocates nothing for them, and saves the time a
// new slice costs besides (a Route is some 350 bytes: the memory of a
// large list must be supplied by the kernel page by page, and scanned by
// the garbage collector). A program that lists routes over and over, to
// mirror them, should list them this way.
//
// On an error, AppendRoutes returns dst, its length unchanged; its spare
// capacity may have been written to. An interrupted dump returns what
// [Conn.Routes] returns, appended.
func (c *Conn) AppendRoutes(ctx context.Context, dst []Route, filters ...RouteFilter) ([]Route, error) {
	f, err := newRouteFilter(filters)
	if err != nil {
		return dst, err
	}
	var (
		values     routeValues
		rr         = c.newRouteResolver(ctx)
		resolveErr error
	)
	// Each route is resolved as it is decoded, while it is at hand: a pass
	// over the slice afterwards would walk all its memory again.
	routes, err := nlconn.AppendInto(ctx, c.nl, routeDumpOp, unix.RTM_GETROUTE, 0, f.dumpRequest(), dst,
		func(m nlconn.Message, r *Route) (bool, error) {
			keep, err := values.message(m, r)
			if err != nil || !keep || !f.match(r) {
				return false, err
			}
			if resolveErr == nil {
				resolveErr = rr.resolve(r)
			}
			return true, nil
		})
	if resolveErr != nil {
		return dst, resolveErr
	}
	if f.mainTableMissing(err) {
		return nil, nil
	}
	return routes, err
}

// RoutesSeq streams the routes that pass the filters as the kernel's reply
// arrives, decoding one at a time, with the names of their links filled in
// as [Conn.Routes] does. A dump the kernel reports interrupted ends with an
// error matching [ErrDumpInterrupted].
func (c *Conn) RoutesSeq(ctx context.Context, filters ...RouteFilter) iter.Seq2[Route, error] {
	return func(yield func(Route, error) bool) {
		f, err := newRouteFilter(filters)
		if err != nil {
			yield(Route{}, err)
			return
		}
		rr := c.newRouteResolver(ctx)
		// One Route, decoded in place and yielded by value, for the whole
		// dump: streaming copies and allocates nothing per route.
		var (
			values routeValues
			r      Route
		)
		for m, err := range c.nl.Dump(ctx, routeDumpOp, unix.RTM_GETROUTE, 0, f.dumpRequest()) {
			if err != nil {
				if !f.mainTableMissing(err) {
					yield(Route{}, err)
				}
				return
			}
			r = Route{}
			keep, err := values.message(m, &r)
			if err != nil {
				yield(Route{}, fmt.Errorf("%s: %w", routeDumpOp, err))
				return
			}
			if !keep || !f.match(&r) {
				continue
			}
			if err := rr.resolve(&r); err != nil {
				yield(r, err)
				return
			}
			if !yield(r, nil) {
				return
			}
		}
	}
}

// routeDumpOp names route dumps in errors.
const routeDumpOp = "rtnl: dump routes"

// A routeResolver fills in what the routes of a list refer to by index or
// id: the names of their links, and the nexthop objects they use. It asks
// the kernel for each link and nexthop object once.
type routeResolver struct {
	c        *Conn
	ctx      context.Context
	links    *linkCache
	nexthops map[uint32]*Nexthop
}

func (c *Conn) newRouteResolver(ctx context.Context) *routeResolver {
	return &routeResolver{c: c, ctx: ctx, links: c.newLinkCache(ctx)}
}

// resolve fills in the link names and the nexthop object of r.
func (rr *routeResolver) resolve(r *Route) error {
	if r.Encap == nil && len(r.Nexthops) == 0 {
		// Most routes: no closure to make, and the name of the last link
		// looked up is at hand.
		r.LinkName = rr.links.linkName(r.LinkIndex)
		r.InputLinkName = rr.links.linkName(r.InputLinkIndex)
	} else {
		r.resolveNames(rr.links.lookup)
	}
	if rr.links.err != nil {
		return rr.links.err
	}
	if r.NexthopID == 0 {
		return nil
	}
	nh, ok := rr.nexthops[r.NexthopID]
	if !ok {
		n, err := rr.c.GetNexthop(rr.ctx, r.NexthopID)
		switch {
		case err == nil:
			nh = &n
		case !errors.Is(err, ErrNotExist):
			return err
		}
		if rr.nexthops == nil {
			rr.nexthops = make(map[uint32]*Nexthop)
		}
		rr.nexthops[r.NexthopID] = nh
	}
	r.NexthopInfo = nh
	return nil
}

// resolveNames fills in the names of the route's links, and of its next
// hops', from lookup.
func (r *Route) resolveNames(lookup func(index int32) (Link, bool)) {
	name := func(index int32) string {
		if index == 0 {
			return ""
		}
		l, _ := lookup(index)
		return l.Name
	}
	r.LinkName = name(r.LinkIndex)
	r.InputLinkName = name(r.InputLinkIndex)
	if r.Encap != nil {
		r.Encap.fillLinkNames(name)
	}
	for i := range r.Nexthops {
		nh := &r.Nexthops[i]
		nh.LinkName = name(nh.LinkIndex)
		if nh.Encap != nil {
			nh.Encap.fillLinkNames(name)
		}
	}
}
