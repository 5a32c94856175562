package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/nlkit/nlkit/rtnl"
)

// run prints the tables of the named namespace, or of the current one when
// netns is empty, then their changes, until ctx is done.
func run(ctx context.Context, w io.Writer, netns string) error {
	var opts []rtnl.Option
	if netns != "" {
		opts = append(opts, rtnl.WithNetNSPath("/run/netns/"+netns))
	}
	c, err := rtnl.Dial(ctx, opts...)
	if err != nil {
		return err
	}
	defer c.Close()

	v := view{w: w, objects: map[string]string{}, links: map[int32]string{}}
	for ev, err := range c.Watch(ctx, rtnl.WatchAll, rtnl.WithReceiveBuffer(1<<20)) {
		if err != nil {
			return err
		}
		v.apply(ev)
	}
	return nil
}

// view is what the command has printed: the text of each object by its
// key, and the names of the links.
type view struct {
	w       io.Writer
	objects map[string]string
	links   map[int32]string
}

// apply prints an event and keeps what it changed.
func (v *view) apply(ev rtnl.Event) {
	switch ev.Kind {
	case rtnl.EventResync:
		fmt.Fprintln(v.w, "! reading the tables again (changes were lost, or the kernel made some it did not report); what differs follows")
		return
	case rtnl.EventSynced:
		fmt.Fprintln(v.w, v.summary())
		return
	}
	if l := ev.Link; l != nil && ev.Kind == rtnl.EventNew {
		v.links[l.Index] = l.Name
	}
	key, text := ev.Key(), v.describe(ev)
	switch old, seen := v.objects[key]; {
	case ev.Kind == rtnl.EventDelete:
		delete(v.objects, key)
		fmt.Fprintln(v.w, "-", text)
	case !seen:
		v.objects[key] = text
		fmt.Fprintln(v.w, "+", text)
	case old != text:
		v.objects[key] = text
		fmt.Fprintln(v.w, "~", text)
	}
	if l := ev.Link; l != nil && ev.Kind == rtnl.EventDelete {
		delete(v.links, l.Index)
	}
}

// summary counts the objects of each kind the view holds.
func (v *view) summary() string {
	counts := map[string]int{}
	for _, text := range v.objects {
		kind, _, _ := strings.Cut(text, " ")
		counts[kind]++
	}
	return fmt.Sprintf("= %d links, %d addresses, %d routes, %d neighbours",
		counts["link"], counts["address"], counts["route"], counts["neighbour"])
}

// name is the name of the link with the index, or "ifN" for one the view
// has not seen.
func (v *view) name(index int32) string {
	if n, ok := v.links[index]; ok {
		return n
	}
	return fmt.Sprintf("if%d", index)
}

// describe is the line of the event's object.
func (v *view) describe(ev rtnl.Event) string {
	switch {
	case ev.Link != nil:
		l := ev.Link
		return fmt.Sprintf("link %s (index %d) <%s> mtu %d state %s", l.Name, l.Index, strings.Join(l.Flags.Names(), ","), l.MTU, l.OperState)
	case ev.Address != nil:
		a := ev.Address
		return fmt.Sprintf("address %s on %s scope %s", a.Prefix, v.name(a.LinkIndex), a.Scope)
	case ev.Route != nil:
		return v.describeRoute(ev.Route)
	case ev.Neighbor != nil:
		n := ev.Neighbor
		s := fmt.Sprintf("neighbour %s on %s", n.Dst, v.name(n.LinkIndex))
		if n.LLAddr != nil {
			s += " lladdr " + n.LLAddr.String()
		}
		return s + " " + strings.Join(n.State.Names(), ",")
	}
	return fmt.Sprintf("event %s", ev.Kind)
}

// describeRoute is a route's line: its type, destination, gateways,
// devices and table.
func (v *view) describeRoute(r *rtnl.Route) string {
	var b strings.Builder
	b.WriteString("route ")
	if r.Type != rtnl.RouteTypeUnicast {
		b.WriteString(r.Type.String() + " ")
	}
	if r.Dst.IsValid() && r.Dst.Bits() > 0 {
		b.WriteString(r.Dst.String())
	} else {
		b.WriteString("default")
	}
	if r.Gateway.IsValid() {
		b.WriteString(" via " + r.Gateway.String())
	}
	if r.LinkIndex != 0 {
		b.WriteString(" dev " + v.name(r.LinkIndex))
	}
	for _, nh := range r.Nexthops {
		fmt.Fprintf(&b, " nexthop via %s dev %s", nh.Gateway, v.name(nh.LinkIndex))
	}
	if r.NexthopID != 0 {
		fmt.Fprintf(&b, " nhid %d", r.NexthopID)
	}
	b.WriteString(" table " + r.Table.String())
	return b.String()
}
