package rtnl

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// A Batch queues changes to routes, addresses and neighbours, to send them
// to the kernel together with [Conn.SendBatch], as `ip -batch` with
// `-force` does, only in far fewer round trips: the requests travel many to
// a datagram on one socket and their acknowledgements are read in batches.
//
// The zero Batch is empty and ready to use. A Batch is not safe for
// concurrent use; it can be sent again, and emptied with [Batch.Reset] to
// be refilled, which reuses its memory.
type Batch struct {
	msgs  []byte      // the queued requests, netlink headers included
	items []batchItem // what each request is, to name it in an error
}

// A batchItem is what a queued request changes, enough to name it.
type batchItem struct {
	kind   batchKind
	verb   string
	family uint8
	prefix netip.Prefix // a route's destination, an address
	addr   netip.Addr   // a neighbour's destination
	label  uint32       // an MPLS route's label
	link   int32        // an address's or neighbour's link
	flags  NeighFlags   // a neighbour's flags
}

type batchKind uint8

const (
	batchRoute batchKind = iota
	batchAddress
	batchNeighbor
)

// op names the request for an error, as the Conn method doing the same
// change alone does.
func (it *batchItem) op() string {
	switch it.kind {
	case batchAddress:
		return addrOp(it.verb, &Address{Prefix: it.prefix, LinkIndex: it.link})
	case batchNeighbor:
		return neighOp(it.verb, &Neighbor{Dst: it.addr, LinkIndex: it.link, Flags: it.flags})
	}
	return routeOp(it.verb, &Route{Family: it.family, Dst: it.prefix, Label: it.label})
}

// Len returns the number of queued changes.
func (b *Batch) Len() int { return len(b.items) }

// Reset empties the batch, keeping its memory for the next changes.
func (b *Batch) Reset() {
	b.msgs = b.msgs[:0]
	b.items = b.items[:0]
}

// start returns a writer that appends a request to the queued ones,
// the room for its netlink header reserved.
func (b *Batch) start() writer {
	var w writer
	w.Reset(append(b.msgs, make([]byte, nlconn.HeaderLen)...))
	return w
}

// commit queues the request w holds, of type typ with the header flags,
// and records item for it; or, when encoding it failed with err, leaves
// the batch as it was and returns err.
func (b *Batch) commit(w *writer, typ, flags uint16, item batchItem, err error) error {
	if err != nil {
		return err
	}
	msgs := w.Bytes()
	hdr := msgs[len(b.msgs):]
	nlconn.PutHeader(hdr, len(hdr), typ, flags, 0, 0)
	b.msgs = msgs
	b.items = append(b.items, item)
	return nil
}

// AddRoute queues the addition of the route r describes; see
// [Conn.AddRoute]. Invalid input is rejected at once with an
// [*InvalidError], and nothing is queued.
func (b *Batch) AddRoute(r Route) error {
	return b.route("add", unix.RTM_NEWROUTE, nlmRouteAdd, &r)
}

// ReplaceRoute queues the addition or replacement of the route r
// describes; see [Conn.ReplaceRoute].
func (b *Batch) ReplaceRoute(r Route) error {
	return b.route("replace", unix.RTM_NEWROUTE, nlmRouteReplace, &r)
}

// DeleteRoute queues the deletion of the route r describes; see
// [Conn.DeleteRoute].
func (b *Batch) DeleteRoute(r Route) error {
	return b.route("delete", unix.RTM_DELROUTE, 0, &r)
}

func (b *Batch) route(verb string, typ, flags uint16, r *Route) error {
	w := b.start()
	err := w.routeRequest(r, typ == unix.RTM_DELROUTE)
	item := batchItem{kind: batchRoute, verb: verb, family: r.Family, prefix: r.Dst, label: r.Label}
	return b.commit(&w, typ, flags, item, err)
}

// AddAddress queues the addition of the address a describes; see
// [Conn.AddAddress].
func (b *Batch) AddAddress(a Address) error {
	return b.address("add", unix.RTM_NEWADDR, nlmAddrAdd, &a)
}

// ReplaceAddress queues the addition or replacement of the address a
// describes; see [Conn.ReplaceAddress].
func (b *Batch) ReplaceAddress(a Address) error {
	return b.address("replace", unix.RTM_NEWADDR, nlmAddrReplace, &a)
}

