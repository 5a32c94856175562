package fou

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/named"
	"github.com/nlkit/nlkit/internal/jsonw"
	"github.com/nlkit/nlkit/internal/linknames"
)

// An Encap is how a receive port decapsulates (FOU_ENCAP_*).
type Encap uint8

// The encapsulations.
const (
	// Direct: the UDP payload is a packet of the port's IP protocol.
	Direct Encap = 1
	// GUE: the UDP payload starts with a Generic UDP Encapsulation
	// header, which names the protocol.
	GUE Encap = 2
)

// A ReceivePort is a UDP port that receives encapsulated packets: what a
// line of `ip fou show` lists.
type ReceivePort struct {
	// Port is the UDP port.
	Port uint16
	// Encap is the encapsulation, [Direct] or [GUE].
	Encap Encap
	// IPProto is the IP protocol of the packets a [Direct] port carries,
	// such as 4 (IPIP) or 47 (GRE).
	IPProto uint8
	// Family is the port's socket family, AF_INET or AF_INET6; 0 is
	// AF_INET when adding.
	Family int
	// Local and Peer bind the port to a local address and a peer's
	// address; PeerPort is the peer's port, which goes with Peer.
	Local    netip.Addr
	Peer     netip.Addr
	PeerPort uint16
	// LinkIndex binds the port to a link, or is 0.
	LinkIndex int32
	// LinkName is the name of that link, filled in by the lists.
	LinkName string
}

// MarshalJSON encodes the port as one element of `ip -j fou show` (iproute2
// 6.1): "port", "gue": null or "ipproto", "family" ("inet" or "inet6"),
// "local", "peer", "peer_port" and "dev".
func (p ReceivePort) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.Uint("port", uint64(p.Port))
	if p.Encap == GUE {
		w.Null("gue")
	} else {
		w.Uint("ipproto", uint64(p.IPProto))
	}
	switch p.Family {
	case unix.AF_INET:
		w.String("family", "inet")
	case unix.AF_INET6:
		w.String("family", "inet6")
	}
	if p.Local.IsValid() {
		w.String("local", p.Local.String())
	}
	if p.Peer.IsValid() {
		w.String("peer", p.Peer.String())
	}
	if p.PeerPort != 0 {
		w.Uint("peer_port", uint64(p.PeerPort))
	}
	if p.LinkIndex != 0 {
		name := p.LinkName
		if name == "" {
			name = linknames.Names(nil).Name(p.LinkIndex)
		}
		w.String("dev", name)
	}
	w.Close()
	return w.Bytes(), nil
}

// listRequest is the request that dumps the receive ports.
func listRequest() genl.Request {
	return genl.Request{Op: "fou: dump", Family: familyName, Command: cmdGet, Version: version}
}

// List returns the receive ports, as `ip fou show` does, with their link
// names filled in. A kernel without FOU gives an error matching
// [genl.ErrNotSupported].
func List(ctx context.Context, c *genl.Conn) ([]ReceivePort, error) {
	return named.Collect(ctx, c, listRequest(), decodePortMessage, nameLink)
}

// ListSeq streams the receive ports as the kernel's reply arrives; see
// [List].
func ListSeq(ctx context.Context, c *genl.Conn) iter.Seq2[ReceivePort, error] {
	return named.Stream(ctx, c, listRequest(), decodePortMessage, nameLink)
}

// nameLink fills in the name of the port's link.
func nameLink(p *ReceivePort, names linknames.Names) {
	if p.LinkIndex != 0 {
		p.LinkName = names.Name(p.LinkIndex)
	}
}

// Add adds the receive port, as `ip fou add port PORT {ipproto PROTO|gue}
// [local ADDR] [peer ADDR peer_port PORT] [dev NAME] [-6]` does. An
// existing port gives an error matching [genl.ErrExist] (the kernel
// answers EADDRINUSE).
func Add(ctx context.Context, c *genl.Conn, p ReceivePort) error {
	if p.Encap == Direct && p.IPProto == 0 {
		return genl.Invalid("fou port", "a direct port needs its IP protocol")
	}
	if p.Encap == GUE && p.IPProto != 0 {
		return genl.Invalid("fou port", "a GUE port takes no IP protocol")
	}
	err := execute(ctx, c, "add", cmdAdd, p)
	if errors.Is(err, unix.EADDRINUSE) {
		return fmt.Errorf("%w (%w)", err, genl.ErrExist)
	}
	return err
}

