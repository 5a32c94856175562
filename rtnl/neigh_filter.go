package rtnl

import (
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/addrfamily"
)

// A NeighFilter narrows the neighbours a list returns, or a flush deletes,
// as the selectors of `ip neigh show` and `ip neigh flush` do. Filters
// combine: an entry must pass them all. The kernel filters by link, by
// master and by proxy entries itself; nlkit applies the others to what
// comes back.
//
// Without [FilterNeighState] or [FilterNeighAllStates], a list leaves out
// the entries in state NOARP (such as multicast ones) and a flush the
// PERMANENT and NOARP ones, as ip does. Proxy and externally learned
// entries pass any state filter.
type NeighFilter func(*neighFilter)

type neighFilter struct {
	family     uint8
	index      int32
	master     int32
	states     uint32
	stateGiven bool
	allStates  bool
	proxy      bool
	to         netip.Prefix
	hasTo      bool
	protocol   Protocol
	unused     bool
	invalid    error
}

// FilterNeighFamily keeps the entries of one family, unix.AF_INET or
// unix.AF_INET6 (`ip -4 neigh show`, `ip -6 neigh show`). The kernel
// applies it.
func FilterNeighFamily(family uint8) NeighFilter {
	return func(f *neighFilter) {
		if family != unix.AF_INET && family != unix.AF_INET6 {
			f.fail(errInvalid("neighbour family", fmt.Sprintf("%d: want AF_INET or AF_INET6", family)))
		}
		f.family = family
	}
}

// FilterNeighLink keeps the entries of the link with the given index
// (`dev DEV`). The kernel applies it. As with ip, the entries' JSON then
// has no "dev".
func FilterNeighLink(index int32) NeighFilter {
	return func(f *neighFilter) {
		if index <= 0 {
			f.fail(errInvalid("neighbour link index", fmt.Sprintf("%d", index)))
		}
		f.index = index
	}
}

// FilterNeighMaster keeps the entries of the links whose master has the
// given index (`master DEV`, `vrf NAME`). The kernel applies it.
func FilterNeighMaster(index int32) NeighFilter {
	return func(f *neighFilter) {
		if index <= 0 {
			f.fail(errInvalid("neighbour master index", fmt.Sprintf("%d", index)))
		}
		f.master = index
	}
}

// FilterNeighNoMaster keeps the entries of the links without a master
// (`nomaster`). The kernel applies it.
func FilterNeighNoMaster() NeighFilter {
	return func(f *neighFilter) { f.master = -1 }
}

// FilterNeighState keeps the entries in one of the states (`nud STATE`,
// once per state); [NeighNone] keeps the entries in no state.
func FilterNeighState(states NeighState) NeighFilter {
	return func(f *neighFilter) {
		f.stateGiven = true
		if states == NeighNone {
			f.states |= neighStateNoneBit
		}
		f.states |= uint32(states)
	}
}

// FilterNeighAllStates keeps the entries in any state (`nud all`); a flush
// still leaves out the NOARP ones, as ip's does.
func FilterNeighAllStates() NeighFilter {
	return func(f *neighFilter) { f.stateGiven, f.allStates = true, true }
}

// FilterNeighProxy lists the proxy entries instead of the neighbours
// (`ip neigh show proxy`). The kernel applies it.
func FilterNeighProxy() NeighFilter {
	return func(f *neighFilter) { f.proxy = true }
}

// FilterNeighTo keeps the entries whose address is in the prefix
// (`to PREFIX`); a single address is a prefix of full length. Like ip, it
// keeps only entries of the prefix's family.
func FilterNeighTo(prefix netip.Prefix) NeighFilter {
	return func(f *neighFilter) {
		if !prefix.IsValid() {
			f.fail(errInvalid("neighbour prefix", fmt.Sprintf("%q", prefix)))
		}
		f.to, f.hasTo = prefix.Masked(), true
	}
}

// FilterNeighProtocol keeps the entries installed by the protocol
// (`protocol PROTO`).
func FilterNeighProtocol(p Protocol) NeighFilter {
	return func(f *neighFilter) { f.protocol = p }
}

// FilterNeighUnused keeps the entries the kernel holds no reference to
// (`unused`).
func FilterNeighUnused() NeighFilter {
	return func(f *neighFilter) { f.unused = true }
}

func (f *neighFilter) fail(err error) {
	if f.invalid == nil {
		f.invalid = err
	}
}

// newNeighFilter builds the filter of a list, or of a flush, whose default
// states differ.
func newNeighFilter(filters []NeighFilter, flush bool) (neighFilter, error) {
	var f neighFilter
	for _, fn := range filters {
		fn(&f)
	}
	switch {
	case f.allStates:
		f.states = ^uint32(0)
		if flush {
			f.states &^= uint32(NeighNoARP)
		}
	case f.stateGiven:
	case flush:
		f.states = ^uint32(NeighPermanent | NeighNoARP)
	default:
		f.states = 0xff &^ uint32(NeighNoARP)
	}
	if f.hasTo {
		// ip takes the family from the prefix, and refuses a prefix of
		// another family than the one asked for.
		family := addrfamily.Of(f.to.Addr())
		switch {
		case f.family == 0:
			f.family = family
		case f.family != family:
			f.fail(errInvalid("neighbour prefix", fmt.Sprintf("%s is not of the family asked for", f.to)))
		}
	}
	return f, f.invalid
}

// dumpRequest returns the payload of the RTM_GETNEIGH dump, as ip sends
// it: an ndmsg with the family and the proxy flag, NDA_IFINDEX and
// NDA_MASTER, the filters the kernel applies in a strict dump.
func (f *neighFilter) dumpRequest() []byte {
	var w writer
	flags := NeighFlags(0)
	if f.proxy {
		flags = NeighProxy
	}
	putNdMsg(&w, f.family, 0, 0, flags)
	if f.index != 0 {
		w.Uint32(unix.NDA_IFINDEX, uint32(f.index))
	}
	if f.master != 0 {
		w.Uint32(unix.NDA_MASTER, uint32(f.master))
	}
	return w.Bytes()
}

// match reports whether n passes the filter, as ip's print_neigh decides.
func (f *neighFilter) match(n *Neighbor) bool {
	switch {
	case f.family != 0 && n.Family != f.family:
		return false
	case f.index != 0 && n.LinkIndex != f.index:
		return false
	case uint32(n.State)&f.states == 0 && n.Flags&(NeighProxy|NeighExternLearn) == 0 &&
		(n.State != 0 || f.states&neighStateNoneBit == 0):
		return false
	case f.hasTo && f.to.Bits() > 0 && n.Dst.IsValid() && !f.to.Contains(n.Dst):
		return false
	case f.protocol != 0 && n.Protocol != f.protocol:
		return false
	case f.unused && n.CacheInfo != nil && n.CacheInfo.RefCount != 0:
		return false
	}
	return true
}

// neighFlushRequest returns the payload of the RTM_DELNEIGH request that
// deletes the entry of a dump reply, if it passes the filter: as ip does,
// the reply itself.
func neighFlushRequest(typ uint16, data []byte, f *neighFilter) ([]byte, bool, error) {
	if typ != unix.RTM_NEWNEIGH {
		return nil, false, nil
	}
	n, err := decodeNeighbor(data)
	if err != nil || !f.match(&n) {
		return nil, false, err
	}
	return append([]byte(nil), data...), true, nil
}
