package rtnl

import (
	"net"
	"net/netip"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/jsonw"
)

// A Neighbor is an entry of a neighbour table, ARP (IPv4) or NDISC (IPv6):
// what `ip -d -s neigh show` reports of it (struct ndmsg and the NDA_*
// attributes). Proxy entries (`ip neigh add proxy ADDR`) are neighbours with
// [NeighProxy] in Flags.
//
// Its JSON (see [Neighbor.MarshalJSON]) is one element of what
// `ip -j -d -s neigh show` (iproute2 6.1) prints. The same type describes
// the entry to create or delete for [Conn.AddNeighbor] and its kin; fields
// that only the kernel sets are ignored there.
type Neighbor struct {
	// Family is unix.AF_INET or unix.AF_INET6 (ndm_family). In a request,
	// zero stands for the family of Dst.
	Family uint8
	// LinkIndex is the index of the link the entry is on (ndm_ifindex); 0
	// for a proxy entry on no link.
	LinkIndex int32
	// LinkName is the link's name. Lists and GetNeighbor fill it in;
	// requests ignore it.
	LinkName string
	// Dst is the neighbour's IP address (NDA_DST).
	Dst netip.Addr
	// LLAddr is the neighbour's link-layer address (NDA_LLADDR; `lladdr`),
	// nil for none.
	LLAddr net.HardwareAddr
	// State is the entry's state (ndm_state; `nud STATE`). In a request,
	// zero stands for [NeighPermanent], as with ip, unless ExtFlags has
	// [NeighExtManaged], which asks for no state.
	State NeighState
	// Flags are the entry's flags (ndm_flags): [NeighRouter], [NeighProxy],
	// [NeighExternLearn], [NeighUse] in requests; [NeighOffloaded] is the
	// kernel's.
	Flags NeighFlags
	// ExtFlags are the extended flags (NDA_FLAGS_EXT): [NeighExtManaged].
	ExtFlags NeighExtFlags
	// Type is the type of the neighbour (ndm_type), RouteTypeUnicast for
	// an entry the kernel keeps; requests leave it zero.
	Type RouteType
	// Protocol says what installed the entry (NDA_PROTOCOL; `protocol`);
	// 0 for none.
	Protocol Protocol
	// CacheInfo holds the entry's timers (NDA_CACHEINFO); nil when the
	// kernel sent none. Requests ignore it.
	CacheInfo *NeighCacheInfo
	// Probes is how many probes were sent since the entry was last
	// confirmed (NDA_PROBES); nil when the kernel sent none. Requests
	// ignore it.
	Probes *uint32

	// linkType is the link-layer type of the link, which sets how ip
	// prints LLAddr; lists fill it in with LinkName.
	linkType LinkType
	// devFiltered marks an entry listed with a link filter, for which ip
	// prints no "dev".
	devFiltered bool
}

// NeighCacheInfo are the timers of a neighbour or bridge FDB entry (struct
// nda_cacheinfo), in clock ticks (USER_HZ, 100 per second): how long ago
// the entry was last confirmed, used and updated, and how many references
// the kernel holds to it.
type NeighCacheInfo struct {
	Confirmed, Used, Updated uint32
	RefCount                 uint32
}

// userHz is the kernel's USER_HZ, the clock ticks per second of
// nda_cacheinfo, which ip divides by (sysconf(_SC_CLK_TCK)).
const userHz = 100

// NeighState is the state of a neighbour entry (ndm_state, NUD_*): a bit
// set, though an entry is in one state at a time. The names are ip's.
type NeighState uint16

// Neighbour states.
const (
	NeighNone       NeighState = unix.NUD_NONE       // none
	NeighIncomplete NeighState = unix.NUD_INCOMPLETE // INCOMPLETE: resolving
	NeighReachable  NeighState = unix.NUD_REACHABLE  // REACHABLE: confirmed lately
	NeighStale      NeighState = unix.NUD_STALE      // STALE: to confirm on next use
	NeighDelay      NeighState = unix.NUD_DELAY      // DELAY: confirmation pending
	NeighProbe      NeighState = unix.NUD_PROBE      // PROBE: probing
	NeighFailed     NeighState = unix.NUD_FAILED     // FAILED: resolution failed
	NeighNoARP      NeighState = unix.NUD_NOARP      // NOARP: needs no resolution
	NeighPermanent  NeighState = unix.NUD_PERMANENT  // PERMANENT: set by hand
)

// String returns the name ip gives a single state, such as "REACHABLE",
// "NONE" for none, the names of several states joined by commas, or the
// value in hexadecimal when it has bits beyond the states.
func (s NeighState) String() string {
	switch s {
	case NeighNone:
		return "NONE"
	case NeighIncomplete:
		return "INCOMPLETE"
	case NeighReachable:
		return "REACHABLE"
	case NeighStale:
		return "STALE"
	case NeighDelay:
		return "DELAY"
	case NeighProbe:
		return "PROBE"
	case NeighFailed:
		return "FAILED"
	case NeighNoARP:
		return "NOARP"
	case NeighPermanent:
		return "PERMANENT"
	}
	if s&^0xff != 0 {
		return printfHex(s)
	}
	return strings.Join(s.Names(), ",")
}

