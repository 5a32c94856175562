package main

import (
	"encoding/json"
	"strings"
)

// bond writes a member of a bond's data (ip's bond_print_opt).
func (t *detailText) bond(m member) {
	switch m.key {
	case "arp_ip_target", "ns_ip6_target":
		var targets []string
		json.Unmarshal(m.value, &targets)
		t.word(m.key, strings.Join(targets, ","))
	case "arp_validate":
		if string(m.value) == "null" {
			t.word(m.key, "none")
		} else {
			t.word(m.key, m.text())
		}
	case "num_peer_notif":
		t.word("num_grat_arp", m.text())
	case "ad_lacp_active", "ad_lacp_rate":
		t.word(strings.TrimPrefix(m.key, "ad_"), m.text())
	case "ad_info":
		info, _ := parseObject(m.value)
		for _, a := range info {
			switch a.key {
			case "partner_mac":
				t.word("ad_partner_mac", a.text())
			default:
				t.word("ad_"+a.key, a.text())
			}
		}
	default:
		t.plain(m)
	}
}

// bondPort writes a member of a bond port's data (ip's
// bond_slave_print_opt).
func (t *detailText) bondPort(m member) {
	switch m.key {
	case "state_index":
		t.word("state", m.text())
	case "mii_status_index":
		t.word("mii_status", m.text())
	case "ad_actor_oper_port_state_str", "ad_partner_oper_port_state_str":
		var states []string
		json.Unmarshal(m.value, &states)
		t.b.WriteString(" <" + strings.Join(states, ",") + "> ")
	default:
		t.plain(m)
	}
}
