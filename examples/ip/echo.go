package main

import (
	"context"

	"github.com/nlkit/nlkit/rtnl"
)

// echoOption is, with -echo, the option that keeps what the kernel sends
// back of each change.
func (c *command) echoOption() []rtnl.Option {
	if !c.opts.echo {
		return nil
	}
	return []rtnl.Option{rtnl.WithEcho(func(ev rtnl.Event) { c.echoes = append(c.echoes, ev) })}
}

// printEchoes prints, as ip -echo does, the first object the kernel sent
// back (a veth's removal sends its peer's too): a link, address, route,
// rule or nexthop in ip monitor's form, without its headers; with -j, as
// printEchoJSON does, after a command that succeeded. ip 6.1 asks for no
// echo of neighbours.
func (c *command) printEchoes(ctx context.Context, obj string, args []string, err error) {
	if c.opts.json {
		if c.opts.echo && err == nil && len(args) > 0 && echoesObject(obj, args[0]) {
			c.printEchoJSON(ctx)
		}
		return
	}
	if len(c.echoes) == 0 {
		return
	}
	ev := c.echoes[0]
	c.echoes = nil
	if ev.Link != nil || ev.Address != nil || ev.Route != nil || ev.Rule != nil || ev.Nexthop != nil {
		m := &monitorView{c: c, links: linkCache{}, nexthops: map[uint32]rtnl.Nexthop{}, bare: true}
		m.print(ctx, ev)
	}
}
