package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/mptcp"
)

// mptcp runs `ip mptcp endpoint|limits|monitor …`.
func (c *command) mptcp(ctx context.Context, args []string) error {
	if len(args) == 0 || matches(args[0], "help") {
		return mptcpUsage()
	}
	gc, err := c.genlConn(ctx)
	if err != nil {
		return err
	}
	defer gc.Close()
	obj, args := args[0], args[1:]
	cmd := ""
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch {
	case matches(obj, "endpoint"):
		switch {
		case cmd == "":
			return c.mptcpShow(ctx, gc, nil)
		case matches(cmd, "add"), matches(cmd, "change"), matches(cmd, "delete"):
			return c.mptcpModify(ctx, gc, cmd, args)
		case matches(cmd, "show"):
			return c.mptcpShow(ctx, gc, args)
		case matches(cmd, "flush"):
			return mptcp.FlushEndpoints(ctx, gc)
		}
		obj = cmd
	case matches(obj, "limits"):
		switch {
		case cmd == "", matches(cmd, "show"):
			return c.mptcpLimits(ctx, gc, args, false)
		case matches(cmd, "set"):
			return c.mptcpLimits(ctx, gc, args, true)
		}
		obj = cmd
	case matches(obj, "monitor"):
		if cmd == "" {
			return c.mptcpMonitor(ctx, gc)
		}
		obj = cmd
	}
	return usageErr("Command \"" + obj + "\" is unknown, try \"ip mptcp help\".")
}

// mptcpUsage is ip mptcp's usage message.
func mptcpUsage() error {
	return usageErr("Usage:\tip mptcp endpoint add ADDRESS [ dev NAME ] [ id ID ]\n" +
		"\t\t\t\t      [ port NR ] [ FLAG-LIST ]\n" +
		"\tip mptcp endpoint delete id ID [ ADDRESS ]\n" +
		"\tip mptcp endpoint change [ id ID ] [ ADDRESS ] [ port NR ] CHANGE-OPT\n" +
		"\tip mptcp endpoint show [ id ID ]\n" +
		"\tip mptcp endpoint flush\n" +
		"\tip mptcp limits set [ subflows NR ] [ add_addr_accepted NR ]\n" +
		"\tip mptcp limits show\n" +
		"\tip mptcp monitor\n" +
		"FLAG-LIST := [ FLAG-LIST ] FLAG\n" +
		"FLAG  := [ signal | subflow | backup | fullmesh ]\n" +
		"CHANGE-OPT := [ backup | nobackup | fullmesh | nofullmesh ]")
}

// mptcpEndpointArgs are what `ip mptcp endpoint` reads of its arguments.
type mptcpEndpointArgs struct {
	e              mptcp.Endpoint
	idSet, addrSet bool
}

// mptcpFlag returns the flag a word names, as ip reads it; ok is false for
// a word that is no flag (nobackup and nofullmesh set none).
func mptcpFlag(word string) (f mptcp.Flags, ok bool) {
	switch word {
	case "signal":
		return mptcp.Signal, true
	case "subflow":
		return mptcp.Subflow, true
	case "backup":
		return mptcp.Backup, true
	case "fullmesh":
		return mptcp.Fullmesh, true
	case "nobackup", "nofullmesh":
		return 0, true
	}
	return 0, false
}

// parseMptcpEndpoint reads `ADDRESS [dev NAME] [id ID] [port NR] [FLAG…]`
// with ip's checks for the command (add, change, delete or show).
func (c *command) parseMptcpEndpoint(ctx context.Context, cmd string, args []string) (mptcpEndpointArgs, error) {
	var a mptcpEndpointArgs
	adding, setting, deleting := cmd == "add", cmd == "change", cmd == "delete"
	for ; len(args) > 0; args = args[1:] {
		w := args[0]
		if f, ok := mptcpFlag(w); ok {
			a.e.Flags |= f
			if adding && a.e.Flags&mptcp.Signal != 0 && a.e.Flags&mptcp.Fullmesh != 0 {
				return a, invarg("flags mustn't have both signal and fullmesh", w)
			}
			if setting && a.e.Flags&^(mptcp.Backup|mptcp.Fullmesh) != 0 {
				return a, invarg("invalid flags, backup and fullmesh only", w)
			}
			continue
		}
		isID, isDev, isPort := matches(w, "id"), matches(w, "dev"), matches(w, "port")
		if !isID && !isDev && !isPort {
			addr, err := netip.ParseAddr(w)
			if err != nil {
				return a, &exitError{"Error: any valid address is expected rather than \"" + w + "\".", 1}
			}
			a.e.Address, a.addrSet = addr, true
			continue
		}
		if len(args) < 2 {
			return a, incomplete()
		}
		args = args[1:]
		v := args[0]
		switch {
		case isID:
			n, err := parseCUint(v, 8)
			if err != nil {
				return a, invarg("invalid ID\n", v)
			}
			a.e.ID, a.idSet = uint8(n), true
		case isDev:
			if v == "" || len(v) >= 16 || strings.ContainsAny(v, "/ \t\n\v\f\r") {
				return a, invarg("invalid interface name\n", v)
			}
			l, err := c.conn.LinkByName(ctx, v)
			if err != nil {
				return a, invarg("device does not exist\n", v)
			}
			a.e.LinkIndex = l.Index
		case isPort:
			n, err := parseCUint(v, 16)
			if err != nil {
				return a, invarg("expected port", v)
			}
			a.e.Port = uint16(n)
		}
	}
	switch {
	case adding && !a.addrSet:
		return a, missarg("ADDRESS")
	case deleting && !a.idSet:
		return a, missarg("ID")
	case deleting && a.e.ID != 0 && a.addrSet:
		return a, invarg("invalid for non-zero id address\n", "ADDRESS")
	case deleting && a.e.ID == 0 && !a.addrSet:
		return a, invarg("address is needed for deleting id 0 address\n", "ID")
	case adding && a.e.Port != 0 && a.e.Flags&mptcp.Signal == 0:
		return a, invarg("flags must have signal when using port", "port")
	case setting && a.idSet && a.e.Port != 0:
		return a, invarg("port can't be used with id", "port")
	}
	return a, nil
}

