package rtnl

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// addrDumpRequest returns the payload of an RTM_GETADDR dump: an ifaddrmsg
// with the family and the link index, the filters the kernel applies in a
// strict dump.
func addrDumpRequest(f *addrFilter) []byte {
	b := make([]byte, ifAddrMsgLen)
	b[0] = f.family
	native.Endian.PutUint32(b[4:], uint32(f.index))
	return b
}

// Addresses returns the addresses of the calling thread's network
// namespace; see [Conn.Addresses].
func Addresses(ctx context.Context, filters ...AddrFilter) ([]Address, error) {
	return withConn(ctx, func(c *Conn) ([]Address, error) { return c.Addresses(ctx, filters...) })
}

// AddressesSeq streams the addresses of the calling thread's network
// namespace; see [Conn.AddressesSeq].
func AddressesSeq(ctx context.Context, filters ...AddrFilter) iter.Seq2[Address, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[Address, error] { return c.AddressesSeq(ctx, filters...) })
}

// LinkAddresses returns the links of the calling thread's network namespace
// with their addresses; see [Conn.LinkAddresses].
func LinkAddresses(ctx context.Context, filters ...AddrFilter) ([]LinkWithAddresses, error) {
	return withConn(ctx, func(c *Conn) ([]LinkWithAddresses, error) { return c.LinkAddresses(ctx, filters...) })
}

// Addresses returns the addresses that pass the filters (every address
// without any), in the kernel's order: IPv4 addresses link by link, then
// IPv6 ones. A link index that names no link gives an error matching
// [ErrNotExist]; an invalid filter, an [*InvalidError].
//
// If the kernel reports the dump interrupted by a change, Addresses returns
// the addresses it read with an error matching [ErrDumpInterrupted],
// unless [WithDumpRetries] lets it dump again.
func (c *Conn) Addresses(ctx context.Context, filters ...AddrFilter) ([]Address, error) {
	return c.AppendAddresses(ctx, nil, filters...)
}

// AppendAddresses appends the addresses that [Conn.Addresses] returns to
// dst and returns the extended slice. A slice from an earlier list,
// truncated (addrs[:0]), is reused: listing as many addresses again
// allocates nothing for them, nor makes the kernel supply new memory for
// them. On an error, it returns dst, its length unchanged; its spare
// capacity may have been written to.
func (c *Conn) AppendAddresses(ctx context.Context, dst []Address, filters ...AddrFilter) ([]Address, error) {
	f, err := newAddrFilter(filters)
	if err != nil {
		return dst, err
	}
	links, linkErr := c.addrLinks(ctx, &f)
	if linkErr != nil && !errors.Is(linkErr, ErrDumpInterrupted) {
		return dst, linkErr
	}
	addrs, err := nlconn.Append(ctx, c.nl, "rtnl: dump addresses", unix.RTM_GETADDR, 0, addrDumpRequest(&f), dst,
		keepMatching(new(addrDecoder).message, func(a *Address) bool { return f.match(a, links) }))
	if err == nil {
		err = linkErr
	}
	return addrs, err
}

// AddressesSeq streams the addresses that pass the filters as the kernel's
// reply arrives, decoding one at a time. With a label or link filter, the
// links are listed first. A dump the kernel reports interrupted ends with an
// error matching [ErrDumpInterrupted].
func (c *Conn) AddressesSeq(ctx context.Context, filters ...AddrFilter) iter.Seq2[Address, error] {
	return func(yield func(Address, error) bool) {
		f, err := newAddrFilter(filters)
		if err != nil {
			yield(Address{}, err)
			return
		}
		links, err := c.addrLinks(ctx, &f)
		if err != nil {
			yield(Address{}, err)
			return
		}
		nlconn.YieldDump(ctx, c.nl, "rtnl: dump addresses", unix.RTM_GETADDR, addrDumpRequest(&f),
			keepMatching(new(addrDecoder).message, func(a *Address) bool { return f.match(a, links) }), yield)
	}
}

// addrLinks lists the links the filter needs by index, or returns nil when
// it needs none.
func (c *Conn) addrLinks(ctx context.Context, f *addrFilter) (map[int32]*Link, error) {
	if !f.needsLinks() {
		return nil, nil
	}
	links, err := c.addrDumpLinks(ctx, f)
	if err != nil && !errors.Is(err, ErrDumpInterrupted) {
		return nil, err
	}
	byIndex := make(map[int32]*Link, len(links))
	for i := range links {
		byIndex[links[i].Index] = &links[i]
	}
	return byIndex, err
}