// Delete deletes the receive port that matches p (its port, family, local
// and peer addresses, peer port and link), as `ip fou del port PORT …`
// does. A missing port gives an error matching [genl.ErrNotExist] (the
// kernel answers EINVAL, which is left for nothing else once nlkit has
// checked p).
func Delete(ctx context.Context, c *genl.Conn, p ReceivePort) error {
	err := execute(ctx, c, "delete", cmdDel, p)
	if errors.Is(err, unix.EINVAL) && !genl.IsInvalid(err) {
		return fmt.Errorf("%w (%w)", err, genl.ErrNotExist)
	}
	return err
}

// execute checks p and sends the command for it.
func execute(ctx context.Context, c *genl.Conn, verb string, cmd uint8, p ReceivePort) error {
	data, err := encodePort(p)
	if err != nil {
		return err
	}
	return c.Execute(ctx, genl.Request{Op: fmt.Sprintf("fou: %s port %d", verb, p.Port), Family: familyName,
		Command: cmd, Version: version, Data: data}, nil)
}

// encodePort checks the port and encodes it as ip does.
func encodePort(p ReceivePort) ([]byte, error) {
	family := p.Family
	if family == 0 {
		family = unix.AF_INET
	}
	of := func(a netip.Addr) bool {
		return !a.IsValid() || a.Zone() == "" && a.Is4() == (family == unix.AF_INET)
	}
	switch {
	case p.Port == 0:
		return nil, genl.Invalid("fou port", "0")
	case p.Encap != Direct && p.Encap != GUE:
		return nil, genl.Invalid("fou encapsulation", fmt.Sprint(p.Encap))
	case family != unix.AF_INET && family != unix.AF_INET6:
		return nil, genl.Invalid("fou family", fmt.Sprint(p.Family))
	case !of(p.Local) || !of(p.Peer):
		return nil, genl.Invalid("fou address", "not an address of the port's family")
	case p.Peer.IsValid() != (p.PeerPort != 0):
		return nil, genl.Invalid("fou peer", "the peer address and port go together")
	case p.LinkIndex < 0:
		return nil, genl.Invalid("fou link index", fmt.Sprint(p.LinkIndex))
	}
	var enc attrs.Encoder
	enc.Port(attrPort, p.Port)
	enc.Uint8(attrType, uint8(p.Encap))
	enc.Uint8(attrAF, uint8(family))
	if p.IPProto != 0 {
		enc.Uint8(attrIPProto, p.IPProto)
	}
	if p.Local.IsValid() {
		enc.Addr(addrAttr(p.Local, attrLocalV4, attrLocalV6), p.Local)
	}
	if p.Peer.IsValid() {
		enc.Addr(addrAttr(p.Peer, attrPeerV4, attrPeerV6), p.Peer)
		enc.Port(attrPeerPort, p.PeerPort)
	}
	if p.LinkIndex != 0 {
		enc.Int32(attrIfIndex, p.LinkIndex)
	}
	return enc.Bytes(), enc.Err()
}

// addrAttr returns v4 for an IPv4 address and v6 for an IPv6 one.
func addrAttr(a netip.Addr, v4, v6 uint16) uint16 {
	if a.Is4() {
		return v4
	}
	return v6
}

// decodePortMessage decodes a FOU_CMD_GET message.
func decodePortMessage(m genl.Message) (ReceivePort, bool, error) {
	p, err := decodePort(m.Data)
	return p, err == nil, err
}

// decodePort decodes a receive port's attributes. An all-zero local or
// peer address, which the kernel sends for none, is left unset.
func decodePort(b []byte) (ReceivePort, error) {
	var p ReceivePort
	var local4, local6, peer4, peer6 netip.Addr
	d := attrs.NewDecoder(b)
	for d.Next() {
		switch d.Type() {
		case attrPort:
			p.Port = d.Port()
		case attrAF:
			p.Family = int(d.Uint8())
		case attrIPProto:
			p.IPProto = d.Uint8()
		case attrType:
			p.Encap = Encap(d.Uint8())
		case attrLocalV4:
			local4 = d.Addr()
		case attrLocalV6:
			local6 = d.Addr()
		case attrPeerV4:
			peer4 = d.Addr()
		case attrPeerV6:
			peer6 = d.Addr()
		case attrPeerPort:
			p.PeerPort = d.Port()
		case attrIfIndex:
			p.LinkIndex = d.Int32()
		}
	}
	if err := d.Err(); err != nil {
		return p, fmt.Errorf("fou port: %w", err)
	}
	if p.Family == unix.AF_INET6 {
		p.Local, p.Peer = nonZero(local6), nonZero(peer6)
	} else {
		p.Local, p.Peer = nonZero(local4), nonZero(peer4)
	}
	return p, nil
}

// nonZero returns a, or the zero Addr for an unspecified address.
func nonZero(a netip.Addr) netip.Addr {
	if a.IsUnspecified() {
		return netip.Addr{}
	}
	return a
}
