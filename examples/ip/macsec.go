package main

import (
	"context"
	"strconv"
	"strings"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/macsec"
	"github.com/nlkit/nlkit/rtnl"
)

// macsecUsage is ip macsec's usage message.
func macsecUsage() error {
	return usageErr(macsecUsageText)
}

// macsecUsageText is the text of ip macsec's usage message.
const macsecUsageText = `Usage: ip macsec add DEV tx sa { 0..3 } [ OPTS ] key ID KEY
       ip macsec set DEV tx sa { 0..3 } [ OPTS ]
       ip macsec del DEV tx sa { 0..3 }
       ip macsec add DEV rx SCI [ on | off ]
       ip macsec set DEV rx SCI [ on | off ]
       ip macsec del DEV rx SCI
       ip macsec add DEV rx SCI sa { 0..3 } [ OPTS ] key ID KEY
       ip macsec set DEV rx SCI sa { 0..3 } [ OPTS ]
       ip macsec del DEV rx SCI sa { 0..3 }
       ip macsec show
       ip macsec show DEV
       ip macsec offload DEV [ off | phy | mac ]
where  OPTS := [ pn <u32> | xpn <u64> ] [ salt SALT ] [ ssci <u32> ] [ on | off ]
       ID   := 128-bit hex string
       KEY  := 128-bit or 256-bit hex string
       SCI  := { sci <u64> | port { 1..2^16-1 } address <lladdr> }
       SALT := 96-bit hex string`

// macsecVerb is what `ip macsec add|set|del` does.
type macsecVerb int

const (
	macsecAdd macsecVerb = iota
	macsecSet
	macsecDel
)

// macsec runs `ip macsec add|set|del|offload|show`.
func (c *command) macsec(ctx context.Context, args []string) error {
	if len(args) == 0 || matches(args[0], "help") {
		return macsecUsage()
	}
	gc, err := c.genlConn(ctx)
	if err != nil {
		return err
	}
	defer gc.Close()
	if err := genlFamilyError(genlProbe(ctx, gc, "macsec")); err != nil {
		return err // ip looks the family up before it reads the command
	}
	cmd, args := args[0], args[1:]
	switch {
	case matches(cmd, "show"):
		return c.macsecShow(ctx, gc, args)
	case matches(cmd, "add"):
		return c.macsecModify(ctx, gc, macsecAdd, args)
	case matches(cmd, "set"):
		return c.macsecModify(ctx, gc, macsecSet, args)
	case matches(cmd, "delete"):
		return c.macsecModify(ctx, gc, macsecDel, args)
	case matches(cmd, "offload"):
		return c.macsecOffload(ctx, gc, args)
	}
	return usageErr("Command \"" + cmd + "\" is unknown, try \"ip macsec help\".")
}

// macsecLink looks the device up as ip's ll_name_to_index does: by name,
// or as "ifN" for index N.
func (c *command) macsecLink(ctx context.Context, name string) (int32, error) {
	if l, err := c.conn.LinkByName(ctx, name); err == nil {
		return l.Index, nil
	}
	if n, ok := strings.CutPrefix(name, "if"); ok {
		end := 0
		for end < len(n) && n[end] >= '0' && n[end] <= '9' {
			end++
		}
		if i, err := strconv.ParseUint(n[:end], 10, 31); err == nil && i != 0 {
			return int32(i), nil
		}
	}
	return 0, &exitError{"Device \"" + name + "\" does not exist.", 1}
}

// macsecDevArgs reads the DEV that starts args, which must be followed by
// more, and returns its index and the rest; ip's usage otherwise.
func (c *command) macsecDevArgs(ctx context.Context, args []string) (int32, []string, error) {
	if len(args) == 0 {
		return 0, nil, macsecUsage()
	}
	link, err := c.macsecLink(ctx, args[0])
	if err != nil {
		return 0, nil, err
	}
	if len(args) == 1 {
		return 0, nil, macsecUsage()
	}
	return link, args[1:], nil
}

// macsecModify runs `ip macsec add|set|del DEV {tx|rx} …`.
func (c *command) macsecModify(ctx context.Context, gc *genl.Conn, verb macsecVerb, args []string) error {
	link, args, err := c.macsecDevArgs(ctx, args)
	if err != nil {
		return err
	}
	switch args[0] {
	case "tx":
		return macsecTx(ctx, gc, verb, link, args[1:])
	case "rx":
		return macsecRx(ctx, gc, verb, link, args[1:])
	}
	return macsecUsage()
}

// macsecTx adds, changes or deletes a transmit SA: `tx sa AN [OPTS]`.
func macsecTx(ctx context.Context, gc *genl.Conn, verb macsecVerb, link int32, args []string) error {
	an, args, ok, err := macsecSANumber(args)
	if err != nil {
		return err
	}
	if !ok {
		return macsecUsage()
	}
	if verb == macsecDel {
		return macsec.DeleteTxSA(ctx, gc, link, an) // ip reads no more
	}
	sa, err := parseMacsecSA(args, verb)
	if err != nil {
		return err
	}
	sa.AN = an
	if verb == macsecAdd {
		return macsec.AddTxSA(ctx, gc, link, sa)
	}
	return macsec.UpdateTxSA(ctx, gc, link, sa)
}

// macsecRx adds, changes or deletes a receive SC, `rx SCI [on|off]`, or
// one of its SAs, `rx SCI sa AN [OPTS]`.
func macsecRx(ctx context.Context, gc *genl.Conn, verb macsecVerb, link int32, args []string) error {
	sci, args, err := parseMacsecSCI(args)
	if err != nil {
		return err
	}
	an, args, saSet, err := macsecSANumber(args)
	if err != nil {
		return err
	}
	switch {
	case verb == macsecDel && saSet:
		return macsec.DeleteRxSA(ctx, gc, link, sci, an) // ip reads no more
	case verb == macsecDel:
		return macsec.DeleteRxSC(ctx, gc, link, sci)
	case saSet:
		sa, err := parseMacsecSA(args, verb)
		if err != nil {
			return err
		}
		sa.AN = an
		if verb == macsecAdd {
			return macsec.AddRxSA(ctx, gc, link, sci, sa)
		}
		return macsec.UpdateRxSA(ctx, gc, link, sci, sa)
	}
	active, err := parseMacsecOnOff(args)
	if err != nil {
		return err
	}
	if verb == macsecAdd {
		return macsec.AddRxSC(ctx, gc, link, sci, active)
	}
	return macsec.UpdateRxSC(ctx, gc, link, sci, active)
}

// macsecOffload runs `ip macsec offload DEV {off|phy|mac}`.
func (c *command) macsecOffload(ctx context.Context, gc *genl.Conn, args []string) error {
	link, args, err := c.macsecDevArgs(ctx, args)
	if err != nil {
		return err
	}
	modes := []rtnl.MacsecOffload{rtnl.MacsecOffloadOff, rtnl.MacsecOffloadPHY, rtnl.MacsecOffloadMAC}
	for _, m := range modes {
		if matches(args[0], m.String()) {
			return macsec.SetOffload(ctx, gc, link, m) // ip reads no more
		}
	}
	return usageErr("Error: argument of \"offload\" must be one of \"off\", \"phy\", \"mac\", not \"" + args[0] + "\"\n" + macsecUsageText)
}
