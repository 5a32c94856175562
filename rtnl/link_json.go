package rtnl

import (
	"bytes"
	"encoding/hex"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/jsonw"
)

// MarshalJSON encodes the link as `ip -j -d -s link show` (iproute2 6.1)
// prints it: the same keys, in the same order, with the same value formats
// and omissions.
//
// The "link" key holds the parent's name, and "master" the master's, as
// ParentName and Master give them; when they are empty the link is named
// "ifN" after its index, as ip does for a link it cannot find. Interface
// group 0 is printed as "default" and other groups as numbers, as with
// Debian's /etc/iproute2/group.
//
// encoding/json escapes <, > and & in strings unless told not to: use a
// json.Encoder with SetEscapeHTML(false) for output byte-identical to ip's.
func (l Link) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	l.writeJSON(&w)
	return w.Bytes(), nil
}

func (l *Link) writeJSON(w *jsonw.Writer) {
	w.Open("")
	l.writeMembers(w, false)
	w.Close()
}

// writeMembers writes the link's members. In addrMode it writes them as
// `ip addr show` does: without linkmode and inet6_addr_gen_mode, which only
// ip link prints, and without the counters, which ip addr prints after
// addr_info.
func (l *Link) writeMembers(w *jsonw.Writer, addrMode bool) {
	w.Int("ifindex", int64(l.Index))
	if p := l.ParentIndex; p != nil {
		switch {
		case *p == 0:
			w.Null("link")
		case l.LinkNetNSID != nil:
			w.Int("link_index", int64(*p))
		default:
			w.String("link", nameOrIndex(l.ParentName, *p))
		}
	}
	w.String("ifname", l.Name)
	w.OpenArray("flags")
	for _, f := range l.Flags.Names() {
		w.String("", f)
	}
	if l.ParentIndex != nil && *l.ParentIndex != 0 && l.LinkNetNSID == nil && l.parentDownForJSON() {
		w.String("", "M-DOWN")
	}
	w.CloseArray()
	w.Int("mtu", int64(int32(l.MTU)))
	if l.Qdisc != "" {
		w.String("qdisc", l.Qdisc)
	}
	if l.MasterIndex != 0 {
		w.String("master", nameOrIndex(l.Master, l.MasterIndex))
	}
	if name, ok := l.OperState.name(); ok {
		w.String("operstate", name)
	} else {
		w.Uint("operstate_index", uint64(l.OperState))
	}
	switch {
	case addrMode:
	case l.LinkMode < 2:
		w.String("linkmode", [...]string{"DEFAULT", "DORMANT"}[l.LinkMode])
	default:
		w.Int("linkmode_index", int64(l.LinkMode))
	}
	w.String("group", linkGroupName(l.Group))
	if l.TxQueueLen != 0 {
		w.Int("txqlen", int64(int32(l.TxQueueLen)))
	}
	if name, ok := l.Event.name(); !ok {
		w.Int("event", int64(int32(l.Event)))
	} else if l.Event != 0 {
		w.String("event", name)
	}
	w.String("link_type", l.Type.String())
	if l.Address != nil {
		w.String("address", l.Type.FormatAddress(l.Address))
	}
	if l.Broadcast != nil {
		if l.Flags&unix.IFF_POINTOPOINT != 0 {
			w.Bool("link_pointtopoint", true)
		}
		w.String("broadcast", l.Type.FormatAddress(l.Broadcast))
	}
	if l.PermAddress != nil && !bytes.Equal(l.PermAddress, l.Address) {
		w.String("permaddr", l.Type.FormatAddress(l.PermAddress))
	}
	if l.LinkNetNSID != nil {
		w.Int("link_netnsid", int64(*l.LinkNetNSID))
	}
	if l.ProtoDown {
		w.Bool("proto_down", true)
	}
	// ip 6.1 prints the reasons only for a link with an address, and only
	// the low 8 bits of them.
	if reason := l.ProtoDownReason & 0xff; reason != 0 && l.Address != nil {
		w.OpenArray("proto_down_reason")
		for bit := 0; reason != 0; bit, reason = bit+1, reason>>1 {
			if reason&1 != 0 {
				w.String("", strconv.Itoa(bit))
			}
		}
		w.CloseArray()
	}
	writeJSONUint(w, "promiscuity", l.Promiscuity)
	writeJSONUint(w, "allmulti", l.Allmulti)
	writeJSONUint(w, "min_mtu", l.MinMTU)
	writeJSONUint(w, "max_mtu", l.MaxMTU)
	if l.Info != nil {
		l.Info.writeJSON(w)
	}
	if l.AddrGenMode != nil && !addrMode {
		w.String("inet6_addr_gen_mode", l.AddrGenMode.String())
	}
	writeJSONUint(w, "num_tx_queues", l.NumTxQueues)
	writeJSONUint(w, "num_rx_queues", l.NumRxQueues)
	writeJSONUint(w, "gso_max_size", l.GSOMaxSize)
	writeJSONUint(w, "gso_max_segs", l.GSOMaxSegs)
	writeJSONUint(w, "tso_max_size", l.TSOMaxSize)
	writeJSONUint(w, "tso_max_segs", l.TSOMaxSegs)
	writeJSONUint(w, "gro_max_size", l.GROMaxSize)
	if l.PhysPortName != "" {
		w.String("phys_port_name", l.PhysPortName)
	}
	if l.PhysPortID != nil {
		w.String("phys_port_id", hex.EncodeToString(l.PhysPortID))
	}
	if l.PhysSwitchID != nil {
		w.String("phys_switch_id", hex.EncodeToString(l.PhysSwitchID))
	}
	if l.ParentBus != "" {
		w.String("parentbus", l.ParentBus)
	}
	if l.ParentDev != "" {
		w.String("parentdev", l.ParentDev)
	}
	if l.Alias != "" {
		w.String("ifalias", l.Alias)
	}
	if l.Stats != nil && !addrMode {
		w.Open(l.Stats.jsonKey())
		l.Stats.writeMembers(w)
		w.Close()
	}
	if l.AltNames != nil {
		w.OpenArray("altnames")
		for _, n := range l.AltNames {
			w.String("", n)
		}
		w.CloseArray()
	}
}

