package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// ip tunnel works with ioctls on the IPv4 tunnel devices; this example
// does the same through the rtnl link kinds ipip, gre, sit and vti.

// The tunnel flags of struct ip_tunnel_parm, as ip reads and prints them.
const (
	tunKey  = 1 << 0 // GRE_KEY
	tunSeq  = 1 << 1 // GRE_SEQ
	tunCsum = 1 << 2 // GRE_CSUM
)

// tunnelParm is what ip tunnel reads and prints of a tunnel: struct
// ip_tunnel_parm.
type tunnelParm struct {
	name  string
	proto uint8 // IPPROTO_IPIP, IPPROTO_GRE or IPPROTO_IPV6: the mode
	// iphProto is the protocol of the outer header's next header, as the
	// kernel reports it: the mode's, or 0 for a tunnel that carries any.
	iphProto      uint8
	vti, isatap   bool
	local, remote netip.Addr
	link          int32
	ttl, tos      uint8
	noPMTUDisc    bool
	tunnelKeys
	sixRD      netip.Prefix
	sixRDRelay netip.Prefix
	// prl is the potential router list of an ISATAP tunnel, for show.
	prl []rtnl.PotentialRouter
}

// tunnelUsage is ip tunnel's usage message.
func tunnelUsage() error {
	return usageErr(`Usage: ip tunnel { add | change | del | show | prl | 6rd } [ NAME ]
        [ mode { gre | ipip | isatap | sit | vti } ]
        [ remote ADDR ] [ local ADDR ] [ ttl TTL ] [ tos TOS ]
        [ [no]pmtudisc ] [ dev PHYS_DEV ]
        [ 6rd-prefix ADDR ] [ 6rd-relay_prefix ADDR ] [ 6rd-reset ]
        [ prl-default ADDR ] [ prl-nodefault ADDR ] [ prl-delete ADDR ]
        [ [i|o]seq ] [ [i|o]key KEY ] [ [i|o]csum ]

Where:  NAME := STRING
        ADDR := { IP_ADDRESS | any }
        TOS  := { STRING | 00..ff | inherit | inherit/STRING | inherit/00..ff }
        TTL  := { 1..255 | inherit }
        KEY  := { DOTTED_QUAD | NUMBER }`)
}

// tunnelCmd runs `ip tunnel add|change|del|show`.
func (c *command) tunnelCmd(ctx context.Context, args []string) error {
	for i := 0; i+1 < len(args); i++ {
		if args[i] == "mode" {
			switch args[i+1] {
			case "ipv6/ipv6", "ip6ip6", "ipip6", "ip4ip6", "any", "ip6gre", "gre/ipv6", "vti6":
				c.opts.family = unix.AF_INET6
			}
			break
		}
	}
	switch c.opts.family {
	case unix.AF_UNSPEC, unix.AF_INET:
	case unix.AF_INET6:
		return c.tunnel6Cmd(ctx, args)
	default:
		return usageErr(fmt.Sprintf("Unsupported protocol family: %d", c.opts.family))
	}
	if len(args) == 0 {
		return c.tunnelShow(ctx, nil)
	}
	cmd, args := args[0], args[1:]
	switch {
	case matches(cmd, "add"):
		return c.tunnelAdd(ctx, args, false)
	case matches(cmd, "change"):
		return c.tunnelAdd(ctx, args, true)
	case matches(cmd, "delete"):
		p, err := c.parseTunnel(ctx, args, "del")
		if err != nil {
			return err
		}
		l, err := c.conn.LinkByName(ctx, p.name)
		if err != nil {
			return &exitError{"delete tunnel \"" + p.name + "\" failed: No such device", 1}
		}
		return c.conn.DeleteLink(ctx, l.Index)
	case matches(cmd, "show"), matches(cmd, "lst"), matches(cmd, "list"):
		return c.tunnelShow(ctx, args)
	case matches(cmd, "prl"):
		return c.tunnelPRL(ctx, args)
	case matches(cmd, "6rd"):
		return c.tunnel6rd(ctx, args)
	case matches(cmd, "help"):
		return tunnelUsage()
	}
	return usageErr("Command \"" + cmd + "\" is unknown, try \"ip tunnel help\"")
}

