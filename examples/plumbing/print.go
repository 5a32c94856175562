package main

import (
	"context"
	"io"

	"github.com/nlkit/nlkit/examples/internal/nsset"
	"github.com/nlkit/nlkit/rtnl"
)

// Print writes one JSON object: for each namespace of the topology, its
// name and what `ip -j -d -s -n NAME address show` prints for it.
func (t *topology) Print(ctx context.Context, w io.Writer) error {
	return nsset.PrintJSON(ctx, w, t.Names(), func(ctx context.Context, c *rtnl.Conn) (any, error) {
		return c.LinkAddresses(ctx)
	})
}
