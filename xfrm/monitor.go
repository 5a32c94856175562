package xfrm

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"net/netip"

	"github.com/josharian/native"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// A Group is an xfrm multicast group (XFRMNLGRP_*), what [Conn.Monitor]
// listens to.
type Group uint32

// Groups.
const (
	GroupAcquire Group = 1 // acquires: a policy needs a state
	GroupExpire  Group = 2 // soft and hard expires of states and policies
	GroupSA      Group = 3 // new, updated and deleted states; state flushes
	GroupPolicy  Group = 4 // new, updated and deleted policies; policy flushes
	GroupReport  Group = 6 // reports
	GroupMapping Group = 8 // NAT-T mapping changes
)

// An EventType says what an [Event] reports.
type EventType uint16

// Event types: the xfrm message types of the notifications.
const (
	EventNewState     EventType = msgNewSA
	EventDelState     EventType = msgDelSA
	EventUpdState     EventType = msgUpdSA
	EventNewPolicy    EventType = msgNewPolicy
	EventDelPolicy    EventType = msgDelPolicy
	EventUpdPolicy    EventType = msgUpdPolicy
	EventAcquire      EventType = msgAcquire
	EventExpire       EventType = msgExpire
	EventPolicyExpire EventType = msgPolExpire
	EventFlushStates  EventType = msgFlushSA
	EventFlushPolicy  EventType = msgFlushPolicy
	EventReport       EventType = msgReport
	EventMapping      EventType = msgMapping
)

// String names the event as ip xfrm monitor does.
func (t EventType) String() string {
	switch t {
	case EventNewState:
		return "newsa"
	case EventDelState:
		return "delsa"
	case EventUpdState:
		return "updsa"
	case EventNewPolicy:
		return "newpolicy"
	case EventDelPolicy:
		return "delpolicy"
	case EventUpdPolicy:
		return "updpolicy"
	case EventAcquire:
		return "acquire"
	case EventExpire:
		return "expire"
	case EventPolicyExpire:
		return "polexpire"
	case EventFlushStates:
		return "flushsa"
	case EventFlushPolicy:
		return "flushpolicy"
	case EventReport:
		return "report"
	case EventMapping:
		return "mapping"
	case EventAEvent:
		return "aevent"
	}
	return itoa(uint64(t))
}

// An Event is one notification of ip xfrm monitor, decoded.
type Event struct {
	Type EventType
	// State is the state of a state event or an expire.
	State *State
	// Policy is the policy of a policy event or a policy expire.
	Policy *Policy
	// Hard tells a hard expire (the state or policy is gone) from a soft
	// one.
	Hard bool
	// Acquire is the acquire of EventAcquire.
	Acquire *Acquire
	// FlushProto is the protocol of EventFlushStates (0 for all).
	FlushProto Proto
	// FlushType is the policy type of EventFlushPolicy.
	FlushType PolicyType
	// Report is the report of EventReport.
	Report *Report
	// Mapping is the NAT-T mapping change of EventMapping.
	Mapping *Mapping
	// AEvent is the async event data of EventAEvent.
	AEvent *AEvent
}

// An Acquire asks a key manager for a state (struct xfrm_user_acquire).
type Acquire struct {
	// Dst, SPI and Proto are the wanted state's id; Src its source.
	Dst, Src netip.Addr
	SPI      uint32
	Proto    Proto
	// Selector is the traffic that needs the state.
	Selector Selector
	// Policy is the policy that asked, with its templates.
	Policy Policy
	// AuthAlgos, EncAlgos and CompAlgos are the allowed algorithms' masks.
	AuthAlgos, EncAlgos, CompAlgos uint32
	// Seq is the acquire's sequence number, to give the answering state.
	Seq uint32
}

// A Report is an xfrm report (struct xfrm_user_report).
type Report struct {
	Proto    Proto
	Selector Selector
	// CareOf is the care-of address, if any.
	CareOf netip.Addr
}

// A Mapping is a NAT-T mapping change (struct xfrm_user_mapping): the
// peer's address or port behind the NAT changed.
type Mapping struct {
	// Dst, SPI and Proto name the state.
	Dst      netip.Addr
	SPI      uint32
	Proto    Proto
	ReqID    uint32
	OldSrc   netip.Addr
	NewSrc   netip.Addr
	OldSport uint16
	NewSport uint16
}

// allGroups are the groups Monitor joins when given none.
func allGroups() []uint32 {
	return []uint32{uint32(GroupAcquire), uint32(GroupExpire), uint32(GroupSA), uint32(GroupPolicy),
		uint32(GroupAEvents), uint32(GroupReport), uint32(GroupMapping)}
}

