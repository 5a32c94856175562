package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"

	"github.com/nlkit/nlkit/netnsutil"
)

// maddr runs `ip maddress show|add|del`.
func (c *command) maddr(ctx context.Context, args []string) error {
	opts, done, err := c.netnsOptions()
	if err != nil {
		return err
	}
	defer done()
	cmd := "show"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch {
	case matches(cmd, "add"), matches(cmd, "delete"):
		var dev string
		var hw net.HardwareAddr
		for len(args) > 0 {
			if args[0] == "dev" && len(args) > 1 {
				dev, args = args[1], args[1:]
			} else if h, perr := parseLLAddr(args[0]); perr == nil {
				hw = h
			} else if args[0] != "address" {
				return perr
			}
			args = args[1:]
		}
		if matches(cmd, "add") {
			return netnsutil.AddMaddr(ctx, dev, hw, opts...)
		}
		return netnsutil.DeleteMaddr(ctx, dev, hw, opts...)
	case matches(cmd, "show"), matches(cmd, "list"), matches(cmd, "lst"):
		f := netnsutil.MaddrFilter{Family: int(c.opts.family)}
		for len(args) > 0 {
			if args[0] != "dev" {
				f.Dev = args[0]
			}
			args = args[1:]
		}
		links, err := netnsutil.Maddrs(ctx, f, opts...)
		if err != nil {
			return err
		}
		if c.opts.json {
			elems := make([]json.Marshaler, len(links))
			for i, l := range links {
				elems[i] = l
			}
			return c.printList(elems)
		}
		for _, l := range links {
			fmt.Fprintf(c.stdout, "%d:\t%s\n", l.Index, l.Name)
			for _, a := range l.Addrs {
				if a.Link != nil {
					fmt.Fprintf(c.stdout, "\tlink  %s", a.Link)
				} else {
					family := "inet"
					if a.Addr.Is6() {
						family = "inet6"
					}
					fmt.Fprintf(c.stdout, "\t%-5s %s", family, a.Addr)
				}
				if a.Users > 1 {
					fmt.Fprintf(c.stdout, " users %d", a.Users)
				}
				if a.Static {
					fmt.Fprint(c.stdout, " static")
				}
				fmt.Fprintln(c.stdout)
			}
		}
		return nil
	}
	return unknownCommand(cmd, "maddr")
}
