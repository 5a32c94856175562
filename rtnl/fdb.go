package rtnl

import (
	"net"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/jsonw"
)

// An FDBEntry is an entry of a forwarding database: a bridge's, for the
// entries of its ports, or a device's own, such as a vxlan device's remote
// endpoints. It is what `bridge -d -s fdb show` reports of it (struct
// ndmsg of family AF_BRIDGE and the NDA_* attributes).
//
// Its JSON (see [FDBEntry.MarshalJSON]) is one element of what
// `bridge -j -d -s fdb show` (iproute2 6.1) prints. The same type describes
// the entry to create or delete for [Conn.AddFDB] and its kin; fields that
// only the kernel sets are ignored there.
type FDBEntry struct {
	// LinkIndex is the index of the device the entry belongs to: the
	// bridge port, or the device itself (ndm_ifindex; `dev`).
	LinkIndex int32
	// LinkName is the device's name; lists fill it in.
	LinkName string
	// MAC is the link-layer address (NDA_LLADDR).
	MAC net.HardwareAddr
	// Dst is the remote endpoint of a vxlan entry (NDA_DST; `dst`), or the
	// zero Addr.
	Dst netip.Addr
	// VLAN is the VLAN of the entry (NDA_VLAN; `vlan`); 0 for none.
	VLAN uint16
	// Port is the vxlan entry's remote UDP port (NDA_PORT; `port`), nil
	// for the device's.
	Port *uint16
	// VNI is the vxlan entry's remote VNI (NDA_VNI; `vni`), nil for the
	// device's.
	VNI *uint32
	// SrcVNI is the source VNI of a collect-metadata vxlan entry
	// (NDA_SRC_VNI; `src_vni`), nil for none.
	SrcVNI *uint32
	// ViaIndex is the index of the device through which a vxlan entry's
	// remote is reached (NDA_IFINDEX; `via`); 0 for none.
	ViaIndex int32
	// ViaName is its name; lists fill it in.
	ViaName string
	// NHID is the nexthop group of a vxlan entry (NDA_NH_ID; `nhid`); 0 for
	// none.
	NHID uint32
	// LinkNetNSID is the namespace id of ViaIndex's namespace
	// (NDA_LINK_NETNSID), nil when it is this namespace.
	LinkNetNSID *int32
	// MasterIndex is the index of the bridge of a port's entry
	// (NDA_MASTER); 0 for none. Requests do not send it: with neither
	// NeighSelf nor NeighMaster in Flags, a request for an entry with a
	// MasterIndex goes to the master.
	MasterIndex int32
	// MasterName is the bridge's name; lists fill it in.
	MasterName string
	// State is the entry's state (ndm_state): [FDBPermanent] (`permanent`
	// or `local`), [FDBStatic] (`static`), [FDBDynamic] (`dynamic`), or
	// what the kernel reports, such as NeighStale. In a request, zero
	// stands for FDBPermanent, as with bridge.
	State NeighState
	// Flags are the entry's flags (ndm_flags): [NeighSelf], [NeighMaster],
	// [NeighRouter], [NeighExternLearn], [NeighSticky], [NeighUse] in
	// requests (with neither self nor master, self, as with bridge, but
	// see MasterIndex);
	// [NeighOffloaded] is the kernel's.
	Flags NeighFlags
	// ExtFlags are the extended flags (NDA_FLAGS_EXT), such as
	// [NeighExtLocked]; requests ignore them.
	ExtFlags NeighExtFlags
	// CacheInfo holds the entry's timers (NDA_CACHEINFO); nil when the
	// kernel sent none. Requests ignore it.
	CacheInfo *NeighCacheInfo

	// linkType is the link-layer type of the device, which sets how
	// bridge prints MAC; lists fill it in with LinkName.
	linkType LinkType
	// devFiltered marks an entry listed with [FilterFDBPort], for which
	// bridge prints no "ifname".
	devFiltered bool
}

// The states of FDB entries that `bridge fdb add` sends.
const (
	// FDBPermanent is a local entry, for an address of the device itself
	// (`permanent`, `local`; NUD_NOARP|NUD_PERMANENT).
	FDBPermanent = NeighNoARP | NeighPermanent
	// FDBStatic is an entry that never ages out (`static`;
	// NUD_NOARP|NUD_REACHABLE).
	FDBStatic = NeighNoARP | NeighReachable
	// FDBDynamic is an entry that ages out as a learned one does
	// (`dynamic`; NUD_REACHABLE).
	FDBDynamic = NeighReachable
)

// MarshalJSON encodes the entry as one element of
// `bridge -j -d -s fdb show` (iproute2 6.1): the same keys, in the same
// order, with the same value formats, "viaIfIndex" and "linkNetNsId"
// included. An entry listed with [FilterFDBPort] has no "ifname", as bridge
// prints it.
func (e FDBEntry) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	e.writeJSON(&w)
	return w.Bytes(), nil
}

func (e *FDBEntry) writeJSON(w *jsonw.Writer) {
	w.Open("")
	if e.MAC != nil {
		w.String("mac", e.linkType.FormatAddress(e.MAC))
	}
	if !e.devFiltered && e.LinkIndex != 0 {
		w.String("ifname", nameOrIndex(e.LinkName, e.LinkIndex))
	}
	if e.Dst.IsValid() {
		w.String("dst", inetNtop(e.Dst))
	}
	if e.VLAN != 0 {
		w.Uint("vlan", uint64(e.VLAN))
	}
	writeJSONUint(w, "port", e.Port)
	writeJSONUint(w, "vni", e.VNI)
	writeJSONUint(w, "src_vni", e.SrcVNI)
	if e.ViaIndex != 0 {
		if e.LinkNetNSID != nil {
			w.Uint("viaIfIndex", uint64(uint32(e.ViaIndex)))
		} else {
			w.String("viaIf", nameOrIndex(e.ViaName, e.ViaIndex))
		}
	}
	if e.NHID != 0 {
		w.Uint("nhid", uint64(e.NHID))
	}
	if e.LinkNetNSID != nil {
		w.Uint("linkNetNsId", uint64(uint32(*e.LinkNetNSID)))
	}
	if ci := e.CacheInfo; ci != nil {
		w.Uint("used", uint64(ci.Used/userHz))
		w.Uint("updated", uint64(ci.Updated/userHz))
	}
	w.OpenArray("flags")
	for _, f := range [...]struct {
		flag NeighFlags
		name string
	}{
		{NeighSelf, "self"}, {NeighRouter, "router"}, {NeighExternLearn, "extern_learn"},
		{NeighOffloaded, "offload"}, {NeighMaster, "master"}, {NeighSticky, "sticky"},
	} {
		if e.Flags&f.flag != 0 {
			w.String("", f.name)
		}
	}
	w.CloseArray()
	if e.MasterIndex != 0 {
		w.String("master", nameOrIndex(e.MasterName, e.MasterIndex))
	}
	w.String("state", fdbStateName(e.State))
	w.Close()
}

// fdbStateName returns the name bridge prints for an FDB entry's state:
// the most significant of permanent, static (NUD_NOARP), stale, "" for
// reachable (a dynamic entry), else the state in hexadecimal.
func fdbStateName(s NeighState) string {
	switch {
	case s&NeighPermanent != 0:
		return "permanent"
	case s&NeighNoARP != 0:
		return "static"
	case s&NeighStale != 0:
		return "stale"
	case s&NeighReachable != 0:
		return ""
	}
	return printfHex(s)
}

// fdbFamily is the family of FDB messages.
const fdbFamily = unix.AF_BRIDGE