// Monitor streams the xfrm events of the connection's namespace, as ip
// xfrm monitor, from the groups given (all of them when none are), until
// ctx is done or the consumer stops. Notifications lost because the reader
// was slow give an error matching unix.ENOBUFS, after which the stream goes
// on; any other error ends it.
func (c *Conn) Monitor(ctx context.Context, groups ...Group) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		cfg := nlconn.SubscribeConfig{Groups: allGroups()}
		if len(groups) > 0 {
			cfg.Groups = nil
			for _, g := range groups {
				cfg.Groups = append(cfg.Groups, uint32(g))
			}
		}
		sub, err := c.nl.Subscribe(ctx, cfg)
		if err != nil {
			yield(Event{}, fmt.Errorf("xfrm monitor: %w", err))
			return
		}
		defer sub.Close()
		for n, err := range sub.Notifications(ctx) {
			if err != nil {
				if !yield(Event{}, fmt.Errorf("xfrm monitor: %w", err)) {
					return
				}
				if errors.Is(err, nlconn.ErrOverrun) {
					continue
				}
				return
			}
			ev, ok, err := decodeEvent(n.Message)
			if err == nil && ok {
				err = c.linkNamer(ctx).nameEvent(&ev)
			}
			if err != nil {
				yield(Event{}, fmt.Errorf("xfrm monitor: %s: %w", EventType(n.Type), err))
				return
			}
			if ok && !yield(ev, nil) {
				return
			}
		}
	}
}

// Monitor streams the xfrm events of the calling thread's namespace; see
// [Conn.Monitor].
func Monitor(ctx context.Context, groups ...Group) iter.Seq2[Event, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[Event, error] { return c.Monitor(ctx, groups...) })
}

// decodeEvent decodes a notification; ok is false for a message type
// that is not an event.
func decodeEvent(m nlconn.Message) (Event, bool, error) {
	ev := Event{Type: EventType(m.Type)}
	b := m.Data
	var err error
	switch ev.Type {
	case EventNewState, EventUpdState:
		var s State
		s, err = decodeState(b)
		ev.State = &s
	case EventDelState:
		ev.State, err = decodeWrapped(b, sizeUserSAID, attrSA, sizeUserSAInfo, func(info []byte, rest []byte) (*State, error) {
			s := getUserSAInfo(info)
			return &s, s.decodeAttrs(rest)
		})
	case EventNewPolicy, EventUpdPolicy:
		var p Policy
		p, err = decodePolicy(b)
		ev.Policy = &p
	case EventDelPolicy:
		ev.Policy, err = decodeWrapped(b, sizePolicyID, attrPolicy, sizePolicyInfo, func(info []byte, rest []byte) (*Policy, error) {
			p := getPolicyInfo(info)
			return &p, p.decodeAttrs(rest)
		})
	case EventExpire:
		if len(b) < sizeUserExpire {
			return ev, false, errShort("expire", len(b), sizeUserExpire)
		}
		s := getUserSAInfo(b)
		ev.Hard = b[sizeUserSAInfo] != 0
		err = s.decodeAttrs(b[sizeUserExpire:])
		ev.State = &s
	case EventPolicyExpire:
		if len(b) < sizePolExpire {
			return ev, false, errShort("policy expire", len(b), sizePolExpire)
		}
		p := getPolicyInfo(b)
		ev.Hard = b[sizePolicyInfo] != 0
		err = p.decodeAttrs(b[sizePolExpire:])
		ev.Policy = &p
	case EventAcquire:
		ev.Acquire, err = decodeAcquire(b)
	case EventFlushStates:
		if len(b) < 1 {
			return ev, false, errShort("state flush", 0, 1)
		}
		ev.FlushProto = Proto(b[0])
	case EventFlushPolicy:
		var p Policy
		err = p.decodeAttrs(b)
		ev.FlushType = p.Type
	case EventReport:
		ev.Report, err = decodeReport(b)
	case EventMapping:
		ev.Mapping, err = decodeMapping(b)
	case EventAEvent:
		var ae AEvent
		ae, err = decodeAEvent(b)
		ev.AEvent = &ae
	default:
		return ev, false, nil
	}
	return ev, err == nil, err
}

// Attributes that wrap a whole state or policy in delete notifications.
const (
	attrSA     = 6 // XFRMA_SA
	attrPolicy = 7 // XFRMA_POLICY
)

