package rtnl

import (
	"context"
	"fmt"
	"iter"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// A NetConfFilter narrows the configurations [Conn.NetConfs] returns, as
// the selectors of `ip netconf show` do. Filters combine.
type NetConfFilter func(*netconfFilter)

type netconfFilter struct {
	family  uint8
	index   int32
	invalid error
}

// FilterNetConfFamily keeps the configurations of one family,
// unix.AF_INET, unix.AF_INET6 or unix.AF_MPLS (`ip -4 netconf show`,
// `ip -6 …`, `ip -M …`). The kernel applies it.
func FilterNetConfFamily(family uint8) NetConfFilter {
	return func(f *netconfFilter) {
		if !netconfFamilyValid(family) && f.invalid == nil {
			f.invalid = errInvalid("netconf family", fmt.Sprintf("%d: want AF_INET, AF_INET6 or AF_MPLS", family))
		}
		f.family = family
	}
}

// FilterNetConfLink keeps the configurations of the link with the given
// index, or of [NetConfAll] or [NetConfDefault] (`ip netconf show dev X`).
func FilterNetConfLink(index int32) NetConfFilter {
	return func(f *netconfFilter) {
		if (index == 0 || index < NetConfDefault) && f.invalid == nil {
			f.invalid = errInvalid("netconf link index", fmt.Sprintf("%d", index))
		}
		f.index = index
	}
}

func newNetConfFilter(filters []NetConfFilter) (netconfFilter, error) {
	var f netconfFilter
	for _, fn := range filters {
		fn(&f)
	}
	return f, f.invalid
}

// netconfRequest returns the payload of an RTM_GETNETCONF request: a
// netconfmsg of the family, with NETCONFA_IFINDEX for a get (index not 0),
// as ip sends them.
func netconfRequest(family uint8, index int32) []byte {
	var w writer
	w.Append([]byte{family, 0, 0, 0})
	if index != 0 {
		w.Int32(netconfaIfIndex, index)
	}
	return w.Bytes()
}

// NetConfs returns the configurations of the calling thread's network
// namespace; see [Conn.NetConfs].
func NetConfs(ctx context.Context, filters ...NetConfFilter) ([]NetConf, error) {
	return withConn(ctx, func(c *Conn) ([]NetConf, error) { return c.NetConfs(ctx, filters...) })
}

// NetConfsSeq streams the configurations of the calling thread's network
// namespace; see [Conn.NetConfsSeq].
func NetConfsSeq(ctx context.Context, filters ...NetConfFilter) iter.Seq2[NetConf, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[NetConf, error] { return c.NetConfsSeq(ctx, filters...) })
}

// GetNetConf returns one configuration from the calling thread's network
// namespace; see [Conn.GetNetConf].
func GetNetConf(ctx context.Context, family uint8, index int32) (NetConf, error) {
	return withConn(ctx, func(c *Conn) (NetConf, error) { return c.GetNetConf(ctx, family, index) })
}

// NetConfs returns the configurations that pass the filters, as
// `ip netconf show` lists them: every family's, in the kernel's order (for
// each family, the links, then "all" and "default"), with the link names
// filled in. The kernel applies the family filter; the link filter is
// applied to what comes back, as ip does. A family the kernel keeps no
// configuration for lists none.
//
// An interrupted dump is handled as [Conn.Addresses] does.
func (c *Conn) NetConfs(ctx context.Context, filters ...NetConfFilter) ([]NetConf, error) {
	f, err := newNetConfFilter(filters)
	if err != nil {
		return nil, err
	}
	lc := c.newLinkCache(ctx)
	ncs, err := nlconn.Collect(ctx, c.nl, "rtnl: dump netconf", unix.RTM_GETNETCONF, 0,
		netconfRequest(f.family, 0), keepMatching(decodeNetConfMessage, f.match))
	for i := range ncs {
		ncs[i].LinkName = lc.linkName(ncs[i].LinkIndex)
	}
	if lc.err != nil {
		return nil, lc.err
	}
	return ncs, err
}

// NetConfsSeq streams the configurations that pass the filters as the
// kernel's reply arrives; see [Conn.NetConfs]. A dump the kernel reports
// interrupted ends with an error matching [ErrDumpInterrupted].
func (c *Conn) NetConfsSeq(ctx context.Context, filters ...NetConfFilter) iter.Seq2[NetConf, error] {
	return func(yield func(NetConf, error) bool) {
		f, err := newNetConfFilter(filters)
		if err != nil {
			yield(NetConf{}, err)
			return
		}
		lc := c.newLinkCache(ctx)
		nlconn.YieldDump(ctx, c.nl, "rtnl: dump netconf", unix.RTM_GETNETCONF, netconfRequest(f.family, 0),
			keepMatching(decodeNetConfMessage, f.match), func(n NetConf, err error) bool {
				if err == nil {
					n.LinkName = lc.linkName(n.LinkIndex)
					err = lc.err
				}
				return yield(n, err) && err == nil
			})
	}
}

// match reports whether n passes the filter. The family is checked again,
// as ip does: a kernel without a family's netconf (MPLS without
// mpls_router) answers a dump of it with every family's.
func (f *netconfFilter) match(n *NetConf) bool {
	return (f.family == 0 || n.Family == f.family) && (f.index == 0 || n.LinkIndex == f.index)
}

// GetNetConf returns the configuration of one family on the link with the
// given index, or its [NetConfAll] or [NetConfDefault] settings, as
// `ip -4 netconf show dev X` does, with the link name filled in. A missing
// link gives an error matching [ErrNotExist]; a family the kernel keeps no
// configuration for (MPLS without the mpls_router module), one matching
// [ErrNotSupported].
func (c *Conn) GetNetConf(ctx context.Context, family uint8, index int32) (NetConf, error) {
	f, err := newNetConfFilter([]NetConfFilter{FilterNetConfFamily(family), FilterNetConfLink(index)})
	if err != nil {
		return NetConf{}, err
	}
	op := fmt.Sprintf("rtnl: get netconf of family %d on link %d", family, index)
	var n NetConf
	found := false
	err = c.nl.Execute(ctx, op, unix.RTM_GETNETCONF, 0, netconfRequest(f.family, f.index), func(m nlconn.Message) error {
		v, keep, err := decodeNetConfMessage(m)
		if keep {
			n, found = v, true
		}
		return err
	})
	if err == nil && !found {
		err = fmt.Errorf("%s: the kernel sent no netconf", op)
	}
	if err != nil {
		return n, c.missingLinkError(ctx, index, err)
	}
	lc := c.newLinkCache(ctx)
	n.LinkName = lc.linkName(n.LinkIndex)
	return n, lc.err
}
