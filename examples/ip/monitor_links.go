package main

import (
	"context"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/netnsutil"
	"github.com/nlkit/nlkit/rtnl"
)

// linkCache is ip's cache of the links it has seen, by index: it names
// the links events refer to, and says whether a parent is up (M-DOWN).
// Link events update it before they are printed, as in ip.
type linkCache map[int32]cachedLink

// cachedLink is what the cache keeps of a link.
type cachedLink struct {
	name string
	up   bool
}

// remember keeps l's name and flags.
func (lc linkCache) remember(l rtnl.Link) {
	lc[l.Index] = cachedLink{name: l.Name, up: l.Flags&unix.IFF_UP != 0}
}

// name returns the name of the link with the index, as ip's
// ll_index_to_name does: "*" for 0, the cached name, else the kernel's,
// which is then cached, else "ifN".
func (m *monitorView) name(ctx context.Context, index int32) string {
	if index == 0 {
		return "*"
	}
	if l, ok := m.links[index]; ok {
		return l.name
	}
	if l, err := m.c.conn.LinkByIndex(ctx, index); err == nil {
		m.links.remember(l)
		return l.Name
	}
	return "if" + strconv.FormatUint(uint64(uint32(index)), 10)
}

// fillLink names a link event's parent and master from the cache, and
// says, as ip does from its cache, whether the parent is down.
func (m *monitorView) fillLink(ctx context.Context, l *rtnl.Link) {
	if p := l.ParentIndex; p != nil && *p != 0 && l.LinkNetNSID == nil {
		l.ParentName = m.name(ctx, *p)
		l.ParentDown = !m.links[*p].up
	}
	if l.MasterIndex != 0 {
		l.Master = m.name(ctx, l.MasterIndex)
	}
}

// nexthop returns the nexthop object with the id, for the nh_info of a
// route, as ip does from its cache of nexthops, which nexthop events keep
// up to date: a nexthop it has not seen is asked of the kernel, then
// cached. It returns nil for a nexthop the kernel does not have.
func (m *monitorView) nexthop(ctx context.Context, id uint32) *rtnl.Nexthop {
	nh, ok := m.nexthops[id]
	if !ok {
		var err error
		if nh, err = m.c.conn.GetNexthop(ctx, id); err != nil {
			return nil
		}
		if nh.LinkIndex != 0 {
			nh.LinkName = m.name(ctx, nh.LinkIndex)
		}
		m.nexthops[id] = nh
	}
	return &nh
}

// loadNSNames reads the names of the namespaces that have nsids, which
// ip monitor prints with nsid events and, for link-netnsid, with links.
func (m *monitorView) loadNSNames(ctx context.Context) error {
	m.nsNames = map[int32]string{}
	opts, done, err := m.c.netnsOptions()
	if err != nil {
		return err
	}
	defer done()
	ids, err := netnsutil.ListIDs(ctx, opts...)
	if err != nil {
		return err
	}
	m.c.nsNames = map[string]string{}
	for _, id := range ids {
		if id.Name != "" {
			m.nsNames[int32(id.NSID)] = id.Name
			m.c.nsNames[strconv.Itoa(id.NSID)] = id.Name
		}
	}
	return nil
}