// parseTunnel reads ip tunnel's arguments as ip does; for change, the
// tunnel named first is read and the arguments change it.
func (c *command) parseTunnel(ctx context.Context, args []string, cmd string) (tunnelParm, error) {
	p := tunnelParm{}
	var medium string
	var isatap bool
	incomplete := usageErr(`Command line is not complete. Try option "help"`)
	for count := 0; len(args) > 0; count, args = count+1, args[1:] {
		w := args[0]
		takes := false
		switch w {
		case "mode", "key", "ikey", "okey", "remote", "local", "dev", "ttl", "hoplimit", "hlim", "tos", "tclass", "name":
			takes = true
		default:
			takes = matches(w, "dsfield")
		}
		if takes {
			if len(args) < 2 {
				return p, incomplete
			}
			args = args[1:]
		}
		v := args[0]
		switch {
		case w == "mode":
			switch v {
			case "ipip", "ip/ip":
				p.proto, p.vti = unix.IPPROTO_IPIP, false
			case "gre", "gre/ip":
				p.proto = unix.IPPROTO_GRE
			case "sit", "ipv6/ip":
				p.proto = unix.IPPROTO_IPV6
			case "isatap":
				p.proto, isatap = unix.IPPROTO_IPV6, true
			case "vti":
				p.proto, p.vti = unix.IPPROTO_IPIP, true
			default:
				return p, usageErr("Unknown tunnel mode \"" + v + "\"")
			}
		case w == "key", w == "ikey", w == "okey":
			k, err := parseKey(w, v)
			if err != nil {
				return p, usageErr("Invalid value for \"" + w + "\": \"" + v + "\"; it should be an unsigned integer")
			}
			if w != "okey" {
				p.iflags, p.ikey = p.iflags|tunKey, k
			}
			if w != "ikey" {
				p.oflags, p.okey = p.oflags|tunKey, k
			}
		case w == "seq", w == "iseq", w == "oseq", w == "csum", w == "icsum", w == "ocsum":
			flag := tunSeq
			if strings.HasSuffix(w, "csum") {
				flag = tunCsum
			}
			if w[0] != 'o' {
				p.iflags |= flag
			}
			if w[0] != 'i' {
				p.oflags |= flag
			}
		case w == "nopmtudisc":
			p.noPMTUDisc = true
		case w == "pmtudisc":
			p.noPMTUDisc = false
		case w == "remote", w == "local":
			a := netip.IPv4Unspecified()
			if v != "any" {
				var err error
				if a, err = netip.ParseAddr(v); err != nil || !a.Is4() {
					return p, &exitError{"Error: an IP address is expected rather than \"" + v + "\"", 1}
				}
			}
			if w == "remote" {
				p.remote = a
			} else {
				p.local = a
			}
		case w == "dev":
			medium = v
		case w == "ttl", w == "hoplimit", w == "hlim":
			if v != "inherit" {
				n, err := parseCUint(v, 8)
				if err != nil {
					return p, usageErr("Error: argument \"" + v + "\" is wrong: invalid TTL\n")
				}
				p.ttl = uint8(n)
			}
		case w == "tos", w == "tclass", matches(w, "dsfield"):
			field, inherit := v, false
			if rest, ok := strings.CutPrefix(v, "inherit"); ok && (rest == "" || rest[0] == '/') {
				field, inherit = strings.TrimPrefix(rest, "/"), true
			}
			p.tos = 0
			if inherit {
				p.tos = 1
			}
			if field != "" {
				n, err := strconv.ParseUint(field, 16, 8)
				if err != nil {
					return p, usageErr("Error: argument \"" + v + "\" is wrong: bad TOS value")
				}
				p.tos |= uint8(n)
			}
		default:
			if matches(w, "help") && w != "name" {
				return p, tunnelUsage()
			}
			if p.name != "" {
				return p, usageErr("Error: either \"name\" is duplicate, or \"" + v + "\" is a garbage.")
			}
			if v == "" || len(v) >= 16 || strings.ContainsAny(v, "/ \t\n\v\f\r") {
				return p, usageErr("Error: argument \"" + v + "\" is wrong: \"name\" not a valid ifname")
			}
			if cmd == "change" && count == 0 {
				old, err := c.tunnelByName(ctx, v)
				if err != nil {
					return p, err
				}
				p = old
			}
			p.name = v
		}
	}
	if p.proto == 0 {
		switch {
		case strings.HasPrefix(p.name, "gre"):
			p.proto = unix.IPPROTO_GRE
		case strings.HasPrefix(p.name, "ipip"):
			p.proto = unix.IPPROTO_IPIP
		case strings.HasPrefix(p.name, "sit"):
			p.proto = unix.IPPROTO_IPV6
		case strings.HasPrefix(p.name, "isatap"):
			p.proto, isatap = unix.IPPROTO_IPV6, true
		case strings.HasPrefix(p.name, "vti"):
			p.proto, p.vti = unix.IPPROTO_IPIP, true
		}
	}
	if (p.iflags|p.oflags)&tunKey != 0 && !p.vti && p.proto != unix.IPPROTO_GRE {
		return p, &exitError{"Keys are not allowed with ipip and sit tunnels", 1}
	}
	if medium != "" {
		l, err := c.conn.LinkByName(ctx, medium)
		if err != nil {
			return p, noDevice(medium)
		}
		p.link = l.Index
	}
	if p.remote.IsMulticast() {
		b := p.remote.As4()
		key := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		if p.ikey == 0 {
			p.ikey, p.iflags = key, p.iflags|tunKey
		}
		if p.okey == 0 {
			p.okey, p.oflags = key, p.oflags|tunKey
		}
		if !p.local.IsValid() || p.local.IsUnspecified() {
			return p, &exitError{"A broadcast tunnel requires a source address", 1}
		}
	}
	p.isatap = p.isatap || isatap
	return p, nil
}

