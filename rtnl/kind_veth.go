package rtnl

import (
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// vethInfoPeer is VETH_INFO_PEER: an ifinfomsg and the peer's attributes.
const vethInfoPeer = 1

// Veth is the data of a veth pair ("veth"): the other end, which the kernel
// creates with the link. The kernel reports nothing back for it: a veth read
// back has no Data, and names its peer with ParentIndex (and LinkNetNSID
// when the peer is in another namespace).
type Veth struct {
	// Peer describes the peer: its Name and any attributes to create it
	// with (MTU, Address, TxQueueLen, …). An empty name lets the kernel
	// choose one (vethN). The peer cannot be created up: bring it up with
	// SetLink once the pair exists.
	Peer Link
	// PeerNetNS, when set, creates the peer directly in that namespace.
	PeerNetNS NetNS
}

// LinkKind returns "veth".
func (*Veth) LinkKind() string { return "veth" }

func (v *Veth) encode(w *writer) error {
	if v.Peer.Info != nil {
		return errInvalid("veth peer", "a peer takes no kind settings: it is a veth end like the link itself")
	}
	if v.Peer.Flags&unix.IFF_UP != 0 {
		// The kernel makes the peer first; up, it would have no partner yet.
		return errInvalid("veth peer", "cannot be created up (the kernel answers ENOTCONN): bring it up once the pair exists")
	}
	return w.peer(vethInfoPeer, "veth peer", &v.Peer, v.PeerNetNS)
}

func (v *Veth) decode(attrs.Decoder) error { return nil }