// Names returns the names of the states set in s, in the order ip prints
// them (the order of the bits), such as ["REACHABLE"]. Bits beyond the
// eight states have no name: ip does not print them.
func (s NeighState) Names() []string {
	var names []string
	for bit := NeighIncomplete; bit <= NeighPermanent; bit <<= 1 {
		if s&bit != 0 {
			names = append(names, bit.String())
		}
	}
	return names
}

// NeighFlags are the flags of a neighbour or bridge FDB entry (ndm_flags,
// NTF_*).
type NeighFlags uint8

// Neighbour and FDB entry flags.
const (
	// NeighUse marks the entry used, as traffic would (`use`).
	NeighUse NeighFlags = unix.NTF_USE
	// NeighSelf makes an FDB request, or marks an FDB entry, for the
	// device's own table (`self`).
	NeighSelf NeighFlags = unix.NTF_SELF
	// NeighMaster makes an FDB request, or marks an FDB entry, for the
	// table of the device's master, a bridge (`master`).
	NeighMaster NeighFlags = unix.NTF_MASTER
	// NeighProxy marks a proxy entry (`proxy`).
	NeighProxy NeighFlags = unix.NTF_PROXY
	// NeighExternLearn marks an entry learned outside the kernel
	// (`extern_learn`).
	NeighExternLearn NeighFlags = unix.NTF_EXT_LEARNED
	// NeighOffloaded marks an entry offloaded to hardware (`offload`).
	NeighOffloaded NeighFlags = unix.NTF_OFFLOADED
	// NeighSticky marks an FDB entry that never moves to another port
	// (`sticky`).
	NeighSticky NeighFlags = 0x40 // NTF_STICKY
	// NeighRouter marks an IPv6 neighbour that is a router (`router`).
	NeighRouter NeighFlags = unix.NTF_ROUTER
)

// NeighExtFlags are the extended flags of a neighbour or FDB entry
// (NDA_FLAGS_EXT, NTF_EXT_*).
type NeighExtFlags uint32

// Extended neighbour flags.
const (
	// NeighExtManaged has the kernel keep the entry resolved (`managed`).
	NeighExtManaged NeighExtFlags = 1 // NTF_EXT_MANAGED
	// NeighExtLocked marks an FDB entry of a locked bridge port.
	NeighExtLocked NeighExtFlags = 2 // NTF_EXT_LOCKED
)

// The attributes of neighbour messages that x/sys/unix lacks.
const (
	ndaProtocol = 12 // NDA_PROTOCOL
	ndaNHID     = 13 // NDA_NH_ID
	ndaFlagsExt = 15 // NDA_FLAGS_EXT
)

// The sizes of struct ndmsg and struct nda_cacheinfo.
const (
	ndmsgLen        = unix.SizeofNdMsg
	ndaCacheInfoLen = 16
)

// neighStateNoneBit is the bit ip's state filter uses for the entries in
// no state (`nud none`), beyond the eight states.
const neighStateNoneBit = 0x100

// MarshalJSON encodes the entry as one element of `ip -j -d -s neigh show`
// (iproute2 6.1): the same keys, in the same order, with the same value
// formats. An entry listed with [FilterNeighLink] has no "dev", as ip
// prints it.
func (n Neighbor) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	n.writeJSON(&w)
	return w.Bytes(), nil
}

func (n *Neighbor) writeJSON(w *jsonw.Writer) {
	w.Open("")
	if n.Dst.IsValid() {
		w.String("dst", inetNtop(n.Dst))
	}
	if !n.devFiltered && n.LinkIndex != 0 {
		w.String("dev", nameOrIndex(n.LinkName, n.LinkIndex))
	}
	if n.LLAddr != nil {
		w.String("lladdr", n.linkType.FormatAddress(n.LLAddr))
	}
	for _, f := range [...]struct {
		on   bool
		name string
	}{
		{n.Flags&NeighRouter != 0, "router"},
		{n.Flags&NeighProxy != 0, "proxy"},
		{n.ExtFlags&NeighExtManaged != 0, "managed"},
		{n.Flags&NeighExternLearn != 0, "extern_learn"},
		{n.Flags&NeighOffloaded != 0, "offload"},
	} {
		if f.on {
			w.Null(f.name)
		}
	}
	if ci := n.CacheInfo; ci != nil {
		if ci.RefCount != 0 {
			w.Uint("refcnt", uint64(ci.RefCount))
		}
		w.Uint("used", uint64(ci.Used/userHz))
		w.Uint("confirmed", uint64(ci.Confirmed/userHz))
		w.Uint("updated", uint64(ci.Updated/userHz))
	}
	writeJSONUint(w, "probes", n.Probes)
	if n.State != 0 {
		w.OpenArray("state")
		for _, name := range n.State.Names() {
			w.String("", name)
		}
		w.CloseArray()
	}
	if n.Protocol != 0 {
		w.String("protocol", n.Protocol.String())
	}
	w.Close()
}