// tunnelKind is the link kind of the tunnel's mode, or "".
func (p *tunnelParm) kind() string {
	switch {
	case p.vti:
		return "vti"
	case p.proto == unix.IPPROTO_IPIP:
		return "ipip"
	case p.proto == unix.IPPROTO_GRE:
		return "gre"
	case p.proto == unix.IPPROTO_IPV6:
		return "sit"
	}
	return ""
}

// tunnelAdd runs `ip tunnel add|change`.
func (c *command) tunnelAdd(ctx context.Context, args []string, change bool) error {
	cmd := "add"
	if change {
		cmd = "change"
	}
	p, err := c.parseTunnel(ctx, args, cmd)
	if err != nil {
		return err
	}
	if p.ttl != 0 && p.noPMTUDisc {
		return &exitError{"ttl != 0 and nopmtudisc are incompatible", 1}
	}
	kind := p.kind()
	if kind == "" {
		return &exitError{"cannot determine tunnel mode (ipip, gre, vti or sit)", 1}
	}
	info := &rtnl.LinkInfo{Kind: kind, Data: p.linkData()}
	if change {
		l, err := c.conn.LinkByName(ctx, p.name)
		if err != nil {
			return &exitError{"change tunnel \"" + p.name + "\" failed: No such device", 1}
		}
		return c.conn.SetLink(ctx, l.Index, rtnl.LinkChange{Info: info})
	}
	// ip adds tunnels through the kind's fallback device, which a
	// namespace lacks without the kind's module, or when the kernel makes
	// them in the initial namespace only (net.core.fb_tunnels_only_for_init_net).
	if _, err := c.conn.LinkByName(ctx, tunnelBaseDev(&p)); err != nil {
		return &exitError{"add tunnel \"" + tunnelBaseDev(&p) + "\" failed: No such device", 1}
	}
	err = c.conn.AddLink(ctx, rtnl.Link{Name: p.name, Info: info})
	if errors.Is(err, rtnl.ErrExist) {
		return &exitError{"add tunnel \"" + tunnelBaseDev(&p) + "\" failed: File exists", 1}
	}
	return err
}

// tunnelBaseDev is the fallback device ip sends its ioctls to.
func tunnelBaseDev(p *tunnelParm) string {
	switch p.kind() {
	case "vti":
		return "ip_vti0"
	case "ipip":
		return "tunl0"
	case "gre":
		return "gre0"
	}
	return "sit0"
}