// decodeWrapped decodes a delete notification: an id structure of idLen
// bytes, then attributes among which typ holds the object's info structure
// of infoLen bytes.
func decodeWrapped[T any](b []byte, idLen int, typ uint16, infoLen int, decode func(info, rest []byte) (*T, error)) (*T, error) {
	if len(b) < idLen {
		return nil, errShort("delete notification", len(b), idLen)
	}
	rest := b[idLen:]
	d := attrs.NewDecoder(rest)
	for d.Next() {
		if d.Type() != typ {
			continue
		}
		if d.Len() < infoLen {
			return nil, errShort("delete notification", d.Len(), infoLen)
		}
		return decode(d.Bytes(), rest)
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("xfrm: delete notification without the deleted object")
}

func decodeAcquire(b []byte) (*Acquire, error) {
	if len(b) < sizeUserAcquire {
		return nil, errShort("acquire", len(b), sizeUserAcquire)
	}
	pol := getPolicyInfo(b[96:])
	family := pol.Selector.Family
	sel := getSelector(b[40:])
	if sel.Family != 0 {
		family = sel.Family
	}
	a := &Acquire{
		Dst:       getAddr(b[0:], family),
		SPI:       binary.BigEndian.Uint32(b[16:]),
		Proto:     Proto(b[20]),
		Src:       getAddr(b[24:], family),
		Selector:  sel,
		AuthAlgos: native.Endian.Uint32(b[264:]),
		EncAlgos:  native.Endian.Uint32(b[268:]),
		CompAlgos: native.Endian.Uint32(b[272:]),
		Seq:       native.Endian.Uint32(b[276:]),
	}
	if err := pol.decodeAttrs(b[sizeUserAcquire:]); err != nil {
		return nil, err
	}
	a.Policy = pol
	return a, nil
}

func decodeReport(b []byte) (*Report, error) {
	if len(b) < sizeUserReport {
		return nil, errShort("report", len(b), sizeUserReport)
	}
	r := &Report{Proto: Proto(b[0]), Selector: getSelector(b[4:])}
	d := attrs.NewDecoder(b[sizeUserReport:])
	for d.Next() {
		if d.Type() == attrCoAddr && d.Len() >= 16 {
			r.CareOf = getAddr(d.Bytes(), r.Selector.Family)
		}
	}
	return r, d.Err()
}

func decodeMapping(b []byte) (*Mapping, error) {
	if len(b) < sizeUserMapping {
		return nil, errShort("mapping", len(b), sizeUserMapping)
	}
	family := native.Endian.Uint16(b[20:])
	return &Mapping{
		Dst:      getAddr(b[0:], family),
		SPI:      binary.BigEndian.Uint32(b[16:]),
		Proto:    Proto(b[22]),
		ReqID:    native.Endian.Uint32(b[24:]),
		OldSrc:   getAddr(b[28:], family),
		NewSrc:   getAddr(b[44:], family),
		OldSport: binary.BigEndian.Uint16(b[60:]),
		NewSport: binary.BigEndian.Uint16(b[62:]),
	}, nil
}

// MarshalJSON writes the event: the state's or policy's members (see
// [State.MarshalJSON] and [Policy.MarshalJSON]) after "event" (its type)
// and, as ip xfrm monitor's prefixes say, "deleted", "updated" or
// "expired" (with "hard") true.
func (e Event) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.String("event", e.Type.String())
	switch e.Type {
	case EventDelState, EventDelPolicy:
		w.Bool("deleted", true)
	case EventUpdState, EventUpdPolicy:
		w.Bool("updated", true)
	case EventExpire, EventPolicyExpire:
		w.Bool("expired", true)
		w.Bool("hard", e.Hard)
	}
	switch {
	case e.State != nil:
		e.State.writeMembers(&w)
	case e.Policy != nil:
		e.Policy.writeMembers(&w)
	case e.Acquire != nil:
		a := e.Acquire
		w.String("proto", a.Proto.String())
		w.String("src", addrString(a.Src, a.Selector.Family))
		w.String("dst", addrString(a.Dst, a.Selector.Family))
		w.String("spi", jsonw.PrintfHex(uint64(a.SPI)))
		w.Open("sel")
		a.Selector.writeJSON(&w)
		w.Close()
		w.Open("policy")
		a.Policy.writeMembers(&w)
		w.Close()
		w.Uint("seq", uint64(a.Seq))
	case e.Type == EventFlushStates:
		w.String("proto", e.FlushProto.String())
	case e.Type == EventFlushPolicy:
		w.String("ptype", e.FlushType.String())
	case e.Report != nil:
		w.String("proto", e.Report.Proto.String())
		w.Open("sel")
		e.Report.Selector.writeJSON(&w)
		w.Close()
		if e.Report.CareOf.IsValid() {
			w.String("coa", e.Report.CareOf.String())
		}
	case e.Mapping != nil:
		m := e.Mapping
		w.String("dst", m.Dst.String())
		w.String("proto", m.Proto.String())
		w.String("spi", jsonw.PrintfHex(uint64(m.SPI)))
		w.Uint("reqid", uint64(m.ReqID))
		w.String("old_src", m.OldSrc.String())
		w.Uint("old_sport", uint64(m.OldSport))
		w.String("new_src", m.NewSrc.String())
		w.Uint("new_sport", uint64(m.NewSport))
	case e.AEvent != nil:
		e.AEvent.writeMembers(&w)
	}
	w.Close()
	return w.Bytes(), nil
}
