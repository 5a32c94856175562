package main

import (
	"encoding/json"
	"strconv"
	"strings"
)

// encapText is the text ip writes for the encapsulation whose members
// start o (its "encap" member first), and how many members it took: the
// type's keys follow "encap" flat in a route's or nexthop's object.
func encapText(o object) (string, int) {
	typ := o.str("encap")
	var b strings.Builder
	b.WriteString(" encap " + typ + " ")
	n := 1
	for ; n < len(o); n++ {
		m := o[n]
		if !encapKey(typ, m.key) {
			break
		}
		var s string
		if json.Unmarshal(m.value, &s) != nil {
			s = string(m.value)
		}
		switch {
		case typ == "mpls" && m.key == "dst":
			b.WriteString(" " + s + " ")
		case m.key == "key", m.key == "csum", m.key == "seq", m.key == "trace", m.key == "prealloc":
			b.WriteString(m.key + " ")
		case m.key == "segs":
			b.WriteString(segsText(m.value))
		case m.key == "hmac":
			v, _ := strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 32)
			b.WriteString("hmac " + strings.ToUpper(strconv.FormatUint(v, 16)) + " ")
		case m.key == "srh":
			srh, _ := parseObject(m.value)
			b.WriteString(segsText(srh.get("segs")))
			if h := srh.str("hmac"); h != "" {
				v, _ := strconv.ParseUint(strings.TrimPrefix(h, "0x"), 16, 32)
				b.WriteString("hmac " + strings.ToUpper(strconv.FormatUint(v, 16)) + " ")
			}
		case m.key == "stats64":
			st, _ := parseObject(m.value)
			for _, k := range []string{"packets", "bytes", "errors"} {
				b.WriteString(k + " " + st.num(k) + " ")
			}
		case m.key == "flavors":
			var names []string
			json.Unmarshal(m.value, &names)
			b.WriteString("flavors " + strings.Join(names, ",") + " ")
		case m.key == "freqk":
			b.WriteString("freq " + s)
		case m.key == "freqn":
			b.WriteString("/" + s + " ")
		case typ == "ioam6" && m.key == "type":
			b.WriteString("type 0x" + s + " ")
		case m.key == "headroom":
			b.WriteString(" " + s + " ")
		default:
			b.WriteString(m.key + " " + s + " ")
		}
	}
	return b.String(), n
}

// segsText is ip's text of a list of segments: "segs N [ A B … ] ".
func segsText(raw json.RawMessage) string {
	var segs []string
	json.Unmarshal(raw, &segs)
	return "segs " + strconv.Itoa(len(segs)) + " [ " + strings.Join(append(segs, ""), " ") + "] "
}

// encapKey reports whether key is one of the members ip writes for an
// encapsulation of type typ.
func encapKey(typ, key string) bool {
	var keys string
	switch typ {
	case "mpls":
		keys = "dst ttl"
	case "ip":
		keys = "id src dst ttl tos key csum seq"
	case "ip6":
		keys = "id src dst hoplimit tc key csum seq"
	case "seg6":
		keys = "mode segs hmac"
	case "seg6local":
		keys = "action srh table vrftable nh4 nh6 iif oif endpoint stats64 flavors lblen nflen"
	case "bpf":
		keys = "in out xmit headroom"
	case "ioam6":
		keys = "freqk freqn mode tundst trace prealloc type ns size"
	case "rpl":
		keys = "segs"
	case "xfrm":
		keys = "if_id link_dev"
	}
	return strings.Contains(" "+keys+" ", " "+key+" ")
}

// withoutOutsideEncap is o.without for the members of a route itself:
// those of its encapsulation, which may share their keys ("table",
// "tos", "dst"), are kept.
func (o object) withoutOutsideEncap(drop func(key string, value json.RawMessage) bool) object {
	var kept object
	typ := ""
	for _, m := range o {
		switch {
		case m.key == "encap":
			typ = o.str("encap")
		case typ != "" && encapKey(typ, m.key):
			kept = append(kept, m)
			continue
		default:
			typ = ""
		}
		if !drop(m.key, m.value) {
			kept = append(kept, m)
		}
	}
	return kept
}