// DeleteAddress queues the deletion of the address a describes; see
// [Conn.DeleteAddress].
func (b *Batch) DeleteAddress(a Address) error {
	return b.address("delete", unix.RTM_DELADDR, 0, &a)
}

func (b *Batch) address(verb string, typ, flags uint16, a *Address) error {
	w := b.start()
	err := w.addrRequest(a, typ == unix.RTM_DELADDR)
	item := batchItem{kind: batchAddress, verb: verb, prefix: a.Prefix, link: a.LinkIndex}
	return b.commit(&w, typ, flags, item, err)
}

// AddNeighbor queues the addition of the neighbour entry n describes; see
// [Conn.AddNeighbor].
func (b *Batch) AddNeighbor(n Neighbor) error {
	return b.neighbor("add", unix.RTM_NEWNEIGH, nlmNeighAdd, &n)
}

// ReplaceNeighbor queues the addition or replacement of the neighbour
// entry n describes; see [Conn.ReplaceNeighbor].
func (b *Batch) ReplaceNeighbor(n Neighbor) error {
	return b.neighbor("replace", unix.RTM_NEWNEIGH, nlmNeighReplace, &n)
}

// DeleteNeighbor queues the deletion of the neighbour entry n describes;
// see [Conn.DeleteNeighbor].
func (b *Batch) DeleteNeighbor(n Neighbor) error {
	return b.neighbor("delete", unix.RTM_DELNEIGH, 0, &n)
}

func (b *Batch) neighbor(verb string, typ, flags uint16, n *Neighbor) error {
	w := b.start()
	err := w.neighRequest(n)
	item := batchItem{kind: batchNeighbor, verb: verb, addr: n.Dst, link: n.LinkIndex, flags: n.Flags}
	return b.commit(&w, typ, flags, item, err)
}

// SendBatch sends the changes of b, in b's namespace; see [Conn.SendBatch].
func SendBatch(ctx context.Context, b *Batch) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.SendBatch(ctx, b) })
	return err
}

// SendBatch sends the queued changes of b, pipelined on one socket, and
// waits for the kernel to acknowledge each. The kernel makes each change on
// its own, in order: one that fails does not stop the others.
//
// SendBatch returns nil when every change was made, and a [*BatchError]
// listing those that failed, each with the error the Conn method doing the
// same change alone would have returned, otherwise; errors.Is sees through
// it to each of them (such as [ErrExist]). An error of the exchange itself
// (a done context, a closed Conn) is returned as it is: the changes not
// acknowledged by then may or may not have been made.
func (c *Conn) SendBatch(ctx context.Context, b *Batch) error {
	var failed []BatchFailure
	err := c.nl.Pipeline(ctx, "rtnl: batch", b.msgs, func(i int, m nlconn.Message) {
		if len(m.Data) >= 4 && native.Endian.Uint32(m.Data) == 0 {
			return
		}
		failed = append(failed, BatchFailure{Index: i, Err: nlconn.ParseError(b.items[i].op(), m)})
	})
	if err != nil {
		return err
	}
	if len(failed) > 0 {
		return &BatchError{Failed: failed}
	}
	return nil
}

// A BatchError lists the changes of a batch that the kernel refused.
type BatchError struct {
	// Failed are the refused changes, in the order they were queued.
	Failed []BatchFailure
}

// A BatchFailure is one refused change of a batch.
type BatchFailure struct {
	// Index is the change's position in the batch, from 0.
	Index int
	// Err is the kernel's refusal, a *nlkit.Error.
	Err error
}

// Error says how many changes failed and why the first one did.
func (e *BatchError) Error() string {
	if len(e.Failed) == 0 {
		return "rtnl: batch: no change failed"
	}
	first := e.Failed[0]
	return fmt.Sprintf("rtnl: batch: %d of its changes failed; change %d: %v", len(e.Failed), first.Index, first.Err)
}

// Unwrap returns the error of each refused change.
func (e *BatchError) Unwrap() []error {
	errs := make([]error, len(e.Failed))
	for i, f := range e.Failed {
		errs[i] = f.Err
	}
	return errs
}
