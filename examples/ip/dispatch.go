package main

import (
	"context"
	"errors"
	"io"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/netnsutil"
	"github.com/nlkit/nlkit/rtnl"
)

// command is one run of ip: its options, its streams, and its connection
// to the namespace it works in.
type command struct {
	opts           options
	stdin          io.Reader
	stdout, stderr io.Writer
	conn           *rtnl.Conn
	// nsNames maps the nsids of the command's namespace to names, for
	// the text forms.
	nsNames map[string]string
	// echoes are the objects the kernel sent back with -echo.
	echoes []rtnl.Event
}

// dispatch runs the object's command.
func (c *command) dispatch(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageErr("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }")
	}
	obj, ok := objectName(args[0])
	if !ok {
		return &exitError{"Object \"" + args[0] + "\" is unknown, try \"ip help\".", 1}
	}
	args = args[1:]
	if obj == "netns" {
		return c.netns(ctx, args)
	}
	c.stdout = c.colored(obj)
	run := c.objectRunner(obj)
	if run == nil {
		return usageErr("ip " + obj + " is not part of this example.")
	}
	conn, err := c.dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	c.conn = conn
	err = run(ctx, args)
	c.printEchoes(ctx, obj, args, err)
	return err
}

// objectName returns the object that word abbreviates. ip takes the first
// object, in the order of its table, whose name starts with word: so "n"
// is neighbor, not netns, and "tu" is tunnel, not tuntap.
func objectName(word string) (string, bool) {
	for _, name := range []string{
		"address", "addrlabel", "maddress", "route", "rule", "neighbor", "neighbour",
		"ntable", "ntbl", "link", "l2tp", "fou", "ila", "macsec", "tunnel", "tunl", "tuntap",
		"tap", "token", "tcpmetrics", "tcp_metrics", "monitor", "xfrm", "mroute", "mrule", "netns",
		"netconf", "vrf", "sr", "nexthop", "mptcp", "ioam", "stats",
	} {
		if matches(word, name) {
			return name, true
		}
	}
	return "", false
}

// objectRunner returns the function that runs the object's commands, or
// nil for an object this example does not have.
func (c *command) objectRunner(obj string) func(context.Context, []string) error {
	switch obj {
	case "address":
		return c.address
	case "maddress":
		return c.maddr
	case "route":
		return c.route
	case "rule":
		return c.rule
	case "neighbor", "neighbour":
		return c.neigh
	case "nexthop":
		return c.nexthop
	case "link":
		return c.link
	case "monitor":
		return c.monitor
	case "tuntap", "tap":
		return c.tuntap
	case "xfrm":
		return c.xfrm
	case "addrlabel":
		return c.addrlabel
	case "netconf":
		return c.netconf
	case "ntable", "ntbl":
		return c.ntable
	case "token":
		return c.token
	case "stats":
		return c.stats
	case "tcpmetrics", "tcp_metrics":
		return c.tcpmetrics
	case "mrule":
		return c.mrule
	case "mroute":
		return c.mroute
	case "mptcp":
		return c.mptcp
	case "sr":
		return c.sr
	case "ioam":
		return c.ioam
	case "fou":
		return c.fou
	case "l2tp":
		return c.l2tp
	case "vrf":
		return c.vrf
	case "tunnel", "tunl":
		return c.tunnelCmd
	case "ila":
		return c.ila
	case "macsec":
		return c.macsec
	}
	return nil
}

// dial connects to the namespace of -n, or to the current one.
func (c *command) dial(ctx context.Context) (*rtnl.Conn, error) {
	if c.opts.netns == "" {
		return rtnl.Dial(ctx, c.echoOption()...)
	}
	if err := netnsutil.ValidateName(c.opts.netns); err != nil {
		return nil, usageErr("Invalid netns name \"" + c.opts.netns + "\"")
	}
	ns, err := netnsutil.Open(c.opts.netns)
	if err != nil {
		return nil, &exitError{"Cannot open network namespace \"" + c.opts.netns + "\": " + strerror(errnoText(err)), 255}
	}
	defer ns.Close()
	return rtnl.Dial(ctx, append(c.echoOption(), rtnl.WithNetNS(ns.FD()))...)
}

// unknownCommand is ip's report of a command word an object does not have.
func unknownCommand(cmd, object string) error {
	return usageErr("Command \"" + cmd + "\" is unknown, try \"ip " + object + " help\".")
}

// errnoText is the text of the errno inside err, or err's text.
func errnoText(err error) string {
	var errno unix.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	return err.Error()
}