// parentDownForJSON reports whether ip would print M-DOWN: the parent is
// down, or it could not be found (ip then sees no flags at all).
func (l *Link) parentDownForJSON() bool { return l.ParentDown || l.ParentName == "" }

// MarshalJSON encodes the counters as the value of the "stats64" key of
// `ip -j -s link show` (one -s): {"rx":{…},"tx":{…}}.
func (s *LinkStats) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	s.writeMembers(&w)
	w.Close()
	return w.Bytes(), nil
}

// jsonKey is the key ip prints the counters under: "stats64", or "stats"
// for 32-bit counters.
func (s *LinkStats) jsonKey() string {
	if s.Only32Bit {
		return "stats"
	}
	return "stats64"
}

func (s *LinkStats) writeMembers(w *jsonw.Writer) {
	w.Open("rx")
	w.Uint("bytes", s.RxBytes)
	w.Uint("packets", s.RxPackets)
	w.Uint("errors", s.RxErrors)
	w.Uint("dropped", s.RxDropped)
	w.Uint("over_errors", s.RxOverErrors)
	w.Uint("multicast", s.Multicast)
	if s.RxCompressed != 0 {
		w.Uint("compressed", s.RxCompressed)
	}
	w.Close()
	w.Open("tx")
	w.Uint("bytes", s.TxBytes)
	w.Uint("packets", s.TxPackets)
	w.Uint("errors", s.TxErrors)
	w.Uint("dropped", s.TxDropped)
	w.Uint("carrier_errors", s.TxCarrierErrors)
	w.Uint("collisions", s.Collisions)
	if s.TxCompressed != 0 {
		w.Uint("compressed", s.TxCompressed)
	}
	w.Close()
}
