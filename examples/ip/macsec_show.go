package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/macsec"
	"github.com/nlkit/nlkit/rtnl"
)

// macsecShow runs `ip macsec show [DEV]`.
func (c *command) macsecShow(ctx context.Context, gc *genl.Conn, args []string) error {
	var index int32
	if len(args) > 0 {
		var err error
		if index, err = c.macsecLink(ctx, args[0]); err != nil {
			return err
		}
		if len(args) > 1 {
			return macsecUsage()
		}
	}
	secys, err := macsec.List(ctx, gc)
	if err != nil {
		return dumpError(err, 1)
	}
	var elems []json.Marshaler
	for _, s := range secys {
		if index != 0 && s.LinkIndex != index {
			continue
		}
		if c.opts.json {
			if c.opts.stats == 0 {
				s = withoutStats(s)
			}
			elems = append(elems, s)
			continue
		}
		fmt.Fprint(c.stdout, c.macsecText(s))
	}
	if c.opts.json {
		return c.printList(elems)
	}
	return nil
}

// withoutStats is the SecY without its counters, which ip prints with -s
// only.
func withoutStats(s macsec.SecY) macsec.SecY {
	s.Stats, s.TxSCStats = nil, nil
	s.TxSAs = sasWithoutStats(s.TxSAs)
	rxscs := make([]macsec.RxSC, len(s.RxSCs))
	for i, sc := range s.RxSCs {
		sc.Stats, sc.SAs = nil, sasWithoutStats(sc.SAs)
		rxscs[i] = sc
	}
	s.RxSCs = rxscs
	return s
}

// sasWithoutStats copies the SAs without their counters.
func sasWithoutStats(sas []macsec.SA) []macsec.SA {
	out := make([]macsec.SA, len(sas))
	for i, sa := range sas {
		sa.Stats = nil
		out[i] = sa
	}
	return out
}

// macsecText is a SecY as ip macsec show writes it.
func (c *command) macsecText(s macsec.SecY) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d: %s: ", uint32(s.LinkIndex), s.LinkName)
	flag := func(name string, on bool) {
		b.WriteString(name + " " + onOff(on) + " ")
	}
	flag("protect", s.Protect)
	b.WriteString("validate " + s.Validate.String() + " ")
	// ip 6.1 reads "sc" and "sa" from the encoding SA's attribute.
	flag("sc", s.EncodingSA != 0)
	flag("sa", s.EncodingSA != 0)
	flag("encrypt", s.Encrypt)
	flag("send_sci", s.IncludeSCI)
	flag("end_station", s.EndStation)
	flag("scb", s.SCB)
	flag("replay", s.Replay)
	if s.Window != nil {
		fmt.Fprintf(&b, "window %d ", *s.Window)
	}
	b.WriteString(c.lineEnd())
	fmt.Fprintf(&b, "    cipher suite: %s, using ICV length %d\n", s.CipherSuite, s.ICVLen)
	fmt.Fprintf(&b, "    TXSC: %016x on SA %d\n", s.SCI, s.EncodingSA)
	c.macsecStats(&b, macsec.SecYCounters, s.Stats)
	c.macsecStats(&b, macsec.TxSCCounters, s.TxSCStats)
	xpn := s.CipherSuite == rtnl.MacsecGCMAESXPN128 || s.CipherSuite == rtnl.MacsecGCMAESXPN256
	for _, sa := range s.TxSAs {
		c.macsecSAText(&b, sa, xpn, macsec.TxSACounters)
	}
	for _, sc := range s.RxSCs {
		fmt.Fprintf(&b, "    RXSC: %016x, state %s\n", sc.SCI, onOff(sc.Active))
		c.macsecStats(&b, macsec.RxSCCounters, sc.Stats)
		for _, sa := range sc.SAs {
			c.macsecSAText(&b, sa, xpn, macsec.RxSACounters)
		}
	}
	if s.Offload != nil {
		b.WriteString("    offload: " + s.Offload.String() + " " + c.lineEnd())
	}
	return b.String()
}

// macsecSAText writes an SA's line, and with -s its counters: its packet
// number cut to 32 bits, as ip prints it.
func (c *command) macsecSAText(b *strings.Builder, sa macsec.SA, xpn bool, set macsec.CounterSet) {
	fmt.Fprintf(b, "        %d: PN %d,", sa.AN, uint32(sa.PN))
	if xpn {
		var ssci uint32
		if sa.SSCI != nil {
			ssci = *sa.SSCI
		}
		fmt.Fprintf(b, "SSCI %08x", ssci)
	}
	fmt.Fprintf(b, " state %s, key %x\n", onOff(sa.Active), sa.KeyID)
	c.macsecStats(b, set, sa.Stats)
}

// macsecStats writes counters as ip -s macsec show does: a line of names
// and a line of values right-aligned under them, "-" for those the kernel
// did not send.
func (c *command) macsecStats(b *strings.Builder, set macsec.CounterSet, cs []macsec.Counter) {
	if c.opts.stats == 0 || cs == nil {
		return
	}
	ids := set.IDs()
	b.WriteString("    stats:")
	for _, id := range ids {
		b.WriteString(" " + set.Name(id))
	}
	b.WriteString("\n          ")
	for _, id := range ids {
		v := "-"
		for _, ct := range cs {
			if ct.ID == id {
				v = fmt.Sprint(ct.Value)
				break
			}
		}
		fmt.Fprintf(b, "%*s", len(set.Name(id))+1, v)
	}
	b.WriteString("\n")
}
