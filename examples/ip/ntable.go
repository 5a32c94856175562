package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nlkit/nlkit/rtnl"
)

// ntable runs `ip ntable show|change`.
func (c *command) ntable(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return c.ntableShow(ctx, nil)
	}
	switch cmd := args[0]; {
	case matches(cmd, "change"), matches(cmd, "chg"):
		return c.ntableChange(ctx, args[1:])
	case matches(cmd, "show"), matches(cmd, "lst"), matches(cmd, "list"):
		return c.ntableShow(ctx, args[1:])
	default:
		return unknownCommand(cmd, "ntable")
	}
}

// ntableShow runs `ip ntable show [dev DEV|none] [name NAME]`.
func (c *command) ntableShow(ctx context.Context, args []string) error {
	var filters []rtnl.NTableFilter
	if c.opts.family != 0 {
		filters = append(filters, rtnl.FilterNTableFamily(c.opts.family))
	}
	for ; len(args) > 0; args = args[1:] {
		w := args[0]
		if w != "dev" && w != "name" {
			return invarg("unknown", w)
		}
		if len(args) < 2 {
			return incomplete()
		}
		args = args[1:]
		switch v := args[0]; {
		case w == "name":
			filters = append(filters, rtnl.FilterNTableName(v))
		case v == "none":
			filters = append(filters, rtnl.FilterNTableNoLink())
		default:
			l, err := c.conn.LinkByName(ctx, v)
			if err != nil {
				return invarg("\"DEV\" is invalid", v)
			}
			filters = append(filters, rtnl.FilterNTableLink(l.Index))
		}
	}
	tables, err := c.conn.NTables(ctx, filters...)
	if err != nil {
		return err
	}
	objs := make([]object, 0, len(tables))
	for _, t := range tables {
		if c.opts.stats == 0 {
			t.Config, t.Stats = nil, nil
		}
		o, err := marshalObject(t)
		if err != nil {
			return err
		}
		objs = append(objs, o)
	}
	return c.printObjects(objs, func(o object) { fmt.Fprint(c.stdout, c.ntableText(o)) })
}

// ntableText is a table's entry as ip ntable show writes it: a line for
// the family and name, one for the thresholds, three for the state, a
// line for the link, four for the parameters, and five for the counters,
// as far as the entry has them.
func (c *command) ntableText(o object) string {
	var b strings.Builder
	nl := c.lineEnd()
	b.WriteString(o.str("family") + " ")
	if n := o.str("name"); n != "" {
		b.WriteString(n + " ")
	}
	b.WriteString(nl)
	// fields writes "KEY VALUE " for each key o has, ip's label for a key
	// given as KEY=LABEL.
	fields := func(keys ...string) {
		for _, k := range keys {
			key, label, ok := strings.Cut(k, "=")
			if !ok {
				label = key
			}
			v := o.num(key)
			if v == "" {
				v = o.str(key)
			}
			if o.get(key) != nil {
				b.WriteString(label + " " + v + " ")
			}
		}
	}
	if o.get("thresh1") != nil || o.get("thresh2") != nil || o.get("thresh3") != nil || o.get("gc_interval") != nil {
		b.WriteString("    ")
		fields("thresh1", "thresh2", "thresh3", "gc_interval=gc_int")
		b.WriteString(nl)
	}
	if o.get("key_length") != nil {
		b.WriteString("    config ")
		fields("key_length=key_len", "entry_size", "entries")
		b.WriteString(nl + "        ")
		fields("last_flush", "last_rand")
		b.WriteString(nl + "        ")
		fields("hash_rnd")
		mask, _ := strconv.ParseUint(strings.TrimPrefix(o.str("hash_mask"), "0x"), 16, 64)
		fmt.Fprintf(&b, "hash_mask %08x ", mask)
		fields("hash_chain_gc", "proxy_qlen")
		b.WriteString(nl)
	}
	if o.get("refcnt") != nil || o.get("dev") != nil || o.get("base_reachable") != nil {
		if dev := o.str("dev"); dev != "" {
			b.WriteString("    dev " + dev + " " + nl)
		}
		b.WriteString("    ")
		fields("refcnt", "reachable", "base_reachable", "retrans")
		b.WriteString(nl + "    ")
		fields("gc_stale", "delay_probe", "queue")
		b.WriteString(nl + "    ")
		fields("app_probes", "ucast_probes", "mcast_probes")
		b.WriteString(nl + "    ")
		fields("anycast_delay", "proxy_delay", "proxy_queue", "locktime")
		b.WriteString(nl)
	}
	if o.get("allocs") != nil {
		b.WriteString("    stats ")
		fields("allocs", "destroys", "hash_grows")
		b.WriteString(nl + "    ")
		fields("res_failed", "lookups", "hits")
		b.WriteString(nl + "    ")
		fields("rcv_probes_mcast", "rcv_probes_ucast")
		b.WriteString(nl + "    ")
		fields("periodic_gc_runs", "forced_gc_runs")
		b.WriteString(nl + "    ")
		fields("table_fulls")
		b.WriteString(nl)
	}
	return b.String() + "\n"
}

