package rtnl

import (
	"net"
	"net/netip"
	"strconv"

	"golang.org/x/sys/unix"
)

// LinkType is the link-layer type of a link (ARPHRD_*).
type LinkType uint16

// linkTypeNames maps the link types iproute2 6.1 names to those names.
var linkTypeNames = map[LinkType]string{
	unix.ARPHRD_NETROM: "netrom", unix.ARPHRD_ETHER: "ether", unix.ARPHRD_EETHER: "eether",
	unix.ARPHRD_AX25: "ax25", unix.ARPHRD_PRONET: "pronet", unix.ARPHRD_CHAOS: "chaos",
	unix.ARPHRD_IEEE802: "ieee802", unix.ARPHRD_ARCNET: "arcnet", unix.ARPHRD_APPLETLK: "atalk",
	unix.ARPHRD_DLCI: "dlci", unix.ARPHRD_ATM: "atm", unix.ARPHRD_METRICOM: "metricom",
	unix.ARPHRD_IEEE1394: "ieee1394", unix.ARPHRD_INFINIBAND: "infiniband",
	unix.ARPHRD_SLIP: "slip", unix.ARPHRD_CSLIP: "cslip", unix.ARPHRD_SLIP6: "slip6",
	unix.ARPHRD_CSLIP6: "cslip6", unix.ARPHRD_RSRVD: "rsrvd", unix.ARPHRD_ADAPT: "adapt",
	unix.ARPHRD_ROSE: "rose", unix.ARPHRD_X25: "x25", unix.ARPHRD_HWX25: "hwx25",
	unix.ARPHRD_CAN: "can", unix.ARPHRD_PPP: "ppp", unix.ARPHRD_HDLC: "hdlc",
	unix.ARPHRD_LAPB: "lapb", unix.ARPHRD_DDCMP: "ddcmp", unix.ARPHRD_RAWHDLC: "rawhdlc",
	unix.ARPHRD_TUNNEL: "ipip", unix.ARPHRD_TUNNEL6: "tunnel6", unix.ARPHRD_FRAD: "frad",
	unix.ARPHRD_SKIP: "skip", unix.ARPHRD_LOOPBACK: "loopback", unix.ARPHRD_LOCALTLK: "ltalk",
	unix.ARPHRD_FDDI: "fddi", unix.ARPHRD_BIF: "bif", unix.ARPHRD_SIT: "sit",
	unix.ARPHRD_IPDDP: "ip/ddp", unix.ARPHRD_IPGRE: "gre", unix.ARPHRD_PIMREG: "pimreg",
	unix.ARPHRD_HIPPI: "hippi", unix.ARPHRD_ASH: "ash", unix.ARPHRD_ECONET: "econet",
	unix.ARPHRD_IRDA: "irda", unix.ARPHRD_FCPP: "fcpp", unix.ARPHRD_FCAL: "fcal",
	unix.ARPHRD_FCPL:     "fcpl",
	unix.ARPHRD_FCFABRIC: "fcfb0", unix.ARPHRD_FCFABRIC + 1: "fcfb1", unix.ARPHRD_FCFABRIC + 2: "fcfb2",
	unix.ARPHRD_FCFABRIC + 3: "fcfb3", unix.ARPHRD_FCFABRIC + 4: "fcfb4", unix.ARPHRD_FCFABRIC + 5: "fcfb5",
	unix.ARPHRD_FCFABRIC + 6: "fcfb6", unix.ARPHRD_FCFABRIC + 7: "fcfb7", unix.ARPHRD_FCFABRIC + 8: "fcfb8",
	unix.ARPHRD_FCFABRIC + 9: "fcfb9", unix.ARPHRD_FCFABRIC + 10: "fcfb10", unix.ARPHRD_FCFABRIC + 11: "fcfb11",
	unix.ARPHRD_FCFABRIC + 12: "fcfb12",
	unix.ARPHRD_IEEE802_TR:    "tr", unix.ARPHRD_IEEE80211: "ieee802.11",
	unix.ARPHRD_IEEE80211_PRISM: "ieee802.11/prism", unix.ARPHRD_IEEE80211_RADIOTAP: "ieee802.11/radiotap",
	unix.ARPHRD_IEEE802154: "ieee802.15.4", unix.ARPHRD_IEEE802154_MONITOR: "ieee802.15.4/monitor",
	unix.ARPHRD_PHONET: "phonet", unix.ARPHRD_PHONET_PIPE: "phonet_pipe", unix.ARPHRD_CAIF: "caif",
	unix.ARPHRD_IP6GRE: "gre6", unix.ARPHRD_NETLINK: "netlink", unix.ARPHRD_6LOWPAN: "6lowpan",
	unix.ARPHRD_NONE: "none", unix.ARPHRD_VOID: "void",
}

// String returns the type's name as ip prints it, such as "ether" or
// "loopback", or "[N]" for a type ip has no name for.
func (t LinkType) String() string {
	if n, ok := linkTypeNames[t]; ok {
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
