package xfrm

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// Message types, attributes and the size of struct xfrm_aevent_id.
const (
	msgNewAE          = 0x1e // XFRM_MSG_NEWAE
	msgGetAE          = 0x1f // XFRM_MSG_GETAE
	attrLifetimeVal   = 9    // XFRMA_LTIME_VAL
	attrReplayThresh  = 11   // XFRMA_REPLAY_THRESH
	attrETimerThresh  = 12   // XFRMA_ETIMER_THRESH
	sizeAEventID      = 48   // struct xfrm_aevent_id
	sizeLifetimeCur   = 32   // struct xfrm_lifetime_cur
	sizeReplayState   = 12   // struct xfrm_replay_state
	aeventQueryThresh = AEReplayThresh | AETimerThresh
)

// GroupAEvents is the group of async events (XFRMNLGRP_AEVENTS): states'
// replay and lifetime counters, as ip xfrm monitor aevent reports them.
const GroupAEvents Group = 5

// EventAEvent is the type of an async event (XFRM_MSG_NEWAE), whose
// [Event.AEvent] holds the data.
const EventAEvent EventType = msgNewAE

// AEFlags are the flags of an [AEvent] (XFRM_AE_*): what a query asks for
// and why a notification was sent.
type AEFlags uint32

// AEvent flags.
const (
	AEReplayThresh AEFlags = 1  // XFRM_AE_RTHR: the replay threshold is wanted
	AEReplayValue  AEFlags = 2  // XFRM_AE_RVAL: the replay state is wanted
	AELifetimeVal  AEFlags = 4  // XFRM_AE_LVAL: the current lifetime is wanted
	AETimerThresh  AEFlags = 8  // XFRM_AE_ETHR: the timer threshold is wanted
	AEReplayUpdate AEFlags = 16 // XFRM_AE_CR: the replay state moved past the threshold
	AETimerExpired AEFlags = 32 // XFRM_AE_CE: the aevent timer fired
	AEUpdated      AEFlags = 64 // XFRM_AE_CU: a key manager set the values (SetAEvent)
)

// An AEvent is a state's async event data (struct xfrm_aevent_id and its
// attributes, XFRM_MSG_NEWAE): its anti-replay counters, what it has used
// so far and the thresholds at which the kernel notifies key managers of
// them. [Conn.GetAEvent] reads it, [Conn.SetAEvent] writes it (as
// strongSwan does to carry a state's counters over to a new one) and
// [Conn.Monitor] reports it as [EventAEvent] when the kernel sends it.
type AEvent struct {
	// ID names the state: Src, Dst, Proto, SPI and Mark.
	ID StateID
	// ReqID is the state's reqid (read only).
	ReqID uint32
	// Flags say what was asked for or why the event was sent (read only).
	Flags AEFlags
	// IfID is the state's xfrm interface id (read only).
	IfID uint32
	// Replay is the anti-replay state of a state without ESN, ReplayESN
	// that of a state with ESN; the kernel reports one of them. Writing,
	// nil leaves it unchanged; ReplayESN must have the state's bitmap
	// length.
	Replay    *Replay
	ReplayESN *ReplayESN
	// Lifetime is what the state has used so far; writing, nil leaves it
	// unchanged.
	Lifetime *LifetimeCurrent
	// ReplayThresh is the number of packets after which the kernel sends
	// an event with the replay state (XFRMA_REPLAY_THRESH, the sysctl
	// net.xfrm.xfrm_aevent_rseqth by default); nil leaves it unchanged.
	ReplayThresh *uint32
	// TimerThresh is the period of the timer that sends an event with
	// the replay state if it changed (XFRMA_ETIMER_THRESH). The kernel
	// reports it in units of 100 ms (the sysctl net.xfrm.xfrm_aevent_etime
	// by default) but stores what is written as is, in jiffies (HZ per
	// second); nil leaves it unchanged.
	TimerThresh *uint32
}

// GetAEvent returns the async event data of the state id names: its
// replay state, current lifetime and both thresholds (the kernel answers
// XFRM_MSG_GETAE with the flags [AEReplayThresh] and [AETimerThresh]). A
// missing state gives an error matching [ErrNotExist].
func (c *Conn) GetAEvent(ctx context.Context, id StateID) (AEvent, error) {
	var e attrs.Encoder
	if err := id.aeventRequest(&e, aeventQueryThresh); err != nil {
		return AEvent{}, err
	}
	var ae AEvent
	var derr error
	found := false
	err := c.nl.Execute(ctx, "get aevent", msgGetAE, 0, e.Bytes(), func(m nlconn.Message) error {
		if m.Type == msgNewAE {
			ae, derr = decodeAEvent(m.Data)
			found = true
		}
		return nil
	})
	switch {
	case err != nil:
		return AEvent{}, err
	case derr != nil:
		return AEvent{}, derr
	case !found:
		return AEvent{}, errNoReply("get aevent")
	}
	return ae, nil
}