// linkData is the rtnl kind data of the tunnel.
func (p *tunnelParm) linkData() rtnl.LinkData {
	var link *int32
	if p.link != 0 {
		link = &p.link
	}
	key := func(flags int, k uint32) *uint32 {
		if flags&tunKey == 0 {
			return nil
		}
		return &k
	}
	pmtu := !p.noPMTUDisc
	ttl, tos := p.ttl, p.tos
	switch p.kind() {
	case "vti":
		return &rtnl.Vti{Local: p.local, Remote: p.remote, LinkIndex: link, IKey: key(p.iflags, p.ikey), OKey: key(p.oflags, p.okey)}
	case "gre":
		return &rtnl.Gre{Local: p.local, Remote: p.remote, LinkIndex: link, TTL: &ttl, TOS: &tos, PMTUDisc: &pmtu,
			IKey: key(p.iflags, p.ikey), OKey: key(p.oflags, p.okey),
			ISeq: p.iflags&tunSeq != 0, OSeq: p.oflags&tunSeq != 0, ICsum: p.iflags&tunCsum != 0, OCsum: p.oflags&tunCsum != 0}
	}
	t := &rtnl.IPTunnel{Kind: p.kind(), Local: p.local, Remote: p.remote, LinkIndex: link, TTL: &ttl, TOS: &tos, PMTUDisc: &pmtu}
	if p.kind() == "sit" && p.isatap {
		t.ISATAP = &p.isatap
	}
	return t
}

// tunnelFromLink reads a tunnel's parameters from its link, or returns
// false for a link that is no IPv4 tunnel.
func tunnelFromLink(l rtnl.Link) (tunnelParm, bool) {
	p := tunnelParm{name: l.Name}
	if l.Info == nil {
		return p, false
	}
	switch d := l.Info.Data.(type) {
	case *rtnl.IPTunnel:
		switch d.LinkKind() {
		case "ipip":
			p.proto = unix.IPPROTO_IPIP
		case "sit":
			p.proto = unix.IPPROTO_IPV6
			p.isatap = d.ISATAP != nil && *d.ISATAP
			p.sixRD, p.sixRDRelay = d.SixRDPrefix, d.SixRDRelayPrefix
		default:
			return p, false
		}
		p.iphProto = p.proto
		if d.Proto != nil {
			p.iphProto = *d.Proto
		}
		p.local, p.remote, p.link = d.Local, d.Remote, valueOrZero(d.LinkIndex)
		p.ttl, p.tos = valueOrZero(d.TTL), valueOrZero(d.TOS)
		p.noPMTUDisc = d.PMTUDisc != nil && !*d.PMTUDisc
	case *rtnl.Gre:
		if d.LinkKind() != "gre" {
			return p, false
		}
		p.proto, p.iphProto = unix.IPPROTO_GRE, unix.IPPROTO_GRE
		p.local, p.remote, p.link = d.Local, d.Remote, valueOrZero(d.LinkIndex)
		p.ttl, p.tos = valueOrZero(d.TTL), valueOrZero(d.TOS)
		p.noPMTUDisc = d.PMTUDisc != nil && !*d.PMTUDisc
		p.setGre(d)
	case *rtnl.Vti:
		if d.LinkKind() != "vti" {
			return p, false
		}
		p.proto, p.iphProto, p.vti = unix.IPPROTO_IPIP, unix.IPPROTO_IPIP, true
		p.local, p.remote, p.link = d.Local, d.Remote, valueOrZero(d.LinkIndex)
		p.noPMTUDisc = true // the kernel reports vti tunnels without DF
		p.setKeys(d.IKey, d.OKey)
	default:
		return p, false
	}
	return p, true
}

// tunnelByName reads the tunnel name, with ip's error when there is
// none.
func (c *command) tunnelByName(ctx context.Context, name string) (tunnelParm, error) {
	l, err := c.conn.LinkByName(ctx, name)
	if err == nil {
		if p, ok := tunnelFromLink(l); ok {
			return p, nil
		}
	}
	return tunnelParm{}, &exitError{"get tunnel \"" + name + "\" failed: No such device", 1}
}

