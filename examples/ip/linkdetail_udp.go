package main

// vxlan writes a member of a VXLAN's data (ip's vxlan_print_opt).
func (t *detailText) vxlan(m member) {
	switch m.key {
	case "external", "proxy", "rsc", "l2miss", "l3miss", "gbp", "gpe":
		t.flag(m, m.key)
	case "vnifilter":
		if m.isTrue() {
			t.b.WriteString("vnifilter") // ip writes no space after it
		}
	case "group6", "remote6", "local6":
		t.word(m.key[:len(m.key)-1], m.text())
	case "link":
		t.word("dev", m.text())
	case "port_range":
		r, _ := parseObject(m.value)
		t.word("srcport", r.num("low")+" "+r.num("high"))
	case "port":
		t.word("dstport", m.text())
	case "learning":
		if !m.isTrue() {
			t.b.WriteString("nolearning ")
		}
	case "df":
		t.ttlInherit()
		if v := m.text(); v != "unset" {
			t.word("df", v)
		}
	case "label":
		t.word("flowlabel", m.text())
	case "limit":
		t.word("maxaddr", m.text())
	case "remcsum_tx", "remcsum_rx":
		t.flag(m, "remcsum"+m.key[len(m.key)-2:])
	default:
		t.udpCommon(m)
	}
}

// geneve writes a member of a Geneve device's data (ip's
// geneve_print_opt).
func (t *detailText) geneve(m member) {
	switch m.key {
	case "external":
		t.flag(m, m.key)
	case "remote6":
		t.word("remote", m.text())
	case "df":
		t.ttlInherit()
		if v := m.text(); v != "unset" {
			t.word("df", v)
		}
	case "label":
		t.word("flowlabel", m.text())
	case "port":
		t.word("dstport", m.text())
	case "inner_proto_inherit":
		t.flag(m, "innerprotoinherit")
	case "tos":
		t.ttlInherit()
		t.udpCommon(m)
	default:
		t.udpCommon(m)
	}
}

// udpCommon writes the members vxlan and geneve write alike.
func (t *detailText) udpCommon(m member) {
	switch m.key {
	case "tos":
		if v := m.text(); v == "0x1" {
			t.word("tos", "inherit")
		} else {
			t.word("tos", v)
		}
	case "ttl":
		if v := m.text(); v == "0" {
			t.word("ttl", "auto")
		} else {
			t.word("ttl", v)
		}
	case "ageing":
		if v := m.text(); v == "0" {
			t.word("ageing", "none")
		} else {
			t.word("ageing", v)
		}
	case "udp_csum", "udp_zero_csum6_tx", "udp_zero_csum6_rx":
		if !m.isTrue() {
			t.b.WriteString("no")
		}
		if m.key == "udp_csum" {
			t.b.WriteString("udpcsum ")
		} else {
			t.b.WriteString("udp6zerocsum" + m.key[len(m.key)-2:] + " ")
		}
	default:
		t.plain(m)
	}
}

// ttlInherit writes "ttl inherit" where ip writes it: the JSON, which has
// no word for it, leaves the TTL out, and the kernel always reports one.
func (t *detailText) ttlInherit() {
	_, ttl := t.seen["ttl"]
	_, done := t.seen["ttl inherit"]
	if !ttl && !done {
		t.b.WriteString("ttl inherit ")
		t.seen["ttl inherit"] = nil
	}
}
