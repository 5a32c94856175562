package main

import (
	"context"
	"net"
	"strconv"

	"github.com/nlkit/nlkit/rtnl"
)

// linkArgs are the link settings `ip link add` and `ip link set` share
// (iplink_parse), up to `type KIND`, whose arguments follow in kindArgs.
type linkArgs struct {
	name, dev          string
	parent, master     string
	nomaster           bool
	netns              string
	up, arp, multicast *bool
	promisc, allmulti  *bool
	mtu, txqlen, group *uint32
	numTx, numRx       *uint32
	address, broadcast net.HardwareAddr
	alias              *string
	newName            *string
	kind               string
	kindArgs           []string
	lower              lowerSettings
}

// parseLinkArgs reads link settings. In set mode a bare word names the
// device (`dev` optional) and `name` renames it; in add mode a bare word or
// `name` names the new link.
func parseLinkArgs(args []string, set bool) (*linkArgs, error) {
	a := &linkArgs{}
	r := &words{list: args}
	for r.more() {
		w := r.take()
		var v string
		var err error
		switch {
		case w == "type":
			if v, err = r.value(); err != nil {
				return nil, err
			}
			a.kind, a.kindArgs = v, r.rest()
			return a, nil
		case w == "up", w == "down":
			a.up = boolPtr(w == "up")
		case w == "name":
			if v, err = r.value(); err != nil {
				return nil, err
			}
			if set {
				a.newName = &v
			} else {
				a.name = v
			}
		case w == "dev":
			if v, err = r.value(); err != nil {
				return nil, err
			}
			a.dev = v
		case w == "link":
			a.parent, err = r.value()
		case w == "master":
			a.master, err = r.value()
		case w == "nomaster":
			a.nomaster = true
		case w == "netns":
			a.netns, err = r.value()
		case w == "mtu":
			a.mtu, err = u32Ptr(r.u32Arg("Invalid \"mtu\" value"))
		case matches(w, "txqueuelen"), w == "qlen", matches(w, "txqlen"):
			a.txqlen, err = u32Ptr(r.u32Arg("Invalid \"txqueuelen\" value"))
		case w == "group":
			if v, err = r.value(); err == nil {
				var g uint32
				g, err = parseGroup(v)
				a.group = &g
			}
		case w == "numtxqueues":
			a.numTx, err = u32Ptr(r.u32Arg("Invalid \"numtxqueues\" value"))
		case w == "numrxqueues":
			a.numRx, err = u32Ptr(r.u32Arg("Invalid \"numrxqueues\" value"))
		case matches(w, "address"):
			if v, err = r.value(); err == nil {
				a.address, err = parseLLAddr(v)
			}
		case matches(w, "broadcast"), w == "brd":
			if v, err = r.value(); err == nil {
				a.broadcast, err = parseLLAddr(v)
			}
		case isLowerOption(w):
			err = a.lower.parseLower(r)
		case w == "alias":
			if v, err = r.value(); err == nil {
				a.alias = &v
			}
		case w == "arp", w == "multicast", w == "promisc", w == "allmulticast":
			if v, err = r.value(); err == nil {
				var on *bool
				on, err = parseOnOff(w, v)
				switch w {
				case "arp":
					a.arp = on
				case "multicast":
					a.multicast = on
				case "promisc":
					a.promisc = on
				default:
					a.allmulti = on
				}
			}
		default:
			if set && a.dev == "" {
				a.dev = w
			} else if !set && a.name == "" {
				a.name = w
			} else {
				return nil, duparg2("dev", w)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return a, nil
}

// u32Ptr is the number n, as an option's pointer, or the error of reading
// it.
func u32Ptr(n uint32, err error) (*uint32, error) {
	if err != nil {
		return nil, err
	}
	return &n, nil
}

// parseOnOff reads ip's "on|off".
func parseOnOff(what, v string) (*bool, error) {
	switch v {
	case "on":
		return boolPtr(true), nil
	case "off":
		return boolPtr(false), nil
	}
	return nil, usageErr("Error: argument of \"" + what + "\" must be \"on\" or \"off\", not \"" + v + "\"")
}

// parseLLAddr reads a link-layer address.
func parseLLAddr(v string) (net.HardwareAddr, error) {
	hw, err := net.ParseMAC(v)
	if err != nil {
		return nil, usageErr("\"" + v + "\" is invalid lladdr.")
	}
	return hw, nil
}

// parseGroup reads a link group: "default" or a number.
func parseGroup(v string) (uint32, error) {
	if v == "default" {
		return 0, nil
	}
	n, err := parseCUint(v, 32)
	if err != nil {
		return 0, invarg("Invalid \"group\" value", v)
	}
	return uint32(n), nil
}

func boolPtr(b bool) *bool { return &b }

// netNS names the namespace of `netns NAME|PID` for rtnl.
func netNS(v string) rtnl.NetNS {
	if pid, err := strconv.Atoi(v); err == nil {
		return rtnl.NetNSPID(pid)
	}
	return rtnl.NetNSName(v)
}

// newLink is the link `ip link add` describes, but for its kind data.
func (c *command) newLink(ctx context.Context, a *linkArgs) (rtnl.Link, error) {
	l := rtnl.Link{Name: a.name, Address: a.address, Broadcast: a.broadcast, NumTxQueues: a.numTx, NumRxQueues: a.numRx}
	if a.up != nil && *a.up {
		l.Flags |= rtnlUp
	}
	if a.mtu != nil {
		l.MTU = *a.mtu
	}
	if a.txqlen != nil {
		l.TxQueueLen = *a.txqlen
	}
	if a.group != nil {
		l.Group = *a.group
	}
	if a.alias != nil {
		l.Alias = *a.alias
	}
	if a.parent != "" {
		p, err := c.linkByName(ctx, a.parent)
		if err != nil {
			return l, err
		}
		l.ParentIndex = &p.Index
	}
	if a.master != "" {
		m, err := c.linkByName(ctx, a.master)
		if err != nil {
			return l, err
		}
		l.MasterIndex = m.Index
	}
	return l, nil
}
