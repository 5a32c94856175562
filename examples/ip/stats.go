package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/nlkit/nlkit/rtnl"
)

// statsLevel is the word that selects statistics at depth i of ip's
// selection tree: group, subgroup or suite.
func statsLevel(i int) string {
	switch i {
	case 0:
		return "group"
	case 1:
		return "subgroup"
	}
	return "suite"
}

// stats runs `ip stats show|set|help`. Unlike most objects, its commands
// are not abbreviated.
func (c *command) stats(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return c.statsShow(ctx, nil, 1)
	}
	switch args[0] {
	case "help":
		return statsHelp(0)
	case "show":
		// ip stats show counts as one -s, and -d as one more.
		level := c.opts.stats + 1
		if c.opts.details {
			level++
		}
		return c.statsShow(ctx, args[1:], level)
	case "set":
		return c.statsSet(ctx, args[1:])
	}
	return &exitError{"Command \"" + args[0] + "\" is unknown, try \"ip stats help\".", 1}
}

// statsHelp is ip stats' help text, as an error with the exit status.
func statsHelp(code int) error {
	return &exitError{`Usage: ip stats help
       ip stats show [ dev DEV ] [ group GROUP [ subgroup SUBGROUP [ suite SUITE ] ... ] ... ] ...
       ip stats set dev DEV l3_stats { on | off }
GROUP := { link | xstats | xstats_slave | offload | afstats }
xstats SUBGROUP := { bridge [ suite stp ] [ suite mcast ] | bond [ suite 802.3ad ] }
xstats_slave SUBGROUP := { bridge [ suite stp ] [ suite mcast ] | bond [ suite 802.3ad ] }
offload SUBGROUP := { cpu_hit | hw_stats_info | l3_stats }
afstats SUBGROUP := { mpls }`, code}
}

// statsEINVAL is the exit status of ip stats' selection errors: EINVAL.
const statsEINVAL = 22

// statsSelection selects the statistics of `group G [subgroup S [suite
// X]]` or, from the path so far, reports ip's error for it.
func statsSelection(path []string) (rtnl.StatsGroups, error) {
	parent := "top-level"
	node := ""
	for i, name := range path {
		if statsLeaf(node) {
			return 0, &exitError{"Error: " + statsLevel(i) + " " + name + " requested inside leaf " + statsLevel(i-1) + " " + parent, statsEINVAL}
		}
		next := strings.TrimPrefix(node+"/"+name, "/")
		if statsNode(next) == 0 {
			return 0, &exitError{"Error: no " + statsLevel(i) + " named " + name + " found inside " + parent, statsEINVAL}
		}
		node, parent = next, name
	}
	return statsNode(node), nil
}

// statsLeaf reports whether the node of the selection tree is one ip
// prints as a record, with nothing below it.
func statsLeaf(node string) bool {
	return node == "link" || strings.Count(node, "/") == 2 ||
		strings.HasPrefix(node, "offload/") || node == "afstats/mpls"
}

// statsNode returns the statistics under a node of ip's selection tree,
// named by its path ("xstats/bridge/stp"), or 0 for a node there is not.
func statsNode(node string) rtnl.StatsGroups {
	switch node {
	case "":
		return rtnl.StatsAll
	case "link":
		return rtnl.StatsLink
	case "xstats":
		return rtnl.StatsXstats
	case "xstats/bridge":
		return rtnl.StatsXstatsBridgeMcast | rtnl.StatsXstatsBridgeSTP
	case "xstats/bridge/stp":
		return rtnl.StatsXstatsBridgeSTP
	case "xstats/bridge/mcast":
		return rtnl.StatsXstatsBridgeMcast
	case "xstats/bond", "xstats/bond/802.3ad":
		return rtnl.StatsXstatsBond3AD
	case "xstats_slave":
		return rtnl.StatsXstatsSlave
	case "xstats_slave/bridge":
		return rtnl.StatsXstatsSlaveBridgeMcast | rtnl.StatsXstatsSlaveBridgeSTP
	case "xstats_slave/bridge/stp":
		return rtnl.StatsXstatsSlaveBridgeSTP
	case "xstats_slave/bridge/mcast":
		return rtnl.StatsXstatsSlaveBridgeMcast
	case "xstats_slave/bond", "xstats_slave/bond/802.3ad":
		return rtnl.StatsXstatsSlaveBond3AD
	case "offload":
		return rtnl.StatsOffload
	case "offload/cpu_hit":
		return rtnl.StatsOffloadCPUHit
	case "offload/hw_stats_info":
		return rtnl.StatsOffloadHWStatsInfo
	case "offload/l3_stats":
		return rtnl.StatsOffloadL3Stats
	case "afstats", "afstats/mpls":
		return rtnl.StatsAFMPLS
	}
	return 0
}

