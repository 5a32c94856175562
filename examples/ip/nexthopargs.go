package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// nexthopWrite runs `ip nexthop add|replace id ID NH` with every option of
// ip 6.1: `via [FAMILY] ADDR`, `dev DEV`, `onlink`, `blackhole`, `fdb`,
// `encap TYPE …`, `protocol P`, and `group ID[,WEIGHT][/…]` with `type
// mpath|resilient [buckets N] [idle_timer S] [unbalanced_timer S]`.
func (c *command) nexthopWrite(ctx context.Context, args []string, write func(context.Context, rtnl.Nexthop) error) error {
	var n rtnl.Nexthop
	if c.opts.family == unix.AF_INET || c.opts.family == unix.AF_INET6 {
		n.Family = c.opts.family
	}
	w := words{list: args}
	for w.more() {
		k := w.take()
		var err error
		switch k {
		case "id":
			n.ID, err = w.u32("id")
		case "blackhole":
			n.Blackhole = true
		case "fdb":
			n.FDB = true
		case "onlink":
			n.Flags |= rtnl.RouteOnLink
		case "via":
			// A nexthop object's gateway is of any family.
			family := n.Family
			var via netip.Addr
			err = c.parseVia(&w, &family, &n.Gateway, &via)
			if via.IsValid() {
				n.Gateway = via
			}
		case "dev":
			var l rtnl.Link
			if l, err = c.linkWord(ctx, &w); err == nil {
				n.LinkIndex = l.Index
			}
		case "encap":
			n.Encap, err = c.parseEncap(ctx, &w)
		case "group":
			var v string
			if v, err = w.value(); err == nil {
				n.Group, err = parseNexthopGroup(v)
			}
		case "type":
			err = parseNexthopGroupType(&w, &n)
		default:
			if matches(k, "protocol") {
				var v string
				if v, err = w.value(); err == nil {
					n.Protocol, err = parseProtocol(v)
				}
				break
			}
			return invarg("unknown nexthop option\n", k)
		}
		if err != nil {
			return err
		}
	}
	return write(ctx, n)
}

// parseNexthopGroup reads ID[,WEIGHT][/ID[,WEIGHT]…].
func parseNexthopGroup(v string) ([]rtnl.NexthopGroupMember, error) {
	var group []rtnl.NexthopGroupMember
	for _, m := range strings.Split(v, "/") {
		id, weight, hasWeight := strings.Cut(m, ",")
		n, err := parseCUint(id, 32)
		if err != nil {
			return nil, invarg("Invalid nexthop id\n", id)
		}
		member := rtnl.NexthopGroupMember{ID: uint32(n)}
		if hasWeight {
			w, err := parseCUint(weight, 16)
			if err != nil || w == 0 || w > 256 {
				return nil, invarg("Invalid weight for nexthop\n", weight)
			}
			member.Weight = uint16(w)
		}
		group = append(group, member)
	}
	return group, nil
}

// parseNexthopGroupType reads `mpath` or `resilient [buckets N]
// [idle_timer S] [unbalanced_timer S]` after "type".
func parseNexthopGroupType(w *words, n *rtnl.Nexthop) error {
	v, err := w.value()
	if err != nil {
		return err
	}
	t, ok := named(v, rtnl.NexthopGroupMultipath, rtnl.NexthopGroupResilient)
	if !ok {
		return invarg("\"type\" value is invalid\n", v)
	}
	n.GroupType = t
	if t != rtnl.NexthopGroupResilient {
		return nil
	}
	n.Resilient = &rtnl.NexthopResilient{}
	for {
		switch w.peek() {
		case "buckets":
			w.take()
			b, err := w.uintValue("buckets", 16)
			if err != nil {
				return err
			}
			n.Resilient.Buckets = uint16(b)
		case "idle_timer", "unbalanced_timer":
			k := w.take()
			s, err := w.u32(k)
			if err != nil {
				return err
			}
			d := time.Duration(s) * time.Second
			if k == "idle_timer" {
				n.Resilient.IdleTimer = d
			} else {
				n.Resilient.UnbalancedTimer = d
			}
		default:
			return nil
		}
	}
}

