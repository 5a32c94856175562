package rtnl

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// This file holds the numbers that routes, rules and nexthop objects share
// and the names ip prints for them, from iproute2's name databases as
// Debian installs them (/etc/iproute2/rt_tables, rt_protos, rt_dsfield,
// rt_realms and group) and from its built-in route type names.

// Table is a routing table's number (rtm_table, RTA_TABLE or FRA_TABLE).
// Numbers up to 2^32-1 are valid; those above 255 travel only in the
// attribute.
type Table uint32

// The tables with names in /etc/iproute2/rt_tables.
const (
	TableUnspec  Table = unix.RT_TABLE_UNSPEC  // unspec
	TableDefault Table = unix.RT_TABLE_DEFAULT // default
	TableMain    Table = unix.RT_TABLE_MAIN    // main
	TableLocal   Table = unix.RT_TABLE_LOCAL   // local
)

// String returns the table's name as ip prints it ("main", "local",
// "default", "unspec"), or its number.
func (t Table) String() string {
	switch t {
	case TableUnspec:
		return "unspec"
	case TableDefault:
		return "default"
	case TableMain:
		return "main"
	case TableLocal:
		return "local"
	}
	return strconv.FormatUint(uint64(t), 10)
}

// Protocol says what installed a route, a rule or a nexthop object
// (rtm_protocol, FRA_PROTOCOL, nh_protocol: RTPROT_*).
type Protocol uint8

// The protocols with names in /etc/iproute2/rt_protos.
const (
	ProtocolUnspec     Protocol = unix.RTPROT_UNSPEC   // unspec
	ProtocolRedirect   Protocol = unix.RTPROT_REDIRECT // redirect
	ProtocolKernel     Protocol = unix.RTPROT_KERNEL   // kernel
	ProtocolBoot       Protocol = unix.RTPROT_BOOT     // boot
	ProtocolStatic     Protocol = unix.RTPROT_STATIC   // static
	ProtocolGated      Protocol = unix.RTPROT_GATED    // gated
	ProtocolRA         Protocol = unix.RTPROT_RA       // ra
	ProtocolMRT        Protocol = unix.RTPROT_MRT      // mrt
	ProtocolZebra      Protocol = unix.RTPROT_ZEBRA    // zebra
	ProtocolBird       Protocol = unix.RTPROT_BIRD     // bird
	ProtocolDNRouted   Protocol = unix.RTPROT_DNROUTED // dnrouted
	ProtocolXORP       Protocol = unix.RTPROT_XORP     // xorp
	ProtocolNTK        Protocol = unix.RTPROT_NTK      // ntk
	ProtocolDHCP       Protocol = unix.RTPROT_DHCP     // dhcp
	ProtocolKeepalived Protocol = 18                   // keepalived
	ProtocolBabel      Protocol = unix.RTPROT_BABEL    // babel
	ProtocolOpenR      Protocol = 99                   // openr
	ProtocolBGP        Protocol = unix.RTPROT_BGP      // bgp
	ProtocolISIS       Protocol = unix.RTPROT_ISIS     // isis
	ProtocolOSPF       Protocol = unix.RTPROT_OSPF     // ospf
	ProtocolRIP        Protocol = unix.RTPROT_RIP      // rip
	ProtocolEIGRP      Protocol = unix.RTPROT_EIGRP    // eigrp
)

// String returns the protocol's name as ip prints it, such as "kernel" or
// "static", or its number.
func (p Protocol) String() string {
	switch p {
	case ProtocolUnspec:
		return "unspec"
	case ProtocolRedirect:
		return "redirect"
	case ProtocolKernel:
		return "kernel"
	case ProtocolBoot:
		return "boot"
	case ProtocolStatic:
		return "static"
	case ProtocolGated:
		return "gated"
	case ProtocolRA:
		return "ra"
	case ProtocolMRT:
		return "mrt"
	case ProtocolZebra:
		return "zebra"
	case ProtocolBird:
		return "bird"
	case ProtocolDNRouted:
		return "dnrouted"
	case ProtocolXORP:
		return "xorp"
	case ProtocolNTK:
		return "ntk"
	case ProtocolDHCP:
		return "dhcp"
	case ProtocolKeepalived:
		return "keepalived"
	case ProtocolBabel:
		return "babel"
	case ProtocolOpenR:
		return "openr"
	case ProtocolBGP:
		return "bgp"
	case ProtocolISIS:
		return "isis"
	case ProtocolOSPF:
		return "ospf"
	case ProtocolRIP:
		return "rip"
	case ProtocolEIGRP:
		return "eigrp"
	}
	return strconv.Itoa(int(p))
}

