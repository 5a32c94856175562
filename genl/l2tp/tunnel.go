package l2tp

import (
	"context"
	"fmt"
	"iter"
	"net/netip"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// An Encap is how a tunnel carries L2TP (L2TP_ENCAPTYPE_*).
type Encap uint16

// The encapsulations.
const (
	// UDP carries L2TP in UDP datagrams.
	UDP Encap = 0
	// IP carries L2TP directly in IP (protocol 115).
	IP Encap = 1
)

// String returns the name ip prints: "UDP", "IP", or "??".
func (e Encap) String() string {
	switch e {
	case UDP:
		return "UDP"
	case IP:
		return "IP"
	}
	return "??"
}

// A Tunnel is a static L2TPv3 tunnel: what `ip l2tp show tunnel` lists.
type Tunnel struct {
	// ID and PeerID are the tunnel's identifiers here and at the peer.
	ID     uint32
	PeerID uint32
	// Encap is the tunnel's encapsulation.
	Encap Encap
	// Local and Peer are the tunnel's addresses, both of one family.
	Local netip.Addr
	Peer  netip.Addr
	// LocalPort and PeerPort are the UDP ports of a [UDP] tunnel.
	LocalPort uint16
	PeerPort  uint16
	// UDPChecksum turns on UDP checksums of an IPv4 [UDP] tunnel.
	UDPChecksum bool
	// UDP6ZeroChecksumTx and UDP6ZeroChecksumRx send and accept zero UDP
	// checksums on an IPv6 [UDP] tunnel (ip's udp6_csum_tx off and
	// udp6_csum_rx off).
	UDP6ZeroChecksumTx bool
	UDP6ZeroChecksumRx bool
}

// addrString formats a tunnel address as ip does: "::" when missing.
func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return "::"
	}
	return a.String()
}

// MarshalJSON encodes the tunnel as one element of `ip -j l2tp show
// tunnel` (iproute2 6.1): "tunnel_id", "encap", "local", "peer",
// "peer_tunnel", and for a UDP tunnel "local_port", "peer_port" and
// "checksum" (IPv4) or "checksum_tx" and "checksum_rx" (IPv6).
func (t Tunnel) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.Uint("tunnel_id", uint64(t.ID))
	w.String("encap", t.Encap.String())
	w.String("local", addrString(t.Local))
	w.String("peer", addrString(t.Peer))
	w.Uint("peer_tunnel", uint64(t.PeerID))
	if t.Encap == UDP {
		w.Uint("local_port", uint64(t.LocalPort))
		w.Uint("peer_port", uint64(t.PeerPort))
		if t.Local.Is4() {
			w.Bool("checksum", t.UDPChecksum)
		} else {
			w.Bool("checksum_tx", !t.UDP6ZeroChecksumTx)
			w.Bool("checksum_rx", !t.UDP6ZeroChecksumRx)
		}
	}
	w.Close()
	return w.Bytes(), nil
}

// tunnelsRequest is the request that dumps the tunnels.
func tunnelsRequest() genl.Request {
	return genl.Request{Op: "l2tp: dump tunnels", Family: familyName, Command: cmdTunnelGet, Version: version}
}

// Tunnels returns the L2TP tunnels, as `ip l2tp show tunnel` does. A kernel
// without L2TP gives an error matching [genl.ErrNotSupported].
func Tunnels(ctx context.Context, c *genl.Conn) ([]Tunnel, error) {
	return genl.Collect(ctx, c, tunnelsRequest(), decodeTunnelMessage)
}

// TunnelsSeq streams the L2TP tunnels as the kernel's reply arrives.
func TunnelsSeq(ctx context.Context, c *genl.Conn) iter.Seq2[Tunnel, error] {
	return genl.Stream(ctx, c, tunnelsRequest(), decodeTunnelMessage)
}

// GetTunnel returns the tunnel id. A missing tunnel gives an error matching
// [genl.ErrNotExist].
func GetTunnel(ctx context.Context, c *genl.Conn, id uint32) (Tunnel, error) {
	var enc attrs.Encoder
	enc.Uint32(attrConnID, id)
	var t Tunnel
	found := false
	req := genl.Request{Op: fmt.Sprintf("l2tp: get tunnel %d", id), Family: familyName, Command: cmdTunnelGet, Version: version, Data: enc.Bytes()}
	err := c.Execute(ctx, req, func(m genl.Message) error {
		var err error
		t, found, err = decodeTunnelMessage(m)
		return err
	})
	if err == nil && !found {
		err = fmt.Errorf("%s: no tunnel in the reply", req.Op)
	}
	return t, err
}

