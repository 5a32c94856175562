package rtnl

import (
	"context"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/addrfamily"
)

// neighFlushRounds is how many times FlushNeighbors dumps and deletes, as
// ip's MAX_ROUNDS.
const neighFlushRounds = 10

// maxLLAddrRequest is the longest link-layer address ip sends.
const maxLLAddrRequest = 20

// The header flags of the RTM_NEWNEIGH requests of ip neigh add, replace
// and change, and of bridge fdb append.
const (
	nlmNeighAdd     = unix.NLM_F_CREATE | unix.NLM_F_EXCL
	nlmNeighReplace = unix.NLM_F_CREATE | unix.NLM_F_REPLACE
	nlmNeighChange  = unix.NLM_F_REPLACE
	nlmNeighAppend  = unix.NLM_F_CREATE | unix.NLM_F_APPEND
)

// AddNeighbor adds the entry n describes, as `ip neigh add` does: Dst on
// the link n.LinkIndex, with LLAddr, State (PERMANENT when zero), Flags
// (router, proxy, extern_learn, use), ExtFlags (managed) and Protocol. A
// proxy entry (Flags with [NeighProxy], `ip neigh add proxy ADDR`) may be on
// no link. Family may be left zero.
//
// Invalid input is rejected with an [*InvalidError] before anything is
// sent: no address, a family other than Dst's, no link for an entry other
// than a proxy one, a link-layer address longer than ip accepts (20 bytes).
// The kernel checks the address's length against the link's, with an error
// matching unix.EINVAL. A missing link gives an error matching
// [ErrNotExist]; an entry that exists already, one matching [ErrExist].
func (c *Conn) AddNeighbor(ctx context.Context, n Neighbor) error {
	return c.newNeighbor(ctx, "add", n, nlmNeighAdd)
}

// ReplaceNeighbor adds the entry n describes, or changes it if it exists,
// as `ip neigh replace` does. See [Conn.AddNeighbor].
func (c *Conn) ReplaceNeighbor(ctx context.Context, n Neighbor) error {
	return c.newNeighbor(ctx, "replace", n, nlmNeighReplace)
}

// ChangeNeighbor changes an existing entry, as `ip neigh change` does
// (NLM_F_REPLACE without NLM_F_CREATE): a missing entry gives an error
// matching [ErrNotExist]. See [Conn.AddNeighbor].
func (c *Conn) ChangeNeighbor(ctx context.Context, n Neighbor) error {
	return c.newNeighbor(ctx, "change", n, nlmNeighChange)
}

func (c *Conn) newNeighbor(ctx context.Context, verb string, n Neighbor, flags uint16) error {
	var w writer
	if err := w.neighRequest(&n); err != nil {
		return err
	}
	return c.nl.Execute(ctx, neighOp(verb, &n), unix.RTM_NEWNEIGH, flags, w.Bytes(), nil)
}

// DeleteNeighbor deletes the entry for n.Dst on the link n.LinkIndex, or
// the proxy entry when Flags has [NeighProxy], as `ip neigh del` does. An
// entry from [Conn.Neighbors] can be passed as it is. A missing entry gives
// an error matching [ErrNotExist].
func (c *Conn) DeleteNeighbor(ctx context.Context, n Neighbor) error {
	var w writer
	if err := w.neighRequest(&n); err != nil {
		return err
	}
	return c.nl.Execute(ctx, neighOp("delete", &n), unix.RTM_DELNEIGH, 0, w.Bytes(), nil)
}

// neighOp names an operation on n for errors.
func neighOp(verb string, n *Neighbor) string {
	what := "neighbour"
	if n.Flags&NeighProxy != 0 {
		what = "proxy neighbour"
	}
	return fmt.Sprintf("rtnl: %s %s %s on link %d", verb, what, n.Dst, n.LinkIndex)
}

// FlushNeighbors deletes the entries that pass the filters, as
// `ip neigh flush` does: it dumps them and deletes each, again until a dump
// finds none left, up to 10 rounds; after the first round FAILED entries
// are left alone. Without a state filter it leaves the PERMANENT and NOARP
// entries alone, and with [FilterNeighAllStates] the NOARP ones. Entries
// gone by the time they are deleted are skipped. Like ip, it refuses to run
// without a filter, an [*InvalidError]; a link or master index that names
// no link gives an error matching [ErrNotExist]. Entries left after the
// 10th round give an error matching [ErrFlushIncomplete].
func (c *Conn) FlushNeighbors(ctx context.Context, filters ...NeighFilter) error {
	_, err := c.FlushNeighborsRounds(ctx, FlushRounds{Max: neighFlushRounds}, filters...)
	return err
}

// validateNeighbor checks the entry a request describes and returns its
// family.
func validateNeighbor(n *Neighbor) (uint8, error) {
	family := addrfamily.Of(n.Dst)
	switch {
	case family == unix.AF_UNSPEC:
		return 0, errInvalid("neighbour address", "no address: set Dst")
	case n.Family != 0 && n.Family != family:
		return 0, errInvalid("neighbour family", fmt.Sprintf("%d for %s", n.Family, n.Dst))
	case n.LinkIndex < 0 || n.LinkIndex == 0 && n.Flags&NeighProxy == 0:
		return 0, errInvalid("neighbour link index", fmt.Sprintf("%d", n.LinkIndex))
	case len(n.LLAddr) > maxLLAddrRequest:
		return 0, errInvalid("neighbour link-layer address", fmt.Sprintf("%d bytes, longer than %d", len(n.LLAddr), maxLLAddrRequest))
	}
	return family, nil
}

// neighRequest builds the payload of an RTM_NEWNEIGH or RTM_DELNEIGH
// request for n, with the attributes in the order ip sends them for
// `ip neigh add ADDR [lladdr LLADDR] [nud STATE] [router] [managed]
// [extern_learn] [protocol PROTO] dev DEV`.
func (w *writer) neighRequest(n *Neighbor) error {
	family, err := validateNeighbor(n)
	if err != nil {
		return err
	}
	state := n.State
	if state == NeighNone && n.ExtFlags&NeighExtManaged == 0 {
		state = NeighPermanent
	}
	putNdMsg(w, family, n.LinkIndex, state, n.Flags)
	if n.Protocol != 0 {
		w.Uint8(ndaProtocol, uint8(n.Protocol))
	}
	w.Addr(unix.NDA_DST, n.Dst)
	if n.ExtFlags != 0 {
		w.Uint32(ndaFlagsExt, uint32(n.ExtFlags))
	}
	if n.LLAddr != nil {
		w.Raw(unix.NDA_LLADDR, n.LLAddr)
	}
	return w.Err()
}
