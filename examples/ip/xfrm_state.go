package main

import (
	"context"
	"encoding/json"
	"net/netip"

	"github.com/nlkit/nlkit/xfrm"
)

// state runs `ip xfrm state …`.
func (c *xfrmCommand) state(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return c.stateList(ctx, nil, false)
	}
	cmd, rest := args[0], args[1:]
	switch {
	case matches(cmd, "add"):
		return c.stateModify(ctx, rest, c.x.AddState)
	case matches(cmd, "update"):
		return c.stateModify(ctx, rest, c.x.UpdateState)
	case matches(cmd, "allocspi"):
		return c.stateAllocSPI(ctx, rest)
	case matches(cmd, "delete"):
		return c.stateGetOrDelete(ctx, rest, true)
	case matches(cmd, "deleteall"), matches(cmd, "delall"):
		return c.stateList(ctx, rest, true)
	case matches(cmd, "list"), matches(cmd, "show"), matches(cmd, "lst"):
		return c.stateList(ctx, rest, false)
	case matches(cmd, "get"):
		return c.stateGetOrDelete(ctx, rest, false)
	case matches(cmd, "flush"):
		return c.stateFlush(ctx, rest)
	case matches(cmd, "count"):
		info, err := c.x.SADInfo(ctx)
		if err != nil {
			return err
		}
		return c.printXfrmInfo(info, info.Text(c.textOptions(false)), func(key string) bool { return c.opts.stats == 0 && key == "buckets" })
	}
	return usageErr("Command \"" + cmd + "\" is unknown, try \"ip xfrm state help\".")
}

// stateArgs is what ip xfrm state add and update read besides the state.
type stateArgs struct {
	idSeen                     bool
	replayWindow               uint32
	seq, oseq, seqHi, oseqHi   uint32
	enc, auth, aead, comp, coa bool
	offload                    bool
	offloadDev                 string
	offloadIn                  bool
}

// stateModify runs ip xfrm state add or update.
func (c *xfrmCommand) stateModify(ctx context.Context, args []string, write func(context.Context, xfrm.State) error) error {
	s, err := c.parseState(args)
	if err != nil {
		return err
	}
	return write(ctx, s)
}

// parseState reads the arguments of ip xfrm state add and update.
func (c *xfrmCommand) parseState(args []string) (xfrm.State, error) {
	a := &words{list: args, family: uint16(c.opts.family)}
	var s xfrm.State
	var sa stateArgs
	for a.more() {
		var err error
		switch w := a.take(); w {
		case "mode":
			var v string
			if v, err = a.value(); err == nil {
				s.Mode, err = mode(v)
			}
		case "mark":
			s.Mark, err = a.mark()
		case "reqid":
			s.ReqID, err = a.u32Arg("REQID value is invalid")
		case "seq":
			s.Seq, err = a.seq()
		case "replay-window", "replay-seq", "replay-seq-hi", "replay-oseq", "replay-oseq-hi":
			field := map[string]*uint32{"replay-window": &sa.replayWindow, "replay-seq": &sa.seq, "replay-seq-hi": &sa.seqHi,
				"replay-oseq": &sa.oseq, "replay-oseq-hi": &sa.oseqHi}[w]
			*field, err = a.u32Arg("value after \"" + w + "\" is invalid")
		case "flag":
			var f uint32
			f, err = a.flags(w, 0xff, "FLAG value is invalid", stateFlagBits)
			s.Flags |= xfrm.StateFlags(f)
		case "extra-flag":
			var f uint32
			f, err = a.flags(w, 0xffffffff, "\"EXTRA-FLAG\" is invalid", extraFlagBits)
			s.ExtraFlags |= xfrm.ExtraFlags(f)
		case "sel":
			if _, err = a.value(); err == nil {
				a.family = 0
				_, err = a.selector(&s.Selector)
				a.family = s.Selector.Family
			}
		case "limit":
			err = a.lifetime(&s.Lifetime)
		case "encap":
			s.Encap, err = a.encap()
		case "coa":
			if sa.coa {
				return s, duparg("coa", w)
			}
			sa.coa = true
			var p netip.Prefix
			if p, err = a.nextPrefix(); err == nil {
				s.CareOf = p.Addr()
			}
		case "offload":
			err = a.offload(&sa)
		case "output-mark":
			s.OutputMark, err = a.outputMark()
		case "if_id":
			s.IfID, err = a.u32Arg("value after \"if_id\" is invalid")
		case "tfcpad":
			s.TFCPad, err = a.u32Arg("value after \"tfcpad\" is invalid")
		case "ctx":
			if s.SecurityContext != "" {
				return s, duparg("ctx", w)
			}
			s.SecurityContext, err = a.value()
		case "enc", "auth", "auth-trunc", "aead", "comp":
			err = a.algorithm(&s, &sa)
		default:
			if sa.idSeen {
				return s, invarg("unknown", w)
			}
			sa.idSeen = true
			var id xfrmID
			if id, err = a.id(false); err == nil {
				s.Src, s.Dst, s.Proto, s.SPI = id.src.Addr(), id.dst.Addr(), id.proto, id.spi
			}
		}
		if err != nil {
			return s, err
		}
	}
	return s, finishState(&s, &sa)
}