// tunnelShow runs `ip tunnel show [NAME] [selectors]`.
func (c *command) tunnelShow(ctx context.Context, args []string) error {
	sel, err := c.parseTunnel(ctx, args, "show")
	if err != nil {
		return err
	}
	if sel.kind() != "" {
		// ip asks the one tunnel (the fallback device when unnamed) and
		// prints it as text, even with -j.
		name := sel.name
		if name == "" {
			name = tunnelBaseDev(&sel)
		}
		p, err := c.tunnelByName(ctx, name)
		if err != nil {
			return err
		}
		c.fillPRL(ctx, &p)
		fmt.Fprintln(c.stdout, tunnelText(&p, c.linkNames(ctx)))
		return nil
	}
	links, err := c.conn.Links(ctx)
	if err != nil {
		return err
	}
	names := c.linkNames(ctx)
	var elems []json.Marshaler
	for _, l := range links {
		switch l.Type {
		case unix.ARPHRD_TUNNEL, unix.ARPHRD_IPGRE, unix.ARPHRD_SIT:
		default:
			continue
		}
		p, ok := tunnelFromLink(l)
		if !ok || (sel.name != "" && sel.name != p.name) || (sel.link != 0 && sel.link != p.link) ||
			(sel.remote.IsValid() && sel.remote != p.remote) || (sel.local.IsValid() && sel.local != p.local) ||
			(sel.ikey != 0 && sel.ikey != p.ikey) {
			continue
		}
		c.fillPRL(ctx, &p)
		if c.opts.json {
			elems = append(elems, tunnelJSON(&p, names))
			continue
		}
		fmt.Fprintln(c.stdout, tunnelText(&p, names)+c.tunnelStats(l))
	}
	if c.opts.json {
		return c.printTunnelList(elems)
	}
	return nil
}

// printTunnelList writes the tunnels as ip -j tunnel show does: a JSON
// list, with the newline ip writes after each tunnel, whatever the
// format, before the separator or the end of the list.
func (c *command) printTunnelList(elems []json.Marshaler) error {
	var out strings.Builder
	if err := (&command{opts: c.opts, stdout: &out}).printList(elems); err != nil {
		return err
	}
	s := out.String()
	if c.opts.pretty {
		s = strings.ReplaceAll(s, "\n    },{", "\n    }\n,{")
		s = strings.Replace(s, "\n    } ]", "\n    }\n ]", 1)
	} else if len(elems) > 0 {
		s = strings.ReplaceAll(s, "},{\"ifname\"", "}\n,{\"ifname\"")
		s = strings.TrimSuffix(s, "]\n") + "\n]\n"
	}
	_, err := fmt.Fprint(c.stdout, s)
	return err
}

// linkNames maps the namespace's link indexes to names, for the dev of
// the tunnels.
func (c *command) linkNames(ctx context.Context) map[int32]string {
	m := map[int32]string{}
	links, _ := c.conn.Links(ctx)
	for _, l := range links {
		m[l.Index] = l.Name
	}
	return m
}

// protoName is ip's name of the protocol the tunnel carries.
func (p *tunnelParm) protoName() string {
	switch p.iphProto {
	case unix.IPPROTO_IPIP:
		return "ip"
	case unix.IPPROTO_GRE:
		return "gre"
	case unix.IPPROTO_IPV6:
		return "ipv6"
	case unix.IPPROTO_MPLS:
		return "mpls"
	case 0:
		return "any"
	}
	return "unknown"
}

// addrOrAny is a tunnel end as ip tunnel show writes it.
func addrOrAny(a netip.Addr) string {
	if !a.IsValid() || a.IsUnspecified() {
		return "any"
	}
	return a.String()
}

// addrOrZero is a tunnel end as ip -j tunnel show writes it.
func addrOrZero(a netip.Addr) string {
	if !a.IsValid() {
		return "0.0.0.0"
	}
	return a.String()
}

// tunnelText is a tunnel's line as ip tunnel show writes it.
func tunnelText(p *tunnelParm, names map[int32]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s/ip remote %s local %s", p.name, p.protoName(), addrOrAny(p.remote), addrOrAny(p.local))
	p.writePRL(&b)
	if p.link != 0 && names[p.link] != "" {
		b.WriteString(" dev " + names[p.link])
	}
	if p.ttl != 0 {
		fmt.Fprintf(&b, " ttl %d", p.ttl)
	} else {
		b.WriteString(" ttl inherit")
	}
	switch {
	case p.tos == 1:
		b.WriteString(" tos inherit")
	case p.tos&1 != 0:
		fmt.Fprintf(&b, " tos inherit/0x%02x", p.tos&^1)
	case p.tos != 0:
		fmt.Fprintf(&b, " tos 0x%02x", p.tos)
	}
	if p.noPMTUDisc {
		b.WriteString(" nopmtudisc")
	}
	if p.iphProto == unix.IPPROTO_IPV6 && p.sixRD.IsValid() && p.sixRD.Bits() != 0 {
		fmt.Fprintf(&b, " 6rd-prefix %s/%d", p.sixRD.Addr(), p.sixRD.Bits())
		if p.sixRDRelay.IsValid() && !p.sixRDRelay.Addr().IsUnspecified() {
			fmt.Fprintf(&b, " 6rd-relay_prefix %s/%d", p.sixRDRelay.Addr(), p.sixRDRelay.Bits())
		}
	}
	p.writeKeys(&b)
	return b.String()
}

