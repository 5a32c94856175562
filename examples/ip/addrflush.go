package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/nlkit/nlkit/rtnl"
)

// flushAddresses flushes the addresses that pass the filters in at most
// -loops rounds, as ip addr flush does: with -s it reports each round and
// the end, and it fails with ip's message when the last round allowed still
// deleted something.
func (c *command) flushAddresses(ctx context.Context, filters []rtnl.AddrFilter) error {
	max := 10
	if c.opts.loops != "" {
		max = atoi(c.opts.loops)
	}
	incomplete := &exitError{fmt.Sprintf("*** Flush remains incomplete after %d rounds. ***", max), 255}
	if max < 0 {
		// ip runs no round at all.
		return incomplete
	}
	r := rtnl.FlushRounds{Max: max}
	if c.opts.stats > 1 {
		names := c.linkNames(ctx)
		r.Flushing = func(a rtnl.Address) { c.printFlushed(a, names) }
	}
	if c.opts.stats > 0 {
		r.Deleted = func(round, deleted int) {
			fmt.Fprintf(c.stdout, "\n*** Round %d, deleting %d addresses ***\n", round, deleted)
		}
	}
	rounds, err := c.conn.FlushAddressesRounds(ctx, r, filters...)
	switch {
	case errors.Is(err, rtnl.ErrFlushIncomplete):
		return incomplete
	case err != nil:
		return err
	case c.opts.stats == 0:
	case rounds == 0:
		fmt.Fprintln(c.stdout, "Nothing to flush.")
	case rounds == 1:
		fmt.Fprintln(c.stdout, "*** Flush is complete after 1 round ***")
	default:
		fmt.Fprintf(c.stdout, "*** Flush is complete after %d rounds ***\n", rounds)
	}
	return nil
}

// atoi reads a number as C's atoi does: after leading blanks, an optional
// sign and the digits that follow, 0 when there are none.
func atoi(s string) int {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	n := 0
	for ; s != "" && s[0] >= '0' && s[0] <= '9'; s = s[1:] {
		n = n*10 + int(s[0]-'0')
	}
	if neg {
		return -n
	}
	return n
}

// printFlushed writes an address ip -s -s addr flush is about to delete,
// as ip writes it: after its link's index and name, as text whatever -j
// says.
func (c *command) printFlushed(a rtnl.Address, names map[int32]string) {
	o, err := marshalObject(a)
	if err != nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d: %s", a.LinkIndex, names[a.LinkIndex])
	c.writeAddr(&b, o)
	if c.opts.oneline {
		b.WriteString("\n")
	}
	fmt.Fprint(c.stdout, strings.ReplaceAll(b.String(), "\\\n", "\n"))
}