// addrDumpLinks dumps the links as `ip addr show` does (AF_UNSPEC, with
// the kernel-side kind and master filters), or gets the one link of a link
// filter, without resolving names.
func (c *Conn) addrDumpLinks(ctx context.Context, f *addrFilter) ([]Link, error) {
	var buf [96]byte
	req := addrLinkRequest(buf[:], f)
	if f.index != 0 {
		l, err := c.getLinkRaw(ctx, fmt.Sprintf("rtnl: get link %d", f.index), req)
		if err != nil {
			return nil, err
		}
		return []Link{l}, nil
	}
	return nlconn.Collect(ctx, c.nl, "rtnl: dump links", unix.RTM_GETLINK, 0, req, decodeLinkMessage)
}

// addrLinkRequest builds in buf the RTM_GETLINK request for the links of
// an address list, as ip addr show sends it: a get of the link of a link
// filter, or a dump of every link (AF_UNSPEC), with the kernel-side link
// filters.
func addrLinkRequest(buf []byte, f *addrFilter) []byte {
	req := linkRequest(buf, unix.AF_UNSPEC, f.index)
	if f.index == 0 {
		f.link.encode(&req)
	}
	return req.Bytes()
}

// LinkAddresses returns the links with their addresses, as
// `ip -d -s addr show` lists them: the JSON of the result is what
// `ip -j -d -s addr show` prints with the same selectors, less the empty
// objects ip prints for the links and addresses it filters out itself.
//
// As with ip, a link is listed when one of its addresses passes the
// filters, with the addresses that do, or when it has no address at all and
// no family (nor [FilterAddrTo]) is asked for; the link filters of
// [FilterAddrLinks] apply on top. The names of parents and masters are
// filled in as [Conn.Links] does.
//
// Two differences with ip 6.1 remain, both in the link part. With the
// IPv6 family, `ip -6 addr show` lists the links as the kernel's IPv6 layer
// describes them (family AF_INET6): fewer keys (no qdisc, group,
// broadcast, details) and IPv6 counters as stats64; LinkAddresses lists the
// links in full whatever the family. And ip, dumping the links that way,
// loses its kind filter (`ip -6 addr show type veth` shows nothing), which
// LinkAddresses keeps.
//
// An interrupted dump is handled as [Conn.Addresses] does.
func (c *Conn) LinkAddresses(ctx context.Context, filters ...AddrFilter) ([]LinkWithAddresses, error) {
	f, err := newAddrFilter(filters)
	if err != nil {
		return nil, err
	}
	links, interrupted := c.addrDumpLinks(ctx, &f)
	if interrupted != nil && !errors.Is(interrupted, ErrDumpInterrupted) {
		return nil, interrupted
	}
	// Every address of the family, to tell links without any.
	all, err := nlconn.Collect(ctx, c.nl, "rtnl: dump addresses", unix.RTM_GETADDR, 0, addrDumpRequest(&f), new(addrDecoder).message)
	if err != nil && !errors.Is(err, ErrDumpInterrupted) {
		return nil, err
	}
	if interrupted == nil {
		interrupted = err
	}

	out := addrGroup(links, all, &f)

	// Parents and masters may be among the links left out, or not listed.
	kept := make([]Link, len(out))
	for i := range out {
		kept[i] = out[i].Link
	}
	lc := c.newLinkCache(ctx)
	for i := range links {
		lc.seen[links[i].Index] = links[i]
	}
	resolveNames(kept, lc.lookup)
	if lc.err != nil {
		return nil, lc.err
	}
	for i := range out {
		out[i].Link = kept[i]
	}
	return out, interrupted
}

// addrGroup pairs the links with the addresses of all that pass the
// filter, as ip addr show does: it leaves out the links that fail the link
// filters, and those whose addresses all fail the filter; a link without any
// address is kept unless a family is asked for.
func addrGroup(links []Link, all []Address, f *addrFilter) []LinkWithAddresses {
	byIndex := make(map[int32]*Link, len(links))
	for i := range links {
		byIndex[links[i].Index] = &links[i]
	}
	perLink := make(map[int32][]Address)
	hasAny := make(map[int32]bool)
	for i := range all {
		a := &all[i]
		hasAny[a.LinkIndex] = true
		if f.match(a, byIndex) {
			perLink[a.LinkIndex] = append(perLink[a.LinkIndex], *a)
		}
	}
	var out []LinkWithAddresses
	for i := range links {
		l := &links[i]
		addrs := perLink[l.Index]
		if (len(addrs) == 0 && (hasAny[l.Index] || f.family != 0)) || !f.matchesLink(l) {
			continue
		}
		out = append(out, LinkWithAddresses{Link: *l, Addresses: addrs, labelOnly: f.hasLabel})
	}
	return out
}
