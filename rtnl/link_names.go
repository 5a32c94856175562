package rtnl

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// linkName returns the name of the link with the given index, or "" when
// no link has it; it looks up only positive indexes.
func (lc *linkCache) linkName(index int32) string {
	if index <= 0 {
		return ""
	}
	return lc.brief(index).name
}

// missingLinkError returns err, the kernel's answer to a request naming
// the link with the given index, made to match [ErrNotExist] too when it
// is an EINVAL the kernel answers for a missing link (as it does for
// address labels, and older kernels for netconf).
func (c *Conn) missingLinkError(ctx context.Context, index int32, err error) error {
	if index <= 0 || !errors.Is(err, unix.EINVAL) {
		return err
	}
	if l, lerr := c.lookupIndex(ctx, index); lerr == nil && l.Index == 0 {
		return fmt.Errorf("%w: no link has index %d (%w)", err, index, ErrNotExist)
	}
	return err
}