// finishState applies ip's checks and defaults once all arguments are read.
func finishState(s *xfrm.State, sa *stateArgs) error {
	if s.Flags&xfrm.StateESN != 0 && sa.replayWindow == 0 {
		return usageErr("Error: esn flag set without replay-window.")
	}
	if sa.offload {
		s.Offload = &xfrm.Offload{LinkName: sa.offloadDev}
		if sa.offloadIn {
			s.Offload.Flags = xfrm.OffloadInbound
		}
	}
	if s.Flags&xfrm.StateESN != 0 || sa.replayWindow > 32 {
		s.ReplayESN = &xfrm.ReplayESN{Seq: sa.seq, OSeq: sa.oseq, SeqHi: sa.seqHi, OSeqHi: sa.oseqHi, ReplayWindow: sa.replayWindow}
	} else {
		if sa.seq != 0 || sa.oseq != 0 {
			s.Replay = &xfrm.Replay{Seq: sa.seq, OSeq: sa.oseq}
		}
		s.ReplayWindow = uint8(sa.replayWindow)
	}
	if !sa.idSeen {
		return failure("Not enough information: ID is required")
	}
	if s.Mark.Mask == 0 {
		s.Mark = xfrm.Mark{}
	}
	if err := checkStateProto(s, sa); err != nil {
		return err
	}
	if !s.Dst.IsValid() {
		// ip sends the unspecified address of the family.
		s.Dst = netip.IPv4Unspecified()
		if s.Src.Is6() {
			s.Dst = netip.IPv6Unspecified()
		}
	}
	return nil
}

