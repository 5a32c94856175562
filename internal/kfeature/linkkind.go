package kfeature

// LinkKind returns the feature of creating links of the given kind (the
// IFLA_INFO_KIND string, as in `ip link add NAME type KIND`): the release
// whose driver first took RTM_NEWLINK for the kind, and the option that
// builds the driver. A kind missing here has no Since, so that [Missing]
// fails and asks for it to be added.
func LinkKind(kind string) Feature {
	f := Feature{Name: kind + " links"}
	switch kind {
	case "vlan":
		f.Since, f.Config = "2.6", []string{"CONFIG_VLAN_8021Q"}
	case "dummy":
		f.Since, f.Config = "2.6", []string{"CONFIG_DUMMY"}
	case "veth":
		f.Since, f.Config = "2.6", []string{"CONFIG_VETH"}
	case "ifb":
		f.Since, f.Config = "2.6", []string{"CONFIG_IFB"}
	case "macvlan":
		f.Since, f.Config = "2.6", []string{"CONFIG_MACVLAN"}
	case "macvtap":
		f.Since, f.Config = "2.6", []string{"CONFIG_MACVTAP"}
	case "gre", "gretap":
		f.Since, f.Config = "2.6", []string{"CONFIG_NET_IPGRE"}
	case "bridge":
		f.Since, f.Config = "3.0", []string{"CONFIG_BRIDGE"}
	case "bond":
		f.Since, f.Config = "3.0", []string{"CONFIG_BONDING"}
	case "vti":
		f.Since, f.Config = "3.6", []string{"CONFIG_NET_IPVTI"}
	case "ipip":
		f.Since, f.Config = "3.7", []string{"CONFIG_NET_IPIP"}
	case "sit":
		f.Since, f.Config = "3.7", []string{"CONFIG_IPV6_SIT"}
	case "ip6tnl":
		f.Since, f.Config = "3.7", []string{"CONFIG_IPV6_TUNNEL"}
	case "ip6gre", "ip6gretap":
		f.Since, f.Config = "3.7", []string{"CONFIG_IPV6_GRE"}
	case "vxlan":
		f.Since, f.Config = "3.7", []string{"CONFIG_VXLAN"}
	case "nlmon":
		f.Since, f.Config = "3.11", []string{"CONFIG_NLMON"}
	case "vti6":
		f.Since, f.Config = "3.13", []string{"CONFIG_IPV6_VTI"}
	case "ipvlan":
		f.Since, f.Config = "3.19", []string{"CONFIG_IPVLAN"}
	case "geneve":
		f.Since, f.Config = "4.3", []string{"CONFIG_GENEVE"}
	case "vrf":
		f.Since, f.Config = "4.3", []string{"CONFIG_NET_VRF"}
	case "macsec":
		f.Since, f.Config = "4.6", []string{"CONFIG_MACSEC"}
	case "gtp":
		f.Since, f.Config = "4.7", []string{"CONFIG_GTP"}
	case "erspan":
		f.Since, f.Config = "4.14", []string{"CONFIG_NET_IPGRE"}
	case "ipvtap":
		f.Since, f.Config = "4.15", []string{"CONFIG_IPVTAP"}
	case "ip6erspan":
		f.Since, f.Config = "4.16", []string{"CONFIG_IPV6_GRE"}
	case "xfrm":
		f.Since, f.Config = "4.19", []string{"CONFIG_XFRM_INTERFACE"}
	case "wireguard":
		f.Since, f.Config = "5.6", []string{"CONFIG_WIREGUARD"}
	case "bareudp":
		f.Since, f.Config = "5.7", []string{"CONFIG_BAREUDP"}
	case "netkit":
		f.Since, f.Config = "6.7", []string{"CONFIG_NETKIT"}
	}
	return f
}
