package main

import (
	"context"
	"encoding/json"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// linkObject is the object of a link event, as ip monitor prints it: the
// link-layer addresses whatever the family and, as ip addr does, no queue
// length (ip addr asks for it apart) and no address generation mode (ip
// link's).
func (m *monitorView) linkObject(ctx context.Context, out *command, l rtnl.Link) (object, error) {
	m.fillLink(ctx, &l)
	out.opts.family = unix.AF_UNSPEC
	// The bridge's own notifications of its ports (family AF_BRIDGE) carry
	// no queueing discipline, no group and none of what -d prints, which
	// ip then does not print; the kernel's other link messages always name
	// a discipline.
	bridgePort := l.Qdisc == "" && l.MasterIndex != 0
	if bridgePort {
		out.opts.details = false
	}
	o, err := out.linkObject(l)
	if err != nil {
		return nil, err
	}
	return o.without(func(key string, _ json.RawMessage) bool {
		return key == "txqlen" || key == "inet6_addr_gen_mode" || key == "group" && bridgePort
	}), nil
}

// ruleObject is the object of a rule event: ip prints the protocol with
// -d only.
func (m *monitorView) ruleObject(r rtnl.Rule) (object, error) {
	o, err := marshalObject(r)
	if err != nil || m.c.opts.details {
		return o, err
	}
	return o.without(func(key string, _ json.RawMessage) bool { return key == "protocol" }), nil
}

// nexthopObject is the object of a nexthop event, which it remembers, or
// forgets when deleted, for the routes' nh_info: without -d ip leaves out
// the protocol when unspec and the scope when global.
func (m *monitorView) nexthopObject(ctx context.Context, ev rtnl.Event) (object, error) {
	n := *ev.Nexthop
	if n.LinkIndex != 0 {
		n.LinkName = m.name(ctx, n.LinkIndex)
	}
	if ev.Kind == rtnl.EventDelete {
		delete(m.nexthops, n.ID)
	} else {
		m.nexthops[n.ID] = n
	}
	o, err := marshalObject(n)
	if err != nil || m.c.opts.details {
		return o, err
	}
	return o.without(func(key string, v json.RawMessage) bool {
		return key == "protocol" && string(v) == `"unspec"` || key == "scope" && string(v) == `"global"`
	}), nil
}
