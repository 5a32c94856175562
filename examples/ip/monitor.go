package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// monitorArgs are the arguments of `ip monitor`.
type monitorArgs struct {
	objects monitorObjects
	label   bool
	allNSID bool
	dev     string
}

// monitorObjects is the set of objects `ip monitor` was asked for; none
// means all of them.
type monitorObjects uint16

// The objects of `ip monitor`.
const (
	monLink monitorObjects = 1 << iota
	monAddress
	monRoute
	monMroute
	monPrefix
	monNeigh
	monNetconf
	monRule
	monNSID
	monNexthop
	monStats
)

// parseMonitorArgs reads `ip monitor [all | OBJECT…] [label] [all-nsid]
// [dev DEV]` in ip's order of tests: so "l" is label and "n" neigh.
func parseMonitorArgs(args []string) (monitorArgs, error) {
	var m monitorArgs
	for ; len(args) > 0; args = args[1:] {
		w := args[0]
		switch {
		case matches(w, "file"):
			return m, usageErr("ip monitor file is not part of this example.")
		case matches(w, "label"):
			m.label = true
		case matches(w, "link"):
			m.objects |= monLink
		case matches(w, "address"):
			m.objects |= monAddress
		case matches(w, "route"):
			m.objects |= monRoute
		case matches(w, "mroute"):
			m.objects |= monMroute
		case matches(w, "prefix"):
			m.objects |= monPrefix
		case matches(w, "neigh"):
			m.objects |= monNeigh
		case matches(w, "netconf"):
			m.objects |= monNetconf
		case matches(w, "rule"):
			m.objects |= monRule
		case matches(w, "nsid"):
			m.objects |= monNSID
		case matches(w, "nexthop"):
			m.objects |= monNexthop
		case w == "stats":
			m.objects |= monStats
		case w == "all":
			m.label = true
		case matches(w, "all-nsid"):
			m.allNSID = true
		case matches(w, "help"):
			return m, usageErr(monitorUsage)
		case w == "dev":
			if len(args) < 2 {
				return m, incomplete()
			}
			args = args[1:]
			m.dev = args[0]
		default:
			return m, usageErr("Argument \"" + w + "\" is unknown, try \"ip monitor help\".")
		}
	}
	return m, nil
}

// monitorUsage is ip's help text for ip monitor.
const monitorUsage = `Usage: ip monitor [ all | OBJECTS ] [ FILE ] [ label ] [ all-nsid ]
                  [ dev DEVICE ]
OBJECTS :=  address | link | mroute | neigh | netconf |
            nexthop | nsid | prefix | route | rule | stats
FILE := file FILENAME`

// groups returns the notification groups of the objects, as ip joins
// them: -4 and -6 leave out the other families' groups.
func (m monitorArgs) groups(family uint8) rtnl.MonitorGroups {
	objs := m.objects
	if objs == 0 {
		objs = ^monitorObjects(0)
	}
	any, v4, v6 := family == unix.AF_UNSPEC, family == unix.AF_INET, family == unix.AF_INET6
	mpls := family == unix.AF_MPLS
	var g rtnl.MonitorGroups
	add := func(on bool, group rtnl.MonitorGroups) {
		if on {
			g |= group
		}
	}
	add(objs&monLink != 0, rtnl.MonitorLink)
	add(objs&monAddress != 0 && (any || v4), rtnl.MonitorIPv4Addr)
	add(objs&monAddress != 0 && (any || v6), rtnl.MonitorIPv6Addr)
	add(objs&monRoute != 0 && (any || v4), rtnl.MonitorIPv4Route)
	add(objs&monRoute != 0 && (any || v6), rtnl.MonitorIPv6Route)
	add(objs&monRoute != 0 && (any || mpls), rtnl.MonitorMPLSRoute)
	add(objs&monPrefix != 0 && (any || v6), rtnl.MonitorIPv6Prefix)
	add(objs&monNeigh != 0, rtnl.MonitorNeigh)
	add(objs&monNetconf != 0 && (any || v4), rtnl.MonitorIPv4NetConf)
	add(objs&monNetconf != 0 && (any || v6), rtnl.MonitorIPv6NetConf)
	add(objs&monNetconf != 0 && (any || mpls), rtnl.MonitorMPLSNetConf)
	add(objs&monRule != 0 && (any || v4), rtnl.MonitorIPv4Rule)
	add(objs&monRule != 0 && (any || v6), rtnl.MonitorIPv6Rule)
	add(objs&monNSID != 0, rtnl.MonitorNSID)
	add(objs&monNexthop != 0, rtnl.MonitorNexthop)
	return g
}

