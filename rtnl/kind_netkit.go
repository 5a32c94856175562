package rtnl

import (
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// Netkit attributes newer than golang.org/x/sys/unix knows, as in
// <linux/if_link.h>.
const (
	iflaNetkitScrub     = 0x6 // IFLA_NETKIT_SCRUB, Linux 6.10
	iflaNetkitPeerScrub = 0x7 // IFLA_NETKIT_PEER_SCRUB, Linux 6.10
	iflaNetkitHeadroom  = 0x8 // IFLA_NETKIT_HEADROOM, Linux 6.14
	iflaNetkitTailroom  = 0x9 // IFLA_NETKIT_TAILROOM, Linux 6.14
)

// NetkitMode is the mode of a netkit pair (IFLA_NETKIT_MODE).
type NetkitMode uint32

// Netkit modes.
const (
	// NetkitL2 devices are Ethernet devices, with MAC addresses.
	NetkitL2 NetkitMode = unix.NETKIT_L2
	// NetkitL3 devices carry IP packets, without link-layer header: the
	// kernel's default.
	NetkitL3 NetkitMode = unix.NETKIT_L3
)

// String returns "l2" or "l3", or the number of another mode.
func (m NetkitMode) String() string {
	switch m {
	case NetkitL2:
		return "l2"
	case NetkitL3:
		return "l3"
	}
	return strconv.FormatUint(uint64(m), 10)
}

// NetkitPolicy is what a netkit device does with packets when no BPF
// program is attached (IFLA_NETKIT_POLICY, IFLA_NETKIT_PEER_POLICY).
type NetkitPolicy int32

// Netkit policies.
const (
	// NetkitPass forwards packets ("forward"): the kernel's default.
	NetkitPass NetkitPolicy = unix.NETKIT_PASS
	// NetkitDrop drops them ("blackhole").
	NetkitDrop NetkitPolicy = unix.NETKIT_DROP
)

// String returns "forward" or "blackhole", as iproute2 names the
// policies, or the number of another.
func (p NetkitPolicy) String() string {
	switch p {
	case NetkitPass:
		return "forward"
	case NetkitDrop:
		return "blackhole"
	}
	return strconv.Itoa(int(p))
}

// NetkitScrub says whether a netkit device clears a packet's mark and
// priority before its BPF program sees it (IFLA_NETKIT_SCRUB, Linux 6.10
// and later).
type NetkitScrub uint32

// Netkit scrub settings.
const (
	// NetkitScrubNone leaves mark and priority to the BPF program.
	NetkitScrubNone NetkitScrub = 0
	// NetkitScrubDefault clears them when the peer is in another network
	// namespace: the kernel's default.
	NetkitScrubDefault NetkitScrub = 1
)

// String returns "none" or "default", or the number of another setting.
func (s NetkitScrub) String() string {
	switch s {
	case NetkitScrubNone:
		return "none"
	case NetkitScrubDefault:
		return "default"
	}
	return strconv.FormatUint(uint64(s), 10)
}

// Netkit is the data of a netkit pair ("netkit", IFLA_NETKIT_*, Linux 6.7
// and later): two devices like a veth pair, whose traffic BPF programs
// handle. The link created is the primary; the kernel creates its Peer with
// it. iproute2 6.1 neither creates netkit devices nor prints their data
// (newer versions take `ip link add NAME type netkit [mode l2|l3]
// [forward|blackhole] [scrub none|default] [peer [forward|blackhole] [scrub
// …] NAME …]`).
//
// Only Policy and PeerPolicy can be changed once the pair exists, through
// the primary: send a Netkit with just those set.
type Netkit struct {
	// Mode is l2 or l3 (`mode`); the kernel defaults to l3.
	Mode *NetkitMode
	// Policy and PeerPolicy are what the primary and the peer do without
	// a BPF program (`forward`, `blackhole`; before and after `peer`); the
	// kernel defaults to forwarding.
	Policy, PeerPolicy *NetkitPolicy
	// Scrub and PeerScrub are the primary's and the peer's scrub settings
	// (`scrub`, Linux 6.10 and later).
	Scrub, PeerScrub *NetkitScrub
	// Headroom and Tailroom are the devices' needed headroom and tailroom
	// in bytes (Linux 6.14 and later).
	Headroom, Tailroom *uint16
	// Primary reports, for a link read back, that it is the primary of
	// its pair; it is not sent.
	Primary bool
	// Peer describes the peer to create: its Name (the kernel picks nkN
	// for an empty one) and any attributes to create it with, as for a
	// veth peer. The kernel reports nothing back here: a netkit read back
	// names its peer with ParentIndex.
	Peer Link
	// PeerNetNS, when set, creates the peer directly in that namespace.
	PeerNetNS NetNS

	v netkitValues
}

type netkitValues struct {
	mode               NetkitMode
	policy, peerPolicy NetkitPolicy
	scrub, peerScrub   NetkitScrub
	headroom, tailroom uint16
}

// LinkKind returns "netkit".
func (*Netkit) LinkKind() string { return "netkit" }

func (n *Netkit) validate() error {
	switch {
	case n.Mode != nil && *n.Mode != NetkitL2 && *n.Mode != NetkitL3:
		return errInvalid("netkit mode", n.Mode.String())
	case n.Policy != nil && *n.Policy != NetkitPass && *n.Policy != NetkitDrop:
		return errInvalid("netkit policy", n.Policy.String())
	case n.PeerPolicy != nil && *n.PeerPolicy != NetkitPass && *n.PeerPolicy != NetkitDrop:
		return errInvalid("netkit peer policy", n.PeerPolicy.String())
	case n.Scrub != nil && *n.Scrub > NetkitScrubDefault:
		return errInvalid("netkit scrub", n.Scrub.String())
	case n.PeerScrub != nil && *n.PeerScrub > NetkitScrubDefault:
		return errInvalid("netkit peer scrub", n.PeerScrub.String())
	case n.Peer.Info != nil:
		return errInvalid("netkit peer", "a peer takes no kind settings: it is a netkit end like the link itself")
	}
	return nil
}

// encode appends the settings in attribute order: the peer, the policies,
// the mode, the scrub settings, headroom and tailroom. A zero Peer without
// PeerNetNS sends no peer: the kernel makes one with default settings.
func (n *Netkit) encode(w *writer) error {
	if err := n.validate(); err != nil {
		return err
	}
	if !isZeroLink(&n.Peer) || !n.PeerNetNS.IsZero() {
		if err := w.peer(unix.IFLA_NETKIT_PEER_INFO, "netkit peer", &n.Peer, n.PeerNetNS); err != nil {
			return err
		}
	}
	if n.Policy != nil {
		w.Int32(unix.IFLA_NETKIT_POLICY, int32(*n.Policy))
	}
	if n.PeerPolicy != nil {
		w.Int32(unix.IFLA_NETKIT_PEER_POLICY, int32(*n.PeerPolicy))
	}
	if n.Mode != nil {
		w.Uint32(unix.IFLA_NETKIT_MODE, uint32(*n.Mode))
	}
	if n.Scrub != nil {
		w.Uint32(iflaNetkitScrub, uint32(*n.Scrub))
	}
	if n.PeerScrub != nil {
		w.Uint32(iflaNetkitPeerScrub, uint32(*n.PeerScrub))
	}
	if n.Headroom != nil {
		w.Uint16(iflaNetkitHeadroom, *n.Headroom)
	}
	if n.Tailroom != nil {
		w.Uint16(iflaNetkitTailroom, *n.Tailroom)
	}
	return nil
}

// isZeroLink reports whether l sets nothing a create request would carry.
func isZeroLink(l *Link) bool {
	return l.Name == "" && l.Flags == 0 && l.MTU == 0 && l.TxQueueLen == 0 && l.Address == nil &&
		l.Broadcast == nil && l.Group == 0 && l.MasterIndex == 0 && l.NumTxQueues == nil &&
		l.NumRxQueues == nil && l.GSOMaxSize == nil && l.GSOMaxSegs == nil && l.GROMaxSize == nil &&
		l.AddrGenMode == nil && l.ParentIndex == nil && l.LinkNetNSID == nil && l.Alias == "" && l.Info == nil
}

func (n *Netkit) decode(d attrs.Decoder) error {
	v := &n.v
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_NETKIT_PRIMARY:
			n.Primary = d.Uint8() != 0
		case unix.IFLA_NETKIT_POLICY:
			v.policy = NetkitPolicy(d.Int32())
			n.Policy = &v.policy
		case unix.IFLA_NETKIT_PEER_POLICY:
			v.peerPolicy = NetkitPolicy(d.Int32())
			n.PeerPolicy = &v.peerPolicy
		case unix.IFLA_NETKIT_MODE:
			v.mode = NetkitMode(d.Uint32())
			n.Mode = &v.mode
		case iflaNetkitScrub:
			v.scrub = NetkitScrub(d.Uint32())
			n.Scrub = &v.scrub
		case iflaNetkitPeerScrub:
			v.peerScrub = NetkitScrub(d.Uint32())
			n.PeerScrub = &v.peerScrub
		case iflaNetkitHeadroom:
			v.headroom = d.Uint16()
			n.Headroom = &v.headroom
		case iflaNetkitTailroom:
			v.tailroom = d.Uint16()
			n.Tailroom = &v.tailroom
		}
	}
	return d.Err()
}
