package main

import (
	"strings"

	"golang.org/x/sys/unix"
)

// options are ip's global options.
type options struct {
	json, pretty, details, brief, oneline, numeric bool
	// stats counts -s: ip prints more with -s -s.
	stats int
	// family is AF_INET, AF_INET6, AF_PACKET (-0, "link"), AF_BRIDGE, or
	// AF_UNSPEC for all.
	family uint8
	// netns is the name of the namespace of -n, or "".
	netns string
}

// parse reads the global options off the front of args, as ip does:
// each may be abbreviated to any prefix ip accepts, with one or two dashes.
func (o *options) parse(args []string) ([]string, error) {
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" {
		opt := strings.TrimPrefix(args[0], "-")
		if strings.HasPrefix(opt, "-") {
			opt = opt[1:]
		}
		args = args[1:]
		switch {
		case opt == "4":
			o.family = unix.AF_INET
		case opt == "6":
			o.family = unix.AF_INET6
		case opt == "0":
			o.family = unix.AF_PACKET
		case opt == "B":
			o.family = unix.AF_BRIDGE
		case opt == "M":
			o.family = unix.AF_MPLS
		case matches(opt, "json"):
			o.json = true
		case matches(opt, "pretty"):
			o.pretty = true
		case matches(opt, "details"):
			o.details = true
		case matches(opt, "statistics") || matches(opt, "stats"):
			o.stats++
		case opt == "br" || matches(opt, "brief"):
			o.brief = true
		case matches(opt, "oneline"):
			o.oneline = true
		case opt == "N" || matches(opt, "Numeric"):
			o.numeric = true
		case matches(opt, "family"):
			if len(args) == 0 {
				return nil, usageErr("Option \"-family\" requires an argument")
			}
			f, ok := familyByName(args[0])
			if !ok {
				return nil, usageErr("Invalid argument \"" + args[0] + "\" to \"-family\"")
			}
			o.family, args = f, args[1:]
		case opt == "n" || matches(opt, "netns"):
			if len(args) == 0 {
				return nil, usageErr("Option \"-netns\" requires an argument")
			}
			o.netns, args = args[0], args[1:]
		default:
			return nil, usageErr("Option \"-" + opt + "\" is unknown, try \"ip -help\".")
		}
	}
	return args, nil
}

// familyByName maps ip's family names to address families.
func familyByName(name string) (uint8, bool) {
	switch name {
	case "inet":
		return unix.AF_INET, true
	case "inet6":
		return unix.AF_INET6, true
	case "link":
		return unix.AF_PACKET, true
	case "bridge":
		return unix.AF_BRIDGE, true
	case "mpls":
		return unix.AF_MPLS, true
	}
	return 0, false
}

// matches reports whether word is an abbreviation of full, as ip's
// matches() accepts it: a non-empty prefix.
func matches(word, full string) bool {
	return word != "" && strings.HasPrefix(full, word)
}