// AddTunnel creates a static L2TPv3 tunnel, as `ip l2tp add tunnel
// tunnel_id ID peer_tunnel_id ID local ADDR remote ADDR [encap {ip|udp}]
// [udp_sport PORT] [udp_dport PORT] [udp_csum on] [udp6_csum_tx off]
// [udp6_csum_rx off]` does. An existing ID gives an error matching
// [genl.ErrExist].
func AddTunnel(ctx context.Context, c *genl.Conn, t Tunnel) error {
	switch {
	case t.ID == 0 || t.PeerID == 0:
		return genl.Invalid("l2tp tunnel id", "0")
	case t.Encap != UDP && t.Encap != IP:
		return genl.Invalid("l2tp encapsulation", fmt.Sprint(uint16(t.Encap)))
	case !t.Local.IsValid() || !t.Peer.IsValid() || t.Local.Is4() != t.Peer.Is4():
		return genl.Invalid("l2tp tunnel addresses", "want a local and a peer address of one family")
	case t.Local.Zone() != "" || t.Peer.Zone() != "":
		return genl.Invalid("l2tp tunnel addresses", "zones are not taken")
	}
	return c.Execute(ctx, genl.Request{Op: fmt.Sprintf("l2tp: add tunnel %d", t.ID), Family: familyName,
		Command: cmdTunnelCreate, Version: version, Data: encodeTunnel(t)}, nil)
}

// DeleteTunnel deletes the tunnel id and its sessions, as `ip l2tp del
// tunnel tunnel_id ID` does. A missing tunnel gives an error matching
// [genl.ErrNotExist].
func DeleteTunnel(ctx context.Context, c *genl.Conn, id uint32) error {
	var enc attrs.Encoder
	enc.Uint32(attrConnID, id)
	return c.Execute(ctx, genl.Request{Op: fmt.Sprintf("l2tp: delete tunnel %d", id), Family: familyName,
		Command: cmdTunnelDelete, Version: version, Data: enc.Bytes()}, nil)
}

// encodeTunnel encodes a tunnel to create as ip does.
func encodeTunnel(t Tunnel) []byte {
	var enc attrs.Encoder
	enc.Uint32(attrConnID, t.ID)
	enc.Uint32(attrPeerConnID, t.PeerID)
	enc.Uint8(attrProtoVersion, 3)
	enc.Uint16(attrEncapType, uint16(t.Encap))
	if t.Local.Is4() {
		enc.Addr(attrIPSaddr, t.Local)
		enc.Addr(attrIPDaddr, t.Peer)
	} else {
		enc.Addr(attrIP6Saddr, t.Local)
		enc.Addr(attrIP6Daddr, t.Peer)
	}
	if t.Encap == UDP {
		enc.Uint16(attrUDPSport, t.LocalPort)
		enc.Uint16(attrUDPDport, t.PeerPort)
		if t.UDPChecksum {
			enc.Uint8(attrUDPCsum, 1)
		}
		if t.UDP6ZeroChecksumTx {
			enc.Flag(attrUDPZeroCsum6TX)
		}
		if t.UDP6ZeroChecksumRx {
			enc.Flag(attrUDPZeroCsum6RX)
		}
	}
	return enc.Bytes()
}

// decodeTunnelMessage decodes an L2TP_CMD_TUNNEL_GET message.
func decodeTunnelMessage(m genl.Message) (Tunnel, bool, error) {
	return genl.DecodeCommand(m, cmdTunnelGet, decodeTunnel)
}

// decodeTunnel decodes a tunnel's attributes.
func decodeTunnel(b []byte) (Tunnel, error) {
	var t Tunnel
	d := attrs.NewDecoder(b)
	for d.Next() {
		switch d.Type() {
		case attrConnID:
			t.ID = d.Uint32()
		case attrPeerConnID:
			t.PeerID = d.Uint32()
		case attrEncapType:
			t.Encap = Encap(d.Uint16())
		case attrIPSaddr, attrIP6Saddr:
			t.Local = d.Addr()
		case attrIPDaddr, attrIP6Daddr:
			t.Peer = d.Addr()
		case attrUDPSport:
			t.LocalPort = d.Uint16()
		case attrUDPDport:
			t.PeerPort = d.Uint16()
		case attrUDPCsum:
			t.UDPChecksum = d.Uint8() != 0
		case attrUDPZeroCsum6TX:
			t.UDP6ZeroChecksumTx = true
		case attrUDPZeroCsum6RX:
			t.UDP6ZeroChecksumRx = true
		}
	}
	if err := d.Err(); err != nil {
		return t, fmt.Errorf("l2tp tunnel: %w", err)
	}
	if t.ID == 0 {
		return t, fmt.Errorf("l2tp tunnel without an ID (L2TP_ATTR_CONN_ID)")
	}
	return t, nil
}
