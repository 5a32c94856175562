package rtnl

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// addrLabelDumpRequest returns the payload of an RTM_GETADDRLABEL dump, as
// ip sends it: an ifaddrlblmsg of family AF_INET6.
func addrLabelDumpRequest() []byte {
	var w writer
	putIfAddrLblMsg(&w, 0, 0)
	return w.Bytes()
}

// AddrLabels returns the address label table of the calling thread's
// network namespace; see [Conn.AddrLabels].
func AddrLabels(ctx context.Context) ([]AddrLabel, error) {
	return withConn(ctx, func(c *Conn) ([]AddrLabel, error) { return c.AddrLabels(ctx) })
}

// AddrLabelsSeq streams the address label table of the calling thread's
// network namespace; see [Conn.AddrLabelsSeq].
func AddrLabelsSeq(ctx context.Context) iter.Seq2[AddrLabel, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[AddrLabel, error] { return c.AddrLabelsSeq(ctx) })
}

// AddrLabels returns the entries of the IPv6 address label table, as
// `ip addrlabel list` does: in the kernel's order (longest prefix first),
// with the link names filled in.
//
// An interrupted dump is handled as [Conn.Addresses] does.
func (c *Conn) AddrLabels(ctx context.Context) ([]AddrLabel, error) {
	labels, err := c.addrLabelsRaw(ctx)
	if err != nil && !errors.Is(err, ErrDumpInterrupted) {
		return nil, err
	}
	lc := c.newLinkCache(ctx)
	for i := range labels {
		labels[i].LinkName = lc.linkName(labels[i].LinkIndex)
	}
	if lc.err != nil {
		return nil, lc.err
	}
	return labels, err
}

// AddrLabelsSeq streams the entries of the IPv6 address label table as the
// kernel's reply arrives; see [Conn.AddrLabels]. A dump the kernel reports
// interrupted ends with an error matching [ErrDumpInterrupted].
func (c *Conn) AddrLabelsSeq(ctx context.Context) iter.Seq2[AddrLabel, error] {
	return func(yield func(AddrLabel, error) bool) {
		lc := c.newLinkCache(ctx)
		nlconn.YieldDump(ctx, c.nl, "rtnl: dump address labels", unix.RTM_GETADDRLABEL, addrLabelDumpRequest(),
			decodeAddrLabelMessage, func(a AddrLabel, err error) bool {
				if err == nil {
					a.LinkName = lc.linkName(a.LinkIndex)
					err = lc.err
				}
				return yield(a, err) && err == nil
			})
	}
}

// AddAddrLabel adds an entry to the IPv6 address label table, as
// `ip addrlabel add prefix PREFIX [dev DEV] label N` does. Invalid input
// (no prefix, an IPv4 prefix, the reserved label 0xffffffff) is rejected
// with an [*InvalidError]; an entry for the same prefix and link gives an
// error matching [ErrExist]. A missing link gives the kernel's EINVAL,
// which then matches [ErrNotExist] too.
func (c *Conn) AddAddrLabel(ctx context.Context, a AddrLabel) error {
	req, err := addrLabelRequest(&a)
	if err != nil {
		return err
	}
	err = c.nl.Execute(ctx, addrLabelOp("add", &a), unix.RTM_NEWADDRLABEL, unix.NLM_F_CREATE|unix.NLM_F_EXCL, req, nil)
	return c.missingLinkError(ctx, a.LinkIndex, err)
}

// DeleteAddrLabel deletes the entry for a.Prefix and a.LinkIndex from the
// IPv6 address label table, as `ip addrlabel del` does; the kernel ignores
// the label, which must be valid all the same. A missing entry or link
// gives an error matching [ErrNotExist].
func (c *Conn) DeleteAddrLabel(ctx context.Context, a AddrLabel) error {
	req, err := addrLabelRequest(&a)
	if err != nil {
		return err
	}
	err = c.nl.Execute(ctx, addrLabelOp("delete", &a), unix.RTM_DELADDRLABEL, 0, req, nil)
	return c.missingLinkError(ctx, a.LinkIndex, err)
}

// FlushAddrLabels deletes every entry of the IPv6 address label table,
// the kernel's defaults included, as `ip addrlabel flush` does. Entries
// that are gone by the time they are deleted are skipped; after a dump the
// kernel reports interrupted, it dumps again.
func (c *Conn) FlushAddrLabels(ctx context.Context) error {
	for {
		labels, err := c.addrLabelsRaw(ctx)
		if err != nil && !errors.Is(err, ErrDumpInterrupted) {
			return err
		}
		for i := range labels {
			if err := c.DeleteAddrLabel(ctx, labels[i]); err != nil && !errors.Is(err, ErrNotExist) {
				return fmt.Errorf("rtnl: flush address labels: %w", err)
			}
		}
		if err == nil || len(labels) == 0 {
			return nil // else an interrupted dump: dump what is left
		}
	}
}

// addrLabelsRaw dumps the table without looking up link names, retrying
// as the Conn allows when the dump is interrupted.
func (c *Conn) addrLabelsRaw(ctx context.Context) ([]AddrLabel, error) {
	return nlconn.Collect(ctx, c.nl, "rtnl: dump address labels", unix.RTM_GETADDRLABEL, 0,
		addrLabelDumpRequest(), decodeAddrLabelMessage)
}

// addrLabelOp names an operation on a for errors.
func addrLabelOp(verb string, a *AddrLabel) string {
	return fmt.Sprintf("rtnl: %s address label %s on link %d", verb, a.Prefix, a.LinkIndex)
}

// addrLabelRequest builds the payload of an RTM_NEWADDRLABEL or
// RTM_DELADDRLABEL request for a, with the attributes in the order ip
// sends them.
func addrLabelRequest(a *AddrLabel) ([]byte, error) {
	switch {
	case !a.Prefix.IsValid():
		return nil, errInvalid("address label prefix", fmt.Sprintf("%q", a.Prefix.String()))
	case !a.Prefix.Addr().Is6():
		return nil, errInvalid("address label prefix", fmt.Sprintf("%s is not IPv6 (write an IPv4 prefix as ::ffff:a.b.c.d/N)", a.Prefix))
	case a.Label == addrLabelReserved:
		return nil, errInvalid("address label", "0xffffffff is reserved")
	case a.LinkIndex < 0:
		return nil, errInvalid("address label link index", fmt.Sprintf("%d", a.LinkIndex))
	}
	var w writer
	putIfAddrLblMsg(&w, uint8(a.Prefix.Bits()), a.LinkIndex)
	w.Uint32(unix.IFAL_LABEL, a.Label)
	w.Addr(unix.IFAL_ADDRESS, a.Prefix.Addr())
	return w.Bytes(), w.Err()
}
