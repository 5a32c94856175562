package main

import (
	"encoding/json"
	"strconv"
	"strings"
)

// vlan writes a member of a VLAN's data (ip's vlan_print_opt).
func (t *detailText) vlan(m member) {
	switch m.key {
	case "flags":
		var flags []string
		json.Unmarshal(m.value, &flags)
		t.b.WriteString("<" + strings.Join(flags, ",") + "> ")
	case "ingress_qos", "egress_qos":
		var maps []struct{ From, To uint32 }
		json.Unmarshal(m.value, &maps)
		t.b.WriteString(t.lineEnd + "      " + strings.ReplaceAll(m.key, "_qos", "-qos-map") + " { ")
		for _, q := range maps {
			t.b.WriteString(strconv.FormatUint(uint64(q.From), 10) + ":" + strconv.FormatUint(uint64(q.To), 10) + " ")
		}
		t.b.WriteString("} ")
	default:
		t.plain(m)
	}
}

// macvlan writes a member of a macvlan's or macvtap's data (ip's
// macvlan_print_opt).
func (t *detailText) macvlan(m member) {
	switch m.key {
	case "macaddr_count":
		t.word("remotes", "("+m.text()+")")
	case "macaddr_data":
		var addrs []string
		json.Unmarshal(m.value, &addrs)
		for _, a := range addrs {
			t.b.WriteString(a + " ")
		}
	default:
		t.plain(m)
	}
}

// ipvlan writes a member of an ipvlan's or ipvtap's data (ip's
// ipvlan_print_opt), whose mode ip writes after a space of its own.
func (t *detailText) ipvlan(m member) {
	if m.key == "mode" {
		t.b.WriteString(" ")
	}
	t.plain(m)
}
