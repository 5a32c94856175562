package rtnl

import (
	"context"

	"golang.org/x/sys/unix"
)

// PrependRoute adds the route r describes before those of the same
// destination, as `ip route prepend` does (NLM_F_CREATE without
// NLM_F_EXCL): where the table has a route of the same destination, TOS
// and metric already, the kernel adds this one first. See
// [Conn.AddRoute].
func (c *Conn) PrependRoute(ctx context.Context, r Route) error {
	return c.newRoute(ctx, "prepend", r, unix.NLM_F_CREATE)
}
