package rtnl

import (
	"net/netip"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/addrfamily"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// An Address is an IP address of a link: what `ip -d -s addr show` reports
// of it (struct ifaddrmsg and the IFA_* attributes).
//
// Its JSON (see [Address.MarshalJSON]) is one element of the "addr_info"
// array that `ip -j -d -s addr show` (iproute2 6.1) prints. The same type
// describes the address to create or delete for [Conn.AddAddress] and its
// kin; fields that only the kernel sets are ignored there.
type Address struct {
	// Family is unix.AF_INET or unix.AF_INET6 (ifa_family). In a request,
	// zero stands for the family of Prefix.
	Family uint8
	// LinkIndex is the index of the link the address is on (ifa_index).
	LinkIndex int32
	// Prefix is the local address and the prefix length: IFA_LOCAL (or
	// IFA_ADDRESS, when the kernel sends only that, as it does for IPv6) and
	// ifa_prefixlen. On a point-to-point address the prefix length is the
	// peer's, as in `ip addr add 10.0.0.1 peer 10.0.0.2/24`.
	Prefix netip.Prefix
	// Peer is the address of the other end of a point-to-point link
	// (IFA_ADDRESS where it differs from IFA_LOCAL; `peer ADDR`), or the
	// zero Addr.
	Peer netip.Addr
	// Broadcast is the IPv4 broadcast address (IFA_BROADCAST; `brd ADDR`),
	// or the zero Addr. See also AutoBroadcast.
	Broadcast netip.Addr
	// AutoBroadcast, in a request that creates or changes an address, has
	// the IPv4 broadcast address computed from Prefix (or from Peer and the
	// prefix length), as `brd +` and `brd -` do; Broadcast must then be
	// unset. [Address.BroadcastFromPrefix] gives the same address. Lists
	// leave it zero: what the kernel reports is in Broadcast.
	AutoBroadcast AutoBroadcast
	// Anycast is the anycast address (IFA_ANYCAST; `anycast ADDR`), or the
	// zero Addr.
	Anycast netip.Addr
	// Label is the IPv4 address label (IFA_LABEL; `label NAME`), up to 15
	// bytes: by convention the name of the link, or that name, a colon and
	// more, as in "eth0:web". The kernel sets it to the link's name when a
	// request has none; IPv6 addresses have none.
	Label string
	// Scope is the scope of the address (ifa_scope). When it is
	// [ScopeGlobal] in a request for an IPv4 address in 127.0.0.0/8, the
	// address is created with [ScopeHost], as ip does. The kernel sets the
	// scope of an IPv6 address from the address itself.
	Scope Scope
	// Flags are the address flags (IFA_FLAGS, or the 8 bits of ifa_flags
	// when the kernel sends no IFA_FLAGS). Requests carry only the flags a
	// user may set; see [AddrFlags].
	Flags AddrFlags
	// Lifetimes are the address's valid and preferred lifetimes
	// (IFA_CACHEINFO); nil when the kernel sent none. In a request, nil
	// creates an address that lives forever.
	Lifetimes *AddrLifetimes
	// Metric is the metric of the prefix route the kernel adds for the
	// address (IFA_RT_PRIORITY; `metric N`); 0 for none.
	Metric uint32
	// Protocol says what created the address (IFA_PROTO, Linux 6.3 and
	// later; `proto`); 0 when unspecified. iproute2 6.1 neither prints nor
	// sends it.
	Protocol AddrProto
}

// LifetimeForever is the lifetime of an address that never expires, as the
// kernel and ip's JSON write it.
const LifetimeForever = 0xffffffff

// AddrLifetimes are the lifetimes of an address (struct ifa_cacheinfo).
type AddrLifetimes struct {
	// Valid is how many more seconds the address is valid (valid_lft), and
	// Preferred how many more seconds it is preferred for new connections
	// (preferred_lft); [LifetimeForever] for no limit. A preferred lifetime
	// of 0 makes the address deprecated. Both tick down on addresses that
	// are not forever.
	Valid, Preferred uint32
	// Created and Updated are when the address was created and last
	// changed, in hundredths of a second since boot (cstamp and tstamp).
	// The kernel sets them and ignores them in requests.
	Created, Updated uint32
}

// Scope is the scope of an address or a route (RT_SCOPE_*).
type Scope uint8

// Scopes, with the names /etc/iproute2/rt_scopes gives them.
const (
	ScopeGlobal  Scope = unix.RT_SCOPE_UNIVERSE // global
	ScopeSite    Scope = unix.RT_SCOPE_SITE     // site
	ScopeLink    Scope = unix.RT_SCOPE_LINK     // link
	ScopeHost    Scope = unix.RT_SCOPE_HOST     // host
	ScopeNowhere Scope = unix.RT_SCOPE_NOWHERE  // nowhere
)

// String returns the scope's name as ip prints it, such as "global" or
// "link", or its number for a scope without a name.
func (s Scope) String() string {
	switch s {
	case ScopeGlobal:
		return "global"
	case ScopeSite:
		return "site"
	case ScopeLink:
		return "link"
	case ScopeHost:
		return "host"
	case ScopeNowhere:
		return "nowhere"
	}
	return strconv.Itoa(int(s))
}

// AddrFlags are the flags of an address (IFA_F_*).
//
// The kernel sets AddrSecondary, AddrDADFailed, AddrDeprecated,
// AddrTentative, AddrPermanent and AddrStablePrivacy itself: requests leave
// them out. AddrNoDAD, AddrOptimistic, AddrHome and AddrManageTempAddr apply
// to IPv6 addresses only.
type AddrFlags uint32

// Address flags.
const (
	// AddrSecondary marks an IPv4 address that is not the first of its
	// subnet on the link (`secondary`).
	AddrSecondary AddrFlags = unix.IFA_F_SECONDARY
	// AddrTemporary marks an IPv6 privacy address (`temporary`): the same
	// bit as AddrSecondary.
	AddrTemporary AddrFlags = unix.IFA_F_TEMPORARY
	// AddrNoDAD skips duplicate address detection (`nodad`).
	AddrNoDAD AddrFlags = unix.IFA_F_NODAD
	// AddrOptimistic uses the address during duplicate address detection
	// (`optimistic`).
	AddrOptimistic AddrFlags = unix.IFA_F_OPTIMISTIC
	// AddrDADFailed marks an address that failed duplicate address
	// detection (`dadfailed`).
	AddrDADFailed AddrFlags = unix.IFA_F_DADFAILED
	// AddrHome marks a Mobile IPv6 home address (`home`).
	AddrHome AddrFlags = unix.IFA_F_HOMEADDRESS
	// AddrDeprecated marks an address whose preferred lifetime is over
	// (`deprecated`).
	AddrDeprecated AddrFlags = unix.IFA_F_DEPRECATED
	// AddrTentative marks an address under duplicate address detection
	// (`tentative`).
	AddrTentative AddrFlags = unix.IFA_F_TENTATIVE
	// AddrPermanent marks an address without lifetimes; ip prints
	// "dynamic" for one without it.
	AddrPermanent AddrFlags = unix.IFA_F_PERMANENT
	// AddrManageTempAddr has the kernel make temporary addresses from this
	// one (`mngtmpaddr`).
	AddrManageTempAddr AddrFlags = unix.IFA_F_MANAGETEMPADDR
	// AddrNoPrefixRoute keeps the kernel from adding a route for the
	// address's prefix (`noprefixroute`).
	AddrNoPrefixRoute AddrFlags = unix.IFA_F_NOPREFIXROUTE
	// AddrMcAutoJoin joins the multicast group of a multicast address
	// (`autojoin`).
	AddrMcAutoJoin AddrFlags = unix.IFA_F_MCAUTOJOIN
	// AddrStablePrivacy marks an address made from a stable secret
	// (`stable-privacy`).
	AddrStablePrivacy AddrFlags = unix.IFA_F_STABLE_PRIVACY
)

// addrFlagsSettable are the flags a request may carry: the ones ip accepts
// from its user.
const addrFlagsSettable = AddrNoDAD | AddrOptimistic | AddrHome | AddrManageTempAddr | AddrNoPrefixRoute | AddrMcAutoJoin

// addrFlagsIPv6Only are the settable flags ip accepts for IPv6 addresses
// only.
const addrFlagsIPv6Only = AddrNoDAD | AddrOptimistic | AddrHome | AddrManageTempAddr

// Has reports whether every flag in f2 is set in f.
func (f AddrFlags) Has(f2 AddrFlags) bool { return f&f2 == f2 }

// addrFlagNames returns the flags in the order ip prints them, with their
// JSON keys. AddrPermanent is printed reversed, as "dynamic".
func addrFlagNames() [12]flagName[AddrFlags] {
	return [...]flagName[AddrFlags]{
		{AddrSecondary, "secondary"},
		{AddrNoDAD, "nodad"},
		{AddrOptimistic, "optimistic"},
		{AddrDADFailed, "dadfailed"},
		{AddrHome, "home"},
		{AddrDeprecated, "deprecated"},
		{AddrTentative, "tentative"},
		{AddrPermanent, "dynamic"},
		{AddrManageTempAddr, "mngtmpaddr"},
		{AddrNoPrefixRoute, "noprefixroute"},
		{AddrMcAutoJoin, "autojoin"},
		{AddrStablePrivacy, "stable-privacy"},
	}
}

// AddrProto says what created an address (IFA_PROTO, IFAPROT_*).
type AddrProto uint8

// Address protocols the kernel sets.
const (
	AddrProtoUnspec   AddrProto = 0 // unspec
	AddrProtoKernelLo AddrProto = 1 // kernel_lo: the loopback address
	AddrProtoKernelRA AddrProto = 2 // kernel_ra: from a router advertisement
	AddrProtoKernelLL AddrProto = 3 // kernel_ll: an IPv6 link-local address
)

// String returns the protocol's name as later versions of ip print it, such
// as "kernel_ll", or "0x" and its number in hexadecimal.
func (p AddrProto) String() string {
	switch p {
	case AddrProtoUnspec:
		return "unspec"
	case AddrProtoKernelLo:
		return "kernel_lo"
	case AddrProtoKernelRA:
		return "kernel_ra"
	case AddrProtoKernelLL:
		return "kernel_ll"
	}
	return "0x" + strconv.FormatUint(uint64(p), 16)
}

// AutoBroadcast selects an IPv4 broadcast address computed from the prefix
// of an address, as ip's `brd +` and `brd -` do.
type AutoBroadcast uint8

// Automatic broadcast addresses.
const (
	// NoAutoBroadcast leaves the broadcast address as Broadcast has it:
	// none when it is unset.
	NoAutoBroadcast AutoBroadcast = iota
	// BroadcastPlus is `brd +`: the address with every host bit set, the
	// last address of the prefix.
	BroadcastPlus
	// BroadcastMinus is `brd -`: the address with every host bit clear.
	BroadcastMinus
)

// BroadcastFromPrefix returns the broadcast address mode computes for a:
// Peer, or the address of Prefix when there is no peer, with every bit after
// the prefix length set (BroadcastPlus) or cleared (BroadcastMinus). As with
// ip, there is none (the zero Addr) for a prefix longer than 30 bits, for an
// IPv6 address, for an invalid prefix, and for NoAutoBroadcast.
func (a Address) BroadcastFromPrefix(mode AutoBroadcast) netip.Addr {
	base := a.Peer
	if !base.IsValid() {
		base = a.Prefix.Addr()
	}
	bits := a.Prefix.Bits()
	if !base.Is4() || bits < 0 || bits > 30 || (mode != BroadcastPlus && mode != BroadcastMinus) {
		return netip.Addr{}
	}
	b := base.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	host := uint32(1)<<(32-bits) - 1
	if mode == BroadcastPlus {
		v |= host
	} else {
		v &^= host
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// family returns the address family: Family, or the family of Prefix when
// Family is zero.
func (a *Address) family() uint8 {
	if a.Family != 0 {
		return a.Family
	}
	return addrfamily.Of(a.Prefix.Addr())
}

// MarshalJSON encodes the address as one element of the "addr_info" array
// of `ip -j -d -s addr show` (iproute2 6.1): the same keys, in the same
// order, with the same value formats. Protocol is not printed, as ip 6.1
// does not print it; lifetimes are numbers, 4294967295 for forever.
func (a Address) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	a.writeJSON(&w)
	return w.Bytes(), nil
}

func (a *Address) writeJSON(w *jsonw.Writer) {
	w.Open("")
	family := a.family()
	if name := addrfamily.Name(family); name != "" {
		w.String("family", name)
	} else {
		w.Int("family_index", int64(family))
	}
	if local := a.Prefix.Addr(); local.IsValid() {
		w.String("local", inetNtop(local))
		if a.Peer.IsValid() && a.Peer != local {
			w.String("address", inetNtop(a.Peer))
		}
		w.Int("prefixlen", int64(a.Prefix.Bits()))
		if a.Metric != 0 {
			w.Uint("metric", uint64(a.Metric))
		}
	}
	if a.Broadcast.IsValid() {
		w.String("broadcast", inetNtop(a.Broadcast))
	}
	if a.Anycast.IsValid() {
		w.String("anycast", inetNtop(a.Anycast))
	}
	w.String("scope", a.Scope.String())
	flags := a.Flags
	for _, n := range addrFlagNames() {
		switch {
		case n.flag == AddrPermanent:
			if flags&AddrPermanent == 0 {
				w.Bool("dynamic", true)
			}
		case flags&n.flag == 0:
		case n.flag == AddrSecondary && family == unix.AF_INET6:
			w.Bool("temporary", true)
		default:
			w.Bool(n.name, true)
		}
		flags &^= n.flag
	}
	if flags != 0 {
		s := strconv.FormatUint(uint64(flags), 16)
		if len(s) < 2 {
			s = "0" + s
		}
		w.String("ifa_flags", s)
	}
	if a.Label != "" {
		w.String("label", a.Label)
	}
	if lt := a.Lifetimes; lt != nil {
		w.Uint("valid_life_time", uint64(lt.Valid))
		if lt.Preferred != LifetimeForever && a.Flags&AddrDeprecated != 0 {
			w.Int("preferred_life_time", int64(int32(lt.Preferred)))
		} else {
			w.Uint("preferred_life_time", uint64(lt.Preferred))
		}
	}
	w.Close()
}

// LinkWithAddresses is a link with its addresses: one element of what
// `ip -d -s addr show` lists. See [Conn.LinkAddresses].
type LinkWithAddresses struct {
	Link      Link
	Addresses []Address

	// labelOnly marks an element listed with a label filter, for which ip
	// prints addr_info alone.
	labelOnly bool
}

// MarshalJSON encodes the link and its addresses as one element of
// `ip -j -d -s addr show` (iproute2 6.1): the link's keys as
// [Link.MarshalJSON] writes them less "linkmode" and "inet6_addr_gen_mode",
// then "addr_info", then the counters ("stats64"). An element that
// [Conn.LinkAddresses] listed with [FilterAddrLabel] holds "addr_info"
// alone, as ip prints it then.
func (la LinkWithAddresses) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	if !la.labelOnly {
		la.Link.writeMembers(&w, true)
	}
	w.OpenArray("addr_info")
	for i := range la.Addresses {
		la.Addresses[i].writeJSON(&w)
	}
	w.CloseArray()
	if s := la.Link.Stats; s != nil && !la.labelOnly {
		w.Open(s.jsonKey())
		s.writeMembers(&w)
		w.Close()
	}
	w.Close()
	return w.Bytes(), nil
}