// ntableChange runs `ip ntable change name NAME [dev DEV] [thresh1 N]
// [thresh2 N] [thresh3 N] [gc_int MSEC] [PARMS]`.
func (c *command) ntableChange(ctx context.Context, args []string) error {
	t := rtnl.NTable{Family: c.opts.family}
	p := &rtnl.NTableParms{}
	var haveName, parmsChange bool
	for ; len(args) > 0; args = args[1:] {
		w := args[0]
		if ntableSetting(&t, p, w) == nil && w != "name" && w != "dev" {
			return invarg("unknown", w)
		}
		if len(args) < 2 {
			return incomplete()
		}
		args = args[1:]
		v := args[0]
		switch w {
		case "name":
			if haveName {
				return duparg("NAME", v)
			}
			t.Name, haveName = v, true
			continue
		case "dev":
			l, err := c.conn.LinkByName(ctx, v)
			if err != nil {
				return noDevice(v)
			}
			t.LinkIndex = l.Index
			continue
		}
		invalid := invarg("\""+w+"\" value is invalid", v)
		switch set := ntableSetting(&t, p, w).(type) {
		case **uint32:
			n, err := parseCUint(v, 32)
			if err != nil {
				return invalid
			}
			u := uint32(n)
			*set = &u
		case **time.Duration:
			n, err := parseCUint(v, 64)
			if err != nil {
				return invalid
			}
			d := time.Duration(n) * time.Millisecond
			*set = &d
		}
		if !strings.HasPrefix(w, "thresh") && w != "gc_int" {
			parmsChange = true
		}
	}
	if !haveName {
		return missarg("NAME")
	}
	if t.Thresh1 == nil && t.Thresh2 == nil && t.Thresh3 == nil && t.GCInterval == nil && !parmsChange {
		return usageErr("Not enough information: changeable attributes required.")
	}
	if parmsChange {
		t.Parms = p
	}
	return c.conn.ChangeNTable(ctx, t)
}

// ntableSetting returns a pointer to the field of t or p that ip ntable
// change sets for word: a **uint32 or a **time.Duration, or nil for a
// word that sets none.
func ntableSetting(t *rtnl.NTable, p *rtnl.NTableParms, word string) any {
	if t != nil {
		switch word {
		case "thresh1":
			return &t.Thresh1
		case "thresh2":
			return &t.Thresh2
		case "thresh3":
			return &t.Thresh3
		case "gc_int":
			return &t.GCInterval
		}
	}
	switch word {
	case "base_reachable":
		return &p.BaseReachable
	case "retrans":
		return &p.Retrans
	case "gc_stale":
		return &p.GCStale
	case "delay_probe":
		return &p.DelayProbe
	case "queue":
		return &p.Queue
	case "app_probes":
		return &p.AppProbes
	case "ucast_probes":
		return &p.UcastProbes
	case "mcast_probes":
		return &p.McastProbes
	case "anycast_delay":
		return &p.AnycastDelay
	case "proxy_delay":
		return &p.ProxyDelay
	case "proxy_queue":
		return &p.ProxyQueue
	case "locktime":
		return &p.Locktime
	}
	return nil
}
