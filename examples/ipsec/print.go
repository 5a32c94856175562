package main

import (
	"context"
	"io"

	"github.com/nlkit/nlkit/examples/internal/nsset"
	"github.com/nlkit/nlkit/rtnl"
	"github.com/nlkit/nlkit/xfrm"
)

// side is what print writes for one namespace.
type side struct {
	// Link is what `ip -j -d -s link show vti0` prints.
	Link []rtnl.Link `json:"link"`
	// States and Policies are what `ip -s xfrm state show` and `ip -s xfrm
	// policy show` print, in nlkit's JSON form.
	States   []xfrm.State  `json:"xfrm_state"`
	Policies []xfrm.Policy `json:"xfrm_policy"`
}

// Print writes one JSON object: for each namespace, its name and its side
// of the tunnel.
func (t *topology) Print(ctx context.Context, w io.Writer) error {
	names := t.Names()
	next := 0 // PrintJSON reads the namespaces one after the other, in order
	return nsset.PrintJSON(ctx, w, names, func(ctx context.Context, c *rtnl.Conn) (any, error) {
		ns := names[next]
		next++
		return readSide(ctx, c, ns)
	})
}

// readSide reads one side: its tunnel device on the connection c, its
// states and policies on an xfrm connection to its namespace ns.
func readSide(ctx context.Context, c *rtnl.Conn, ns string) (side, error) {
	l, err := c.LinkByName(ctx, tunnel)
	if err != nil {
		return side{}, err
	}
	x, err := dialXfrm(ctx, ns)
	if err != nil {
		return side{}, err
	}
	defer x.Close()
	states, err := x.States(ctx)
	if err != nil {
		return side{}, err
	}
	policies, err := x.Policies(ctx)
	if err != nil {
		return side{}, err
	}
	return side{Link: []rtnl.Link{l}, States: states, Policies: policies}, nil
}