// SetAEvent sets the values of ae that are not nil (Replay, ReplayESN,
// Lifetime, ReplayThresh, TimerThresh) on the state ae.ID names, with
// XFRM_MSG_NEWAE. The kernel then notifies the [GroupAEvents] listeners
// with the flag [AEUpdated]. A missing state gives an error matching
// [ErrNotExist]; a state that is not valid (larval or expired) or a
// ReplayESN of another bitmap length one matching unix.EINVAL.
func (c *Conn) SetAEvent(ctx context.Context, ae AEvent) error {
	if ae.Replay == nil && ae.ReplayESN == nil && ae.Lifetime == nil && ae.ReplayThresh == nil && ae.TimerThresh == nil {
		return errInvalid("aevent", "nothing to set")
	}
	var e attrs.Encoder
	if err := ae.ID.aeventRequest(&e, 0); err != nil {
		return err
	}
	if ae.Replay != nil {
		ae.Replay.put(&e)
	}
	if ae.ReplayESN != nil {
		ae.ReplayESN.put(&e)
	}
	if l := ae.Lifetime; l != nil {
		v := make([]byte, sizeLifetimeCur)
		l.put(v)
		e.Raw(attrLifetimeVal, v)
	}
	if ae.ReplayThresh != nil {
		e.Uint32(attrReplayThresh, *ae.ReplayThresh)
	}
	if ae.TimerThresh != nil {
		e.Uint32(attrETimerThresh, *ae.TimerThresh)
	}
	if err := e.Err(); err != nil {
		return err
	}
	return c.execute(ctx, "set aevent", msgNewAE, unix.NLM_F_REPLACE, e.Bytes())
}

// GetAEvent reads a state's async event data in the calling thread's
// namespace; see [Conn.GetAEvent].
func GetAEvent(ctx context.Context, id StateID) (AEvent, error) {
	return withConn(ctx, func(c *Conn) (AEvent, error) { return c.GetAEvent(ctx, id) })
}

// SetAEvent sets a state's async event data in the calling thread's
// namespace; see [Conn.SetAEvent].
func SetAEvent(ctx context.Context, ae AEvent) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.SetAEvent(ctx, ae) })
	return err
}

// aeventRequest appends struct xfrm_aevent_id with the flags, and
// XFRMA_MARK.
func (id StateID) aeventRequest(e *attrs.Encoder, flags AEFlags) error {
	b := make([]byte, sizeAEventID)
	if err := id.putUserSAID(b); err != nil { // xfrm_aevent_id starts with it
		return err
	}
	putAddr(b[sizeUserSAID:], id.Src)
	native.Endian.PutUint32(b[40:], uint32(flags))
	e.Append(b)
	putMark(e, id.Mark)
	return e.Err()
}

// put appends the replay state as XFRMA_REPLAY_VAL.
func (r *Replay) put(e *attrs.Encoder) {
	v := make([]byte, sizeReplayState)
	native.Endian.PutUint32(v, r.OSeq)
	native.Endian.PutUint32(v[4:], r.Seq)
	native.Endian.PutUint32(v[8:], r.Bitmap)
	e.Raw(attrReplayVal, v)
}

// put appends the ESN replay state as XFRMA_REPLAY_ESN_VAL; a nil bitmap
// is written as zeros for the window.
func (r *ReplayESN) put(e *attrs.Encoder) {
	bmp := r.Bitmap
	if bmp == nil {
		bmp = make([]uint32, (r.ReplayWindow+31)/32)
	}
	v := make([]byte, sizeReplayESN+4*len(bmp))
	for i, u := range []uint32{uint32(len(bmp)), r.OSeq, r.Seq, r.OSeqHi, r.SeqHi, r.ReplayWindow} {
		native.Endian.PutUint32(v[4*i:], u)
	}
	for i, u := range bmp {
		native.Endian.PutUint32(v[sizeReplayESN+4*i:], u)
	}
	e.Raw(attrReplayESNVal, v)
}

