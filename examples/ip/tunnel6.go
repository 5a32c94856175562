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

// ip -6 tunnel works with ioctls on the IPv6 tunnel devices; this example
// does the same through the rtnl link kinds ip6tnl, ip6gre and vti6.

// The flags of struct ip6_tnl_parm2 (IP6_TNL_F_*), as ip reads and prints
// them.
const (
	tun6IgnEncapLimit    = 0x1
	tun6OrigTClass       = 0x2
	tun6OrigFlowLabel    = 0x4
	tun6RcvDSCPCopy      = 0x10
	tun6AllowLocalRemote = 0x40
)

// tunnel6Parm is what ip -6 tunnel reads and prints of a tunnel: struct
// ip6_tnl_parm2.
type tunnel6Parm struct {
	name          string
	proto         uint8 // IPPROTO_IPV6, IPPROTO_IPIP, IPPROTO_GRE or 0 (any)
	vti           bool
	local, remote netip.Addr
	link          int32
	hopLimit      uint8
	encapLimit    uint8
	tclass        uint8
	flowLabel     uint32
	flags         uint32
	tunnelKeys
}

// tunnel6Usage is ip -6 tunnel's usage message.
func tunnel6Usage() error {
	return usageErr(`Usage: ip -f inet6 tunnel { add | change | del | show } [ NAME ]
          [ mode { ip6ip6 | ipip6 | ip6gre | vti6 | any } ]
          [ remote ADDR local ADDR ] [ dev PHYS_DEV ]
          [ encaplimit ELIM ]
          [ hoplimit TTL ] [ tclass TCLASS ] [ flowlabel FLOWLABEL ]
          [ dscp inherit ]
          [ [no]allow-localremote ]
          [ [i|o]seq ] [ [i|o]key KEY ] [ [i|o]csum ]

Where: NAME      := STRING
       ADDR      := IPV6_ADDRESS
       ELIM      := { none | 0..255 }(default=4)
       TTL       := 0..255 (default=64)
       TCLASS    := { 0x0..0xff | inherit }
       FLOWLABEL := { 0x0..0xfffff | inherit }
       KEY       := { DOTTED_QUAD | NUMBER }`)
}

// tunnel6Cmd runs `ip -6 tunnel add|change|del|show`.
func (c *command) tunnel6Cmd(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return c.tunnel6Show(ctx, nil)
	}
	cmd, args := args[0], args[1:]
	switch {
	case matches(cmd, "add"):
		return c.tunnel6Add(ctx, args, false)
	case matches(cmd, "change"):
		return c.tunnel6Add(ctx, args, true)
	case matches(cmd, "delete"):
		p, err := c.parseTunnel6(ctx, args, "del", true)
		if err != nil {
			return err
		}
		l, err := c.conn.LinkByName(ctx, p.name)
		if err != nil {
			return &exitError{"delete tunnel \"" + p.name + "\" failed: No such device", 1}
		}
		return c.conn.DeleteLink(ctx, l.Index)
	case matches(cmd, "show"), matches(cmd, "lst"), matches(cmd, "list"):
		return c.tunnel6Show(ctx, args)
	case matches(cmd, "help"):
		return tunnel6Usage()
	}
	return usageErr("Command \"" + cmd + "\" is unknown, try \"ip -f inet6 tunnel help\".")
}

