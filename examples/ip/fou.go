package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/fou"
)

// fouUsage is ip fou's usage message.
func fouUsage() error {
	return usageErr("Usage: ip fou add port PORT { ipproto PROTO  | gue }\n" +
		"\t\t   [ local IFADDR ] [ peer IFADDR ]\n" +
		"\t\t   [ peer_port PORT ] [ dev IFNAME ]\n" +
		"       ip fou del port PORT [ local IFADDR ]\n" +
		"\t\t   [ peer IFADDR ] [ peer_port PORT ]\n" +
		"\t\t   [ dev IFNAME ]\n" +
		"       ip fou show\n" +
		"\n" +
		"Where: PROTO { ipproto-name | 1..255 }\n" +
		"       PORT { 1..65535 }\n" +
		"       IFADDR { addr }")
}

// fou runs `ip fou add|del|show`.
func (c *command) fou(ctx context.Context, args []string) error {
	if len(args) == 0 || matches(args[0], "help") {
		return fouUsage()
	}
	gc, err := c.genlConn(ctx)
	if err != nil {
		return err
	}
	defer gc.Close()
	if err := genlFamilyError(genlProbe(ctx, gc, "fou")); err != nil {
		return err // ip looks the family up before it reads the command
	}
	cmd, args := args[0], args[1:]
	switch {
	case matches(cmd, "add"), matches(cmd, "delete"):
		adding := matches(cmd, "add")
		p, err := c.parseFou(ctx, args, adding)
		if err != nil {
			return err
		}
		if adding {
			return genlFamilyError(fou.Add(ctx, gc, p))
		}
		return genlFamilyError(fou.Delete(ctx, gc, p))
	case matches(cmd, "show"):
		if len(args) > 0 {
			return &exitError{`"ip fou show" does not take any arguments.`, 1}
		}
		ports, err := fou.List(ctx, gc)
		if err != nil {
			return genlFamilyError(err)
		}
		if c.opts.json {
			elems := make([]json.Marshaler, len(ports))
			for i, p := range ports {
				elems[i] = p
			}
			return c.printList(elems)
		}
		for _, p := range ports {
			fmt.Fprintln(c.stdout, fouText(p))
		}
		return nil
	}
	return usageErr("Command \"" + cmd + "\" is unknown, try \"ip fou help\".")
}

