package l2tp

import (
	"context"
	"encoding/hex"
	"fmt"
	"iter"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// An L2SpecType is the layer-2-specific sublayer of a session's packets
// (L2TP_L2SPECTYPE_*).
type L2SpecType uint8

// The sublayers ip knows.
const (
	L2SpecNone    L2SpecType = 0
	L2SpecDefault L2SpecType = 1 // a 4-byte sublayer, ip's default
)

// A Session is an Ethernet pseudowire in a tunnel: what `ip l2tp show
// session` lists.
type Session struct {
	// TunnelID and ID are the session's tunnel and its identifier in it.
	TunnelID uint32
	ID       uint32
	// PeerTunnelID and PeerID are the same at the peer.
	PeerTunnelID uint32
	PeerID       uint32
	// InterfaceName is the name of the session's Ethernet link; when
	// adding, "" lets the kernel name it (l2tpethN).
	InterfaceName string
	// L2SpecType is the session's layer-2-specific sublayer.
	L2SpecType L2SpecType
	// Cookie and PeerCookie are the session's cookies, 4 or 8 bytes, or
	// nil.
	Cookie     []byte
	PeerCookie []byte
	// ReorderTimeoutMillis is how long received packets wait to be put
	// back in order, in milliseconds, or 0.
	ReorderTimeoutMillis uint64
	// SendSeq and RecvSeq turn on sequence numbers in sent packets and
	// require them in received ones.
	SendSeq bool
	RecvSeq bool
}

// cookieString formats a cookie as ip does: the hexadecimal of its first 4
// bytes, and of the next 4 when it has 8.
func cookieString(c []byte) string {
	var b [8]byte
	copy(b[:], c)
	if len(c) == 8 {
		return hex.EncodeToString(b[:8])
	}
	return hex.EncodeToString(b[:4])
}

// MarshalJSON encodes the session as one element of `ip -j l2tp show
// session` (iproute2 6.1): "session_id", "tunnel_id", "peer_session_id",
// "peer_tunnel_id", "interface", "cookie", "peer_cookie",
// "reorder_timeout", and "send_seq": null and "recv_seq": null when on.
func (s Session) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.Uint("session_id", uint64(s.ID))
	w.Uint("tunnel_id", uint64(s.TunnelID))
	w.Uint("peer_session_id", uint64(s.PeerID))
	w.Uint("peer_tunnel_id", uint64(s.PeerTunnelID))
	if s.InterfaceName != "" {
		w.String("interface", s.InterfaceName)
	}
	if len(s.Cookie) > 0 {
		w.String("cookie", cookieString(s.Cookie))
	}
	if len(s.PeerCookie) > 0 {
		w.String("peer_cookie", cookieString(s.PeerCookie))
	}
	if s.ReorderTimeoutMillis != 0 {
		w.Uint("reorder_timeout", uint64(uint32(s.ReorderTimeoutMillis)))
	}
	if s.SendSeq {
		w.Null("send_seq")
	}
	if s.RecvSeq {
		w.Null("recv_seq")
	}
	w.Close()
	return w.Bytes(), nil
}

// sessionsRequest is the request that dumps the sessions.
func sessionsRequest() genl.Request {
	return genl.Request{Op: "l2tp: dump sessions", Family: familyName, Command: cmdSessionGet, Version: version}
}

// Sessions returns the sessions of every tunnel, as `ip l2tp show session`
// does.
func Sessions(ctx context.Context, c *genl.Conn) ([]Session, error) {
	return genl.Collect(ctx, c, sessionsRequest(), decodeSessionMessage)
}

// SessionsSeq streams the sessions as the kernel's reply arrives.
func SessionsSeq(ctx context.Context, c *genl.Conn) iter.Seq2[Session, error] {
	return genl.Stream(ctx, c, sessionsRequest(), decodeSessionMessage)
}

// GetSession returns the session id of the tunnel. A missing session or
// tunnel gives an error matching [genl.ErrNotExist].
func GetSession(ctx context.Context, c *genl.Conn, tunnelID, id uint32) (Session, error) {
	var enc attrs.Encoder
	enc.Uint32(attrConnID, tunnelID)
	enc.Uint32(attrSessionID, id)
	var s Session
	found := false
	req := genl.Request{Op: fmt.Sprintf("l2tp: get session %d in tunnel %d", id, tunnelID), Family: familyName,
		Command: cmdSessionGet, Version: version, Data: enc.Bytes()}
	err := c.Execute(ctx, req, func(m genl.Message) error {
		var err error
		s, found, err = decodeSessionMessage(m)
		return err
	})
	if err == nil && !found {
		err = fmt.Errorf("%s: no session in the reply", req.Op)
	}
	return s, err
}

