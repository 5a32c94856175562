package rtnl

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// A NexthopFilter narrows the nexthops a list returns, as the selectors of
// `ip nexthop show` do. Filters combine: a nexthop must pass them all. The
// kernel filters by family, device, master, groups and fdb itself; nlkit
// applies the protocol filter to what comes back, and gets the one nexthop
// of an ID filter.
type NexthopFilter func(*nexthopFilter)

type nexthopFilter struct {
	id          uint32
	family      uint8
	index       int32
	master      int32
	groups      bool
	fdb         bool
	protocol    Protocol
	hasProtocol bool
	invalid     error
}

// FilterNexthopID keeps the nexthop of one ID (`id N`). Like ip, the list
// gets that nexthop rather than dumping them all: a missing one gives an
// error matching [ErrNotExist].
func FilterNexthopID(id uint32) NexthopFilter {
	return func(f *nexthopFilter) {
		if id == 0 {
			f.fail(errInvalid("nexthop ID", "0"))
		}
		f.id = id
	}
}

// FilterNexthopFamily keeps the nexthops of one family, unix.AF_INET or
// unix.AF_INET6 (`ip -4 nexthop show`, `ip -6 nexthop show`); groups have
// none and are left out. The kernel applies it.
func FilterNexthopFamily(family uint8) NexthopFilter {
	return func(f *nexthopFilter) {
		if family != unix.AF_INET && family != unix.AF_INET6 {
			f.fail(errInvalid("nexthop family", fmt.Sprintf("%d: want AF_INET or AF_INET6", family)))
		}
		f.family = family
	}
}

// FilterNexthopLink keeps the nexthops through the device of this index
// (`dev DEV`). The kernel applies it.
func FilterNexthopLink(index int32) NexthopFilter {
	return func(f *nexthopFilter) {
		if index <= 0 {
			f.fail(errInvalid("nexthop link index", fmt.Sprintf("%d", index)))
		}
		f.index = index
	}
}

// FilterNexthopMaster keeps the nexthops through a device whose master
// (a VRF) has this index (`master DEV`, `vrf NAME`). The kernel applies it.
func FilterNexthopMaster(index int32) NexthopFilter {
	return func(f *nexthopFilter) {
		if index <= 0 {
			f.fail(errInvalid("nexthop master index", fmt.Sprintf("%d", index)))
		}
		f.master = index
	}
}

// FilterNexthopGroups keeps the groups (`groups`). The kernel applies it.
func FilterNexthopGroups() NexthopFilter {
	return func(f *nexthopFilter) { f.groups = true }
}

// FilterNexthopFDB keeps the nexthops and groups for the forwarding
// database (`fdb`). The kernel applies it. ip 6.1 sends the same
// attribute, yet lists every nexthop, and `ip nexthop flush fdb` deletes
// every one, on the kernels tried (6.18).
func FilterNexthopFDB() NexthopFilter {
	return func(f *nexthopFilter) { f.fdb = true }
}

// FilterNexthopProtocol keeps the nexthops installed by this protocol
// (`protocol ID`).
func FilterNexthopProtocol(p Protocol) NexthopFilter {
	return func(f *nexthopFilter) { f.protocol, f.hasProtocol = p, true }
}

func (f *nexthopFilter) fail(err error) {
	if f.invalid == nil {
		f.invalid = err
	}
}

func newNexthopFilter(filters []NexthopFilter) (nexthopFilter, error) {
	var f nexthopFilter
	for _, fn := range filters {
		fn(&f)
	}
	return f, f.invalid
}

// match reports whether n passes the filters. The kernel applies the
// others to a dump; they are checked again for a nexthop got by ID.
func (f *nexthopFilter) match(n *Nexthop) bool {
	switch {
	case f.hasProtocol && n.Protocol != f.protocol:
		return false
	case f.id != 0 && n.ID != f.id:
		return false
	case f.family != 0 && n.Family != f.family:
		return false
	case f.index != 0 && n.LinkIndex != f.index:
		return false
	case f.groups && n.Group == nil:
		return false
	case f.fdb && !n.FDB:
		return false
	}
	return true
}

// dumpRequest returns the payload of an RTM_GETNEXTHOP dump with the
// filters the kernel applies, in the order ip sends them.
func (f *nexthopFilter) dumpRequest() []byte {
	var w writer
	w.Append([]byte{f.family, 0, 0, 0, 0, 0, 0, 0})
	f.putDumpFilters(&w)
	return w.Bytes()
}

// putDumpFilters appends the attributes of the kernel-side filters.
func (f *nexthopFilter) putDumpFilters(w *writer) {
	if f.index != 0 {
		w.Uint32(unix.NHA_OIF, uint32(f.index))
	}
	putFlag(w, unix.NHA_GROUPS, f.groups)
	if f.master != 0 {
		w.Uint32(unix.NHA_MASTER, uint32(f.master))
	}
	putFlag(w, nhaFDB, f.fdb)
}
