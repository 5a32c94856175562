package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"runtime"
	"slices"

	vnl "github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/nlkit/nlkit/rtnl"
)

// An object is a kind of object dumped.
type object int

const (
	routesV4 object = iota
	routesV6
	links
	addresses
	neighbours
)

func (o object) String() string {
	switch o {
	case routesV4:
		return "IPv4 routes"
	case routesV6:
		return "IPv6 routes"
	case links:
		return "links"
	case addresses:
		return "IPv4 addresses"
	}
	return "IPv4 neighbours"
}

// readers returns the implementations that dump and decode objects of
// kind o, the raw floor first. Routes are dumped from all tables.
func readers(ctx context.Context, cl *clients, o object) []impl {
	c := cl.ns.c
	family := uint8(unix.AF_INET)
	if o == routesV6 {
		family = unix.AF_INET6
	}
	rtmsg := make([]byte, unix.SizeofRtMsg)
	rtmsg[0] = family
	ifaddrmsg := []byte{unix.AF_INET, 0, 0, 0, 0, 0, 0, 0}
	ndmsg := make([]byte, unix.SizeofNdMsg)
	ndmsg[0] = unix.AF_INET
	ifinfomsg := make([]byte, unix.SizeofIfInfomsg)

	switch o {
	case routesV4, routesV6:
		filters := []rtnl.RouteFilter{rtnl.FilterRouteFamily(family), rtnl.FilterRouteTable(rtnl.TableUnspec)}
		ipFamily := "-4"
		if family == unix.AF_INET6 {
			ipFamily = "-6"
		}
		return []impl{
			{"raw floor", func() (int, error) { return cl.raw.dump(unix.RTM_GETROUTE, rtmsg, unix.RTM_NEWROUTE) }},
			{floorHolding + "[]rtnl.Route" + freshSuffix, holding[rtnl.Route](func() (int, error) { return cl.raw.dump(unix.RTM_GETROUTE, rtmsg, unix.RTM_NEWROUTE) })},
			{"nlkit Routes" + freshSuffix, func() (int, error) { return count(c.Routes(ctx, filters...)) }},
			{"nlkit Routes", func() (int, error) { return count(c.Routes(ctx, filters...)) }},
			{"nlkit RoutesSeq", func() (int, error) { return countSeq(c.RoutesSeq(ctx, filters...)) }},
			{"nlkit AppendRoutes" + reusedSuffix, reusing(func(dst []rtnl.Route) ([]rtnl.Route, error) { return c.AppendRoutes(ctx, dst, filters...) })},
			{"vishvananda/netlink", func() (int, error) {
				return count(cl.vish.RouteListFiltered(int(family), &vnl.Route{Table: unix.RT_TABLE_UNSPEC}, vnl.RT_FILTER_TABLE))
			}},
			{"jsimonetti/rtnetlink", func() (int, error) {
				return count(cl.jsim.Route.ListMatch(&rtnetlink.RouteMessage{Family: family}))
			}},
			{"mdlayher/netlink framing", func() (int, error) { return cl.mdlDump(unix.RTM_GETROUTE, rtmsg, unix.RTM_NEWROUTE) }},
			{"ip -j", ipRun(cl.ns, ipFamily, "-d", "-s", "route", "show", "table", "all")},
		}
	case links:
		return []impl{
			{"raw floor", func() (int, error) { return cl.raw.dump(unix.RTM_GETLINK, ifinfomsg, unix.RTM_NEWLINK) }},
			{floorHolding + "[]rtnl.Link" + freshSuffix, holding[rtnl.Link](func() (int, error) { return cl.raw.dump(unix.RTM_GETLINK, ifinfomsg, unix.RTM_NEWLINK) })},
			{"nlkit Links" + freshSuffix, func() (int, error) { return count(c.Links(ctx)) }},
			{"nlkit Links", func() (int, error) { return count(c.Links(ctx)) }},
			{"nlkit LinksSeq", func() (int, error) { return countSeq(c.LinksSeq(ctx)) }},
			{"nlkit AppendLinks" + reusedSuffix, reusing(func(dst []rtnl.Link) ([]rtnl.Link, error) { return c.AppendLinks(ctx, dst) })},
			{"vishvananda/netlink", func() (int, error) { return count(cl.vish.LinkList()) }},
			{"jsimonetti/rtnetlink", func() (int, error) { return count(cl.jsim.Link.List()) }},
			{"mdlayher/netlink framing", func() (int, error) { return cl.mdlDump(unix.RTM_GETLINK, ifinfomsg, unix.RTM_NEWLINK) }},
			{"ip -j", ipRun(cl.ns, "-d", "-s", "link", "show")},
		}
	case addresses:
		filter := rtnl.FilterAddrFamily(unix.AF_INET)
		return []impl{
			{"raw floor", func() (int, error) { return cl.raw.dump(unix.RTM_GETADDR, ifaddrmsg, unix.RTM_NEWADDR) }},
			{floorHolding + "[]rtnl.Address" + freshSuffix, holding[rtnl.Address](func() (int, error) { return cl.raw.dump(unix.RTM_GETADDR, ifaddrmsg, unix.RTM_NEWADDR) })},
			{"nlkit Addresses" + freshSuffix, func() (int, error) { return count(c.Addresses(ctx, filter)) }},
			{"nlkit Addresses", func() (int, error) { return count(c.Addresses(ctx, filter)) }},
			{"nlkit AddressesSeq", func() (int, error) { return countSeq(c.AddressesSeq(ctx, filter)) }},
			{"nlkit AppendAddresses" + reusedSuffix, reusing(func(dst []rtnl.Address) ([]rtnl.Address, error) { return c.AppendAddresses(ctx, dst, filter) })},
			{"vishvananda/netlink", func() (int, error) { return count(cl.vish.AddrList(nil, unix.AF_INET)) }},
			{"jsimonetti/rtnetlink", func() (int, error) { return count(cl.jsim.Address.List()) }},
			{"mdlayher/netlink framing", func() (int, error) { return cl.mdlDump(unix.RTM_GETADDR, ifaddrmsg, unix.RTM_NEWADDR) }},
			{"ip -j", ipRun(cl.ns, "-4", "-d", "-s", "addr", "show")}, // counts "local" keys: ip groups addresses by link
		}
	}
	filter := rtnl.FilterNeighFamily(unix.AF_INET)
	return []impl{
		{"raw floor", func() (int, error) { return cl.raw.dump(unix.RTM_GETNEIGH, ndmsg, unix.RTM_NEWNEIGH) }},
		{floorHolding + "[]rtnl.Neighbor" + freshSuffix, holding[rtnl.Neighbor](func() (int, error) { return cl.raw.dump(unix.RTM_GETNEIGH, ndmsg, unix.RTM_NEWNEIGH) })},
		{"nlkit Neighbors" + freshSuffix, func() (int, error) { return count(c.Neighbors(ctx, filter)) }},
		{"nlkit Neighbors", func() (int, error) { return count(c.Neighbors(ctx, filter)) }},
		{"nlkit NeighborsSeq", func() (int, error) { return countSeq(c.NeighborsSeq(ctx, filter)) }},
		{"nlkit AppendNeighbors" + reusedSuffix, reusing(func(dst []rtnl.Neighbor) ([]rtnl.Neighbor, error) { return c.AppendNeighbors(ctx, dst, filter) })},
		{"vishvananda/netlink", func() (int, error) { return count(cl.vish.NeighList(0, unix.AF_INET)) }},
		{"jsimonetti/rtnetlink", func() (int, error) { return count(cl.jsim.Neigh.List()) }},
		{"mdlayher/netlink framing", func() (int, error) { return cl.mdlDump(unix.RTM_GETNEIGH, ndmsg, unix.RTM_NEWNEIGH) }},
		{"ip -j", ipRun(cl.ns, "-4", "-d", "-s", "neigh", "show")},
	}
}

