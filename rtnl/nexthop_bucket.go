package rtnl

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// A NexthopBucket is one hash bucket of a resilient nexthop group: what
// `ip nexthop bucket show` reports of it (struct nhmsg, NHA_ID and
// NHA_RES_BUCKET).
type NexthopBucket struct {
	// GroupID is the ID of the group (NHA_ID).
	GroupID uint32
	// Index is the bucket's index in the group (NHA_RES_BUCKET_INDEX).
	Index uint16
	// IdleTime is how long the bucket has been idle
	// (NHA_RES_BUCKET_IDLE_TIME).
	IdleTime time.Duration
	// NexthopID is the ID of the member the bucket sends to
	// (NHA_RES_BUCKET_NH_ID).
	NexthopID uint32
	// Flags are the bucket's flags (nh_flags), such as [RouteTrap].
	Flags RouteFlags
}

// MarshalJSON encodes the bucket as one element of
// `ip -j nexthop bucket show` (iproute2 6.1):
// {"id":…,"bucket":{"index":…,"idle_time":…,"nhid":…},"flags":[…]}.
func (b NexthopBucket) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.Uint("id", uint64(b.GroupID))
	w.Open("bucket")
	w.Uint("index", uint64(b.Index))
	writeJSONSeconds(&w, "idle_time", b.IdleTime)
	w.Uint("nhid", uint64(b.NexthopID))
	w.Close()
	writeJSONRouteFlags(&w, b.Flags)
	w.Close()
	return w.Bytes(), nil
}

// decodeNexthopBucket decodes the payload of an RTM_NEWNEXTHOPBUCKET
// message.
func decodeNexthopBucket(b []byte) (NexthopBucket, error) {
	var nb NexthopBucket
	if len(b) < nhMsgLen {
		return nb, fmt.Errorf("nexthop bucket message is %d bytes, shorter than nhmsg", len(b))
	}
	nb.Flags = RouteFlags(native.Endian.Uint32(b[4:]))
	d := attrs.NewDecoder(b[nhMsgLen:])
	for d.Next() {
		switch d.Type() {
		case unix.NHA_ID:
			nb.GroupID = d.Uint32()
		case nhaResBucket:
			nd := d.Nested()
			for nd.Next() {
				switch nd.Type() {
				case nhaResBucketIndex:
					nb.Index = nd.Uint16()
				case nhaResBucketIdleTime:
					nb.IdleTime = ticksDuration(nd.Uint64())
				case nhaResBucketNHID:
					nb.NexthopID = nd.Uint32()
				}
			}
			if err := nd.Err(); err != nil {
				return nb, fmt.Errorf("NHA_RES_BUCKET: %w", err)
			}
		}
	}
	return nb, d.Err()
}

// decodeNexthopBucketMessage decodes a bucket from a dump reply, skipping
// messages of other types.
func decodeNexthopBucketMessage(m nlconn.Message) (NexthopBucket, bool, error) {
	if m.Type != unix.RTM_NEWNEXTHOPBUCKET {
		return NexthopBucket{}, false, nil
	}
	b, err := decodeNexthopBucket(m.Data)
	return b, err == nil, err
}

// A NexthopBucketFilter narrows the buckets a list returns, as the
// selectors of `ip nexthop bucket show` do. The kernel applies them all.
type NexthopBucketFilter func(*nexthopBucketFilter)

type nexthopBucketFilter struct {
	nexthopFilter
	group, nexthop uint32
}

// FilterBucketGroup keeps the buckets of the group with this ID (`id N`).
func FilterBucketGroup(id uint32) NexthopBucketFilter {
	return func(f *nexthopBucketFilter) { f.group = id }
}

// FilterBucketNexthop keeps the buckets that send to the nexthop with this
// ID (`nhid N`).
func FilterBucketNexthop(id uint32) NexthopBucketFilter {
	return func(f *nexthopBucketFilter) { f.nexthop = id }
}

// FilterBucketLink keeps the buckets that send to a nexthop through the
// device of this index (`dev DEV`).
func FilterBucketLink(index int32) NexthopBucketFilter {
	return func(f *nexthopBucketFilter) { FilterNexthopLink(index)(&f.nexthopFilter) }
}

// FilterBucketMaster keeps the buckets that send to a nexthop through a
// device whose master has this index (`master DEV`, `vrf NAME`).
func FilterBucketMaster(index int32) NexthopBucketFilter {
	return func(f *nexthopBucketFilter) { FilterNexthopMaster(index)(&f.nexthopFilter) }
}

