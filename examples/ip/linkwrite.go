package main

import (
	"context"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// rtnlUp is the flag of a link that is up.
const rtnlUp = rtnl.LinkFlags(unix.IFF_UP)

// linkAdd runs `ip link add [link DEV] [name] NAME [SETTINGS] type KIND
// [ARGS]`.
func (c *command) linkAdd(ctx context.Context, args []string) error {
	a, err := parseLinkArgs(args, false)
	if err != nil {
		return err
	}
	if a.kind == "" {
		return usageErr("Not enough information: \"type\" argument is required")
	}
	if a.lower != (lowerSettings{}) {
		return usageErr("Error: this example sets protodown, xdp and vf with \"ip link set\" only.")
	}
	l, err := c.newLink(ctx, a)
	if err != nil {
		return err
	}
	if l.Info, err = c.kindInfo(ctx, a.kind, a.kindArgs, nil); err != nil {
		return err
	}
	var opts []rtnl.AddOption
	if a.netns != "" {
		opts = append(opts, rtnl.InNetNS(netNS(a.netns)))
	}
	return c.conn.AddLink(ctx, l, opts...)
}

// linkSet runs `ip link set [dev] DEV SETTINGS [type KIND ARGS]`.
func (c *command) linkSet(ctx context.Context, args []string) error {
	a, err := parseLinkArgs(args, true)
	if err != nil {
		return err
	}
	if a.dev == "" {
		return usageErr("Not enough of information: \"dev\" argument is required.")
	}
	l, err := c.linkByName(ctx, a.dev)
	if err != nil {
		return err
	}
	// A parent (`link DEV`) cannot change: ip ignores it here.
	ch := rtnl.LinkChange{
		Up: a.up, ARP: a.arp, Multicast: a.multicast, Promisc: a.promisc, Allmulti: a.allmulti,
		Name: a.newName, MTU: a.mtu, TxQueueLen: a.txqlen, Group: a.group,
		Address: a.address, Broadcast: a.broadcast, Alias: a.alias,
	}
	if a.master != "" {
		m, err := c.linkByName(ctx, a.master)
		if err != nil {
			return err
		}
		ch.MasterIndex = &m.Index
	}
	if a.nomaster {
		ch.MasterIndex = new(int32)
	}
	a.lower.apply(&ch)
	if a.netns != "" {
		ch.NetNS = netNS(a.netns)
	}
	if a.kind != "" {
		if ch.Info, err = c.kindInfo(ctx, a.kind, a.kindArgs, &l); err != nil {
			return err
		}
	}
	// Linux before 6.2 refuses to rename a link that is up, even in the
	// request that brings it down: ip's order is the same two steps.
	if ch.Name != nil && ch.Up != nil && !*ch.Up {
		if err := c.conn.SetLink(ctx, l.Index, rtnl.LinkChange{Up: ch.Up}); err != nil {
			return err
		}
	}
	return c.conn.SetLink(ctx, l.Index, ch)
}