// floorHolding starts the names of the raw floors that hold their result.
const floorHolding = "raw floor, holding a new "

// holding returns a run of the raw floor that then holds what it counted
// as a new slice of as many values of T, each written once: the least any
// list returning a new []T costs over the floor, whatever its decoding
// (the slice's memory, supplied by the kernel or cleared by the runtime,
// and written). The slice is made after the dump, of the exact length, as
// nlkit's slice lists make theirs.
func holding[T any](floor run) run {
	return func() (int, error) {
		n, err := floor()
		if err != nil {
			return n, err
		}
		vs := make([]T, n)
		var v T
		for i := range vs {
			vs[i] = v
		}
		runtime.KeepAlive(vs)
		return n, nil
	}
}

// freshSuffix ends the names of the runs that start with the free memory
// of the process returned to the kernel: a new slice they make is new
// memory the kernel supplies page by page.
const freshSuffix = ", memory from the kernel"

// reusedSuffix names the runs of an append-style list that reuse the slice
// of the run before: every run but the first of each dataset.
const reusedSuffix = ", slice reused"

// reusing returns a run of the append-style list that appends to the slice
// the run before returned, truncated: the first run makes the slice, the
// others reuse it (the best of the runs is one of those).
func reusing[T any](list func(dst []T) ([]T, error)) run {
	var vs []T
	return func() (int, error) {
		var err error
		vs, err = list(vs[:0])
		return len(vs), err
	}
}

// ipRun returns a run of `ip -n NS -j ARGS` as a process, which counts
// the objects of its output.
func ipRun(n *namespace, args ...string) run {
	return func() (int, error) {
		cmd := exec.Command("ip", append([]string{"-n", n.name, "-j"}, args...)...)
		var out, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err := cmd.Run(); err != nil {
			return 0, fmt.Errorf("ip %v: %v: %s", args, err, stderr.Bytes())
		}
		if slices.Contains(args, "addr") {
			return bytes.Count(out.Bytes(), []byte(`"local":`)), nil
		}
		return countJSONObjects(out.Bytes()), nil
	}
}

// countJSONObjects counts the objects of a JSON array of objects, in one
// pass over its bytes.
func countJSONObjects(b []byte) int {
	n, depth, inString, escaped := 0, 0, false, false
	for _, c := range b {
		switch {
		case escaped:
			escaped = false
		case inString:
			switch c {
			case '\\':
				escaped = true
			case '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if c == '{' && depth == 2 {
				n++
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return n
}