// parseFou reads `port PORT {ipproto PROTO|gue} [local ADDR] [peer ADDR]
// [peer_port PORT] [dev NAME] [-6]` as ip does.
func (c *command) parseFou(ctx context.Context, args []string, adding bool) (fou.ReceivePort, error) {
	p := fou.ReceivePort{Encap: fou.Direct, Family: unix.AF_INET}
	if c.opts.family != unix.AF_UNSPEC {
		p.Family = int(c.opts.family)
	}
	var local, peer string
	var portSet, protoSet, gue bool
	for ; len(args) > 0; args = args[1:] {
		w := args[0]
		takes := matches(w, "port") || matches(w, "ipproto") || matches(w, "local") || matches(w, "peer") ||
			matches(w, "peer_port") || matches(w, "dev")
		if takes && len(args) < 2 {
			return p, incomplete()
		}
		switch {
		case matches(w, "port"):
			args = args[1:]
			n, err := parseCUint(args[0], 16)
			if err != nil || n == 0 {
				return p, invarg("invalid port", args[0])
			}
			p.Port, portSet = uint16(n), true
		case matches(w, "ipproto"):
			args = args[1:]
			proto, ok := ipProtocol(args[0])
			if !ok {
				return p, invarg("invalid ipproto", args[0])
			}
			p.IPProto, protoSet = proto, true
		case matches(w, "gue"):
			gue = true
		case matches(w, "-6"):
			p.Family = unix.AF_INET6
		case matches(w, "local"):
			args = args[1:]
			local = args[0]
		case matches(w, "peer"):
			args = args[1:]
			peer = args[0]
		case matches(w, "peer_port"):
			args = args[1:]
			n, err := parseCUint(args[0], 16)
			if err != nil || n == 0 {
				return p, invarg("invalid peer port", args[0])
			}
			p.PeerPort = uint16(n)
		case matches(w, "dev"):
			args = args[1:]
			name := args[0]
			if name == "" || len(name) >= 16 || strings.ContainsAny(name, "/ \t\n\v\f\r") {
				return p, &exitError{"fou: invalid device name", 1}
			}
			l, err := c.conn.LinkByName(ctx, name)
			if err != nil {
				return p, &exitError{"fou: unknown device name", 1}
			}
			p.LinkIndex = l.Index
		default:
			return p, usageErr("fou: unknown command \"" + w + "\"?\n" + fouUsage().Error())
		}
	}
	// ip reports these and sends the request all the same; nlkit does not
	// send what it knows to be incomplete.
	switch {
	case !portSet:
		return p, &exitError{"fou: missing port", 1}
	case !protoSet && !gue && adding:
		// ip sends it without a protocol, which the kernel refuses.
		return p, &exitError{"fou: must set ipproto or gue\nRTNETLINK answers: Invalid argument", 2}
	case protoSet && gue:
		return p, &exitError{"fou: cannot set ipproto and gue", 1}
	case (p.PeerPort != 0) != (peer != ""):
		return p, &exitError{"fou: both peer and peer port must be set", 1}
	}
	if gue {
		p.Encap = fou.GUE
	}
	for _, a := range []struct {
		text, what string
		to         *netip.Addr
	}{{local, "local", &p.Local}, {peer, "peer", &p.Peer}} {
		if a.text == "" {
			continue
		}
		addr, err := netip.ParseAddr(a.text)
		if err != nil || addr.Is4() != (p.Family == unix.AF_INET) {
			family := "inet"
			if p.Family == unix.AF_INET6 {
				family = "inet6"
			}
			return p, &exitError{"Error: " + family + " address is expected rather than \"" + a.text + "\".", 1}
		}
		*a.to = addr
	}
	return p, nil
}

// fouText is a receive port's line as ip fou show writes it.
func fouText(p fou.ReceivePort) string {
	var b strings.Builder
	fmt.Fprintf(&b, "port %d", p.Port)
	if p.Encap == fou.GUE {
		b.WriteString(" gue")
	} else {
		fmt.Fprintf(&b, " ipproto %d", p.IPProto)
	}
	if p.Family == unix.AF_INET6 {
		b.WriteString(" -6")
	}
	if p.Local.IsValid() {
		b.WriteString(" local " + p.Local.String())
	}
	if p.Peer.IsValid() {
		b.WriteString(" peer " + p.Peer.String())
	}
	if p.PeerPort != 0 {
		fmt.Fprintf(&b, " peer_port %d", p.PeerPort)
	}
	if p.LinkIndex != 0 && p.LinkName != "" {
		b.WriteString(" dev " + p.LinkName)
	}
	return b.String()
}

// ipProtocol reads an IP protocol as ip does: a name of /etc/protocols
// (getprotobyname), or a number from 1 to 255.
func ipProtocol(v string) (uint8, bool) {
	if f, err := os.Open("/etc/protocols"); err == nil {
		defer f.Close()
		s := bufio.NewScanner(f)
		for s.Scan() {
			line, _, _ := strings.Cut(s.Text(), "#")
			fields := strings.Fields(line)
			if len(fields) < 2 {
				continue
			}
			for _, name := range append([]string{fields[0]}, fields[2:]...) {
				if name == v {
					n, err := strconv.ParseUint(fields[1], 10, 8)
					return uint8(n), err == nil
				}
			}
		}
	}
	n, err := parseCUint(v, 8)
	return uint8(n), err == nil && n != 0
}

// genlFamilyError is how ip reports a generic netlink family the kernel
// does not have: its failed lookup, and exit status 1.
func genlFamilyError(err error) error {
	var fe *genl.FamilyError
	if errors.As(err, &fe) {
		return &exitError{"RTNETLINK answers: No such file or directory\nError talking to the kernel", 1}
	}
	return err
}

// genlProbe resolves the generic netlink family, as ip does before it
// reads a command.
func genlProbe(ctx context.Context, gc *genl.Conn, family string) error {
	_, err := gc.Family(ctx, family)
	return err
}