// checkStateProto checks the mode, algorithms and care-of address
// against the protocol, as ip does.
func checkStateProto(s *xfrm.State, sa *stateArgs) error {
	p := s.Proto
	switch p {
	case xfrm.ProtoESP, xfrm.ProtoAH, xfrm.ProtoComp:
		if !(s.Mode == xfrm.ModeTransport || s.Mode == xfrm.ModeTunnel || s.Mode == xfrm.ModeBEET && p == xfrm.ProtoESP) {
			return failure("MODE value is invalid with XFRM-PROTO value \"%s\"", p)
		}
	}
	switch {
	case p == xfrm.ProtoESP && sa.comp:
		return failure("ALGO-TYPE value \"comp\" is invalid with XFRM-PROTO value \"%s\"", p)
	case p == xfrm.ProtoESP && !sa.enc && !sa.aead:
		return failure("ALGO-TYPE value \"enc\" or \"aead\" is required with XFRM-PROTO value \"%s\"", p)
	case p == xfrm.ProtoAH && (sa.enc || sa.aead || sa.comp):
		return failure("ALGO-TYPE values \"enc\", \"aead\", and \"comp\" are invalid with XFRM-PROTO value \"%s\"", p)
	case p == xfrm.ProtoAH && !sa.auth:
		return failure("ALGO-TYPE value \"auth\" or \"auth-trunc\" is required with XFRM-PROTO value \"%s\"", p)
	case p == xfrm.ProtoComp && (sa.enc || sa.auth || sa.aead):
		return failure("ALGO-TYPE values \"enc\", \"auth\", \"auth-trunc\", and \"aead\" are invalid with XFRM-PROTO value \"%s\"", p)
	case p == xfrm.ProtoComp && !sa.comp:
		return failure("ALGO-TYPE value \"comp\" is required with XFRM-PROTO value \"%s\"", p)
	case p != xfrm.ProtoESP && p != xfrm.ProtoAH && p != xfrm.ProtoComp && (sa.enc || sa.auth || sa.aead || sa.comp):
		return failure("ALGO is invalid with XFRM-PROTO value \"%s\"", p)
	}
	if p == xfrm.ProtoRoute2 || p == xfrm.ProtoHAO {
		switch {
		case s.Mode == xfrm.ModeTransport:
			return failure("\"mode\" is required with XFRM-PROTO value \"%s\"", p)
		case s.Mode != xfrm.ModeRO && s.Mode != xfrm.ModeInTrigger:
			return failure("MODE value is invalid with XFRM-PROTO value \"%s\"", p)
		case !sa.coa:
			return failure("\"coa\" is required with XFRM-PROTO value \"%s\"", p)
		}
	} else if sa.coa {
		return failure("\"coa\" is invalid with XFRM-PROTO value \"%s\"", p)
	}
	return nil
}

// stateAllocSPI runs ip xfrm state allocspi.
func (c *xfrmCommand) stateAllocSPI(ctx context.Context, args []string) error {
	a := &words{list: args, family: uint16(c.opts.family)}
	var s xfrm.State
	var idSeen, minSeen, maxSeen bool
	var lo, hi uint32
	for a.more() {
		var err error
		switch w := a.take(); w {
		case "mode":
			var v string
			if v, err = a.value(); err == nil {
				s.Mode, err = mode(v)
			}
		case "mark":
			s.Mark, err = a.mark()
		case "reqid":
			s.ReqID, err = a.u32Arg("REQID value is invalid")
		case "seq":
			s.Seq, err = a.seq()
		case "min", "max":
			seen, v := &minSeen, &lo
			if w == "max" {
				seen, v = &maxSeen, &hi
			}
			if *seen {
				return duparg(w, w)
			}
			*seen = true
			*v, err = a.u32Arg("value after \"" + w + "\" is invalid")
		default:
			if idSeen {
				return invarg("unknown", w)
			}
			idSeen = true
			var id xfrmID
			if id, err = a.id(false); err == nil {
				if id.spi != 0 {
					return failure("\"spi\" is invalid")
				}
				s.Src, s.Dst, s.Proto = id.src.Addr(), id.dst.Addr(), id.proto
			}
		}
		if err != nil {
			return err
		}
	}
	switch {
	case !idSeen:
		return failure("Not enough information: ID is required")
	case minSeen && !maxSeen:
		return failure("\"max\" is missing")
	case minSeen && lo > hi:
		return failure("value after \"min\" is larger than value after \"max\"")
	case maxSeen && !minSeen:
		return failure("\"min\" is missing")
	case !minSeen:
		lo, hi = 0x100, 0x0fffffff
		if s.Proto == xfrm.ProtoComp {
			hi = 0xffff
		}
	}
	if s.Mark.Value&s.Mark.Mask == 0 {
		s.Mark = xfrm.Mark{}
	}
	got, err := c.x.AllocSPI(ctx, s, lo, hi)
	if err != nil {
		return err
	}
	return c.printStates([]xfrm.State{got}, false)
}

