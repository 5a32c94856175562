package rtnl

import (
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/addrfamily"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// A NetConf is the configuration of one address family on one link, or the
// "all" or "default" settings of the family: what `ip netconf show` reports
// (struct netconfmsg and the NETCONFA_* attributes). The settings are the
// ones of the sysctls under net.ipv4.conf, net.ipv6.conf and
// net.mpls.conf; the kernel sends those of the family, and a nil field is
// one it did not send.
//
// Its JSON (see [NetConf.MarshalJSON]) is one element of what
// `ip -j netconf show` (iproute2 6.1) prints.
type NetConf struct {
	// Family is unix.AF_INET, unix.AF_INET6 or unix.AF_MPLS (ncm_family).
	Family uint8
	// LinkIndex is the index of the link (NETCONFA_IFINDEX), or
	// [NetConfAll] or [NetConfDefault]; 0 when the kernel sent none.
	LinkIndex int32
	// LinkName is the name of the link with index LinkIndex, filled in by
	// the lists; "" when no link has it.
	LinkName string
	// Forwarding is whether the family forwards packets on the link
	// (NETCONFA_FORWARDING; the forwarding sysctl).
	Forwarding *bool
	// RPFilter is the IPv4 reverse path filter mode (NETCONFA_RP_FILTER).
	RPFilter *RPFilter
	// MCForwarding is whether multicast routing is on for the link
	// (NETCONFA_MC_FORWARDING), which a multicast routing daemon turns on.
	MCForwarding *bool
	// ProxyNeigh is whether the link answers ARP or neighbour solicitations
	// for other hosts (NETCONFA_PROXY_NEIGH; proxy_arp, proxy_ndp).
	ProxyNeigh *bool
	// IgnoreRoutesWithLinkdown is whether routes through the link are
	// ignored while it has no carrier
	// (NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN).
	IgnoreRoutesWithLinkdown *bool
	// Input is whether the link accepts MPLS packets (NETCONFA_INPUT).
	Input *bool
	// BCForwarding is whether IPv4 directed broadcasts are forwarded
	// (NETCONFA_BC_FORWARDING). iproute2 6.1 does not print it.
	BCForwarding *bool
}

// The link indexes of the family-wide settings of a [NetConf].
const (
	// NetConfAll is the index of the "all" settings, which apply to every
	// link (net.ipv4.conf.all).
	NetConfAll int32 = -1
	// NetConfDefault is the index of the "default" settings, which new
	// links start with (net.ipv4.conf.default).
	NetConfDefault int32 = -2
)

// RPFilter is the IPv4 reverse path filter mode of a link (the rp_filter
// sysctl).
type RPFilter uint32

// Reverse path filter modes.
const (
	RPFilterOff    RPFilter = 0 // off: no source validation
	RPFilterStrict RPFilter = 1 // strict: the reverse path must be the input link
	RPFilterLoose  RPFilter = 2 // loose: the source must be reachable
)

// String returns the mode's name as ip prints it, "off", "strict" or
// "loose", or its number.
func (r RPFilter) String() string {
	switch r {
	case RPFilterOff:
		return "off"
	case RPFilterStrict:
		return "strict"
	case RPFilterLoose:
		return "loose"
	}
	return strconv.FormatUint(uint64(r), 10)
}

// The NETCONFA_* attributes, which x/sys/unix lacks.
const (
	netconfaIfIndex                  = 1
	netconfaForwarding               = 2
	netconfaRPFilter                 = 3
	netconfaMCForwarding             = 4
	netconfaProxyNeigh               = 5
	netconfaIgnoreRoutesWithLinkdown = 6
	netconfaInput                    = 7
	netconfaBCForwarding             = 8
)

// netconfMsgLen is the size of struct netconfmsg, padded to 4 bytes as
// requests carry it.
const netconfMsgLen = 4

// MarshalJSON encodes the configuration as one element of
// `ip -j netconf show` (iproute2 6.1): the same keys, in the same order.
// BCForwarding is not printed, as ip 6.1 does not print it.
func (n NetConf) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	name := addrfamily.Name(n.Family)
	if name == "" {
		name = "???"
	}
	w.String("family", name)
	switch n.LinkIndex {
	case 0:
	case NetConfAll:
		w.String("interface", "all")
	case NetConfDefault:
		w.String("interface", "default")
	default:
		w.String("interface", nameOrIndex(n.LinkName, n.LinkIndex))
	}
	writeJSONBool(&w, "forwarding", n.Forwarding)
	if n.RPFilter != nil {
		if *n.RPFilter <= RPFilterLoose {
			w.String("rp_filter", n.RPFilter.String())
		} else {
			w.Uint("rp_filter", uint64(*n.RPFilter))
		}
	}
	writeJSONBool(&w, "mc_forwarding", n.MCForwarding)
	writeJSONBool(&w, "proxy_neigh", n.ProxyNeigh)
	writeJSONBool(&w, "ignore_routes_with_linkdown", n.IgnoreRoutesWithLinkdown)
	writeJSONBool(&w, "input", n.Input)
	w.Close()
	return w.Bytes(), nil
}

// netconfFamilyValid reports whether the kernel keeps a netconf for the
// family.
func netconfFamilyValid(family uint8) bool {
	return family == unix.AF_INET || family == unix.AF_INET6 || family == unix.AF_MPLS
}
