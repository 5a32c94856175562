package main

import (
	"io"
	"os"
	"regexp"
	"strings"

	"golang.org/x/sys/unix"
)

// The colors of ip -c (iproute2's light palette, or its dark one when
// COLORFGBG says the background is dark).
const (
	colorIfname = iota
	colorMAC
	colorInet
	colorInet6
	colorUp
	colorDown
)

// colorCode is the escape sequence of a color.
func colorCode(color int, dark bool) string {
	code := [...]string{"36", "33", "35", "34", "32", "31"}[color]
	if dark {
		code = "1;" + code
	}
	return "\x1b[" + code + "m"
}

// colorReset ends a colored text.
const colorReset = "\x1b[0m"

// colorEnabled reports whether ip would color its output: -c=always (or
// -c), or -c=auto on a terminal; never with -j.
func (c *command) colorEnabled() bool {
	switch {
	case c.opts.json || c.opts.color == "" || c.opts.color == "never":
		return false
	case c.opts.color == "auto":
		f, ok := c.stdout.(*os.File)
		if !ok {
			return false
		}
		_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
		return err == nil
	}
	return true
}

// colored returns the writer the object's output goes to: with color, one
// that colors the link, address, route, neighbour, rule and nexthop text
// as ip does.
func (c *command) colored(obj string) io.Writer {
	p := c.painter()
	if p == nil {
		return c.stdout
	}
	var line func(*painter, string) string
	switch {
	case obj == "route":
		line = (*painter).route
	case obj == "neighbor" || obj == "neighbour":
		line = (*painter).neigh
	case obj == "rule":
		line = (*painter).rule
	case obj == "nexthop":
		line = (*painter).nexthop
	case (obj == "link" || obj == "address") && c.opts.brief:
		line = (*painter).brief
	case obj == "link" || obj == "address":
		line = (*painter).link
	default:
		return c.stdout
	}
	p.w, p.line = c.stdout, line
	return p
}

// painter returns, with color, a painter in ip's palette: the dark one
// when COLORFGBG ends in a dark background color; nil without color.
func (c *command) painter() *painter {
	if !c.colorEnabled() {
		return nil
	}
	bg := os.Getenv("COLORFGBG")
	last := bg[strings.LastIndex(bg, ";")+1:]
	dark := strings.Contains(bg, ";") && len(last) == 1 && (last[0] >= '0' && last[0] <= '6' || last[0] == '8')
	return &painter{dark: dark}
}

// painter colors each line written through it, or, for ip monitor, the
// text of each event.
type painter struct {
	w    io.Writer
	dark bool
	line func(*painter, string) string
}

func (p *painter) Write(b []byte) (int, error) {
	lines := strings.SplitAfter(string(b), "\n")
	for i, l := range lines {
		lines[i] = p.line(p, l)
	}
	if _, err := io.WriteString(p.w, strings.Join(lines, "")); err != nil {
		return 0, err
	}
	return len(b), nil
}

// paint colors s.
func (p *painter) paint(color int, s string) string {
	return colorCode(color, p.dark) + s + colorReset
}

// familyColor is the color of an address: IPv6 or IPv4.
func familyColor(addr string) int {
	if strings.Contains(addr, ":") {
		return colorInet6
	}
	return colorInet
}

// stateColor is the color of an operational state, or -1 for none.
func stateColor(state string) int {
	switch state {
	case "UP":
		return colorUp
	case "DOWN":
		return colorDown
	}
	return -1
}

// The parts of ip link and ip addr lines that ip colors; with -o, the
// link-layer and address parts follow a '\\' on the same line.
var (
	linkHeader  = regexp.MustCompile(`^(\d+: )(\S+: )(<[^>]*>.*? state )(\S+) `)
	linkLayer   = regexp.MustCompile(`(    link/\S+ )([^\s\\]+)(?:( (?:brd|peer) )([^\s\\]+))?`)
	addrLine    = regexp.MustCompile(`(    inet6? )([^ /]+)(?:( peer )([^ /]+))?(/\d+)(?:( brd )(\S+ ))?`)
	briefFields = regexp.MustCompile(`^(\S+ +)(\S+ +)(.*)$`)
)

// link colors the lines of ip link and ip addr: the name, the state, the
// link-layer and IP addresses.
func (p *painter) link(l string) string {
	if m := linkHeader.FindStringSubmatch(l); m != nil {
		state := m[4] + " "
		if c := stateColor(m[4]); c >= 0 {
			state = p.paint(c, state)
		}
		l = m[1] + p.paint(colorIfname, m[2]) + m[3] + state + l[len(m[0]):]
	}
	l = linkLayer.ReplaceAllStringFunc(l, func(part string) string {
		m := linkLayer.FindStringSubmatch(part)
		s := m[1] + p.paint(colorMAC, m[2]) + m[3]
		if m[4] != "" {
			s += p.paint(colorMAC, m[4])
		}
		return s
	})
	return addrLine.ReplaceAllStringFunc(l, func(part string) string {
		m := addrLine.FindStringSubmatch(part)
		s := m[1] + p.paint(familyColor(m[2]), m[2])
		if m[3] != "" {
			s += m[3] + p.paint(familyColor(m[4]), m[4])
		}
		s += m[5]
		if m[6] != "" {
			s += m[6] + p.paint(familyColor(m[7]), m[7])
		}
		return s
	})
}

