package main

import "strings"

// bridge writes a member of a bridge's data (ip's bridge_print_opt).
func (t *detailText) bridge(m member) {
	switch {
	case strings.HasSuffix(m.key, "_timer"):
		t.timer(m)
		return
	case strings.HasSuffix(m.key, "_cnt"):
		t.word(strings.TrimSuffix(m.key, "_cnt")+"_count", m.text())
		return
	case strings.HasSuffix(m.key, "_intvl"):
		t.word(strings.TrimSuffix(m.key, "_intvl")+"_interval", m.text())
		return
	}
	switch m.key {
	case "root_id":
		t.word("designated_root", m.text())
	case "group_addr":
		t.word("group_address", m.text())
	default:
		t.plain(m)
	}
}

// bridgePort writes a member of a bridge port's data (ip's
// bridge_slave_print_opt).
func (t *detailText) bridgePort(m member) {
	if strings.HasSuffix(m.key, "_timer") {
		t.timer(m)
		return
	}
	switch m.key {
	case "state_index":
		t.word("state", "("+m.text()+")")
	case "id":
		t.word("port_id", m.text())
	case "no":
		t.word("port_no", m.text())
	case "bridge_id":
		t.word("designated_bridge", m.text())
	case "root_id":
		t.word("designated_root", m.text())
	case "multicast_router":
		t.word("mcast_router", m.text())
		// ip writes the fast leave setting a second time here, as text.
		if v, ok := t.seen["fastleave"]; ok {
			t.word("mcast_fast_leave", member{"fastleave", v}.onOff())
		}
	default:
		if m.isBool() {
			t.word(m.key, m.onOff())
			return
		}
		t.word(m.key, m.text())
	}
}