// mptcpModify runs `ip mptcp endpoint add|change|delete …`.
func (c *command) mptcpModify(ctx context.Context, gc *genl.Conn, cmd string, args []string) error {
	switch {
	case matches(cmd, "add"):
		cmd = "add"
	case matches(cmd, "change"):
		cmd = "change"
	default:
		cmd = "delete"
	}
	a, err := c.parseMptcpEndpoint(ctx, cmd, args)
	if err != nil {
		return err
	}
	switch cmd {
	case "add":
		return mptcp.AddEndpoint(ctx, gc, a.e)
	case "change":
		return mptcp.ChangeEndpoint(ctx, gc, a.e)
	}
	return mptcp.DeleteEndpoint(ctx, gc, a.e.ID, a.e.Address)
}

// mptcpShow runs `ip mptcp endpoint show [id ID]`.
func (c *command) mptcpShow(ctx context.Context, gc *genl.Conn, args []string) error {
	var eps []mptcp.Endpoint
	if len(args) == 0 {
		var err error
		if eps, err = mptcp.Endpoints(ctx, gc); err != nil {
			return err
		}
	} else {
		a, err := c.parseMptcpEndpoint(ctx, "show", args)
		if err != nil {
			return err
		}
		e, err := mptcp.GetEndpoint(ctx, gc, a.e.ID)
		if err != nil {
			return err
		}
		eps = []mptcp.Endpoint{e}
	}
	if c.opts.json {
		elems := make([]json.Marshaler, len(eps))
		for i, e := range eps {
			elems[i] = e
		}
		return c.printList(elems)
	}
	for _, e := range eps {
		o, err := marshalObject(e)
		if err != nil {
			return err
		}
		var b strings.Builder
		for _, m := range o {
			switch v := strings.Trim(string(m.value), `"`); m.key {
			case "address":
				b.WriteString(v + " ")
			case "port", "id", "rawflags", "dev":
				b.WriteString(m.key + " " + v + " ")
			default: // a flag
				b.WriteString(m.key + " ")
			}
		}
		fmt.Fprintln(c.stdout, b.String())
	}
	return nil
}

// mptcpLimits runs `ip mptcp limits show|set [subflows NR]
// [add_addr_accepted NR]`. ip prints the limits as text, even with -j.
func (c *command) mptcpLimits(ctx context.Context, gc *genl.Conn, args []string, set bool) error {
	var l mptcp.Limits
	for ; len(args) > 0; args = args[1:] {
		w := args[0]
		isSub, isAdd := matches(w, "subflows"), matches(w, "add_addr_accepted")
		if !isSub && !isAdd {
			return invarg("unknown limit", w)
		}
		if len(args) < 2 {
			return incomplete()
		}
		args = args[1:]
		n, err := parseCUint(args[0], 32)
		if err != nil {
			what := "subflows"
			if isAdd {
				what = "add_addr_accepted"
			}
			return invarg("invalid "+what+"\n", args[0])
		}
		v := uint32(n)
		if isSub {
			l.Subflows = &v
		} else {
			l.AddAddrAccepted = &v
		}
	}
	if set {
		if l.Subflows == nil && l.AddAddrAccepted == nil {
			return nil // ip sends a request that changes nothing
		}
		return mptcp.SetLimits(ctx, gc, l)
	}
	got, err := mptcp.GetLimits(ctx, gc)
	if err != nil {
		return err
	}
	var b strings.Builder
	if got.AddAddrAccepted != nil {
		fmt.Fprintf(&b, "add_addr_accepted %d ", *got.AddAddrAccepted)
	}
	if got.Subflows != nil {
		fmt.Fprintf(&b, "subflows %d ", *got.Subflows)
	}
	fmt.Fprintln(c.stdout, b.String())
	return nil
}

// mptcpMonitor runs `ip mptcp monitor`: it prints the path manager's
// events until it is interrupted.
func (c *command) mptcpMonitor(ctx context.Context, gc *genl.Conn) error {
	sub, err := mptcp.SubscribeEvents(ctx, gc)
	if err != nil {
		return &exitError{"can't subscribe to mptcp events: " + errnoText(err), 1}
	}
	defer sub.Close()
	for e, err := range sub.Events(ctx) {
		if errors.Is(err, genl.ErrOverrun) {
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		fmt.Fprintln(c.stdout, e.String())
	}
	return nil
}