// parseTunnel6 reads ip -6 tunnel's arguments as ip does, from ip's
// defaults for add and delete (mode ip6ip6, hop limit 64, encapsulation
// limit 4) or none for show (any mode); for change, the tunnel named first
// is read and the arguments change it.
func (c *command) parseTunnel6(ctx context.Context, args []string, cmd string, defaults bool) (tunnel6Parm, error) {
	p := tunnel6Parm{}
	if defaults {
		p.proto, p.hopLimit, p.encapLimit = unix.IPPROTO_IPV6, 64, 4
	}
	var medium string
	for count := 0; len(args) > 0; count, args = count+1, args[1:] {
		w := args[0]
		takes := false
		switch w {
		case "mode", "remote", "local", "dev", "encaplimit", "hoplimit", "ttl", "hlim", "tclass", "tc", "tos",
			"flowlabel", "fl", "dscp", "key", "ikey", "okey", "name":
			takes = true
		default:
			takes = matches(w, "dsfield")
		}
		if takes {
			if len(args) < 2 {
				return p, incomplete()
			}
			args = args[1:]
		}
		v := args[0]
		switch {
		case w == "mode":
			switch v {
			case "ipv6/ipv6", "ip6ip6":
				p.proto = unix.IPPROTO_IPV6
			case "vti6":
				p.proto, p.vti = unix.IPPROTO_IPV6, true
			case "ip/ipv6", "ipv4/ipv6", "ipip6", "ip4ip6":
				p.proto = unix.IPPROTO_IPIP
			case "ip6gre", "gre/ipv6":
				p.proto = unix.IPPROTO_GRE
			case "any/ipv6", "any":
				p.proto = 0
			default:
				return p, usageErr("Unknown tunnel mode \"" + v + "\"")
			}
		case w == "remote", w == "local":
			a, err := netip.ParseAddr(v)
			if err != nil || !a.Is6() || a.Zone() != "" {
				return p, &exitError{"Error: inet6 address is expected rather than \"" + v + "\".", 1}
			}
			if w == "remote" {
				p.remote = a
			} else {
				p.local = a
			}
		case w == "dev":
			medium = v
		case w == "encaplimit":
			if v == "none" {
				p.flags |= tun6IgnEncapLimit
				break
			}
			n, err := parseCUint(v, 8)
			if err != nil {
				return p, invarg("invalid ELIM", v)
			}
			p.encapLimit, p.flags = uint8(n), p.flags&^tun6IgnEncapLimit
		case w == "hoplimit", w == "ttl", w == "hlim":
			n, err := parseCUint(v, 8)
			if err != nil {
				return p, invarg("invalid TTL", v)
			}
			p.hopLimit = uint8(n)
		case w == "tclass", w == "tc", w == "tos", matches(w, "dsfield"):
			p.tclass = 0
			if v == "inherit" {
				p.flags |= tun6OrigTClass
				break
			}
			n, err := parseHexUint(v, 8)
			if err != nil {
				return p, invarg("invalid TClass", v)
			}
			p.tclass, p.flags = uint8(n), p.flags&^tun6OrigTClass
		case w == "flowlabel", w == "fl":
			p.flowLabel = 0
			if v == "inherit" {
				p.flags |= tun6OrigFlowLabel
				break
			}
			n, err := parseHexUint(v, 32)
			if err != nil || n > 0xfffff {
				return p, invarg("invalid Flowlabel", v)
			}
			p.flowLabel, p.flags = uint32(n), p.flags&^tun6OrigFlowLabel
		case w == "dscp":
			if v != "inherit" {
				return p, invarg("not inherit", v)
			}
			p.flags |= tun6RcvDSCPCopy
		case w == "allow-localremote":
			p.flags |= tun6AllowLocalRemote
		case w == "noallow-localremote":
			p.flags &^= tun6AllowLocalRemote
		case w == "key", w == "ikey", w == "okey":
			k, err := parseKey(w, v)
			if err != nil {
				return p, err
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
		default:
			if matches(w, "help") && w != "name" {
				return p, tunnel6Usage()
			}
			if p.name != "" {
				return p, usageErr("Error: either \"name\" is duplicate, or \"" + v + "\" is a garbage.")
			}
			if v == "" || len(v) >= 16 || strings.ContainsAny(v, "/ \t\n\v\f\r") {
				return p, invarg("\"name\" not a valid ifname", v)
			}
			if cmd == "change" && count == 0 {
				old, err := c.tunnel6ByName(ctx, v)
				if err != nil {
					return p, err
				}
				p = old
			}
			p.name = v
		}
	}
	if medium != "" {
		l, err := c.conn.LinkByName(ctx, medium)
		if err != nil {
			return p, noDevice(medium)
		}
		p.link = l.Index
	}
	return p, nil
}

// parseHexUint reads a number as strtoul does in base 16: an optional 0x.
func parseHexUint(v string, bits int) (uint64, error) {
	if len(v) > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X') {
		v = v[2:]
	}
	if v == "" || v[0] == '+' || v[0] == '-' {
		return 0, strconv.ErrSyntax
	}
	return strconv.ParseUint(v, 16, bits)
}

// kind is the link kind of the tunnel's mode.
func (p *tunnel6Parm) kind() string {
	switch {
	case p.proto == unix.IPPROTO_GRE:
		return "ip6gre"
	case p.vti:
		return "vti6"
	}
	return "ip6tnl"
}

