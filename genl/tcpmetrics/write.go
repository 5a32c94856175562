package tcpmetrics

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/nlkit/nlkit/genl"
)

// Delete deletes the entry of the destination dst and, when src is valid,
// the source src, as `ip tcp_metrics delete ADDRESS [src ADDRESS]` does;
// without src it deletes the destination's entries of every source. A
// missing entry gives an error matching [genl.ErrNotExist].
func Delete(ctx context.Context, c *genl.Conn, dst, src netip.Addr) error {
	req, err := entryRequest("delete", cmdDel, dst, src)
	if err != nil {
		return err
	}
	return c.Execute(ctx, req, nil)
}

// maxFlushRounds bounds the dump-and-delete rounds of a filtered flush,
// which goes on while entries that match appear.
const maxFlushRounds = 10

// Flush deletes the entries the filter selects, as `ip tcp_metrics flush
// [SELECTOR]` does, and returns how many it deleted; with the zero
// Filter, one request deletes them all and the count is 0. It dumps and
// deletes again while matching entries remain, up to a bound, as ip does.
func Flush(ctx context.Context, c *genl.Conn, f Filter) (int, error) {
	if err := f.check(); err != nil {
		return 0, err
	}
	if f == (Filter{}) {
		return 0, c.Execute(ctx, genl.Request{Op: "tcp_metrics: flush", Family: familyName, Command: cmdDel, Version: version}, nil)
	}
	deleted := 0
	for range maxFlushRounds {
		es, err := Entries(ctx, c, f)
		if err != nil && !errors.Is(err, genl.ErrDumpInterrupted) {
			return deleted, err
		}
		if len(es) == 0 {
			return deleted, nil
		}
		for _, e := range es {
			err := Delete(ctx, c, e.Dst, e.Src)
			if err != nil && !errors.Is(err, genl.ErrNotExist) {
				return deleted, err
			}
			if err == nil {
				deleted++
			}
		}
	}
	return deleted, fmt.Errorf("tcp_metrics: flush: matching entries still appear after %d rounds", maxFlushRounds)
}