// stateGetOrDelete runs ip xfrm state get or delete.
func (c *xfrmCommand) stateGetOrDelete(ctx context.Context, args []string, del bool) error {
	a := &words{list: args, family: uint16(c.opts.family)}
	var id xfrm.StateID
	var idSeen bool
	for a.more() {
		var err error
		if a.take() == "mark" {
			id.Mark, err = a.mark()
		} else {
			if idSeen {
				return invarg("unknown", a.last())
			}
			idSeen = true
			var x xfrmID
			if x, err = a.id(false); err == nil {
				id.Src, id.Dst, id.Proto, id.SPI = x.src.Addr(), x.dst.Addr(), x.proto, x.spi
			}
		}
		if err != nil {
			return err
		}
	}
	if id.Mark.Value&id.Mark.Mask == 0 {
		id.Mark = xfrm.Mark{}
	}
	if del {
		return c.x.DeleteState(ctx, id)
	}
	s, err := c.x.GetState(ctx, id)
	if err != nil {
		return err
	}
	return c.printStates([]xfrm.State{s}, false)
}

// stateList runs ip xfrm state list, or deleteall, which deletes what list
// would show.
func (c *xfrmCommand) stateList(ctx context.Context, args []string, deleteAll bool) error {
	a := &words{list: args, family: uint16(c.opts.family)}
	var filters []xfrm.StateFilter
	var flags xfrm.StateFlags
	var nokeys, idSeen bool
	if a.family != 0 {
		filters = append(filters, xfrm.FilterStateFamily(a.family))
	}
	for a.more() {
		var err error
		switch w := a.take(); w {
		case "nokeys":
			nokeys = true
		case "mode":
			var v string
			var m xfrm.Mode
			if v, err = a.value(); err == nil {
				if m, err = mode(v); err == nil {
					filters = append(filters, xfrm.FilterStateMode(m))
				}
			}
		case "reqid":
			var r uint32
			if r, err = a.u32Arg("REQID value is invalid"); err == nil {
				filters = append(filters, xfrm.FilterStateReqID(r))
			}
		case "flag":
			var f uint32
			f, err = a.flags(w, 0xff, "FLAG value is invalid", stateFlagBits)
			flags |= xfrm.StateFlags(f)
		default:
			if idSeen {
				return invarg("unknown", w)
			}
			idSeen = true
			var id xfrmID
			if id, err = a.id(true); err == nil {
				filters = append(filters, idFilters(id)...)
			}
		}
		if err != nil {
			return err
		}
	}
	filters = append(filters, xfrm.FilterStateFlags(flags))
	if deleteAll {
		_, err := c.x.DeleteAllStates(ctx, filters...)
		return err
	}
	states, err := c.x.States(ctx, filters...)
	if err != nil {
		return err
	}
	return c.printStates(states, nokeys)
}

// idFilters are the filters of an ID given to list.
func idFilters(id xfrmID) []xfrm.StateFilter {
	var f []xfrm.StateFilter
	if id.src.IsValid() {
		f = append(f, xfrm.FilterStateSrc(id.src))
	}
	if id.dst.IsValid() {
		f = append(f, xfrm.FilterStateDst(id.dst))
	}
	if id.proto != 0 {
		f = append(f, xfrm.FilterStateProto(id.proto))
	}
	if id.hasSPI {
		f = append(f, xfrm.FilterStateSPI(id.spi))
	}
	return f
}

// printStates prints states as ip xfrm state show does, or as JSON.
func (c *xfrmCommand) printStates(states []xfrm.State, nokeys bool) error {
	if c.opts.json {
		values := make([]json.Marshaler, len(states))
		for i, s := range states {
			values[i] = s
		}
		return c.printXfrmJSON(values, nokeys)
	}
	for _, s := range states {
		c.printText(s.Text(c.textOptions(nokeys)))
	}
	return nil
}

// stateFlush runs ip xfrm state flush.
func (c *xfrmCommand) stateFlush(ctx context.Context, args []string) error {
	a := &words{list: args}
	var proto xfrm.Proto
	var seen bool
	for a.more() {
		if a.take() != "proto" {
			return invarg("unknown", a.last())
		}
		if seen {
			return duparg("proto", a.last())
		}
		seen = true
		v, err := a.value()
		if err != nil {
			return err
		}
		p, ok := xfrmProtoByName(v)
		if !ok {
			return invarg("XFRM-PROTO value is invalid", v)
		}
		proto = p
	}
	return c.x.FlushStates(ctx, proto)
}
