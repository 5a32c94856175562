package rtnl

import (
	"context"
	"io"
	"iter"
)

// ReadSavedRoutes streams the routes of a file that `ip route save` or
// [Conn.SaveRoutes] wrote, as the package-level [ReadSavedRoutes] does,
// with what they refer to filled in from c's namespace as [Conn.Routes]
// fills it in: the names of their links (LinkName, InputLinkName, those of
// the next hops and encapsulations) and the nexthop objects they use. That
// is what `ip route showdump` prints: ip names the links of a saved route
// as the namespace it runs in does, and a link it cannot find "ifN".
func (c *Conn) ReadSavedRoutes(ctx context.Context, r io.Reader) iter.Seq2[Route, error] {
	return func(yield func(Route, error) bool) {
		rr := c.newRouteResolver(ctx)
		for route, err := range ReadSavedRoutes(r) {
			if err == nil {
				err = rr.resolve(&route)
			}
			if !yield(route, err) || err != nil {
				return
			}
		}
	}
}
