package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// print writes one event as ip monitor does: the header, then the object
// as the object's show command prints it, after "Deleted " for a removal.
// As in ip, the header is written even when the object is filtered out.
func (m *monitorView) print(ctx context.Context, ev rtnl.Event) {
	var b strings.Builder
	// out is the command writing into b, so that the show commands'
	// printers make the event's text.
	out := *m.c
	out.stdout = &b
	deleted := func() {
		if ev.Kind == rtnl.EventDelete {
			b.WriteString("Deleted ")
		}
	}
	switch {
	case ev.Link != nil:
		m.printLink(ctx, &b, &out, ev, deleted)
	case ev.Address != nil:
		m.header(&b, ev, "[ADDR]")
		a := ev.Address
		if m.devIndex != 0 && a.LinkIndex != m.devIndex {
			break
		}
		o, err := marshalObject(*a)
		if err != nil {
			break
		}
		deleted()
		var addr strings.Builder
		fmt.Fprintf(&addr, "%d: %s", a.LinkIndex, m.name(ctx, a.LinkIndex))
		out.writeAddr(&addr, o)
		out.write(addr.String())
	case ev.Route != nil:
		m.printRoute(ctx, &b, &out, ev, deleted)
	case ev.Neighbor != nil || ev.FDB != nil:
		m.printNeigh(ctx, &b, &out, ev)
	case ev.Rule != nil:
		m.header(&b, ev, "[RULE]")
		o, err := m.ruleObject(*ev.Rule)
		if err != nil {
			break
		}
		deleted()
		b.WriteString(ruleText(o) + "\n")
	case ev.Nexthop != nil:
		m.header(&b, ev, "[NEXTHOP]")
		o, err := m.nexthopObject(ctx, ev)
		if err != nil {
			break
		}
		deleted()
		b.WriteString(nexthopText(o) + "\n")
	case ev.NetConf != nil:
		m.printNetConf(ctx, &b, ev, deleted)
	case ev.NetNSID != nil:
		m.printNSID(ctx, &b, ev, deleted)
	case ev.Prefix != nil:
		m.printPrefix(ctx, &b, ev)
	}
	text := b.String()
	if m.paint != nil {
		text = text[:m.headerEnd] + m.colorEvent(ev, text[m.headerEnd:])
	}
	io.WriteString(m.c.stdout, text)
}

// colorEvent colors the text of an event, after its header, as ip -c
// monitor does: as the show commands color the object, after "Deleted "
// or "miss ".
func (m *monitorView) colorEvent(ev rtnl.Event, text string) string {
	var line func(*painter, string) string
	switch {
	case ev.Link != nil || ev.Address != nil:
		line = (*painter).link
	case ev.Route != nil:
		line = (*painter).route
	case ev.Neighbor != nil || ev.FDB != nil:
		line = (*painter).neigh
	case ev.Rule != nil:
		line = (*painter).rule
	case ev.Nexthop != nil:
		line = (*painter).nexthop
	case ev.NetConf != nil:
		line = (*painter).netconf
	default:
		return text
	}
	var prefix string
	for _, p := range []string{"Deleted ", "miss "} {
		if t, ok := strings.CutPrefix(text, p); ok {
			prefix, text = prefix+p, t
		}
	}
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		lines[i] = line(m.paint, l)
	}
	return prefix + strings.Join(lines, "")
}

// printLink prints a link event. Links are remembered before they are
// printed, and forgotten when deleted.
func (m *monitorView) printLink(ctx context.Context, b *strings.Builder, out *command, ev rtnl.Event, deleted func()) {
	l := *ev.Link
	if ev.Kind == rtnl.EventDelete {
		delete(m.links, l.Index)
	} else {
		m.links.remember(l)
	}
	m.header(b, ev, "[LINK]")
	if m.devIndex != 0 && l.Index != m.devIndex {
		return
	}
	o, err := m.linkObject(ctx, out, l)
	if err != nil {
		return
	}
	deleted()
	if m.c.opts.brief {
		// ip's brief form here is the name and the state alone, and
		// no line end.
		fmt.Fprintf(b, "%-16s %-14s ", linkName(o), o.str("operstate"))
		return
	}
	// ip writes a space after each item of the first line, the last too:
	// the show printer writes it before each.
	var link strings.Builder
	out.stdout = &link
	out.printLink(o, false)
	// It ends the line with the event that made the kernel send the link,
	// if any.
	first, rest, _ := strings.Cut(link.String(), out.lineEnd())
	if l.Event != 0 {
		first += " event " + l.Event.String()
	}
	b.WriteString(first + " " + out.lineEnd() + rest)
}

// printRoute prints a route event; ip leaves out the routes the kernel
// cloned, without a header.
func (m *monitorView) printRoute(ctx context.Context, b *strings.Builder, out *command, ev rtnl.Event, deleted func()) {
	r := *ev.Route
	if r.Flags&unix.RTM_F_CLONED != 0 {
		return
	}
	m.header(b, ev, "[ROUTE]")
	if m.devIndex != 0 && r.LinkIndex != m.devIndex {
		return
	}
	o, err := m.routeObject(ctx, out, r)
	if err != nil {
		return
	}
	deleted()
	b.WriteString(routeText(o) + "\n")
}

