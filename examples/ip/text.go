package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/nlkit/nlkit/netnsutil"
)

// The text forms are written from the same objects as the JSON, so that
// both always say the same.

// num returns the value of key as a number's text, or "".
func (o object) num(key string) string {
	v := o.get(key)
	if len(v) == 0 || v[0] == '"' || v[0] == '{' || v[0] == '[' || string(v) == "null" {
		return ""
	}
	return string(v)
}

// sub returns the object value of key, or nil.
func (o object) sub(key string) object {
	v := o.get(key)
	if len(v) == 0 || v[0] != '{' {
		return nil
	}
	s, _ := parseObject(v)
	return s
}

// strs returns the string array value of key.
func (o object) strs(key string) []string {
	var s []string
	json.Unmarshal(o.get(key), &s)
	return s
}

// linkName is NAME@PARENT as ip prints it.
func linkName(o object) string {
	name := o.str("ifname")
	switch {
	case string(o.get("link")) == "null":
		return name + "@NONE"
	case o.str("link") != "":
		return name + "@" + o.str("link")
	case o.num("link_index") != "":
		return name + "@if" + o.num("link_index")
	}
	return name
}

// printLink writes a link as `ip link show` does, or, with linkMode
// false, the link part of `ip addr show`.
func (c *command) printLink(o object, linkMode bool) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s: <%s> mtu %s", o.num("ifindex"), linkName(o), strings.Join(o.strs("flags"), ","), o.num("mtu"))
	if q := o.str("qdisc"); q != "" {
		b.WriteString(" qdisc " + q)
	}
	if m := o.str("master"); m != "" {
		b.WriteString(" master " + m)
	}
	b.WriteString(" state " + o.str("operstate"))
	if linkMode && o.str("linkmode") != "" {
		b.WriteString(" mode " + o.str("linkmode"))
	}
	if g := o.str("group"); g != "" {
		b.WriteString(" group " + g)
	} else if g := o.num("group"); g != "" {
		b.WriteString(" group " + g)
	}
	if q := o.num("txqlen"); q != "" {
		b.WriteString(" qlen " + q)
	}
	b.WriteString(c.lineEnd())
	if t := o.str("link_type"); t != "" {
		fmt.Fprintf(&b, "    link/%s ", t)
		b.WriteString(o.str("address"))
		if a := o.str("broadcast"); a != "" {
			if string(o.get("link_pointtopoint")) == "true" {
				b.WriteString(" peer " + a)
			} else {
				b.WriteString(" brd " + a)
			}
		}
		if a := o.str("permaddr"); a != "" {
			b.WriteString(" permaddr " + a)
		}
		if id := o.num("link_netnsid"); id != "" {
			if name := c.nsNames[id]; name != "" {
				b.WriteString(" link-netns " + name)
			} else {
				b.WriteString(" link-netnsid " + id)
			}
		}
		b.WriteString(protoDownText(o))
		if c.opts.details {
			c.writeDetails(&b, o)
		}
		b.WriteString(c.lineEnd())
	}
	for _, alt := range o.strs("altnames") {
		b.WriteString("    altname " + alt + c.lineEnd())
	}
	if linkMode && c.opts.stats > 0 {
		c.writeStats(&b, o.sub("stats64"))
	}
	c.write(b.String())
}

// writeDetails writes what -d adds after the link-layer addresses: the
// counters of promiscuous users, the MTU bounds, a line for the kind and
// one for the port kind (their settings as ip's per-kind forms write
// them, linkdetail*.go), and the queue and offload settings.
func (c *command) writeDetails(b *strings.Builder, o object) {
	if v := o.num("promiscuity"); v != "" {
		b.WriteString(" promiscuity " + v + " ") // ip 6.1 writes two spaces here
	}
	for _, k := range []string{"allmulti", "min_mtu", "max_mtu"} {
		if v := o.num(k); v != "" {
			b.WriteString(" " + strings.ReplaceAll(k, "_", "") + " " + v)
		}
	}
	b.WriteString(" ")
	if info := o.sub("linkinfo"); info != nil {
		if k := info.str("info_kind"); k != "" {
			b.WriteString(c.lineEnd() + "    " + k + " " + c.kindDetails(k, false, info.sub("info_data")))
		}
		if k := info.str("info_slave_kind"); k != "" {
			b.WriteString(c.lineEnd() + "    " + k + "_slave " + c.kindDetails(k, true, info.sub("info_slave_data")))
		}
	}
	if m := o.str("inet6_addr_gen_mode"); m != "" {
		b.WriteString("addrgenmode " + m + " ")
	}
	for _, k := range []string{"num_tx_queues", "num_rx_queues", "gso_max_size", "gso_max_segs", "tso_max_size", "tso_max_segs", "gro_max_size"} {
		if v := o.num(k); v != "" {
			if strings.HasPrefix(k, "num_") {
				k = strings.ReplaceAll(k, "_", "")
			}
			b.WriteString(k + " " + v + " ")
		}
	}
}

// lineEnd ends a line: with -o, ip writes "\" and goes on on one line.
func (c *command) lineEnd() string {
	if c.opts.oneline {
		return "\\"
	}
	return "\n"
}

// write writes one record; with -o its last line end becomes a newline.
func (c *command) write(s string) {
	if c.opts.oneline {
		s = strings.TrimSuffix(s, "\\") + "\n"
	}
	fmt.Fprint(c.stdout, s)
}

// printBriefLink writes a link as `ip -br link` does.
func (c *command) printBriefLink(o object) {
	addr := o.str("address")
	if addr != "" {
		addr += " "
	}
	fmt.Fprintf(c.stdout, "%-16s %-14s %s<%s> \n", linkName(o), o.str("operstate"), addr, strings.Join(o.strs("flags"), ","))
}

// lifetime is how ip prints an address lifetime.
func lifetime(v string) string {
	if v == "4294967295" || v == "" {
		return "forever"
	}
	if _, err := strconv.ParseUint(v, 10, 32); err == nil {
		return v + "sec"
	}
	return v
}

// loadNSNames reads, for the text forms, the names of the namespaces the
// command's namespace has nsids for: ip prints "link-netns NAME" where it
// can.
func (c *command) loadNSNames(ctx context.Context) error {
	if c.opts.json || c.opts.brief {
		return nil
	}
	opts, done, err := c.netnsOptions()
	if err != nil {
		return err
	}
	defer done()
	ids, err := netnsutil.ListIDs(ctx, opts...)
	if err != nil {
		return err
	}
	c.nsNames = map[string]string{}
	for _, id := range ids {
		c.nsNames[strconv.Itoa(id.NSID)] = id.Name
	}
	return nil
}
