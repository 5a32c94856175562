package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/l2tp"
)

// l2tpUsage is ip l2tp's usage message.
func l2tpUsage() error {
	return usageErr(`Usage: ip l2tp add tunnel
          remote ADDR local ADDR
          tunnel_id ID peer_tunnel_id ID
          [ encap { ip | udp } ]
          [ udp_sport PORT ] [ udp_dport PORT ]
          [ udp_csum { on | off } ]
          [ udp6_csum_tx { on | off } ]
          [ udp6_csum_rx { on | off } ]
Usage: ip l2tp add session [ name NAME ]
          tunnel_id ID
          session_id ID peer_session_id ID
          [ cookie HEXSTR ] [ peer_cookie HEXSTR ]
          [ seq { none | send | recv | both } ]
          [ l2spec_type L2SPEC ]
       ip l2tp del tunnel tunnel_id ID
       ip l2tp del session tunnel_id ID session_id ID
       ip l2tp show tunnel [ tunnel_id ID ]
       ip l2tp show session [ tunnel_id ID ] [ session_id ID ]

Where: NAME   := STRING
       ADDR   := { IP_ADDRESS | any }
       PORT   := { 0..65535 }
       ID     := { 1..4294967295 }
       HEXSTR := { 8 or 16 hex digits (4 / 8 bytes) }
       L2SPEC := { none | default }`)
}

// l2tpArgs are what ip l2tp reads of its arguments.
type l2tpArgs struct {
	tunnel, session bool
	t               l2tp.Tunnel
	s               l2tp.Session
}

// l2tp runs `ip l2tp add|del|show tunnel|session`.
func (c *command) l2tp(ctx context.Context, args []string) error {
	if len(args) == 0 || matches(args[0], "help") {
		return l2tpUsage()
	}
	gc, err := c.genlConn(ctx)
	if err != nil {
		return err
	}
	defer gc.Close()
	if err := genlFamilyError(genlProbe(ctx, gc, "l2tp")); err != nil {
		return err
	}
	cmd, args := args[0], args[1:]
	var verb string
	switch {
	case matches(cmd, "add"):
		verb = "add"
	case matches(cmd, "delete"):
		verb = "del"
	case matches(cmd, "show"), matches(cmd, "lst"), matches(cmd, "list"):
		verb = "show"
	default:
		return usageErr("Command \"" + cmd + "\" is unknown, try \"ip l2tp help\".")
	}
	if len(args) == 0 {
		return l2tpUsage()
	}
	a, err := parseL2tp(args)
	if err != nil {
		return err
	}
	if !a.tunnel && !a.session {
		return missarg("tunnel or session")
	}
	switch verb {
	case "add":
		return a.add(ctx, gc)
	case "del":
		switch {
		case a.tunnel && a.t.ID == 0:
			return missarg("tunnel_id")
		case a.session && a.s.ID == 0:
			return missarg("session_id")
		case a.s.ID != 0:
			return l2tp.DeleteSession(ctx, gc, a.t.ID, a.s.ID)
		}
		return l2tp.DeleteTunnel(ctx, gc, a.t.ID)
	}
	// The kernel's dumps take no selector: ip lists every tunnel or
	// session, whatever IDs it was given.
	var elems []json.Marshaler
	var text []string
	if a.session {
		ss, err := l2tp.Sessions(ctx, gc)
		if err != nil {
			return dumpError(err, 1)
		}
		for i, s := range ss {
			if i > 0 {
				l2tpCarryOver(&s, &ss[i-1])
				ss[i] = s
			}
			elems = append(elems, s)
			text = append(text, l2tpSessionText(s, c.lineEnd()))
		}
	} else {
		ts, err := l2tp.Tunnels(ctx, gc)
		if err != nil {
			return dumpError(err, 1)
		}
		for _, t := range ts {
			elems = append(elems, t)
			text = append(text, l2tpTunnelText(t, c.lineEnd()))
		}
	}
	if c.opts.json {
		return c.printList(elems)
	}
	fmt.Fprint(c.stdout, strings.Join(text, ""))
	return nil
}

