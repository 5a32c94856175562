package main

import (
	"encoding/json"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// nlkit marshals a link as `ip -j -d -s` prints it; these functions leave
// out what ip prints only with -d or -s, or only for `ip link`.

// detailKey reports whether ip prints the link member key only with -d.
func detailKey(key string) bool {
	switch key {
	case "promiscuity", "allmulti", "min_mtu", "max_mtu", "linkinfo", "inet6_addr_gen_mode",
		"num_tx_queues", "num_rx_queues", "gso_max_size", "gso_max_segs", "tso_max_size",
		"tso_max_segs", "gro_max_size", "gso_ipv4_max_size", "gro_ipv4_max_size",
		"parentbus", "parentdev", "phys_port_name", "phys_port_id", "phys_switch_id":
		return true
	}
	return false
}

// linkObject is the JSON object of l as `ip -j link show` prints it with
// the command's options.
func (c *command) linkObject(l rtnl.Link) (object, error) {
	o, err := marshalObject(l)
	if err != nil {
		return nil, err
	}
	return c.numericLink(c.withErrorStats(c.trimLink(o), l), l), nil
}

// trimLink leaves out of a link's (or a link-with-addresses') object what
// the options do not print.
func (c *command) trimLink(o object) object {
	hideL2 := c.opts.family != unix.AF_UNSPEC && c.opts.family != unix.AF_PACKET && !c.opts.details
	return o.without(func(key string, _ json.RawMessage) bool {
		switch {
		case detailKey(key):
			return !c.opts.details
		case key == "stats64" || key == "stats":
			return c.opts.stats == 0
		case key == "link_type" || key == "address" || key == "broadcast" || key == "permaddr" || key == "link_pointtopoint":
			return hideL2
		}
		return false
	})
}

// briefLinkObject is the object `ip -j -br link` prints for a link.
func briefLinkObject(full object) object {
	var o object
	for _, key := range []string{"link", "link_index", "ifname", "operstate", "address", "flags"} {
		if v := full.get(key); v != nil {
			o = append(o, member{key, v})
		}
	}
	return o
}