// baseDev is the fallback device ip sends its ioctls to.
func (p *tunnel6Parm) baseDev() string {
	switch p.kind() {
	case "ip6gre":
		return "ip6gre0"
	case "vti6":
		return "ip6_vti0"
	}
	return "ip6tnl0"
}

// tunnel6Add runs `ip -6 tunnel add|change`.
func (c *command) tunnel6Add(ctx context.Context, args []string, change bool) error {
	cmd := "add"
	if change {
		cmd = "change"
	}
	p, err := c.parseTunnel6(ctx, args, cmd, true)
	if err != nil {
		return err
	}
	info := &rtnl.LinkInfo{Kind: p.kind(), Data: p.linkData()}
	if change {
		l, err := c.conn.LinkByName(ctx, p.name)
		if err != nil {
			return &exitError{"change tunnel \"" + p.name + "\" failed: No such device", 1}
		}
		return c.conn.SetLink(ctx, l.Index, rtnl.LinkChange{Info: info})
	}
	// As ip tunnel's, the add goes through the kind's fallback device,
	// which a namespace may lack.
	if _, err := c.conn.LinkByName(ctx, p.baseDev()); err != nil {
		return &exitError{"add tunnel \"" + p.baseDev() + "\" failed: No such device", 1}
	}
	err = c.conn.AddLink(ctx, rtnl.Link{Name: p.name, Info: info})
	if errors.Is(err, rtnl.ErrExist) {
		return &exitError{"add tunnel \"" + p.baseDev() + "\" failed: File exists", 1}
	}
	return err
}

// linkData is the rtnl kind data of the tunnel.
func (p *tunnel6Parm) linkData() rtnl.LinkData {
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
	if p.vti {
		return &rtnl.Vti{Kind: "vti6", Local: p.local, Remote: p.remote, LinkIndex: link,
			IKey: key(p.iflags, p.ikey), OKey: key(p.oflags, p.okey)}
	}
	elim, tclass, label, hop := p.encapLimit, p.tclass, p.flowLabel, p.hopLimit
	ip6 := &rtnl.IP6TunnelOptions{
		EncapLimit: &elim, TClass: &tclass, FlowLabel: &label,
		IgnoreEncapLimit: p.flags&tun6IgnEncapLimit != 0, InheritTClass: p.flags&tun6OrigTClass != 0,
		InheritFlowLabel: p.flags&tun6OrigFlowLabel != 0, DSCPCopy: p.flags&tun6RcvDSCPCopy != 0,
		AllowLocalRemote: p.flags&tun6AllowLocalRemote != 0,
	}
	if p.proto == unix.IPPROTO_GRE {
		return &rtnl.Gre{Kind: "ip6gre", Local: p.local, Remote: p.remote, LinkIndex: link, TTL: &hop,
			IKey: key(p.iflags, p.ikey), OKey: key(p.oflags, p.okey),
			ISeq: p.iflags&tunSeq != 0, OSeq: p.oflags&tunSeq != 0, ICsum: p.iflags&tunCsum != 0, OCsum: p.oflags&tunCsum != 0,
			IP6: ip6}
	}
	proto := p.proto
	return &rtnl.IPTunnel{Kind: "ip6tnl", Proto: &proto, Local: p.local, Remote: p.remote, LinkIndex: link, TTL: &hop, IP6: ip6}
}

