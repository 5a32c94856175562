package rtnl

import (
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// A LinkFilter narrows the links a list returns, as the selectors of
// `ip link show` do. Filters combine: a link must pass them all. The kernel
// filters by kind and master itself; nlkit checks every filter again on what
// comes back, because the kernel drops a kind filter for a kind it does not
// know.
type LinkFilter func(*linkFilter)

type linkFilter struct {
	kind, slaveKind string
	master          int32
	noMaster        bool
	group           uint32
	hasGroup        bool
	up              bool
}

// FilterKind keeps the links of one kind, such as "bridge"
// (`ip link show type bridge`).
func FilterKind(kind string) LinkFilter {
	return func(f *linkFilter) { f.kind = kind }
}

// FilterSlaveKind keeps the links that are ports of a master of one kind,
// such as "bridge" (`ip link show type bridge_slave`).
func FilterSlaveKind(kind string) LinkFilter {
	return func(f *linkFilter) { f.slaveKind = kind }
}

// FilterMaster keeps the ports of the master with the given index
// (`ip link show master DEV`).
func FilterMaster(index int32) LinkFilter {
	return func(f *linkFilter) { f.master = index }
}

// FilterNoMaster keeps the links without a master (`ip link show nomaster`).
func FilterNoMaster() LinkFilter {
	return func(f *linkFilter) { f.noMaster = true }
}

// FilterGroup keeps the links of an interface group (`ip link show group N`).
func FilterGroup(group uint32) LinkFilter {
	return func(f *linkFilter) { f.group, f.hasGroup = group, true }
}

// FilterUp keeps the links that are up (`ip link show up`).
func FilterUp() LinkFilter {
	return func(f *linkFilter) { f.up = true }
}

func newLinkFilter(filters []LinkFilter) linkFilter {
	var f linkFilter
	for _, fn := range filters {
		fn(&f)
	}
	return f
}

// encode appends the attributes of the filters the kernel applies to a link
// dump: IFLA_MASTER and IFLA_LINKINFO with the kind.
func (f *linkFilter) encode(e *attrs.Encoder) {
	if f.master != 0 {
		e.Int32(unix.IFLA_MASTER, f.master)
	}
	if f.kind != "" {
		n := e.Nest(unix.IFLA_LINKINFO)
		e.Raw(unix.IFLA_INFO_KIND, []byte(f.kind))
		e.End(n)
	}
}

// match reports whether l passes every filter.
func (f *linkFilter) match(l *Link) bool {
	switch {
	case f.kind != "" && (l.Info == nil || l.Info.Kind != f.kind):
		return false
	case f.slaveKind != "" && (l.Info == nil || l.Info.SlaveKind != f.slaveKind):
		return false
	case f.master != 0 && l.MasterIndex != f.master:
		return false
	case f.noMaster && l.MasterIndex != 0:
		return false
	case f.hasGroup && l.Group != f.group:
		return false
	case f.up && l.Flags&unix.IFF_UP == 0:
		return false
	}
	return true
}

// filtered reports whether any filter is set.
func (f *linkFilter) filtered() bool { return *f != linkFilter{} }