// dumpRequest returns the payload of an RTM_GETNEXTHOPBUCKET dump with the
// filters, in the order ip sends them.
func (f *nexthopBucketFilter) dumpRequest() []byte {
	var w writer
	w.Append(make([]byte, nhMsgLen))
	f.putDumpFilters(&w)
	if f.group != 0 {
		w.Uint32(unix.NHA_ID, f.group)
	}
	if f.nexthop != 0 {
		nest := w.Nest(nhaResBucket | attrs.Nested)
		w.Uint32(nhaResBucketNHID, f.nexthop)
		w.End(nest)
	}
	return w.Bytes()
}

// NexthopBuckets returns the buckets of the resilient groups of the calling
// thread's network namespace; see [Conn.NexthopBuckets].
func NexthopBuckets(ctx context.Context, filters ...NexthopBucketFilter) ([]NexthopBucket, error) {
	return withConn(ctx, func(c *Conn) ([]NexthopBucket, error) { return c.NexthopBuckets(ctx, filters...) })
}

// NexthopBucketsSeq streams the buckets of the resilient groups of the
// calling thread's network namespace; see [Conn.NexthopBucketsSeq].
func NexthopBucketsSeq(ctx context.Context, filters ...NexthopBucketFilter) iter.Seq2[NexthopBucket, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[NexthopBucket, error] { return c.NexthopBucketsSeq(ctx, filters...) })
}

// NexthopBuckets returns the buckets of the resilient groups that pass the
// filters, group by group, as `ip nexthop bucket show` lists them. A
// group filter naming a missing group gives an error matching
// [ErrNotExist]; an invalid filter, an [*InvalidError]. An interrupted
// dump is handled as [Conn.Nexthops] does.
func (c *Conn) NexthopBuckets(ctx context.Context, filters ...NexthopBucketFilter) ([]NexthopBucket, error) {
	f, err := newNexthopBucketFilter(filters)
	if err != nil {
		return nil, err
	}
	return nlconn.Collect(ctx, c.nl, "rtnl: dump nexthop buckets", unix.RTM_GETNEXTHOPBUCKET, 0, f.dumpRequest(),
		decodeNexthopBucketMessage)
}

// NexthopBucketsSeq streams the buckets that pass the filters as the
// kernel's reply arrives. A dump the kernel reports interrupted ends with
// an error matching [ErrDumpInterrupted].
func (c *Conn) NexthopBucketsSeq(ctx context.Context, filters ...NexthopBucketFilter) iter.Seq2[NexthopBucket, error] {
	return func(yield func(NexthopBucket, error) bool) {
		f, err := newNexthopBucketFilter(filters)
		if err != nil {
			yield(NexthopBucket{}, err)
			return
		}
		nlconn.YieldDump(ctx, c.nl, "rtnl: dump nexthop buckets", unix.RTM_GETNEXTHOPBUCKET, f.dumpRequest(),
			decodeNexthopBucketMessage, yield)
	}
}

// GetNexthopBucket returns one bucket of a resilient group, as
// `ip nexthop bucket get id ID index INDEX` shows it. A missing group or
// bucket gives an error matching [ErrNotExist].
func (c *Conn) GetNexthopBucket(ctx context.Context, group uint32, index uint16) (NexthopBucket, error) {
	if group == 0 {
		return NexthopBucket{}, errInvalid("nexthop group ID", "0")
	}
	var w writer
	w.Append(make([]byte, nhMsgLen))
	w.Uint32(unix.NHA_ID, group)
	nest := w.Nest(nhaResBucket | attrs.Nested)
	w.Uint16(nhaResBucketIndex, index)
	w.End(nest)
	var b NexthopBucket
	found := false
	op := fmt.Sprintf("rtnl: get bucket %d of nexthop group %d", index, group)
	err := c.nl.Execute(ctx, op, unix.RTM_GETNEXTHOPBUCKET, 0, w.Bytes(), func(m nlconn.Message) error {
		var keep bool
		var err error
		b, keep, err = decodeNexthopBucketMessage(m)
		found = found || keep
		return err
	})
	if err == nil && !found {
		err = fmt.Errorf("%s: the kernel sent no bucket", op)
	}
	return b, err
}

func newNexthopBucketFilter(filters []NexthopBucketFilter) (nexthopBucketFilter, error) {
	var f nexthopBucketFilter
	for _, fn := range filters {
		fn(&f)
	}
	return f, f.invalid
}
