package rtnl

import (
	"net"
	"net/netip"
	"strconv"

	"golang.org/x/sys/unix"
)

// LinkType is the link-layer type of a link (ARPHRD_*).
type LinkType uint16

// name returns the type's name as iproute2 6.1 prints it, and false for a
// type it has no name for.
func (t LinkType) name() (string, bool) {
	switch t {
	case unix.ARPHRD_NETROM:
		return "netrom", true
	case unix.ARPHRD_ETHER:
		return "ether", true
	case unix.ARPHRD_EETHER:
		return "eether", true
	case unix.ARPHRD_AX25:
		return "ax25", true
	case unix.ARPHRD_PRONET:
		return "pronet", true
	case unix.ARPHRD_CHAOS:
		return "chaos", true
	case unix.ARPHRD_IEEE802:
		return "ieee802", true
	case unix.ARPHRD_ARCNET:
		return "arcnet", true
	case unix.ARPHRD_APPLETLK:
		return "atalk", true
	case unix.ARPHRD_DLCI:
		return "dlci", true
	case unix.ARPHRD_ATM:
		return "atm", true
	case unix.ARPHRD_METRICOM:
		return "metricom", true
	case unix.ARPHRD_IEEE1394:
		return "ieee1394", true
	case unix.ARPHRD_INFINIBAND:
		return "infiniband", true
	case unix.ARPHRD_SLIP:
		return "slip", true
	case unix.ARPHRD_CSLIP:
		return "cslip", true
	case unix.ARPHRD_SLIP6:
		return "slip6", true
	case unix.ARPHRD_CSLIP6:
		return "cslip6", true
	case unix.ARPHRD_RSRVD:
		return "rsrvd", true
	case unix.ARPHRD_ADAPT:
		return "adapt", true
	case unix.ARPHRD_ROSE:
		return "rose", true
	case unix.ARPHRD_X25:
		return "x25", true
	case unix.ARPHRD_HWX25:
		return "hwx25", true
	case unix.ARPHRD_CAN:
		return "can", true
	case unix.ARPHRD_PPP:
		return "ppp", true
	case unix.ARPHRD_HDLC:
		return "hdlc", true
	case unix.ARPHRD_LAPB:
		return "lapb", true
	case unix.ARPHRD_DDCMP:
		return "ddcmp", true
	case unix.ARPHRD_RAWHDLC:
		return "rawhdlc", true
	case unix.ARPHRD_TUNNEL:
		return "ipip", true
	case unix.ARPHRD_TUNNEL6:
		return "tunnel6", true
	case unix.ARPHRD_FRAD:
		return "frad", true
	case unix.ARPHRD_SKIP:
		return "skip", true
	case unix.ARPHRD_LOOPBACK:
		return "loopback", true
	case unix.ARPHRD_LOCALTLK:
		return "ltalk", true
	case unix.ARPHRD_FDDI:
		return "fddi", true
	case unix.ARPHRD_BIF:
		return "bif", true
	case unix.ARPHRD_SIT:
		return "sit", true
	case unix.ARPHRD_IPDDP:
		return "ip/ddp", true
	case unix.ARPHRD_IPGRE:
		return "gre", true
	case unix.ARPHRD_PIMREG:
		return "pimreg", true
	case unix.ARPHRD_HIPPI:
		return "hippi", true
	case unix.ARPHRD_ASH:
		return "ash", true
	case unix.ARPHRD_ECONET:
		return "econet", true
	case unix.ARPHRD_IRDA:
		return "irda", true
	case unix.ARPHRD_FCPP:
		return "fcpp", true
	case unix.ARPHRD_FCAL:
		return "fcal", true
	case unix.ARPHRD_FCPL:
		return "fcpl", true
	case unix.ARPHRD_FCFABRIC:
		return "fcfb0", true
	case unix.ARPHRD_FCFABRIC + 1:
		return "fcfb1", true
	case unix.ARPHRD_FCFABRIC + 2:
		return "fcfb2", true
	case unix.ARPHRD_FCFABRIC + 3:
		return "fcfb3", true
	case unix.ARPHRD_FCFABRIC + 4:
		return "fcfb4", true
	case unix.ARPHRD_FCFABRIC + 5:
		return "fcfb5", true
	case unix.ARPHRD_FCFABRIC + 6:
		return "fcfb6", true
	case unix.ARPHRD_FCFABRIC + 7:
		return "fcfb7", true
	case unix.ARPHRD_FCFABRIC + 8:
		return "fcfb8", true
	case unix.ARPHRD_FCFABRIC + 9:
		return "fcfb9", true
	case unix.ARPHRD_FCFABRIC + 10:
		return "fcfb10", true
	case unix.ARPHRD_FCFABRIC + 11:
		return "fcfb11", true
	case unix.ARPHRD_FCFABRIC + 12:
		return "fcfb12", true
	case unix.ARPHRD_IEEE802_TR:
		return "tr", true
	case unix.ARPHRD_IEEE80211:
		return "ieee802.11", true
	case unix.ARPHRD_IEEE80211_PRISM:
		return "ieee802.11/prism", true
	case unix.ARPHRD_IEEE80211_RADIOTAP:
		return "ieee802.11/radiotap", true
	case unix.ARPHRD_IEEE802154:
		return "ieee802.15.4", true
	case unix.ARPHRD_IEEE802154_MONITOR:
		return "ieee802.15.4/monitor", true
	case unix.ARPHRD_PHONET:
		return "phonet", true
	case unix.ARPHRD_PHONET_PIPE:
		return "phonet_pipe", true
	case unix.ARPHRD_CAIF:
		return "caif", true
	case unix.ARPHRD_IP6GRE:
		return "gre6", true
	case unix.ARPHRD_NETLINK:
		return "netlink", true
	case unix.ARPHRD_6LOWPAN:
		return "6lowpan", true
	case unix.ARPHRD_NONE:
		return "none", true
	case unix.ARPHRD_VOID:
		return "void", true
	}
	return "", false
}

// String returns the type's name as ip prints it, such as "ether" or
// "loopback", or "[N]" for a type ip has no name for.
func (t LinkType) String() string {
	if n, ok := t.name(); ok {
		return n
	}
	return "[" + strconv.Itoa(int(t)) + "]"
}

// FormatAddress formats a link-layer address of this link type the way ip
// does: an IPv4 or IPv6 address for IP tunnels, colon-separated hex bytes
// otherwise.
func (t LinkType) FormatAddress(a net.HardwareAddr) string {
	switch {
	case len(a) == 4 && (t == unix.ARPHRD_TUNNEL || t == unix.ARPHRD_SIT || t == unix.ARPHRD_IPGRE):
		return netip.AddrFrom4([4]byte(a)).String()
	case len(a) == 16 && (t == unix.ARPHRD_TUNNEL6 || t == unix.ARPHRD_IP6GRE):
		return netip.AddrFrom16([16]byte(a)).String()
	}
	const digits = "0123456789abcdef"
	b := make([]byte, 0, 3*len(a))
	for i, c := range a {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, digits[c>>4], digits[c&0xf])
	}
	return string(b)
}