// monitor runs `ip monitor`: it prints each change as ip does, until ctx
// is done.
func (c *command) monitor(ctx context.Context, args []string) error {
	m, err := parseMonitorArgs(args)
	if err != nil {
		return err
	}
	mon := &monitorView{c: c, args: m, links: linkCache{}, nexthops: map[uint32]rtnl.Nexthop{}, paint: c.painter()}
	if m.dev != "" {
		l, err := c.conn.LinkByName(ctx, m.dev)
		if err != nil {
			return invarg("Device does not exist\n", m.dev)
		}
		mon.devIndex = l.Index
	}
	groups := m.groups(c.opts.family)
	if groups == 0 {
		return nil
	}
	var opts []rtnl.MonitorOption
	if m.allNSID {
		opts = append(opts, rtnl.WithAllNSID())
	}
	if c.opts.rcvbuf > 0 {
		opts = append(opts, rtnl.WithReceiveBuffer(c.opts.rcvbuf))
	}
	sub, err := c.conn.Subscribe(ctx, groups, opts...)
	if err != nil {
		return err
	}
	defer sub.Close()
	if err := mon.load(ctx); err != nil {
		return err
	}
	for ev, err := range sub.Events(ctx) {
		switch {
		case errors.Is(err, rtnl.ErrOverrun):
			fmt.Fprintln(c.stderr, "netlink receive error No buffer space available (105)")
		case err != nil:
			return err
		default:
			mon.print(ctx, ev)
		}
	}
	return nil
}

// monitorView is what ip monitor keeps while it prints: the names and
// flags of the links, the nexthop objects, and the names of the
// namespaces with nsids.
type monitorView struct {
	c        *command
	args     monitorArgs
	devIndex int32
	links    linkCache
	nexthops map[uint32]rtnl.Nexthop
	nsNames  map[int32]string
	// bare leaves out the headers: -echo prints the objects alone.
	bare bool
	// headerEnd is where the header of the event being printed ends.
	headerEnd int
	// paint colors the events with -c, or is nil.
	paint *painter
}

// load reads the links and the namespace names, as ip does once it has
// subscribed.
func (m *monitorView) load(ctx context.Context) error {
	links, err := m.c.conn.Links(ctx)
	if err != nil {
		return err
	}
	for _, l := range links {
		m.links.remember(l)
	}
	return m.loadNSNames(ctx)
}

// header writes what ip writes before each event: the time with -t or
// -ts, the namespace with all-nsid, the label with label or all.
func (m *monitorView) header(b *strings.Builder, ev rtnl.Event, label string) {
	defer func() { m.headerEnd = b.Len() }()
	if m.bare {
		return
	}
	if m.c.opts.timestamp || m.c.opts.tshort {
		b.WriteString(timestamp(time.Now(), m.c.opts.tshort))
	}
	if m.args.allNSID {
		if ev.NSID < 0 {
			b.WriteString("[nsid current]")
		} else {
			b.WriteString("[nsid " + strconv.Itoa(int(ev.NSID)) + "]")
		}
	}
	if m.args.label {
		b.WriteString(label)
	}
}

// timestamp is ip's -t line ("Timestamp: Mon Dec  7 11:36:24 2026 607880
// usec") or its -ts prefix ("[2026-12-07T11:36:24.608271] ").
func timestamp(t time.Time, short bool) string {
	usec := t.Nanosecond() / 1000
	if short {
		return fmt.Sprintf("[%s.%06d] ", t.Format("2006-01-02T15:04:05"), usec)
	}
	return fmt.Sprintf("Timestamp: %s %d usec\n", t.Format("Mon Jan _2 15:04:05 2006"), usec)
}
