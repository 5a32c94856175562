package main

import "strings"

// gre writes a member of a gre, gretap or erspan tunnel's data (ip's
// gre_print_opt in link_gre.c).
func (t *detailText) gre(m member) {
	switch m.key {
	case "pmtudisc":
		if !m.isTrue() {
			t.b.WriteString("nopmtudisc ")
		}
	case "ignore_df":
		t.flag(m, "ignore-df")
	default:
		t.tunnelCommon(m, "ttl")
	}
}

// ipTunnel writes a member of an ipip or sit tunnel's data (ip's
// iptunnel_print_opt).
func (t *detailText) ipTunnel(m member) {
	switch m.key {
	case "pmtudisc":
		if !m.isTrue() {
			t.b.WriteString("no")
		}
		t.b.WriteString("pmtudisc ")
	case "prefix":
		t.b.WriteString("6rd-prefix " + m.text())
	case "relay_prefix":
		t.b.WriteString("6rd-relay_prefix " + m.text())
	case "prefixlen", "relay_prefixlen":
		t.b.WriteString("/" + m.text() + " ")
	default:
		t.tunnelCommon(m, "ttl")
	}
}

// ip6Tunnel writes a member of an ip6tnl, ip6gre, ip6gretap or ip6erspan
// tunnel's data (ip's ip6tunnel_print_opt and gre_print_opt in
// link_gre6.c).
func (t *detailText) ip6Tunnel(m member) {
	switch m.key {
	case "ip6_tnl_f_ign_encap_limit":
		t.flag(m, "encaplimit none")
	case "encap_limit":
		t.word("encaplimit", m.text())
	case "ip6_tnl_f_use_orig_tclass":
		t.flag(m, "tclass inherit")
	case "ip6_tnl_f_use_orig_flowlabel":
		t.flag(m, "flowlabel inherit")
	case "ip6_tnl_f_rcv_dscp_copy":
		t.flag(m, "dscp inherit")
	case "ip6_tnl_f_mip6_dev":
		t.flag(m, "mip6")
	case "ip6_tnl_f_allow_local_remote":
		t.flag(m, "allow-localremote")
	case "ip6_tnl_f_use_orig_fwmark":
		t.flag(m, "fwmark inherit")
	default:
		t.tunnelCommon(m, "hoplimit")
	}
}

// vti writes a member of a vti or vti6 tunnel's data (ip's vti_print_opt
// and vti6_print_opt).
func (t *detailText) vti(m member) { t.tunnelCommon(m, "ttl") }

// tunnelCommon writes the members the IP tunnels write alike; ttlWord is
// what the tunnel calls its TTL.
func (t *detailText) tunnelCommon(m member, ttlWord string) {
	switch m.key {
	case "external", "iseq", "oseq", "icsum", "ocsum", "isatap":
		t.flag(m, m.key)
	case "proto":
		t.b.WriteString(m.text() + " ")
	case "link":
		t.word("dev", m.text())
	case "ttl":
		if v := m.text(); v == "0" {
			t.word(ttlWord, "inherit")
		} else {
			t.word(ttlWord, v)
		}
	case "tos":
		if v := m.text(); v == "0x1" {
			t.word("tos", "inherit")
		} else {
			t.word("tos", v)
		}
	case "encap":
		t.encap(m)
	default:
		t.plain(m)
	}
}

// encap writes a tunnel's fou or gue encapsulation (ip's
// tnl_print_encap).
func (t *detailText) encap(m member) {
	e, _ := parseObject(m.value)
	typ := "unknown"
	if v := e.str("type"); v != "" {
		typ = v
	}
	t.b.WriteString("encap " + typ + " ")
	if sport := e.num("sport"); sport == "0" {
		t.b.WriteString("encap-sport auto ")
	} else {
		t.b.WriteString("encap-sport " + sport + " ")
	}
	t.b.WriteString("encap-dport " + e.num("dport") + " ")
	for _, f := range []string{"csum", "csum6", "remcsum"} {
		if string(e.get(f)) != "true" {
			t.b.WriteString("no")
		}
		t.b.WriteString("encap-" + f + " ")
	}
}

// macsec writes a member of a MACsec device's data (ip's
// macsec_print_opt).
func (t *detailText) macsec(m member) {
	switch m.key {
	case "cipher_suite":
		t.word("cipher", m.text())
	case "icv_len":
		t.word("icvlen", m.text())
	case "encoding_sa":
		t.word("encodingsa", m.text())
	case "validation":
		t.word("validate", m.text())
	case "inc_sci":
		t.word("send_sci", m.onOff())
	case "es":
		t.word("end_station", m.onOff())
	case "replay_protect":
		t.word("replay", m.onOff())
	default:
		if m.isBool() {
			t.word(m.key, m.onOff())
			return
		}
		t.word(m.key, m.text())
	}
}

// tun writes a member of a tun or tap device's data (ip's tun_print_opt).
func (t *detailText) tun(m member) {
	switch {
	case m.key == "multi_queue":
		t.flag(m, m.key)
	case m.isBool():
		t.word(m.key, m.onOff())
	default:
		t.word(m.key, strings.TrimSpace(m.text()))
	}
}