// writeKeys writes the tunnel's keys and, for GRE, its flags, as ip's
// tunnel show does.
func (p *tunnelParm) writeKeys(b *strings.Builder) {
	switch {
	case p.iflags&tunKey != 0 && p.oflags&tunKey != 0 && p.ikey == p.okey:
		fmt.Fprintf(b, " key %d", p.ikey)
	default:
		if p.iflags&tunKey != 0 {
			fmt.Fprintf(b, " ikey %d", p.ikey)
		}
		if p.oflags&tunKey != 0 {
			fmt.Fprintf(b, " okey %d", p.okey)
		}
	}
	if p.proto == unix.IPPROTO_GRE {
		for _, f := range []struct {
			on   bool
			text string
		}{
			{p.iflags&tunSeq != 0, "Drop packets out of sequence."},
			{p.iflags&tunCsum != 0, "Checksum in received packet is required."},
			{p.oflags&tunSeq != 0, "Sequence packets on output."},
			{p.oflags&tunCsum != 0, "Checksum output packets."},
		} {
			if f.on {
				b.WriteString("\n  " + f.text)
			}
		}
	}
}

// tunnelJSON is a tunnel's object as ip -j tunnel show writes it.
func tunnelJSON(p *tunnelParm, names map[int32]string) object {
	var o object
	str := func(k, v string) { b, _ := json.Marshal(v); o = append(o, member{k, b}) }
	num := func(k string, v uint64) { o = append(o, member{k, []byte(strconv.FormatUint(v, 10))}) }
	str("ifname", p.name)
	str("mode", p.protoName()+"/ip")
	str("remote", addrOrZero(p.remote))
	str("local", addrOrZero(p.local))
	o = append(o, p.prlJSON()...)
	if p.link != 0 && names[p.link] != "" {
		str("dev", names[p.link])
	}
	if p.ttl != 0 {
		num("ttl", uint64(p.ttl))
	}
	if p.tos != 0 && p.tos != 1 {
		str("tos", fmt.Sprintf("0x%02x", p.tos))
	}
	if p.noPMTUDisc {
		o = append(o, member{"nopmtudisc", []byte("null")})
	}
	if p.iphProto == unix.IPPROTO_IPV6 && p.sixRD.IsValid() && p.sixRD.Bits() != 0 {
		str("6rd-prefix", p.sixRD.Addr().String())
		num("6rd-prefixlen", uint64(p.sixRD.Bits()))
		if p.sixRDRelay.IsValid() && !p.sixRDRelay.Addr().IsUnspecified() {
			str("6rd-relay_prefix", p.sixRDRelay.Addr().String())
			num("6rd-relay_prefixlen", uint64(p.sixRDRelay.Bits()))
		}
	}
	return append(o, p.keysJSON()...)
}

// keysJSON is the members of the tunnel's keys and, for GRE, its flags, as
// ip -j tunnel show writes them.
func (p *tunnelParm) keysJSON() object {
	var o object
	num := func(k string, v uint64) { o = append(o, member{k, []byte(strconv.FormatUint(v, 10))}) }
	switch {
	case p.iflags&tunKey != 0 && p.oflags&tunKey != 0 && p.ikey == p.okey:
		num("key", uint64(p.ikey))
	default:
		if p.iflags&tunKey != 0 {
			num("ikey", uint64(p.ikey))
		}
		if p.oflags&tunKey != 0 {
			num("okey", uint64(p.okey))
		}
	}
	if p.proto == unix.IPPROTO_GRE {
		var flags []json.RawMessage
		for _, f := range []struct {
			on   bool
			name string
		}{{p.iflags&tunSeq != 0, "rx_drop_ooseq"}, {p.iflags&tunCsum != 0, "rx_csum"}, {p.oflags&tunSeq != 0, "tx_seq"}, {p.oflags&tunCsum != 0, "tx_csum"}} {
			if f.on {
				flags = append(flags, json.RawMessage(`"`+f.name+`"`))
			}
		}
		o = append(o, member{"flags", rawArray(flags)})
	}
	return o
}
