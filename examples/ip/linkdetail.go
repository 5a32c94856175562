package main

import (
	"encoding/json"
	"strings"
)

// The -d text of a link's kind and port kind is written from the same
// JSON object as -j: ip prints both with the same calls, in the same
// order, so each member of info_data has one text form. The kinds differ
// in the words they print and in what they print only as text; the
// linkdetail*.go files hold each kind's forms.

// detailText is what ip writes after "    KIND " for the kind's data, or
// after "    KIND_slave " for a port's data.
type detailText struct {
	b       strings.Builder
	lineEnd string
	// seen records the members written so far, for the text ip writes
	// for a member the JSON leaves out (vxlan's and geneve's "ttl
	// inherit").
	seen map[string]json.RawMessage
}

// kindDetails is the text of data, the info_data of a link of kind
// (slave false) or the info_slave_data of a port of a kind's master.
func (c *command) kindDetails(kind string, slave bool, data object) string {
	t := &detailText{lineEnd: c.lineEnd(), seen: map[string]json.RawMessage{}}
	write := detailWriter(kind, slave)
	if write == nil {
		return ""
	}
	for _, m := range data {
		write(t, m)
		t.seen[m.key] = m.value
	}
	return t.b.String()
}

// detailWriter returns the function writing one member of kind's data, or
// nil for a kind ip 6.1 prints no data of.
func detailWriter(kind string, slave bool) func(*detailText, member) {
	if slave {
		switch kind {
		case "bridge":
			return (*detailText).bridgePort
		case "bond":
			return (*detailText).bondPort
		case "vrf":
			return (*detailText).plain
		}
		return nil
	}
	switch kind {
	case "bridge":
		return (*detailText).bridge
	case "bond":
		return (*detailText).bond
	case "vlan":
		return (*detailText).vlan
	case "vxlan":
		return (*detailText).vxlan
	case "geneve":
		return (*detailText).geneve
	case "macvlan", "macvtap":
		return (*detailText).macvlan
	case "ipvlan", "ipvtap":
		return (*detailText).ipvlan
	case "vrf":
		return (*detailText).plain
	case "vti", "vti6":
		return (*detailText).vti
	case "gre", "gretap", "erspan":
		return (*detailText).gre
	case "ip6gre", "ip6gretap", "ip6erspan", "ip6tnl":
		return (*detailText).ip6Tunnel
	case "ipip", "sit":
		return (*detailText).ipTunnel
	case "macsec":
		return (*detailText).macsec
	case "tun":
		return (*detailText).tun
	}
	return nil
}

// text is the value of m as ip's text prints it: a string without its
// quotes, a number as it is.
func (m member) text() string {
	var s string
	if json.Unmarshal(m.value, &s) == nil {
		return s
	}
	return string(m.value)
}

// isTrue reports whether m is the JSON true.
func (m member) isTrue() bool { return string(m.value) == "true" }

// isBool reports whether m is a JSON boolean.
func (m member) isBool() bool { return string(m.value) == "true" || string(m.value) == "false" }

// onOff is a boolean as ip's print_on_off writes it.
func (m member) onOff() string {
	if m.isTrue() {
		return "on"
	}
	return "off"
}

// word writes "WORD VALUE ".
func (t *detailText) word(word, value string) {
	t.b.WriteString(word + " " + value + " ")
}

// flag writes "WORD " when m is true.
func (t *detailText) flag(m member, word string) {
	if m.isTrue() {
		t.b.WriteString(word + " ")
	}
}

// plain writes "KEY VALUE " for every member, a boolean as its flag: the
// kinds whose text words are their JSON keys.
func (t *detailText) plain(m member) {
	if m.isBool() {
		t.flag(m, m.key)
		return
	}
	t.word(m.key, m.text())
}

// timer writes a bridge timer as ip does: seconds in four columns.
func (t *detailText) timer(m member) {
	sec, frac, _ := strings.Cut(m.text(), ".")
	t.word(m.key, strings.Repeat(" ", max(0, 4-len(sec)))+sec+"."+frac)
}
