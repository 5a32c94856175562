package main

import (
	"context"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// netconf runs `ip netconf show [dev DEV]`.
func (c *command) netconf(ctx context.Context, args []string) error {
	if len(args) > 0 {
		cmd := args[0]
		if !matches(cmd, "show") && !matches(cmd, "lst") && !matches(cmd, "list") {
			return unknownCommand(cmd, "netconf")
		}
		args = args[1:]
	}
	var index int32
	for ; len(args) > 0; args = args[1:] {
		if args[0] != "dev" {
			continue // ip skips words it does not know
		}
		if len(args) < 2 {
			return incomplete()
		}
		args = args[1:]
		l, err := c.conn.LinkByName(ctx, args[0])
		if err != nil {
			return &exitError{"Device \"" + args[0] + "\" does not exist.", 1}
		}
		index = l.Index
	}
	if index != 0 && c.opts.family != unix.AF_UNSPEC {
		// ip asks for the one configuration and prints it as text,
		// even with -j.
		nc, err := c.conn.GetNetConf(ctx, c.opts.family, index)
		if err != nil {
			return err
		}
		o, err := marshalObject(nc)
		if err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, netconfText(o))
		return nil
	}
	var filters []rtnl.NetConfFilter
	if c.opts.family != unix.AF_UNSPEC {
		filters = append(filters, rtnl.FilterNetConfFamily(c.opts.family))
	}
	if index != 0 {
		filters = append(filters, rtnl.FilterNetConfLink(index))
	}
	ncs, err := c.conn.NetConfs(ctx, filters...)
	if err != nil {
		return err
	}
	objs := make([]object, 0, len(ncs))
	for _, nc := range ncs {
		o, err := marshalObject(nc)
		if err != nil {
			return err
		}
		objs = append(objs, o)
	}
	return c.printObjects(objs, func(o object) { fmt.Fprintln(c.stdout, netconfText(o)) })
}
