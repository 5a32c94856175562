package main

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/nlkit/nlkit/netnsutil"
	"github.com/nlkit/nlkit/xfrm"
)

// xfrmCommand is one run of ip xfrm: the command and its xfrm connection.
type xfrmCommand struct {
	*command
	x *xfrm.Conn
}

// xfrm runs `ip xfrm state|policy|monitor`.
func (c *command) xfrm(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return xfrmUsage()
	}
	var opts []xfrm.Option
	if c.opts.netns != "" {
		ns, err := netnsutil.Open(c.opts.netns)
		if err != nil {
			return &exitError{"Cannot open network namespace \"" + c.opts.netns + "\": " + strerror(errnoText(err)), 255}
		}
		defer ns.Close()
		opts = append(opts, xfrm.WithNetNS(ns.FD()))
	}
	x, err := xfrm.Dial(ctx, opts...)
	if err != nil {
		return err
	}
	defer x.Close()
	xc := &xfrmCommand{command: c, x: x}
	switch obj, rest := args[0], args[1:]; {
	case matches(obj, "state"), matches(obj, "sa"):
		return xc.state(ctx, rest)
	case matches(obj, "policy"):
		return xc.policy(ctx, rest)
	case matches(obj, "monitor"):
		return xc.monitor(ctx, rest)
	}
	return xfrmUsage()
}

// xfrmUsage is ip xfrm's usage.
func xfrmUsage() error {
	return usageErr("Usage: ip xfrm XFRM-OBJECT { COMMAND | help }\nwhere  XFRM-OBJECT := state | policy | monitor")
}

// textOptions are the xfrm text options of the command's global options.
func (c *xfrmCommand) textOptions(nokeys bool) xfrm.TextOptions {
	return xfrm.TextOptions{Stats: c.opts.stats, NoKeys: nokeys, Family: uint16(c.opts.family)}
}

// printText writes one object's text: with -o, on one line, its line
// breaks turned into backslashes as ip's _SL_ does.
func (c *xfrmCommand) printText(text string) {
	if c.opts.oneline {
		text = strings.ReplaceAll(text, "\n", "\\") + "\n"
	}
	c.stdout.Write([]byte(text))
}

// printXfrmJSON prints the objects as one JSON array: the lifetimes and
// counters only with -s, as ip's text has them, and no keys with nokeys.
func (c *xfrmCommand) printXfrmJSON(values []json.Marshaler, nokeys bool) error {
	elems := make([]json.Marshaler, len(values))
	for i, v := range values {
		o, err := marshalObject(v)
		if err != nil {
			return err
		}
		elems[i] = o.without(func(key string, value json.RawMessage) bool {
			return c.opts.stats == 0 && (key == "lifetime_config" || key == "lifetime_current" || key == "stats")
		})
		if nokeys {
			elems[i] = withoutKeys(elems[i].(object))
		}
	}
	return c.printList(elems)
}

// withoutKeys drops the key of each algorithm of a state.
func withoutKeys(o object) object {
	for i, m := range o {
		switch m.key {
		case "auth", "auth_trunc", "aead", "enc", "comp":
			alg, err := parseObject(m.value)
			if err != nil {
				continue
			}
			v, _ := alg.without(func(k string, _ json.RawMessage) bool { return k == "key" }).MarshalJSON()
			o[i].value = v
		}
	}
	return o
}
