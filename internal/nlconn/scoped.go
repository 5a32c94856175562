package nlconn

import (
	"context"
	"iter"
)

// WithConn runs fn on a connection that dial opens and that lives for the
// call: the families' package-level functions use it with a dial to the
// calling thread's namespace.
func WithConn[C interface{ Close() error }, T any](ctx context.Context, dial func(context.Context) (C, error), fn func(C) (T, error)) (T, error) {
	c, err := dial(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	defer c.Close()
	return fn(c)
}

// WithConnSeq streams what seq streams on a connection that dial opens and
// that lives as long as the stream: the families' package-level streaming
// functions use it with a dial to the calling thread's namespace.
func WithConnSeq[C interface{ Close() error }, T any](ctx context.Context, dial func(context.Context) (C, error), seq func(C) iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		c, err := dial(ctx)
		if err != nil {
			var zero T
			yield(zero, err)
			return
		}
		defer c.Close()
		for v, err := range seq(c) {
			if !yield(v, err) {
				return
			}
		}
	}
}