// tunnel6FromLink reads a tunnel's parameters from its link, or returns
// false for a link that is no IPv6 tunnel.
func tunnel6FromLink(l rtnl.Link) (tunnel6Parm, bool) {
	p := tunnel6Parm{name: l.Name}
	if l.Info == nil {
		return p, false
	}
	ip6 := func(o *rtnl.IP6TunnelOptions) {
		if o == nil {
			return
		}
		p.encapLimit, p.tclass = valueOrZero(o.EncapLimit), valueOrZero(o.TClass)
		if o.FlowLabel != nil {
			p.flowLabel = *o.FlowLabel
		}
		for _, f := range []struct {
			on  bool
			bit uint32
		}{{o.IgnoreEncapLimit, tun6IgnEncapLimit}, {o.InheritTClass, tun6OrigTClass}, {o.InheritFlowLabel, tun6OrigFlowLabel},
			{o.DSCPCopy, tun6RcvDSCPCopy}, {o.AllowLocalRemote, tun6AllowLocalRemote}} {
			if f.on {
				p.flags |= f.bit
			}
		}
	}
	switch d := l.Info.Data.(type) {
	case *rtnl.IPTunnel:
		if d.LinkKind() != "ip6tnl" {
			return p, false
		}
		p.proto = valueOrZero(d.Proto)
		p.local, p.remote, p.link, p.hopLimit = d.Local, d.Remote, valueOrZero(d.LinkIndex), valueOrZero(d.TTL)
		ip6(d.IP6)
	case *rtnl.Gre:
		if d.LinkKind() != "ip6gre" {
			return p, false
		}
		p.proto = unix.IPPROTO_GRE
		p.local, p.remote, p.link, p.hopLimit = d.Local, d.Remote, valueOrZero(d.LinkIndex), valueOrZero(d.TTL)
		ip6(d.IP6)
		p.setGre(d)
	case *rtnl.Vti:
		if d.LinkKind() != "vti6" {
			return p, false
		}
		p.proto, p.vti = unix.IPPROTO_IPV6, true
		p.local, p.remote, p.link = d.Local, d.Remote, valueOrZero(d.LinkIndex)
		p.setKeys(nonZero(d.IKey), nonZero(d.OKey)) // vti6 has no key flags: 0 is no key
	default:
		return p, false
	}
	return p, true
}

// tunnel6ByName reads the tunnel name, with ip's error when there is none.
func (c *command) tunnel6ByName(ctx context.Context, name string) (tunnel6Parm, error) {
	l, err := c.conn.LinkByName(ctx, name)
	if err == nil {
		if p, ok := tunnel6FromLink(l); ok {
			return p, nil
		}
	}
	return tunnel6Parm{}, &exitError{"get tunnel \"" + name + "\" failed: No such device", 1}
}

// tunnel6Show runs `ip -6 tunnel show [NAME] [selectors]`.
func (c *command) tunnel6Show(ctx context.Context, args []string) error {
	sel, err := c.parseTunnel6(ctx, args, "show", false)
	if err != nil {
		return err
	}
	names := c.linkNames(ctx)
	if sel.name != "" && c.opts.stats == 0 {
		// ip asks the one tunnel and prints it as text, even with -j,
		// without a line end.
		p, err := c.tunnel6ByName(ctx, sel.name)
		if err != nil {
			return err
		}
		fmt.Fprint(c.stdout, tunnel6Text(&p, names))
		return nil
	}
	links, err := c.conn.Links(ctx)
	if err != nil {
		return err
	}
	var elems []json.Marshaler
	for _, l := range links {
		if l.Type != unix.ARPHRD_TUNNEL6 && l.Type != unix.ARPHRD_IP6GRE {
			continue
		}
		p, ok := tunnel6FromLink(l)
		if !ok || !sel.selects(&p) {
			continue
		}
		if c.opts.json {
			elems = append(elems, tunnel6JSON(&p, names))
			continue
		}
		fmt.Fprintln(c.stdout, tunnel6Text(&p, names)+c.tunnelStats(l))
	}
	if c.opts.json {
		return c.printTunnelList(elems)
	}
	return nil
}

// selects tells whether the tunnel p passes the selectors of ip -6 tunnel
// show, as ip's match does.
func (s *tunnel6Parm) selects(p *tunnel6Parm) bool {
	return (s.link == 0 || s.link == p.link) && (s.name == "" || s.name == p.name) &&
		(!s.local.IsValid() || s.local.IsUnspecified() || s.local == p.local) &&
		(!s.remote.IsValid() || s.remote.IsUnspecified() || s.remote == p.remote) &&
		(s.proto == 0 || p.proto == 0 || s.proto == p.proto) &&
		(s.encapLimit == 0 || s.encapLimit == p.encapLimit) && (s.hopLimit == 0 || s.hopLimit == p.hopLimit) &&
		(s.tclass == 0 || s.tclass == p.tclass) && (s.flowLabel == 0 || s.flowLabel == p.flowLabel) &&
		(s.flags == 0 || s.flags&p.flags != 0)
}

// mode is the tunnel's mode as ip prints it.
func (p *tunnel6Parm) mode() string {
	switch p.proto {
	case unix.IPPROTO_IPIP:
		return "ip/ipv6"
	case unix.IPPROTO_GRE:
		return "gre/ipv6"
	case unix.IPPROTO_IPV6:
		return "ipv6/ipv6"
	case unix.IPPROTO_MPLS:
		return "mpls/ipv6"
	case 0:
		return "any/ipv6"
	}
	return "unknown/ipv6"
}