// decodeAEvent decodes an XFRM_MSG_NEWAE message.
func decodeAEvent(b []byte) (AEvent, error) {
	if len(b) < sizeAEventID {
		return AEvent{}, errShort("aevent", len(b), sizeAEventID)
	}
	family := native.Endian.Uint16(b[20:])
	ae := AEvent{
		ID: StateID{
			Dst:   getAddr(b, family),
			SPI:   binary.BigEndian.Uint32(b[16:]),
			Proto: Proto(b[22]),
			Src:   getAddr(b[24:], family),
		},
		Flags: AEFlags(native.Endian.Uint32(b[40:])),
		ReqID: native.Endian.Uint32(b[44:]),
	}
	d := attrs.NewDecoder(b[sizeAEventID:])
	for d.Next() {
		var err error
		v := d.Bytes()
		switch d.Type() {
		case attrReplayVal:
			if len(v) < sizeReplayState {
				err = errShort("replay state", len(v), sizeReplayState)
			} else {
				ae.Replay = &Replay{OSeq: native.Endian.Uint32(v), Seq: native.Endian.Uint32(v[4:]), Bitmap: native.Endian.Uint32(v[8:])}
			}
		case attrReplayESNVal:
			ae.ReplayESN, err = getReplayESN(v)
		case attrLifetimeVal:
			if len(v) < sizeLifetimeCur {
				err = errShort("current lifetime", len(v), sizeLifetimeCur)
			} else {
				l := getLifetimeCurrent(v)
				ae.Lifetime = &l
			}
		case attrReplayThresh:
			n := d.Uint32()
			ae.ReplayThresh = &n
		case attrETimerThresh:
			n := d.Uint32()
			ae.TimerThresh = &n
		case attrMark:
			ae.ID.Mark, err = getMark(v)
		case attrIfID:
			ae.IfID = d.Uint32()
		}
		if err != nil {
			return AEvent{}, err
		}
	}
	return ae, d.Err()
}

// Text returns the event as iproute2 6.1's `ip xfrm monitor aevent`
// prints it: "Async event", the flags, then the state's addresses, reqid,
// protocol and SPI.
func (ae *AEvent) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Async event  (0x%x) ", uint32(ae.Flags))
	for _, f := range []struct {
		flag AEFlags
		name string
	}{{AEReplayUpdate, "replay update"}, {AETimerExpired, "timer expired"}, {AEUpdated, "policy updated"}} {
		if ae.Flags&f.flag != 0 {
			fmt.Fprintf(&b, " %s ", f.name)
		}
	}
	family := familyOf(ae.ID.Dst)
	fmt.Fprintf(&b, "\n\tsrc %s dst %s  reqid 0x%x protocol %s  SPI 0x%x\n", addrText(ae.ID.Src, family), addrText(ae.ID.Dst, family),
		ae.ReqID, protoName(uint8(ae.ID.Proto)), ae.ID.SPI)
	return b.String()
}

// MarshalJSON writes the async event data in nlkit's JSON form for xfrm
// (iproute2 has none): the state's id, reqid, the flags as a number, then
// the values present.
func (ae AEvent) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	ae.writeMembers(&w)
	w.Close()
	return w.Bytes(), nil
}

func (ae *AEvent) writeMembers(w *jsonw.Writer) {
	family := familyOf(ae.ID.Dst)
	w.String("src", addrString(ae.ID.Src, family))
	w.String("dst", addrString(ae.ID.Dst, family))
	w.String("family", familyName(family))
	w.String("proto", ae.ID.Proto.String())
	w.String("spi", jsonw.PrintfHex(uint64(ae.ID.SPI)))
	w.Uint("reqid", uint64(ae.ReqID))
	w.String("flags", jsonw.PrintfHex(uint64(ae.Flags)))
	if m := ae.ID.Mark; m != (Mark{}) {
		w.String("mark", jsonw.PrintfHex(uint64(m.Value)))
		w.String("mark_mask", jsonw.PrintfHex(uint64(m.Mask)))
	}
	if ae.IfID != 0 {
		w.Uint("if_id", uint64(ae.IfID))
	}
	if ae.Replay != nil {
		ae.Replay.writeJSON(w)
	}
	if ae.ReplayESN != nil {
		ae.ReplayESN.writeJSON(w)
	}
	if ae.Lifetime != nil {
		ae.Lifetime.writeJSON(w)
	}
	if ae.ReplayThresh != nil {
		w.Uint("replay_thresh", uint64(*ae.ReplayThresh))
	}
	if ae.TimerThresh != nil {
		w.Uint("etimer_thresh", uint64(*ae.TimerThresh))
	}
}

// writeJSON writes the replay state as the "replay" object.
func (r *Replay) writeJSON(w *jsonw.Writer) {
	w.Open("replay")
	w.Uint("seq", uint64(r.Seq))
	w.Uint("oseq", uint64(r.OSeq))
	w.String("bitmap", jsonw.PrintfHex(uint64(r.Bitmap)))
	w.Close()
}

// writeJSON writes the ESN replay state as the "replay_esn" object.
func (r *ReplayESN) writeJSON(w *jsonw.Writer) {
	w.Open("replay_esn")
	w.Uint("seq_hi", uint64(r.SeqHi))
	w.Uint("seq", uint64(r.Seq))
	w.Uint("oseq_hi", uint64(r.OSeqHi))
	w.Uint("oseq", uint64(r.OSeq))
	w.Uint("replay_window", uint64(r.ReplayWindow))
	w.Uint("bmp_len", uint64(len(r.Bitmap)))
	w.OpenArray("bitmap")
	for _, v := range r.Bitmap {
		w.String("", jsonw.PrintfHex(uint64(v)))
	}
	w.CloseArray()
	w.Close()
}