// statsDev checks the name of `dev NAME` as ip does.
func statsDev(dev, name string) error {
	if dev != "" {
		return duparg2("dev", name)
	}
	if name == "" || len(name) >= 16 || strings.ContainsAny(name, "/ \t\n\v\f\r") {
		return invarg("\"dev\" not a valid ifname", name)
	}
	return nil
}

// statsShow runs `ip stats show [dev DEV] [group G [subgroup S [suite
// X]]]…`; level is ip's count of -s.
func (c *command) statsShow(ctx context.Context, args []string, level int) error {
	var dev string
	var path []string
	var groups rtnl.StatsGroups
	for ; len(args) > 0; args = args[1:] {
		w := args[0]
		if w == "help" {
			return statsHelp(0)
		}
		depth := -1
		for i := range 3 {
			if w == statsLevel(i) {
				depth = i
			}
		}
		if w != "dev" && depth < 0 {
			help := statsHelp(0).Error()
			return &exitError{"What is \"" + w + "\"?\n" + help, statsEINVAL}
		}
		if len(args) < 2 {
			return incomplete()
		}
		args = args[1:]
		if w == "dev" {
			if err := statsDev(dev, args[0]); err != nil {
				return err
			}
			dev = args[0]
			continue
		}
		if len(path) < depth {
			return &exitError{"Error: " + w + " " + args[0] + " requested without selecting a " + statsLevel(len(path)) + " first", statsEINVAL}
		}
		if len(path) > depth {
			// A new selection at this level: the one so far is complete.
			g, err := statsSelection(path)
			if err != nil {
				return err
			}
			groups |= g
			path = path[:depth]
		}
		path = append(path, args[0])
	}
	g, err := statsSelection(path)
	if err != nil {
		return err
	}
	groups |= g
	var list []rtnl.IfStats
	if dev != "" {
		l, err := c.conn.LinkByName(ctx, dev)
		if err != nil {
			return noDevice(dev)
		}
		s, err := c.conn.GetStats(ctx, l.Index, groups)
		if err != nil {
			return err
		}
		list = []rtnl.IfStats{s}
	} else if list, err = c.conn.Stats(ctx, groups); err != nil {
		return err
	}
	if !c.opts.json {
		for _, s := range list {
			fmt.Fprint(c.stdout, c.statsText(&s, level))
			if dev == "" {
				fmt.Fprint(c.stdout, c.lineEnd()) // ip ends each message of a dump with a line
			}
		}
		return nil
	}
	var elems []json.Marshaler
	for _, s := range list {
		records, err := c.statsRecords(&s, level)
		if err != nil {
			return err
		}
		elems = append(elems, records...)
	}
	return c.printList(elems)
}

// statsRecords returns the JSON objects ip prints of one link's
// statistics: with two -s, the counters of the link and of the packets
// the hardware passed to the CPU include the errors.
func (c *command) statsRecords(s *rtnl.IfStats, level int) ([]json.Marshaler, error) {
	b, err := s.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	detailed := *c
	detailed.opts.stats = level
	var records []json.Marshaler
	for _, r := range raw {
		o, err := parseObject(r)
		if err != nil {
			return nil, err
		}
		switch {
		case o.get("stats64") == nil:
		case o.str("group") == "link":
			o = detailed.withErrorStats(o, rtnl.Link{Stats: s.Link})
		case o.str("subgroup") == "cpu_hit":
			o = detailed.withErrorStats(o, rtnl.Link{Stats: s.Offload.CPUHit})
		}
		records = append(records, o)
	}
	return records, nil
}

// statsSet runs `ip stats set dev DEV l3_stats on|off`.
func (c *command) statsSet(ctx context.Context, args []string) error {
	var dev string
	var on, haveSuite bool
	for ; len(args) > 0; args = args[1:] {
		w := args[0]
		switch w {
		case "help":
			return statsHelp(0)
		case "dev", "l3_stats":
		default:
			help := statsHelp(0).Error()
			return &exitError{"What is \"" + w + "\"?\n" + help, statsEINVAL}
		}
		if len(args) < 2 {
			return incomplete()
		}
		args = args[1:]
		if w == "dev" {
			if err := statsDev(dev, args[0]); err != nil {
				return err
			}
			dev = args[0]
			continue
		}
		if haveSuite {
			return &exitError{"A statistics suite to toggle was already given.", statsEINVAL}
		}
		switch v := args[0]; {
		case matches(v, "off"):
			on = false
		case matches(v, "on"):
			on = true
		default:
			return &exitError{"Error: argument of \"l3_stats\" must be one of \"off\", \"on\", not \"" + v + "\"", statsEINVAL}
		}
		haveSuite = true
	}
	if dev == "" {
		return usageErr(`Not enough information: "dev" argument is required.`)
	}
	if !haveSuite {
		return usageErr("Not enough information: stat type to toggle is required.")
	}
	l, err := c.conn.LinkByName(ctx, dev)
	if err != nil {
		return noDevice(dev)
	}
	return c.conn.SetL3Stats(ctx, l.Index, on)
}