// routeObject is the object of a route event, as ip monitor prints it.
func (m *monitorView) routeObject(ctx context.Context, out *command, r rtnl.Route) (object, error) {
	if r.LinkIndex != 0 {
		r.LinkName = m.name(ctx, r.LinkIndex)
	}
	if r.InputLinkIndex != 0 {
		r.InputLinkName = m.name(ctx, r.InputLinkIndex)
	}
	r.Nexthops = append([]rtnl.RouteNexthop(nil), r.Nexthops...)
	for i := range r.Nexthops {
		r.Nexthops[i].LinkName = m.name(ctx, r.Nexthops[i].LinkIndex)
	}
	if m.c.opts.details && r.NexthopID != 0 && r.NexthopInfo == nil {
		r.NexthopInfo = m.nexthop(ctx, r.NexthopID)
	}
	// As ip route show dev does, ip leaves out the device it filters on.
	return out.routeObject(r, routeSelection{hidden: map[string]bool{"dev": m.devIndex != 0}})
}

// printNeigh prints a neighbour event, or a bridge FDB entry's, which ip
// prints as a neighbour; with -4 or -6 ip leaves out those of other
// families, header and all.
func (m *monitorView) printNeigh(ctx context.Context, b *strings.Builder, out *command, ev rtnl.Event) {
	n := neighOfEvent(ev)
	if f := m.c.opts.family; f != unix.AF_UNSPEC && f != n.Family {
		return
	}
	m.header(b, ev, "[NEIGH]")
	if m.devIndex != 0 && n.LinkIndex != m.devIndex {
		return
	}
	if n.LinkIndex != 0 {
		n.LinkName = m.name(ctx, n.LinkIndex)
	}
	o, err := out.neighObject(n, m.devIndex != 0)
	if err != nil {
		return
	}
	switch ev.Kind {
	case rtnl.EventDelete:
		b.WriteString("Deleted ")
	case rtnl.EventMiss:
		b.WriteString("miss ")
	}
	out.printNeigh(o)
}

// neighOfEvent returns the event's neighbour; a bridge FDB entry becomes
// the neighbour ip prints for it.
func neighOfEvent(ev rtnl.Event) rtnl.Neighbor {
	if ev.Neighbor != nil {
		return *ev.Neighbor
	}
	f := ev.FDB
	return rtnl.Neighbor{
		Family:    unix.AF_BRIDGE,
		LinkIndex: f.LinkIndex,
		Dst:       f.Dst,
		LLAddr:    f.MAC,
		State:     f.State,
		Flags:     f.Flags & (rtnl.NeighRouter | rtnl.NeighProxy | rtnl.NeighExternLearn | rtnl.NeighOffloaded),
		CacheInfo: f.CacheInfo,
	}
}

// printNetConf prints a netconf event as `ip netconf` prints one line.
func (m *monitorView) printNetConf(ctx context.Context, b *strings.Builder, ev rtnl.Event, deleted func()) {
	m.header(b, ev, "[NETCONF]")
	n := *ev.NetConf
	if m.devIndex != 0 && n.LinkIndex != m.devIndex {
		return
	}
	if n.LinkIndex > 0 {
		n.LinkName = m.name(ctx, n.LinkIndex)
	}
	o, err := marshalObject(n)
	if err != nil {
		return
	}
	deleted()
	b.WriteString(netconfText(o) + "\n")
}

// netconfText is a netconf's line as ip writes it, from its object: the
// family, the link, then each setting and its value, on or off for a
// switch.
func netconfText(o object) string {
	var b strings.Builder
	for _, m := range o {
		var s string
		json.Unmarshal(m.value, &s)
		switch {
		case m.key == "family" || m.key == "interface":
			b.WriteString(s + " ")
		case string(m.value) == "true":
			b.WriteString(m.key + " on ")
		case string(m.value) == "false":
			b.WriteString(m.key + " off ")
		case s != "":
			b.WriteString(m.key + " " + s + " ")
		default:
			b.WriteString(m.key + " " + string(m.value) + " ")
		}
	}
	return b.String()
}

// printNSID prints an nsid event with the name of the namespace, which ip
// looks up when the nsid is given and forgets when it is taken back.
func (m *monitorView) printNSID(ctx context.Context, b *strings.Builder, ev rtnl.Event, deleted func()) {
	m.header(b, ev, "[NSID]")
	deleted()
	id := ev.NetNSID.ID
	if id < 0 {
		b.WriteString("nsid unassigned ")
	} else {
		b.WriteString("nsid " + strconv.Itoa(int(id)) + " ")
	}
	name, ok := m.nsNames[id]
	if !ok && ev.Kind == rtnl.EventNew {
		m.loadNSNames(ctx)
		name, ok = m.nsNames[id]
	}
	if ok {
		b.WriteString("(iproute2 netns name: " + name + ")")
	}
	if ev.Kind == rtnl.EventDelete {
		delete(m.nsNames, id)
	}
	b.WriteString("\n")
}

// printPrefix prints a prefix learnt from a router advertisement as ip
// does, "dev" run on to the prefix included.
func (m *monitorView) printPrefix(ctx context.Context, b *strings.Builder, ev rtnl.Event) {
	m.header(b, ev, "[PREFIX]")
	p := ev.Prefix
	if f := m.c.opts.family; f != unix.AF_UNSPEC && f != unix.AF_INET6 {
		return
	}
	if p.Prefix.IsValid() {
		fmt.Fprintf(b, "prefix %s/%d", p.Prefix.Addr(), p.Prefix.Bits())
	}
	b.WriteString("dev " + m.name(ctx, p.LinkIndex) + " ")
	if p.OnLink {
		b.WriteString("onlink ")
	}
	if p.Autoconf {
		b.WriteString("autoconf ")
	}
	if lt := p.Lifetimes; lt != nil {
		fmt.Fprintf(b, "valid %d preferred %d ", lt.Valid, lt.Preferred)
	}
	b.WriteString("\n")
}