// add runs `ip l2tp add tunnel|session …` with ip's checks.
func (a *l2tpArgs) add(ctx context.Context, gc *genl.Conn) error {
	switch {
	case a.t.ID == 0:
		return missarg("tunnel_id")
	case a.session && a.s.PeerID == 0:
		return missarg("peer_session_id")
	case a.session && a.s.ID == 0:
		return missarg("session_id")
	case a.tunnel && a.t.PeerID == 0:
		return missarg("peer_tunnel_id")
	case a.tunnel && !a.t.Local.IsValid():
		return missarg("local")
	case a.tunnel && !a.t.Peer.IsValid():
		return missarg("remote")
	case a.tunnel && a.t.Encap == l2tp.UDP && a.t.LocalPort == 0:
		return missarg("udp_sport")
	case a.tunnel && a.t.Encap == l2tp.UDP && a.t.PeerPort == 0:
		return missarg("udp_dport")
	}
	if a.tunnel {
		if err := l2tp.AddTunnel(ctx, gc, a.t); err != nil || !a.session {
			return err
		}
	}
	a.s.TunnelID, a.s.PeerTunnelID = a.t.ID, a.t.PeerID
	return l2tp.AddSession(ctx, gc, a.s)
}

// parseL2tp reads the arguments of ip l2tp add, del and show, which are
// the same for all three.
func parseL2tp(args []string) (*l2tpArgs, error) {
	a := &l2tpArgs{s: l2tp.Session{L2SpecType: l2tp.L2SpecDefault}}
	for ; len(args) > 0; args = args[1:] {
		w := args[0]
		switch w {
		case "tunnel":
			a.tunnel = true
			continue
		case "session":
			a.session = true
			continue
		}
		if !l2tpTakesValue(w) {
			if matches(w, "help") {
				return nil, l2tpUsage()
			}
			return nil, usageErr("Unknown command: " + w + "\n" + l2tpUsage().Error())
		}
		if len(args) < 2 {
			return nil, incomplete()
		}
		args = args[1:]
		if err := a.set(w, args[0]); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// l2tpTakesValue reports whether w is a keyword of ip l2tp followed by a
// value.
func l2tpTakesValue(w string) bool {
	switch w {
	case "encap", "name", "remote", "local", "tunnel_id", "tid", "peer_tunnel_id", "ptid", "session_id", "sid",
		"peer_session_id", "psid", "udp_sport", "udp_dport", "udp_csum", "udp6_csum_rx", "udp6_csum_tx",
		"offset", "peer_offset", "cookie", "peer_cookie", "l2spec_type", "seq":
		return true
	}
	return false
}

// set reads the value v of the keyword w.
func (a *l2tpArgs) set(w, v string) error {
	wrong := func(why string) error { return invarg(why, v) }
	id := func(p *uint32) error {
		n, err := parseCUint(v, 32)
		if err != nil {
			return wrong("invalid ID\n")
		}
		*p = uint32(n)
		return nil
	}
	onOff := func(p *bool, on bool, what string) error {
		switch v {
		case "on":
			*p = on
		case "off":
			*p = !on
		default:
			return wrong("invalid option for " + what + "\n")
		}
		return nil
	}
	switch w {
	case "encap":
		switch v {
		case "ip":
			a.t.Encap = l2tp.IP
		case "udp":
			a.t.Encap = l2tp.UDP
		default:
			return usageErr("Unknown tunnel encapsulation \"" + v + "\"")
		}
	case "name":
		if v == "" || len(v) >= 16 || strings.ContainsAny(v, "/ \t\n\v\f\r") {
			return wrong(`"name" not a valid ifname`)
		}
		a.s.InterfaceName = v
	case "remote", "local":
		addr, err := netip.ParseAddr(v)
		if err != nil {
			return &exitError{"Error: any valid address is expected rather than \"" + v + "\".", 1}
		}
		if w == "remote" {
			a.t.Peer = addr
		} else {
			a.t.Local = addr
		}
	case "tunnel_id", "tid":
		return id(&a.t.ID)
	case "peer_tunnel_id", "ptid":
		return id(&a.t.PeerID)
	case "session_id", "sid":
		return id(&a.s.ID)
	case "peer_session_id", "psid":
		return id(&a.s.PeerID)
	case "udp_sport", "udp_dport":
		n, err := parseCUint(v, 16)
		if err != nil {
			return wrong("invalid port\n")
		}
		if w == "udp_sport" {
			a.t.LocalPort = uint16(n)
		} else {
			a.t.PeerPort = uint16(n)
		}
	case "udp_csum":
		return onOff(&a.t.UDPChecksum, true, w)
	case "udp6_csum_rx":
		return onOff(&a.t.UDP6ZeroChecksumRx, false, w)
	case "udp6_csum_tx":
		return onOff(&a.t.UDP6ZeroChecksumTx, false, w)
	case "offset", "peer_offset":
		return nil // ip warns on standard error and ignores them
	case "cookie", "peer_cookie":
		if len(v) != 8 && len(v) != 16 {
			return wrong("cookie must be either 8 or 16 hex digits\n")
		}
		b, err := hex.DecodeString(v)
		if err != nil {
			return wrong("cookie must be a hex string\n")
		}
		if w == "cookie" {
			a.s.Cookie = b
		} else {
			a.s.PeerCookie = b
		}
	case "l2spec_type":
		switch strings.ToLower(v) {
		case "default":
			a.s.L2SpecType = l2tp.L2SpecDefault
		case "none":
			a.s.L2SpecType = l2tp.L2SpecNone
		default:
			return usageErr("Unknown layer2specific header type \"" + v + "\"")
		}
	case "seq":
		switch strings.ToLower(v) {
		case "both":
			a.s.SendSeq, a.s.RecvSeq = true, true
		case "recv":
			a.s.RecvSeq = true
		case "send":
			a.s.SendSeq = true
		case "none":
			a.s.SendSeq, a.s.RecvSeq = false, false
		default:
			return usageErr("Unknown seq value \"" + v + "\"")
		}
	}
	return nil
}

// l2tpTunnelText is a tunnel as ip l2tp show tunnel writes it; nl ends
// the lines ip ends with -o's line end.
func l2tpTunnelText(t l2tp.Tunnel, nl string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Tunnel %d, encap %s%s", t.ID, t.Encap, nl)
	o, _ := marshalObject(t)
	fmt.Fprintf(&b, "  From %s to %s%s", o.str("local"), o.str("peer"), nl)
	fmt.Fprintf(&b, "  Peer tunnel %d%s", t.PeerID, nl)
	if t.Encap != l2tp.UDP {
		return b.String()
	}
	fmt.Fprintf(&b, "  UDP source / dest ports: %d/%d%s", t.LocalPort, t.PeerPort, nl)
	switch {
	case t.Local.Is4():
		state := "disabled"
		if t.UDPChecksum {
			state = "enabled"
		}
		fmt.Fprintf(&b, "  UDP checksum: %s\n", state)
	case t.Local.Is6():
		tx, rx := !t.UDP6ZeroChecksumTx, !t.UDP6ZeroChecksumRx
		state := "disabled"
		switch {
		case tx && rx:
			state = "enabled"
		case tx:
			state = "tx"
		case rx:
			state = "rx"
		}
		fmt.Fprintf(&b, "  UDP checksum: %s\n", state)
	}
	return b.String()
}

// l2tpSessionText is a session as ip l2tp show session writes it.
func l2tpSessionText(s l2tp.Session, nl string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Session %d in tunnel %d%s", s.ID, s.TunnelID, nl)
	fmt.Fprintf(&b, "  Peer session %d, tunnel %d%s", s.PeerID, s.PeerTunnelID, nl)
	if s.InterfaceName != "" {
		fmt.Fprintf(&b, "  interface name: %s%s", s.InterfaceName, nl)
	}
	b.WriteString("  offset 0, peer offset 0\n")
	o, _ := marshalObject(s)
	if v := o.str("cookie"); v != "" {
		b.WriteString("  cookie " + v)
	}
	if v := o.str("peer_cookie"); v != "" {
		b.WriteString("  peer cookie " + v)
	}
	if v := o.num("reorder_timeout"); v != "" {
		b.WriteString("  reorder timeout: " + v)
	}
	if s.SendSeq || s.RecvSeq {
		b.WriteString(nl + "  sequence numbering:")
		if s.SendSeq {
			b.WriteString(" send")
		}
		if s.RecvSeq {
			b.WriteString(" recv")
		}
	}
	return b.String() + "\n"
}

// l2tpCarryOver gives s what ip 6.1 prints of it: ip reads every session
// of the dump into one buffer, so a session the kernel sent no cookie,
// peer cookie, interface or reorder timeout for shows the previous one's.
func l2tpCarryOver(s, prev *l2tp.Session) {
	if s.Cookie == nil {
		s.Cookie = prev.Cookie
	}
	if s.PeerCookie == nil {
		s.PeerCookie = prev.PeerCookie
	}
	if s.InterfaceName == "" {
		s.InterfaceName = prev.InterfaceName
	}
	if s.ReorderTimeoutMillis == 0 {
		s.ReorderTimeoutMillis = prev.ReorderTimeoutMillis
	}
}