// addr6 is a tunnel end as ip -6 tunnel writes it.
func addr6(a netip.Addr) string {
	if !a.IsValid() {
		return "::"
	}
	return a.String()
}

// flowInfo is the tunnel's traffic class and flow label as one number.
func (p *tunnel6Parm) flowInfo() uint32 { return uint32(p.tclass)<<20 | p.flowLabel }

// tunnel6Text is a tunnel's line as ip -6 tunnel show writes it, without
// its line end.
func tunnel6Text(p *tunnel6Parm, names map[int32]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s remote %s local %s", p.name, p.mode(), addr6(p.remote), addr6(p.local))
	if p.link != 0 && names[p.link] != "" {
		b.WriteString(" dev " + names[p.link])
	}
	if p.flags&tun6IgnEncapLimit != 0 {
		b.WriteString(" encaplimit none")
	} else {
		fmt.Fprintf(&b, " encaplimit %d", p.encapLimit)
	}
	if p.hopLimit != 0 {
		fmt.Fprintf(&b, " hoplimit %d", p.hopLimit)
	} else {
		b.WriteString(" hoplimit inherit")
	}
	if p.flags&tun6OrigTClass != 0 {
		b.WriteString(" tclass inherit")
	} else {
		fmt.Fprintf(&b, " tclass 0x%02x", p.tclass)
	}
	if p.flags&tun6OrigFlowLabel != 0 {
		b.WriteString(" flowlabel inherit")
	} else {
		fmt.Fprintf(&b, " flowlabel 0x%05x", p.flowLabel)
	}
	fmt.Fprintf(&b, " (flowinfo 0x%08x)", p.flowInfo())
	if p.flags&tun6RcvDSCPCopy != 0 {
		b.WriteString(" dscp inherit")
	}
	if p.flags&tun6AllowLocalRemote != 0 {
		b.WriteString(" allow-localremote")
	}
	// The keys and GRE flags are written as ip tunnel writes them.
	v4 := tunnelParm{proto: p.proto, tunnelKeys: p.tunnelKeys}
	v4.writeKeys(&b)
	return b.String()
}

// tunnel6JSON is a tunnel's object as ip -j -6 tunnel show writes it.
func tunnel6JSON(p *tunnel6Parm, names map[int32]string) object {
	var o object
	str := func(k, v string) { b, _ := json.Marshal(v); o = append(o, member{k, b}) }
	num := func(k string, v uint64) { o = append(o, member{k, []byte(strconv.FormatUint(v, 10))}) }
	null := func(k string) { o = append(o, member{k, []byte("null")}) }
	str("ifname", p.name)
	str("mode", p.mode())
	str("remote", addr6(p.remote))
	str("local", addr6(p.local))
	if p.link != 0 && names[p.link] != "" {
		str("link", names[p.link])
	}
	if p.flags&tun6IgnEncapLimit != 0 {
		null("ip6_tnl_f_ign_encap_limit")
	} else {
		num("encap_limit", uint64(p.encapLimit))
	}
	if p.hopLimit != 0 {
		num("hoplimit", uint64(p.hopLimit))
	}
	if p.flags&tun6OrigTClass != 0 {
		null("ip6_tnl_f_use_orig_tclass")
	} else {
		str("tclass", fmt.Sprintf("0x%02x", p.tclass))
	}
	if p.flags&tun6OrigFlowLabel != 0 {
		null("ip6_tnl_f_use_orig_flowlabel")
	} else {
		str("flowlabel", fmt.Sprintf("0x%05x", p.flowLabel))
	}
	str("flowinfo", fmt.Sprintf("0x%08x", p.flowInfo()))
	if p.flags&tun6RcvDSCPCopy != 0 {
		null("ip6_tnl_f_rcv_dscp_copy")
	}
	if p.flags&tun6AllowLocalRemote != 0 {
		null("ip6_tnl_f_allow_local_remote")
	}
	// The keys and GRE flags are ip tunnel's.
	v4 := tunnelParm{proto: p.proto, tunnelKeys: p.tunnelKeys}
	return append(o, v4.keysJSON()...)
}
