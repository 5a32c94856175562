package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/nlkit/nlkit/rtnl"
)

// tuntap runs `ip tuntap show|add|del`.
func (c *command) tuntap(ctx context.Context, args []string) error {
	cmd := "show"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch {
	case matches(cmd, "add"), matches(cmd, "delete"):
		t, err := parseTuntap(args)
		if err != nil {
			return err
		}
		if matches(cmd, "add") {
			_, err = c.conn.AddTuntap(ctx, t)
			return err
		}
		return c.conn.DeleteLinkByName(ctx, t.Name)
	case matches(cmd, "show"), matches(cmd, "list"), matches(cmd, "lst"):
		ts, err := c.conn.Tuntaps(ctx)
		if err != nil {
			return err
		}
		c.addOneQueue(ts)
		if c.opts.json {
			elems := make([]json.Marshaler, len(ts))
			for i, t := range ts {
				elems[i] = t
			}
			return c.printList(elems)
		}
		for _, t := range ts {
			o, err := marshalObject(t)
			if err != nil {
				return err
			}
			var b strings.Builder
			fmt.Fprintf(&b, "%s: %s", o.str("ifname"), strings.Join(o.strs("flags"), " "))
			fmt.Fprintln(c.stdout, b.String())
		}
		return nil
	}
	return unknownCommand(cmd, "tuntap")
}

// parseTuntap reads `[dev] NAME mode tun|tap [user U] [group G] [pi]
// [vnet_hdr] [multi_queue] [one_queue]`.
func parseTuntap(args []string) (rtnl.Tuntap, error) {
	var t rtnl.Tuntap
	for len(args) > 0 {
		w := args[0]
		switch {
		case w == "mode" && len(args) > 1:
			switch args[1] {
			case "tun":
				t.Mode = rtnl.TuntapTun
			case "tap":
				t.Mode = rtnl.TuntapTap
			default:
				return t, usageErr("Unknown tunnel mode \"" + args[1] + "\"")
			}
			args = args[1:]
		case (w == "user" || w == "group") && len(args) > 1:
			n, err := strconv.ParseUint(args[1], 10, 32)
			if err != nil {
				return t, usageErr("invalid " + w + " \"" + args[1] + "\"")
			}
			id := uint32(n)
			if w == "user" {
				t.Owner = &id
			} else {
				t.Group = &id
			}
			args = args[1:]
		case w == "pi":
			t.PI = true
		case w == "vnet_hdr":
			t.VnetHdr = true
		case w == "multi_queue":
			t.MultiQueue = true
		case w == "one_queue":
			t.OneQueue = true
		case w == "tun":
			t.Mode = rtnl.TuntapTun
		case w == "tap":
			t.Mode = rtnl.TuntapTap
		case w == "dev" && len(args) > 1:
			t.Name = args[1]
			args = args[1:]
		default:
			t.Name = w
		}
		args = args[1:]
	}
	return t, nil
}
