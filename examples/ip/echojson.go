package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/nlkit/nlkit/rtnl"
)

// echoesObject tells whether `ip -echo OBJ VERB` asks the kernel for an
// echo and prints it: the changes of links, addresses, routes, rules and
// nexthops, with ip's abbreviations of their verbs.
func echoesObject(obj, verb string) bool {
	in := func(words ...string) bool {
		for _, w := range words {
			if matches(verb, w) {
				return true
			}
		}
		return false
	}
	switch obj {
	case "link":
		return in("add", "set", "change", "replace", "delete")
	case "address":
		return verb == "chg" || in("add", "change", "replace", "delete")
	case "route":
		return verb == "chg" || in("add", "change", "replace", "prepend", "append", "delete")
	case "rule":
		return in("add", "delete")
	case "nexthop":
		return in("add", "replace", "delete")
	}
	return false
}

// printEchoJSON prints, as ip -j -echo does, the first object the kernel
// sent back in an array: a link or an address as ip monitor -j would, a
// route, rule or nexthop in a second object without a key (as ip 6.1
// writes them, which is not valid JSON), and an empty object when the
// kernel sent nothing back (a link's change).
func (c *command) printEchoJSON(ctx context.Context) {
	var ev rtnl.Event
	if len(c.echoes) > 0 {
		ev = c.echoes[0]
	}
	c.echoes = nil
	m := &monitorView{c: c, links: linkCache{}, nexthops: map[uint32]rtnl.Nexthop{}, bare: true}
	out := *c
	var o object
	var err error
	nested := false
	switch {
	case ev.Link != nil:
		// ip prints a link alone as ip addr does, without its mode.
		o, err = m.linkObject(ctx, &out, *ev.Link)
		o = o.without(func(key string, _ json.RawMessage) bool { return key == "linkmode" })
	case ev.Address != nil:
		o, err = m.addrEchoObject(ctx, *ev.Address)
	case ev.Route != nil:
		o, err = m.routeObject(ctx, &out, *ev.Route)
		nested = true
	case ev.Rule != nil:
		o, err = m.ruleObject(*ev.Rule)
		nested = true
	case ev.Nexthop != nil:
		o, err = m.nexthopObject(ctx, ev)
		nested = true
	}
	if err != nil {
		return
	}
	if o != nil && ev.Kind == rtnl.EventDelete {
		o = append(object{{"deleted", json.RawMessage("true")}}, o...)
	}
	if o == nil {
		o = object{}
	}
	if !nested {
		c.printList([]json.Marshaler{o})
		return
	}
	// The object without a key is printed as the value of a placeholder
	// key, which is then taken out, with the line break and indentation
	// -p writes before it.
	inner, _ := o.MarshalJSON()
	var b bytes.Buffer
	capture := *c
	capture.stdout = &b
	capture.printList([]json.Marshaler{object{{echoKey, inner}}})
	text := strings.Replace(b.String(), "\n        "+strconv.Quote(echoKey)+": ", "", 1)
	io.WriteString(c.stdout, strings.Replace(text, strconv.Quote(echoKey)+":", "", 1))
}

// echoKey is the placeholder key of printEchoJSON.
const echoKey = "nlkit-echo"

// addrEchoObject is an address as ip prints it alone: its link's index and
// name, then its members; with -br its address and prefix length only.
func (m *monitorView) addrEchoObject(ctx context.Context, a rtnl.Address) (object, error) {
	o, err := marshalObject(a)
	if err != nil {
		return nil, err
	}
	if m.c.opts.brief {
		return o.without(func(key string, _ json.RawMessage) bool {
			return key != "local" && key != "address" && key != "prefixlen"
		}), nil
	}
	name, _ := json.Marshal(m.name(ctx, a.LinkIndex))
	head := object{{"index", json.RawMessage(strconv.Itoa(int(a.LinkIndex)))}, {"dev", name}}
	return append(head, o...), nil
}
