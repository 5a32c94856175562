package main

import (
	"context"
	"io"

	"github.com/nlkit/nlkit/examples/internal/nsset"
	"github.com/nlkit/nlkit/rtnl"
)

// side is what print writes for one namespace.
type side struct {
	// Link is what `ip -j -d -s link show vxlan0` prints.
	Link []rtnl.Link `json:"link"`
	// FDB is what `bridge -j -d -s fdb show dev vxlan0` prints.
	FDB []rtnl.FDBEntry `json:"fdb"`
}

// Print writes one JSON object: for each namespace, its name and its side
// of the overlay.
func (t *topology) Print(ctx context.Context, w io.Writer) error {
	return nsset.PrintJSON(ctx, w, t.Names(), func(ctx context.Context, c *rtnl.Conn) (any, error) {
		return readSide(ctx, c)
	})
}

// readSide reads, on a connection to one side's namespace, its tunnel
// device and that device's forwarding entries.
func readSide(ctx context.Context, c *rtnl.Conn) (side, error) {
	l, err := c.LinkByName(ctx, tunnel)
	if err != nil {
		return side{}, err
	}
	fdb, err := c.FDB(ctx, rtnl.FilterFDBPort(l.Index))
	if err != nil {
		return side{}, err
	}
	return side{Link: []rtnl.Link{l}, FDB: fdb}, nil
}