// AddSession creates an Ethernet pseudowire session in a tunnel, as `ip
// l2tp add session [name NAME] tunnel_id ID session_id ID peer_session_id
// ID [cookie HEX] [peer_cookie HEX] [seq {send|recv|both}] [l2spec_type
// {none|default}]` does; s.PeerTunnelID is sent as given (ip sends 0). An
// existing ID gives an error matching [genl.ErrExist]; a missing tunnel,
// [genl.ErrNotExist]; a kernel without L2TP Ethernet pseudowires
// (l2tp_eth), [genl.ErrNotSupported].
func AddSession(ctx context.Context, c *genl.Conn, s Session) error {
	switch {
	case s.TunnelID == 0 || s.ID == 0 || s.PeerID == 0:
		return genl.Invalid("l2tp session", "tunnel, session and peer session IDs must not be 0")
	case s.Cookie != nil && len(s.Cookie) != 4 && len(s.Cookie) != 8:
		return genl.Invalid("l2tp cookie", fmt.Sprintf("%d bytes: want 4 or 8", len(s.Cookie)))
	case s.PeerCookie != nil && len(s.PeerCookie) != 4 && len(s.PeerCookie) != 8:
		return genl.Invalid("l2tp peer cookie", fmt.Sprintf("%d bytes: want 4 or 8", len(s.PeerCookie)))
	case s.L2SpecType != L2SpecNone && s.L2SpecType != L2SpecDefault:
		return genl.Invalid("l2tp l2spec type", fmt.Sprint(uint8(s.L2SpecType)))
	case len(s.InterfaceName) > 15:
		return genl.Invalid("l2tp session interface name", s.InterfaceName)
	}
	return c.Execute(ctx, genl.Request{Op: fmt.Sprintf("l2tp: add session %d in tunnel %d", s.ID, s.TunnelID), Family: familyName,
		Command: cmdSessionCreate, Version: version, Data: encodeSession(s)}, nil)
}

// DeleteSession deletes the session id of the tunnel, as `ip l2tp del
// session tunnel_id ID session_id ID` does. A missing session or tunnel
// gives an error matching [genl.ErrNotExist].
func DeleteSession(ctx context.Context, c *genl.Conn, tunnelID, id uint32) error {
	var enc attrs.Encoder
	enc.Uint32(attrConnID, tunnelID)
	enc.Uint32(attrSessionID, id)
	return c.Execute(ctx, genl.Request{Op: fmt.Sprintf("l2tp: delete session %d in tunnel %d", id, tunnelID), Family: familyName,
		Command: cmdSessionDelete, Version: version, Data: enc.Bytes()}, nil)
}

// encodeSession encodes a session to create as ip does.
func encodeSession(s Session) []byte {
	var enc attrs.Encoder
	enc.Uint32(attrConnID, s.TunnelID)
	enc.Uint32(attrPeerConnID, s.PeerTunnelID)
	enc.Uint32(attrSessionID, s.ID)
	enc.Uint32(attrPeerSessionID, s.PeerID)
	enc.Uint16(attrPWType, pwTypeEth)
	enc.Uint8(attrL2SpecType, uint8(s.L2SpecType))
	if s.L2SpecType == L2SpecDefault {
		enc.Uint8(attrL2SpecLen, 4)
	} else {
		enc.Uint8(attrL2SpecLen, 0)
	}
	if s.RecvSeq {
		enc.Uint8(attrRecvSeq, 1)
	}
	if s.SendSeq {
		enc.Uint8(attrSendSeq, 1)
	}
	if s.ReorderTimeoutMillis != 0 {
		enc.Uint64(attrRecvTimeout, s.ReorderTimeoutMillis)
	}
	if len(s.Cookie) > 0 {
		enc.Raw(attrCookie, s.Cookie)
	}
	if len(s.PeerCookie) > 0 {
		enc.Raw(attrPeerCookie, s.PeerCookie)
	}
	if s.InterfaceName != "" {
		enc.Raw(attrIfName, append([]byte(s.InterfaceName), 0))
	}
	return enc.Bytes()
}

// decodeSessionMessage decodes an L2TP_CMD_SESSION_GET message.
func decodeSessionMessage(m genl.Message) (Session, bool, error) {
	return genl.DecodeCommand(m, cmdSessionGet, decodeSession)
}

// decodeSession decodes a session's attributes.
func decodeSession(b []byte) (Session, error) {
	var s Session
	d := attrs.NewDecoder(b)
	for d.Next() {
		switch d.Type() {
		case attrConnID:
			s.TunnelID = d.Uint32()
		case attrPeerConnID:
			s.PeerTunnelID = d.Uint32()
		case attrSessionID:
			s.ID = d.Uint32()
		case attrPeerSessionID:
			s.PeerID = d.Uint32()
		case attrIfName:
			s.InterfaceName = d.String()
		case attrL2SpecType:
			s.L2SpecType = L2SpecType(d.Uint8())
		case attrCookie:
			s.Cookie = append([]byte{}, d.Bytes()...)
		case attrPeerCookie:
			s.PeerCookie = append([]byte{}, d.Bytes()...)
		case attrRecvTimeout:
			s.ReorderTimeoutMillis = d.Uint64()
		case attrSendSeq:
			s.SendSeq = d.Uint8() != 0
		case attrRecvSeq:
			s.RecvSeq = d.Uint8() != 0
		}
	}
	if err := d.Err(); err != nil {
		return s, fmt.Errorf("l2tp session: %w", err)
	}
	if s.ID == 0 || s.TunnelID == 0 {
		return s, fmt.Errorf("l2tp session without a session or tunnel ID")
	}
	return s, nil
}
