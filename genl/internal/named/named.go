// Package named dumps the objects of a generic netlink family whose
// messages carry link indexes, and names their links as ip does.
package named

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/internal/linknames"
)

// Collect returns the objects req dumps, as genl.Collect does, each given
// the names of the namespace's links by name. An interrupted dump returns
// what it read with an error matching genl.ErrDumpInterrupted.
func Collect[T any](ctx context.Context, c *genl.Conn, req genl.Request,
	decode func(genl.Message) (T, bool, error), name func(*T, linknames.Names)) ([]T, error) {
	vs, err := genl.Collect(ctx, c, req, decode)
	if err != nil && !errors.Is(err, genl.ErrDumpInterrupted) {
		return nil, err
	}
	names, nerr := linknames.ReadIn(ctx, c.WithNetNSFD)
	if nerr != nil {
		return nil, fmt.Errorf("%s: name the links: %w", req.Op, nerr)
	}
	for i := range vs {
		name(&vs[i], names)
	}
	return vs, err
}

// Stream streams the objects req dumps as the kernel's reply arrives, as
// genl.Stream does, each given the names of the namespace's links by name.
func Stream[T any](ctx context.Context, c *genl.Conn, req genl.Request,
	decode func(genl.Message) (T, bool, error), name func(*T, linknames.Names)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		names, err := linknames.ReadIn(ctx, c.WithNetNSFD)
		if err != nil {
			var zero T
			yield(zero, fmt.Errorf("%s: name the links: %w", req.Op, err))
			return
		}
		for v, err := range genl.Stream(ctx, c, req, decode) {
			if err == nil {
				name(&v, names)
			}
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}
