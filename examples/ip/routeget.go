package main

import (
	"context"
	"encoding/json"
	"os"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/netnsutil"
	"github.com/nlkit/nlkit/rtnl"
)

// routeGet runs `ip route get [to] ADDR [from ADDR] [iif DEV] [oif DEV]
// [vrf NAME] [tos T] [mark M] [uid N] [ipproto P] [sport N] [dport N]
// [fibmatch] [connected]`.
func (c *command) routeGet(ctx context.Context, args []string) error {
	var q rtnl.RouteQuery
	connected := false
	w := words{list: args}
	for w.more() {
		k := w.take()
		var err error
		switch {
		case k == "fibmatch":
			q.FibMatch = true
		case k == "connected":
			connected = true
		case k == "from":
			q.From, err = w.addr()
		case k == "iif", k == "oif", k == "dev":
			var l rtnl.Link
			if l, err = c.linkWord(ctx, &w); err == nil {
				if k == "iif" {
					q.InputLinkIndex = l.Index
				} else {
					q.LinkIndex = l.Index
				}
			}
		case k == "vrf":
			var l rtnl.Link
			if l, err = c.linkWord(ctx, &w); err == nil {
				q.LinkIndex = l.Index
			}
		case k == "tos", matches(k, "dsfield"):
			q.TOS, err = w.dsfield("tos")
		case matches(k, "mark"):
			q.Mark, err = w.u32("mark")
		case k == "uid":
			var n uint32
			n, err = w.u32("uid")
			q.UID = &n
		case k == "ipproto":
			var v string
			if v, err = w.value(); err == nil {
				if q.IPProto, err = rtnl.ParseIPProto(v); err != nil {
					err = invarg("Invalid \"ipproto\" value", v)
				}
			}
		case k == "sport", k == "dport":
			var n uint64
			if n, err = w.uintValue(k, 16); err == nil {
				if k == "sport" {
					q.SourcePort = uint16(n)
				} else {
					q.DestPort = uint16(n)
				}
			}
		default:
			if k == "to" {
				if k, err = w.value(); err != nil {
					break
				}
			}
			q.To, err = parseAddr(k)
		}
		if err != nil {
			return err
		}
	}
	r, err := c.conn.GetRoute(ctx, q)
	if err != nil {
		return err
	}
	if connected && !q.From.IsValid() {
		// ip 6.1 prints the answer, checks it has a source to connect
		// from, then asks the same question again and prints that answer
		// as text, whatever the options.
		if err := c.printGot(r); err != nil {
			return err
		}
		if !r.PrefSrc.IsValid() && !r.Src.IsValid() {
			return &exitError{"Failed to connect the route", 255}
		}
		c.opts.json = false
		if r, err = c.conn.GetRoute(ctx, q); err != nil {
			return err
		}
	}
	return c.printGot(r)
}

// printGot prints the answer of ip route get.
func (c *command) printGot(r rtnl.Route) error {
	o, err := c.routeObject(r, routeSelection{table: rtnl.TableUnspec, hidden: map[string]bool{}})
	if err != nil {
		return err
	}
	if c.opts.json {
		return c.printList([]json.Marshaler{o})
	}
	c.printRoute(o)
	return nil
}

// routeFlushCache runs `ip route flush cache`: ip flushes the IPv4 route
// cache through /proc/sys/net/ipv4/route/flush of the command's
// namespace, and deletes the IPv6 cached routes (exceptions).
func (c *command) routeFlushCache(ctx context.Context) error {
	if c.opts.family != unix.AF_INET6 {
		ns, done, err := c.netnsHandle()
		if err != nil {
			return err
		}
		defer done()
		err = netnsutil.Do(ns, func() error {
			return os.WriteFile("/proc/sys/net/ipv4/route/flush", []byte("-1"), 0)
		})
		if err != nil {
			return &exitError{"Cannot open \"/proc/sys/net/ipv4/route/flush\": " + strerror(errnoText(err)), 1}
		}
	}
	if c.opts.family == unix.AF_INET {
		return nil
	}
	return c.conn.FlushRoutes(ctx, rtnl.FilterRouteFamily(unix.AF_INET6), rtnl.FilterRouteCloned(), rtnl.FilterRouteTable(rtnl.TableUnspec))
}

// netnsHandle opens the command's namespace: that of -n, or the current
// one. done closes it.
func (c *command) netnsHandle() (*netnsutil.NetNS, func(), error) {
	var ns *netnsutil.NetNS
	var err error
	if c.opts.netns == "" {
		ns, err = netnsutil.Current()
	} else {
		ns, err = netnsutil.Open(c.opts.netns)
	}
	if err != nil {
		return nil, nil, err
	}
	return ns, func() { ns.Close() }, nil
}