// RouteType is the type of a route, or the action of a rule (rtm_type,
// frh action: RTN_*).
type RouteType uint8

// Route types.
const (
	RouteTypeUnspec      RouteType = unix.RTN_UNSPEC      // none
	RouteTypeUnicast     RouteType = unix.RTN_UNICAST     // unicast
	RouteTypeLocal       RouteType = unix.RTN_LOCAL       // local
	RouteTypeBroadcast   RouteType = unix.RTN_BROADCAST   // broadcast
	RouteTypeAnycast     RouteType = unix.RTN_ANYCAST     // anycast
	RouteTypeMulticast   RouteType = unix.RTN_MULTICAST   // multicast
	RouteTypeBlackhole   RouteType = unix.RTN_BLACKHOLE   // blackhole
	RouteTypeUnreachable RouteType = unix.RTN_UNREACHABLE // unreachable
	RouteTypeProhibit    RouteType = unix.RTN_PROHIBIT    // prohibit
	RouteTypeThrow       RouteType = unix.RTN_THROW       // throw
	RouteTypeNAT         RouteType = unix.RTN_NAT         // nat
	RouteTypeXResolve    RouteType = unix.RTN_XRESOLVE    // xresolve
)

// String returns the type's name as ip prints it, such as "unicast" or
// "blackhole" ("none" for RouteTypeUnspec), or its number.
func (t RouteType) String() string {
	switch t {
	case RouteTypeUnspec:
		return "none"
	case RouteTypeUnicast:
		return "unicast"
	case RouteTypeLocal:
		return "local"
	case RouteTypeBroadcast:
		return "broadcast"
	case RouteTypeAnycast:
		return "anycast"
	case RouteTypeMulticast:
		return "multicast"
	case RouteTypeBlackhole:
		return "blackhole"
	case RouteTypeUnreachable:
		return "unreachable"
	case RouteTypeProhibit:
		return "prohibit"
	case RouteTypeThrow:
		return "throw"
	case RouteTypeNAT:
		return "nat"
	case RouteTypeXResolve:
		return "xresolve"
	}
	return strconv.Itoa(int(t))
}

// dsfieldName returns the name of a DS field (TOS) value as ip prints it
// with Debian's /etc/iproute2/rt_dsfield, such as "AF11" or "EF", or
// "0x" and two hexadecimal digits.
func dsfieldName(v uint8) string {
	switch v {
	case 0x00:
		return "default"
	case 0x28:
		return "AF11"
	case 0x30:
		return "AF12"
	case 0x38:
		return "AF13"
	case 0x48:
		return "AF21"
	case 0x50:
		return "AF22"
	case 0x58:
		return "AF23"
	case 0x68:
		return "AF31"
	case 0x70:
		return "AF32"
	case 0x78:
		return "AF33"
	case 0x88:
		return "AF41"
	case 0x90:
		return "AF42"
	case 0x98:
		return "AF43"
	case 0x20:
		return "CS1"
	case 0x40:
		return "CS2"
	case 0x60:
		return "CS3"
	case 0x80:
		return "CS4"
	case 0xa0:
		return "CS5"
	case 0xc0:
		return "CS6"
	case 0xe0:
		return "CS7"
	case 0xb8:
		return "EF"
	}
	s := strconv.FormatUint(uint64(v), 16)
	if len(s) < 2 {
		s = "0" + s
	}
	return "0x" + s
}

// realmName returns a realm's name as ip prints it with Debian's
// /etc/iproute2/rt_realms: "cosmos" for 0, else the number.
func realmName(realm uint32) string {
	if realm == 0 {
		return "cosmos"
	}
	return strconv.FormatUint(uint64(realm), 10)
}

// linkGroupName returns the name of a link group as ip prints it with
// Debian's /etc/iproute2/group: "default" for 0, else the number.
func linkGroupName(g uint32) string {
	if g == 0 {
		return "default"
	}
	return strconv.FormatUint(uint64(g), 10)
}
