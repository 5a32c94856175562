package nlconn

import (
	"context"
	"fmt"
)

// YieldDump sends a dump request and yields, as the reply arrives, the
// values decode keeps, until yield asks to stop. An error (the dump's, or
// decode's, prefixed with op) is yielded last. It is the streaming
// counterpart of [Collect], which the slice-returning lists use with the
// same decode.
func YieldDump[T any](ctx context.Context, c *Conn, op string, typ uint16, req []byte,
	decode func(Message) (T, bool, error), yield func(T, error) bool) {
	for m, err := range c.Dump(ctx, op, typ, 0, req) {
		if err != nil {
			var zero T
			yield(zero, err)
			return
		}
		v, keep, err := decode(m)
		if err != nil {
			var zero T
			yield(zero, fmt.Errorf("%s: %w", op, err))
			return
		}
		if keep && !yield(v, nil) {
			return
		}
	}
}
