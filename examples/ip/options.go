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
	// timestamp and tshort are -t and -ts: ip monitor prints the time of
	// each event, on a line of its own or, with -ts, before it.
	timestamp, tshort bool
	// rcvbuf is the receive buffer size of -rc, or 0.
	rcvbuf int
	// batch is the file of -b, "-" for the standard input, or "";
	// force is -force: the batch goes on after a command fails.
	batch string
	force bool
	// human and iec are -h and -iec: counters in human-readable form,
	// in powers of 1024 with -iec.
	human, iec bool
	// all is -a: ip netns exec runs in every named namespace.
	all bool
	// version is -V: print the version and stop.
	version bool
	// echo is -echo: print what the kernel sends back of each change.
	echo bool
	// loops is the N of -l N, the most rounds of ip addr flush, or ""
	// for ip's 10.
	loops string
	// color is the value of -c[olor][=always|auto|never]: "always" for
	// -c alone, "" without it.
	color string
}

// parse reads the global options off the front of args, as ip does:
// each may be abbreviated to any prefix ip accepts, with one or two dashes.
func (o *options) parse(args []string) ([]string, error) {
	for len(args) > 0 && strings.HasPrefix(args[0], "-") && args[0] != "-" {
		opt := strings.TrimPrefix(strings.TrimPrefix(args[0], "-"), "-")
		args = args[1:]
		switch {
		case matches(opt, "loops"):
			if len(args) == 0 {
				return nil, usageErr("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }")
			}
			o.loops, args = args[0], args[1:]
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
		case matches(opt, "human") || matches(opt, "human-readable"):
			o.human = true
		case matches(opt, "iec"):
			o.iec = true
		case matches(opt, "json"):
			o.json = true
		case matches(opt, "pretty"):
			o.pretty = true
		case matches(opt, "details"):
			o.details = true
		case matches(opt, "statistics") || matches(opt, "stats"):
			o.stats++
		case opt != "br" && matches(opt, "batch"):
			if len(args) == 0 {
				return nil, usageErr("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }")
			}
			o.batch, args = args[0], args[1:]
		case opt != "f" && matches(opt, "force"):
			o.force = true
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
		case matches(opt, "Version"):
			o.version = true
			return args, nil
		case matches(opt, "timestamp"):
			o.timestamp = true
		case matches(opt, "tshort"):
			o.tshort = true
		case opt != "r" && matches(opt, "rcvbuf"):
			if len(args) == 0 {
				return nil, usageErr("Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }")
			}
			n, err := parseCUint(args[0], 31)
			if err != nil {
				return nil, usageErr("Invalid rcvbuf size '" + args[0] + "'")
			}
			o.rcvbuf, args = int(n), args[1:]
		case isColorOption(opt):
			o.color = "always"
			if _, v, ok := strings.Cut(opt, "="); ok && v != "" {
				o.color = v
			}
		case opt == "n" || matches(opt, "netns"):
			if len(args) == 0 {
				return nil, usageErr("Option \"-netns\" requires an argument")
			}
			o.netns, args = args[0], args[1:]
		case opt != "N" && matches(opt, "all"):
			o.all = true
		case opt == "echo":
			o.echo = true
		default:
			return nil, usageErr("Option \"-" + opt + "\" is unknown, try \"ip -help\".")
		}
	}
	return args, nil
}

// isColorOption reports whether opt is -c[olor] with no value or with
// always, auto or never, as ip takes it.
func isColorOption(opt string) bool {
	name, v, _ := strings.Cut(opt, "=")
	return matches(name, "color") && (v == "" || v == "always" || v == "auto" || v == "never")
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
