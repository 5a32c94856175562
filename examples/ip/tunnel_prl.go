package main

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/rtnl"
)

// The ioctls of ip tunnel prl, which ip names in its errors.
const (
	siocAddPRL = 0x89f5 // SIOCADDPRL
	siocDelPRL = 0x89f6 // SIOCDELPRL
)

// tunnelPRL runs `ip tunnel prl dev NAME { prl-default | prl-nodefault |
// prl-delete } ADDR`: one change of an ISATAP tunnel's potential router
// list.
func (c *command) tunnelPRL(ctx context.Context, args []string) error {
	cmd, count := 0, 0
	var r rtnl.PotentialRouter
	var medium string
	for ; len(args) > 0; args = args[1:] {
		w := args[0]
		switch w {
		case "prl-default", "prl-nodefault", "prl-delete", "dev":
		default:
			return usageErr("Invalid PRL parameter \"" + w + "\"")
		}
		if len(args) < 2 {
			return incomplete()
		}
		args = args[1:]
		v := args[0]
		if w == "dev" {
			if v == "" || len(v) >= 16 || strings.ContainsAny(v, "/ \t\n\v\f\r") {
				return invarg("\"dev\" not a valid ifname", v)
			}
			medium = v
			continue
		}
		a, err := netip.ParseAddr(v)
		if err != nil || !a.Is4() {
			return &exitError{"Error: an IP address is expected rather than \"" + v + "\"", 1}
		}
		cmd, count = siocAddPRL, count+1
		if w == "prl-delete" {
			cmd = siocDelPRL
		}
		r = rtnl.PotentialRouter{Addr: a, Default: w == "prl-default"}
		if count > 1 {
			return usageErr("One PRL entry at a time")
		}
	}
	if medium == "" {
		return usageErr("Must specify device")
	}
	var err error
	switch cmd {
	case 0:
		err = unix.ENOTTY
	case siocAddPRL:
		err = c.conn.AddPotentialRouter(ctx, medium, r)
	default:
		err = c.conn.DeletePotentialRouter(ctx, medium, r.Addr)
	}
	var errno unix.Errno
	if errors.As(err, &errno) {
		return &exitError{fmt.Sprintf("%s: ioctl %x failed: %s", medium, cmd, strerror(errno.Error())), 1}
	}
	return err
}

// fillPRL reads the potential router list of an ISATAP tunnel, which ip
// tunnel show lists; ip lists none when it cannot read it.
func (c *command) fillPRL(ctx context.Context, p *tunnelParm) {
	if p.isatap && p.iphProto == unix.IPPROTO_IPV6 {
		p.prl, _ = c.conn.PotentialRouters(ctx, p.name)
	}
}

// writePRL writes the potential routers as ip tunnel show does: " pdr
// ADDR" for a default router, " pr ADDR" for another.
func (p *tunnelParm) writePRL(b *strings.Builder) {
	for _, r := range p.prl {
		if r.Default {
			b.WriteString(" pdr " + r.Addr.String())
		} else {
			b.WriteString(" pr " + r.Addr.String())
		}
	}
}

// prlJSON is the members of the potential routers in ip -j tunnel show.
func (p *tunnelParm) prlJSON() object {
	var o object
	for _, r := range p.prl {
		key := "pr"
		if r.Default {
			key = "pdr"
		}
		o = append(o, member{key, []byte(`"` + r.Addr.String() + `"`)})
	}
	return o
}
