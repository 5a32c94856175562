package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/rtnl"
)

// mrule runs `ip mrule show|add|del|flush`: ip rule for the multicast
// routing tables of IPv4, or of IPv6 with -6.
func (c *command) mrule(ctx context.Context, args []string) error {
	switch c.opts.family {
	case unix.AF_UNSPEC, unix.AF_INET, unix.AF_INET6:
	default:
		return usageErr(fmt.Sprintf("Multicast rules are only supported for IPv4/IPv6, was: %d", c.opts.family))
	}
	if len(args) > 0 {
		switch cmd := args[0]; {
		case matches(cmd, "add"):
			return c.mruleWrite(ctx, args[1:], c.conn.AddMulticastRule)
		case matches(cmd, "delete"):
			return c.mruleWrite(ctx, args[1:], c.conn.DeleteMulticastRule)
		case matches(cmd, "flush"):
			return dumpError(c.conn.FlushMulticastRules(ctx, c.ruleFamily()), 255)
		case !matches(cmd, "show") && !matches(cmd, "list") && cmd != "lst":
			return unknownCommand(cmd, "rule")
		}
	}
	rules, err := c.conn.MulticastRules(ctx, c.ruleFamily())
	if err != nil {
		if c.opts.json {
			fmt.Fprint(c.stdout, "[") // ip has opened its list when the dump fails
		}
		return dumpError(err, 255)
	}
	var objs []object
	for _, r := range rules {
		o, err := marshalObject(r)
		if err != nil {
			return err
		}
		if !c.opts.details {
			o = o.without(func(key string, _ json.RawMessage) bool { return key == "protocol" })
		}
		objs = append(objs, o)
	}
	return c.printObjects(objs, func(o object) { fmt.Fprintln(c.stdout, ruleText(o)) })
}

// mruleWrite runs `ip mrule add|del` as ip rule add|del. ip 6.1 reads no
// prefix of a multicast family: it refuses from and to.
func (c *command) mruleWrite(ctx context.Context, args []string, write func(context.Context, rtnl.Rule) error) error {
	for i := 0; i+1 < len(args); i++ {
		if args[i] == "from" || args[i] == "to" {
			return &exitError{"Error: ??? prefix is expected rather than \"" + args[i+1] + "\".", 1}
		}
	}
	return c.ruleWrite(ctx, args, write)
}

// dumpError is how ip reports a dump the kernel refused: the errno, and
// "Dump terminated", with the exit status code.
func dumpError(err error, code int) error {
	var ke *nlkit.Error
	if errors.As(err, &ke) && ke.Message == "" {
		return &exitError{"RTNETLINK answers: " + strerror(ke.Errno.Error()) + "\nDump terminated", code}
	}
	return err
}
