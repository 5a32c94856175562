package rtnl

import "strconv"

// This file holds the names ip prints for the values of rule selectors
// that come from name databases: Debian's /etc/iproute2/rt_dsfield and
// netbase's /etc/protocols.

// ipProtoString returns the name of an IP protocol as ip prints it, the
// first name netbase's /etc/protocols gives the number, such as "tcp", or
// "ipproto-" and the number.
func ipProtoString(p uint8) string {
	switch p {
	case 0:
		return "ip"
	case 1:
		return "icmp"
	case 2:
		return "igmp"
	case 3:
		return "ggp"
	case 4:
		return "ipencap"
	case 5:
		return "st"
	case 6:
		return "tcp"
	case 8:
		return "egp"
	case 9:
		return "igp"
	case 12:
		return "pup"
	case 17:
		return "udp"
	case 20:
		return "hmp"
	case 22:
		return "xns-idp"
	case 27:
		return "rdp"
	case 29:
		return "iso-tp4"
	case 33:
		return "dccp"
	case 36:
		return "xtp"
	case 37:
		return "ddp"
	case 38:
		return "idpr-cmtp"
	case 41:
		return "ipv6"
	case 43:
		return "ipv6-route"
	case 44:
		return "ipv6-frag"
	case 45:
		return "idrp"
	case 46:
		return "rsvp"
	case 47:
		return "gre"
	case 50:
		return "esp"
	case 51:
		return "ah"
	case 57:
		return "skip"
	case 58:
		return "ipv6-icmp"
	case 59:
		return "ipv6-nonxt"
	case 60:
		return "ipv6-opts"
	case 73:
		return "rspf"
	case 81:
		return "vmtp"
	case 88:
		return "eigrp"
	case 89:
		return "ospf"
	case 93:
		return "ax.25"
	case 94:
		return "ipip"
	case 97:
		return "etherip"
	case 98:
		return "encap"
	case 103:
		return "pim"
	case 108:
		return "ipcomp"
	case 112:
		return "vrrp"
	case 115:
		return "l2tp"
	case 124:
		return "isis"
	case 132:
		return "sctp"
	case 133:
		return "fc"
	case 135:
		return "mobility-header"
	case 136:
		return "udplite"
	case 137:
		return "mpls-in-ip"
	case 138:
		return "manet"
	case 139:
		return "hip"
	case 140:
		return "shim6"
	case 141:
		return "wesp"
	case 142:
		return "rohc"
	case 143:
		return "ethernet"
	}
	return "ipproto-" + strconv.Itoa(int(p))
}