// nexthopSelection reads the selectors of `ip nexthop show|flush`: `id
// ID`, `dev DEV`, `master DEV`, `vrf NAME`, `groups`, `fdb`, `protocol P`.
func (c *command) nexthopSelection(ctx context.Context, args []string) ([]rtnl.NexthopFilter, error) {
	var filters []rtnl.NexthopFilter
	if c.opts.family != unix.AF_UNSPEC {
		filters = append(filters, rtnl.FilterNexthopFamily(c.opts.family))
	}
	w := words{list: args}
	for w.more() {
		k := w.take()
		var err error
		switch {
		case k == "id":
			var id uint32
			id, err = w.u32("id")
			filters = append(filters, rtnl.FilterNexthopID(id))
		case k == "dev":
			var l rtnl.Link
			if l, err = c.linkWord(ctx, &w); err == nil {
				filters = append(filters, rtnl.FilterNexthopLink(l.Index))
			}
		case k == "master", k == "vrf":
			var l rtnl.Link
			if l, err = c.linkWord(ctx, &w); err == nil {
				filters = append(filters, rtnl.FilterNexthopMaster(l.Index))
			}
		case k == "groups":
			filters = append(filters, rtnl.FilterNexthopGroups())
		case k == "fdb":
			// ip 6.1 reads fdb but selects nothing by it.
		case matches(k, "protocol"):
			var v string
			if v, err = w.value(); err == nil {
				// ip 6.1 takes the protocol as a number only.
				p, perr := parseCUint(v, 8)
				if perr != nil {
					err = invarg("invalid protocol value", v)
				}
				filters = append(filters, rtnl.FilterNexthopProtocol(rtnl.Protocol(p)))
			}
		default:
			return nil, invarg("unknown nexthop selector\n", k)
		}
		if err != nil {
			return nil, err
		}
	}
	return filters, nil
}

// nexthopObjects makes the objects ip prints of nexthops: without -d,
// the unspec protocol and the global scope are left out.
func (c *command) nexthopObjects(nhs []rtnl.Nexthop) ([]object, error) {
	var objs []object
	for _, n := range nhs {
		o, err := marshalObject(n)
		if err != nil {
			return nil, err
		}
		if !c.opts.details {
			o = o.without(func(key string, v json.RawMessage) bool {
				return key == "protocol" && string(v) == `"unspec"` || key == "scope" && string(v) == `"global"`
			})
		}
		objs = append(objs, o)
	}
	return objs, nil
}

// nexthopGet runs `ip nexthop get id ID`.
func (c *command) nexthopGet(ctx context.Context, args []string) error {
	w := words{list: args}
	if !w.takeIf("id") {
		return usageErr("Error: id is required")
	}
	id, err := w.u32("id")
	if err != nil {
		return err
	}
	n, err := c.conn.GetNexthop(ctx, id)
	if err != nil {
		return err
	}
	objs, err := c.nexthopObjects([]rtnl.Nexthop{n})
	if err != nil {
		return err
	}
	return c.printObjects(objs, func(o object) { fmt.Fprintln(c.stdout, nexthopText(o)) })
}

// nexthopBucket runs `ip nexthop bucket show [id ID] [nhid ID] [dev DEV]
// [master DEV]` and `ip nexthop bucket get id ID index N`.
func (c *command) nexthopBucket(ctx context.Context, args []string) error {
	cmd := "show"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	var buckets []rtnl.NexthopBucket
	switch {
	case matches(cmd, "get"):
		w := words{list: args}
		var id uint32
		var index uint64
		for w.more() {
			var err error
			switch k := w.take(); k {
			case "id":
				id, err = w.u32("id")
			case "index":
				index, err = w.uintValue("index", 16)
			default:
				return invarg("unknown bucket selector\n", k)
			}
			if err != nil {
				return err
			}
		}
		b, err := c.conn.GetNexthopBucket(ctx, id, uint16(index))
		if err != nil {
			return err
		}
		buckets = append(buckets, b)
	case matches(cmd, "show"), matches(cmd, "list"), cmd == "lst":
		var filters []rtnl.NexthopBucketFilter
		w := words{list: args}
		for w.more() {
			var err error
			var l rtnl.Link
			switch k := w.take(); k {
			case "id", "nhid":
				var id uint32
				if id, err = w.u32(k); err == nil {
					if k == "id" {
						filters = append(filters, rtnl.FilterBucketGroup(id))
					} else {
						filters = append(filters, rtnl.FilterBucketNexthop(id))
					}
				}
			case "dev":
				if l, err = c.linkWord(ctx, &w); err == nil {
					filters = append(filters, rtnl.FilterBucketLink(l.Index))
				}
			case "master", "vrf":
				if l, err = c.linkWord(ctx, &w); err == nil {
					filters = append(filters, rtnl.FilterBucketMaster(l.Index))
				}
			default:
				return invarg("unknown bucket selector\n", k)
			}
			if err != nil {
				return err
			}
		}
		var err error
		if buckets, err = c.conn.NexthopBuckets(ctx, filters...); err != nil {
			return err
		}
	default:
		return unknownCommand(cmd, "nexthop bucket")
	}
	var objs []object
	for _, b := range buckets {
		o, err := marshalObject(b)
		if err != nil {
			return err
		}
		objs = append(objs, o)
	}
	return c.printObjects(objs, func(o object) { fmt.Fprintln(c.stdout, bucketText(o)) })
}

// bucketText is a bucket's line as ip nexthop bucket show writes it.
func bucketText(o object) string {
	b := o.sub("bucket")
	s := "id " + o.num("id") + " index " + b.num("index") + " idle_time " + b.num("idle_time") + " nhid " + b.num("nhid") + " "
	for _, f := range o.strs("flags") {
		s += f + " "
	}
	return s
}
