// Package ipproto names IP protocol numbers as ip prints them, from the
// name database netbase's /etc/protocols holds.
package ipproto

// Name returns the first name netbase's /etc/protocols gives the IP
// protocol p, such as "tcp", and whether it has one.
func Name(p uint8) (string, bool) {
	switch p {
	case 0:
		return "ip", true
	case 1:
		return "icmp", true
	case 2:
		return "igmp", true
	case 3:
		return "ggp", true
	case 4:
		return "ipencap", true
	case 5:
		return "st", true
	case 6:
		return "tcp", true
	case 8:
		return "egp", true
	case 9:
		return "igp", true
	case 12:
		return "pup", true
	case 17:
		return "udp", true
	case 20:
		return "hmp", true
	case 22:
		return "xns-idp", true
	case 27:
		return "rdp", true
	case 29:
		return "iso-tp4", true
	case 33:
		return "dccp", true
	case 36:
		return "xtp", true
	case 37:
		return "ddp", true
	case 38:
		return "idpr-cmtp", true
	case 41:
		return "ipv6", true
	case 43:
		return "ipv6-route", true
	case 44:
		return "ipv6-frag", true
	case 45:
		return "idrp", true
	case 46:
		return "rsvp", true
	case 47:
		return "gre", true
	case 50:
		return "esp", true
	case 51:
		return "ah", true
	case 57:
		return "skip", true
	case 58:
		return "ipv6-icmp", true
	case 59:
		return "ipv6-nonxt", true
	case 60:
		return "ipv6-opts", true
	case 73:
		return "rspf", true
	case 81:
		return "vmtp", true
	case 88:
		return "eigrp", true
	case 89:
		return "ospf", true
	case 93:
		return "ax.25", true
	case 94:
		return "ipip", true
	case 97:
		return "etherip", true
	case 98:
		return "encap", true
	case 103:
		return "pim", true
	case 108:
		return "ipcomp", true
	case 112:
		return "vrrp", true
	case 115:
		return "l2tp", true
	case 124:
		return "isis", true
	case 132:
		return "sctp", true
	case 133:
		return "fc", true
	case 135:
		return "mobility-header", true
	case 136:
		return "udplite", true
	case 137:
		return "mpls-in-ip", true
	case 138:
		return "manet", true
	case 139:
		return "hip", true
	case 140:
		return "shim6", true
	case 141:
		return "wesp", true
	case 142:
		return "rohc", true
	case 143:
		return "ethernet", true
	}
	return "", false
}

// Number returns the IP protocol that [Name] names s, and whether there is
// one.
func Number(s string) (uint8, bool) {
	for p := range 256 {
		if name, ok := Name(uint8(p)); ok && name == s {
			return uint8(p), true
		}
	}
	return 0, false
}