// brief colors the lines of ip -br link and ip -br addr: the name, the
// state, and the link-layer or IP addresses.
func (p *painter) brief(l string) string {
	m := briefFields.FindStringSubmatch(strings.TrimSuffix(l, "\n"))
	if m == nil {
		return l
	}
	state := m[2]
	if c := stateColor(strings.TrimSpace(state)); c >= 0 {
		state = p.paint(c, state)
	}
	s := p.paint(colorIfname, m[1]) + state
	rest := m[3]
	for rest != "" && !strings.HasPrefix(rest, "<") {
		word, after, _ := strings.Cut(rest, " ")
		if addr, bits, ok := strings.Cut(word, "/"); ok {
			s += p.paint(familyColor(addr), addr) + "/" + bits + " "
		} else {
			s += p.paint(colorMAC, word+" ")
		}
		rest = after
	}
	return s + rest + l[len(strings.TrimSuffix(l, "\n")):]
}

// The kinds of words that ip colors in a line of words.
const (
	plainWord  = iota
	addrWord   // an address, with the space after it
	ifnameWord // a link's name, with the space after it
	macWord    // a link-layer address, with the space after it
	prefixWord // a prefix's address, without its length
)

// route colors a route's line: its destination (unless default), its
// gateways, devices and preferred source, each with the space after it.
func (p *painter) route(l string) string {
	return p.words(l, true, func(w string) int {
		switch w {
		case "via", "src":
			return addrWord
		case "dev":
			return ifnameWord
		}
		return plainWord
	})
}

// neigh colors a neighbour's line: its address, device and link-layer
// address.
func (p *painter) neigh(l string) string {
	return p.words(l, true, func(w string) int {
		switch w {
		case "dev":
			return ifnameWord
		case "lladdr":
			return macWord
		}
		return plainWord
	})
}

// nexthop colors a nexthop's line: its gateway and device.
func (p *painter) nexthop(l string) string {
	return p.words(l, false, func(w string) int {
		switch w {
		case "via":
			return addrWord
		case "dev":
			return ifnameWord
		}
		return plainWord
	})
}

// rule colors a rule's line: the addresses of its selectors.
func (p *painter) rule(l string) string {
	return p.words(l, false, func(w string) int {
		if w == "from" || w == "to" {
			return prefixWord
		}
		return plainWord
	})
}

// netconf colors a netconf's line: the device.
func (p *painter) netconf(l string) string {
	family, rest, ok := strings.Cut(l, " ")
	dev, rest, ok2 := strings.Cut(rest, " ")
	if !ok || !ok2 {
		return l
	}
	return family + " " + p.paint(colorIfname, dev+" ") + rest
}

// words colors the words of a line that next says follow a keyword, and,
// with dst, its first word (the destination, after the type of a route),
// unless it is "default" or the line has none (a bridge's neighbour
// starts with its "dev").
func (p *painter) words(l string, dst bool, next func(string) int) string {
	words := strings.Split(l, " ")
	var b strings.Builder
	kind := plainWord
	for i, w := range words {
		if dst && w != "default" && (i == 0 && w != "" && w != "dev" && !isRouteType(w) && !strings.HasPrefix(w, "\t") || i == 1 && isRouteType(words[0])) {
			kind = addrWord
		}
		sep := " "
		if i == len(words)-1 {
			sep = ""
		}
		switch addr, bits, _ := strings.Cut(w, "/"); {
		case kind == addrWord:
			b.WriteString(p.paint(familyColor(w), w+sep))
		case kind == ifnameWord:
			b.WriteString(p.paint(colorIfname, w+sep))
		case kind == macWord:
			b.WriteString(p.paint(colorMAC, w+sep))
		case kind == prefixWord && w != "all" && bits != "":
			b.WriteString(p.paint(familyColor(addr), addr) + "/" + bits + sep)
		case kind == prefixWord && w != "all":
			b.WriteString(p.paint(familyColor(addr), addr) + sep)
		default:
			b.WriteString(w + sep)
		}
		kind = next(w[strings.LastIndex(w, "\t")+1:])
	}
	return b.String()
}

// isRouteType reports whether a route's line starts with its type.
func isRouteType(w string) bool {
	switch w {
	case "unicast", "local", "broadcast", "multicast", "anycast", "unreachable", "prohibit", "blackhole", "throw", "nat", "xresolve":
		return true
	}
	return false
}
