package main

import (
	"context"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/netnsutil"
)

// genlConn opens a generic netlink connection to the namespace of -n, or
// to the current one, for the objects whose commands are generic netlink
// families (tcp_metrics, mptcp, sr, fou, l2tp, macsec, ioam, ila).
func (c *command) genlConn(ctx context.Context) (*genl.Conn, error) {
	if c.opts.netns == "" {
		return genl.Dial(ctx)
	}
	ns, err := netnsutil.Open(c.opts.netns)
	if err != nil {
		return nil, &exitError{"Cannot open network namespace \"" + c.opts.netns + "\": " + strerror(errnoText(err)), 255}
	}
	defer ns.Close()
	return genl.Dial(ctx, genl.WithNetNS(ns.FD()))
}
