package xfrm

import (
	"context"
	"encoding/binary"
	"net/netip"

	"github.com/josharian/native"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// A StateID names a state: its destination, protocol and SPI, with its
// source and mark, as ip xfrm state get/delete take them.
type StateID struct {
	Src, Dst netip.Addr
	Proto    Proto
	SPI      uint32
	// Mark narrows the match to the state with this mark.
	Mark Mark
}

// ID returns the state's StateID.
func (s *State) ID() StateID {
	return StateID{Src: s.Src, Dst: s.Dst, Proto: s.Proto, SPI: s.SPI, Mark: s.Mark}
}

// AddState adds a state, as ip xfrm state add. It fails with an error
// matching [ErrExist] if the state exists, and with one matching
// [ErrNotSupported] (the kernel says "Requested type not found") when the
// kernel lacks its protocol or an algorithm.
func (c *Conn) AddState(ctx context.Context, s State) error {
	return c.writeState(ctx, "add state", msgNewSA, &s)
}

// UpdateState changes an existing state, as ip xfrm state update.
func (c *Conn) UpdateState(ctx context.Context, s State) error {
	return c.writeState(ctx, "update state", msgUpdSA, &s)
}

func (c *Conn) writeState(ctx context.Context, op string, typ uint16, s *State) error {
	if err := c.stateLinks(ctx, op, s); err != nil {
		return err
	}
	var e attrs.Encoder
	if err := s.request(&e); err != nil {
		return err
	}
	return classify(c.execute(ctx, op, typ, 0, e.Bytes()))
}

// request appends struct xfrm_usersa_info and the state's attributes.
func (s *State) request(e *attrs.Encoder) error {
	family, err := s.validate()
	if err != nil {
		return err
	}
	b := make([]byte, sizeUserSAInfo)
	s.putUserSAInfo(b, family)
	e.Append(b)
	if s.AEAD != nil {
		s.AEAD.put(e, attrAlgAEAD, true, s.AEAD.ICVLen)
	}
	if s.Enc != nil {
		s.Enc.put(e, attrAlgCrypt, false, 0)
	}
	if s.Auth != nil {
		s.Auth.put(e, attrAlgAuth, false, 0)
	}
	if s.AuthTrunc != nil {
		s.AuthTrunc.put(e, attrAlgAuthTrunc, true, s.AuthTrunc.TruncLen)
	}
	if s.Comp != nil {
		s.Comp.put(e, attrAlgComp, false, 0)
	}
	putSecCtx(e, s.SecurityContext)
	if en := s.Encap; en != nil {
		v := make([]byte, sizeEncapTmpl)
		native.Endian.PutUint16(v, uint16(en.Type))
		binary.BigEndian.PutUint16(v[2:], en.SrcPort)
		binary.BigEndian.PutUint16(v[4:], en.DstPort)
		putAddr(v[8:], en.OriginalAddr)
		e.Raw(attrEncap, v)
	}
	if s.CareOf.IsValid() {
		v := make([]byte, 16)
		putAddr(v, s.CareOf)
		e.Raw(attrCoAddr, v)
	}
	putMark(e, s.Mark)
	if s.OutputMark != (Mark{}) {
		e.Uint32(attrSetMark, s.OutputMark.Value)
		mask := s.OutputMark.Mask
		if mask == 0 {
			mask = ^uint32(0)
		}
		e.Uint32(attrSetMarkMask, mask)
	}
	if s.IfID != 0 {
		e.Uint32(attrIfID, s.IfID)
	}
	if s.TFCPad != 0 {
		e.Uint32(attrTFCPad, s.TFCPad)
	}
	if s.ExtraFlags != 0 {
		e.Uint32(attrSAExtraFlags, uint32(s.ExtraFlags))
	}
	if s.Replay != nil {
		s.Replay.put(e)
	}
	if s.ReplayESN != nil {
		s.ReplayESN.put(e)
	}
	if o := s.Offload; o != nil {
		v := make([]byte, 8)
		native.Endian.PutUint32(v, uint32(o.LinkIndex))
		v[4] = o.Flags
		e.Raw(attrOffloadDev, v)
	}
	if s.Dir != SADirNone {
		e.Uint8(attrSADir, uint8(s.Dir))
	}
	if s.PCPUNum != nil {
		e.Uint32(attrSAPCPU, *s.PCPUNum)
	}
	return e.Err()
}

// validate checks the state before it is sent and returns its family.
func (s *State) validate() (uint16, error) {
	family := familyOf(s.Dst)
	if family == 0 {
		return 0, errInvalid("state", "no destination address")
	}
	if s.Src.IsValid() && familyOf(s.Src) != family {
		return 0, errInvalid("state", "source "+s.Src.String()+" and destination "+s.Dst.String()+" are of different families")
	}
	if sf := s.Selector.family(); sf != 0 {
		if err := s.Selector.validate(sf); err != nil {
			return 0, err
		}
	}
	for _, a := range []struct {
		alg  *Algorithm
		kind algKind
	}{{s.Enc, algEnc}, {s.Auth, algAuth}, {s.AuthTrunc, algAuth}, {s.AEAD, algAEAD}, {s.Comp, algComp}} {
		if a.alg == nil {
			continue
		}
		if err := a.alg.validate(a.kind); err != nil {
			return 0, err
		}
	}
	if s.Encap != nil && s.Encap.OriginalAddr.IsValid() && familyOf(s.Encap.OriginalAddr) != family {
		return 0, errInvalid("encapsulation", "original address "+s.Encap.OriginalAddr.String()+" is not of the state's family")
	}
	if s.CareOf.IsValid() && familyOf(s.CareOf) != family {
		return 0, errInvalid("care-of address", s.CareOf.String()+" is not of the state's family")
	}
	if err := validSecCtx(s.SecurityContext); err != nil {
		return 0, err
	}
	return family, nil
}

// putUserSAInfo writes struct xfrm_usersa_info.
func (s *State) putUserSAInfo(b []byte, family uint16) {
	s.Selector.put(b[0:], s.Selector.family())
	putAddr(b[56:], s.Dst)
	binary.BigEndian.PutUint32(b[72:], s.SPI)
	b[76] = uint8(s.Proto)
	putAddr(b[80:], s.Src)
	s.Lifetime.put(b[96:])
	native.Endian.PutUint32(b[204:], s.Seq)
	native.Endian.PutUint32(b[208:], s.ReqID)
	native.Endian.PutUint16(b[212:], family)
	b[214] = uint8(s.Mode)
	b[215] = s.ReplayWindow
	b[216] = uint8(s.Flags)
}

// putMark appends XFRMA_MARK unless m is zero; a zero mask is sent as
// 0xffffffff, as ip does for `mark V` alone.
func putMark(e *attrs.Encoder, m Mark) {
	if m == (Mark{}) {
		return
	}
	if m.Mask == 0 {
		m.Mask = ^uint32(0)
	}
	v := make([]byte, 8)
	m.put(v)
	e.Raw(attrMark, v)
}

// request appends struct xfrm_usersa_id, XFRMA_SRCADDR and XFRMA_MARK.
func (id StateID) request(e *attrs.Encoder) error {
	b := make([]byte, sizeUserSAID)
	if err := id.putUserSAID(b); err != nil {
		return err
	}
	e.Append(b)
	if id.Src.IsValid() {
		v := make([]byte, 16)
		putAddr(v, id.Src)
		e.Raw(attrSrcAddr, v)
	}
	putMark(e, id.Mark)
	return e.Err()
}

// putUserSAID writes struct xfrm_usersa_id (destination, SPI, family and
// protocol) into b, after checking the addresses' families.
func (id StateID) putUserSAID(b []byte) error {
	family := familyOf(id.Dst)
	if family == 0 {
		return errInvalid("state id", "no destination address")
	}
	if id.Src.IsValid() && familyOf(id.Src) != family {
		return errInvalid("state id", "source and destination are of different families")
	}
	putAddr(b, id.Dst)
	binary.BigEndian.PutUint32(b[16:], id.SPI)
	native.Endian.PutUint16(b[20:], family)
	b[22] = uint8(id.Proto)
	return nil
}

// DeleteState deletes the state id names, as ip xfrm state delete. A
// missing state gives an error matching [ErrNotExist].
func (c *Conn) DeleteState(ctx context.Context, id StateID) error {
	var e attrs.Encoder
	if err := id.request(&e); err != nil {
		return err
	}
	return c.execute(ctx, "delete state", msgDelSA, 0, e.Bytes())
}

// GetState returns the state id names, as ip xfrm state get.
func (c *Conn) GetState(ctx context.Context, id StateID) (State, error) {
	var e attrs.Encoder
	if err := id.request(&e); err != nil {
		return State{}, err
	}
	return c.getState(ctx, "get state", msgGetSA, e.Bytes())
}

// getState sends a request answered by one XFRM_MSG_NEWSA.
func (c *Conn) getState(ctx context.Context, op string, typ uint16, req []byte) (State, error) {
	var s State
	var derr error
	found := false
	err := c.nl.Execute(ctx, op, typ, 0, req, func(m nlconn.Message) error {
		if m.Type != msgNewSA {
			return nil
		}
		s, derr = decodeState(m.Data)
		found = true
		return nil
	})
	if err != nil {
		return State{}, err
	}
	if derr != nil {
		return State{}, derr
	}
	if !found {
		return State{}, errNoReply(op)
	}
	return s, c.linkNamer(ctx).nameState(&s)
}

// AllocSPI makes a larval state (an acquire state) with an SPI the kernel
// picks between min and max, as ip xfrm state allocspi, and returns it.
// s gives the state's addresses, protocol, mode, reqid, mark and seq.
func (c *Conn) AllocSPI(ctx context.Context, s State, min, max uint32) (State, error) {
	family, err := s.validate()
	if err != nil {
		return State{}, err
	}
	if min > max {
		return State{}, errInvalid("SPI range", "min is above max")
	}
	if err := c.stateLinks(ctx, "allocate SPI", &s); err != nil {
		return State{}, err
	}
	var e attrs.Encoder
	b := make([]byte, sizeUserSPIInfo)
	s.putUserSAInfo(b, family)
	native.Endian.PutUint32(b[224:], min)
	native.Endian.PutUint32(b[228:], max)
	e.Append(b)
	putMark(&e, s.Mark)
	if s.IfID != 0 {
		e.Uint32(attrIfID, s.IfID)
	}
	if err := e.Err(); err != nil {
		return State{}, err
	}
	return c.getState(ctx, "allocate SPI", msgAllocSPI, e.Bytes())
}

// FlushStates deletes the states of proto, or every state for 0, as ip
// xfrm state flush [proto P] (ProtoAny flushes esp, ah and comp states).
func (c *Conn) FlushStates(ctx context.Context, proto Proto) error {
	return c.execute(ctx, "flush states", msgFlushSA, 0, []byte{uint8(proto), 0, 0, 0})
}

// AddState adds a state in the calling thread's namespace; see
// [Conn.AddState].
func AddState(ctx context.Context, s State) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.AddState(ctx, s) })
	return err
}

// UpdateState updates a state in the calling thread's namespace; see
// [Conn.UpdateState].
func UpdateState(ctx context.Context, s State) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.UpdateState(ctx, s) })
	return err
}

// DeleteState deletes a state in the calling thread's namespace; see
// [Conn.DeleteState].
func DeleteState(ctx context.Context, id StateID) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.DeleteState(ctx, id) })
	return err
}

// GetState gets a state in the calling thread's namespace; see
// [Conn.GetState].
func GetState(ctx context.Context, id StateID) (State, error) {
	return withConn(ctx, func(c *Conn) (State, error) { return c.GetState(ctx, id) })
}

// AllocSPI allocates an SPI in the calling thread's namespace; see
// [Conn.AllocSPI].
func AllocSPI(ctx context.Context, s State, min, max uint32) (State, error) {
	return withConn(ctx, func(c *Conn) (State, error) { return c.AllocSPI(ctx, s, min, max) })
}

// FlushStates flushes states in the calling thread's namespace; see
// [Conn.FlushStates].
func FlushStates(ctx context.Context, proto Proto) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.FlushStates(ctx, proto) })
	return err
}
