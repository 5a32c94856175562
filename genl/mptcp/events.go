package mptcp

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/netip"
	"strings"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
)

// eventsGroup is the multicast group of the path manager's events
// (MPTCP_PM_EV_GRP_NAME).
const eventsGroup = "mptcp_pm_events"

// An EventType is the kind of an MPTCP event (enum mptcp_event_type).
type EventType uint8

// The events iproute2 6.1 names.
const (
	EventCreated        EventType = 1
	EventEstablished    EventType = 2
	EventClosed         EventType = 3
	EventAnnounced      EventType = 6
	EventRemoved        EventType = 7
	EventSubEstablished EventType = 10
	EventSubClosed      EventType = 11
	EventSubPriority    EventType = 13
)

// String returns the name `ip mptcp monitor` prints, such as "CREATED" or
// "SF_ESTABLISHED", or "" for an event it does not name.
func (t EventType) String() string {
	switch t {
	case EventCreated:
		return "CREATED"
	case EventEstablished:
		return "ESTABLISHED"
	case EventClosed:
		return "CLOSED"
	case EventAnnounced:
		return "ANNOUNCED"
	case EventRemoved:
		return "REMOVED"
	case EventSubEstablished:
		return "SF_ESTABLISHED"
	case EventSubClosed:
		return "SF_CLOSED"
	case EventSubPriority:
		return "SF_PRIO"
	}
	return ""
}

// Event attributes (MPTCP_ATTR_*).
const (
	evAttrToken       = 1
	evAttrLocID       = 3
	evAttrRemID       = 4
	evAttrSaddr4      = 5
	evAttrSaddr6      = 6
	evAttrDaddr4      = 7
	evAttrDaddr6      = 8
	evAttrSport       = 9
	evAttrDport       = 10
	evAttrBackup      = 11
	evAttrError       = 12
	evAttrFlags       = 13
	evAttrTimeout     = 14
	evAttrIfIdx       = 15
	evAttrResetReason = 16
	evAttrResetFlags  = 17
)

// An Event is an event of an MPTCP connection, as a line of `ip mptcp
// monitor` reports it. The optional values are nil when the kernel did not
// send them.
type Event struct {
	// Type is the kind of event.
	Type EventType
	// Token identifies the MPTCP connection.
	Token uint32
	// RemoteID and LocalID are the address IDs of the peer's and of the
	// local endpoint.
	RemoteID *uint8
	LocalID  *uint8
	// Src and Dst are the subflow's or announced addresses; SrcPort and
	// DstPort their ports.
	Src     netip.Addr
	Dst     netip.Addr
	SrcPort *uint16
	DstPort *uint16
	// Backup, Error, Flags, Timeout, LinkIndex, ResetReason and ResetFlags
	// are the event's other details.
	Backup      *uint8
	Error       *uint8
	Flags       *uint16
	Timeout     *uint32
	LinkIndex   *int32
	ResetReason *uint32
	ResetFlags  *uint32
}

// String formats the event as `ip mptcp monitor` (iproute2 6.1) prints
// its line, without the newline.
func (e Event) String() string {
	var b strings.Builder
	name := e.Type.String()
	if name == "" {
		return fmt.Sprintf("[UNKNOWN %d]", e.Type)
	}
	fmt.Fprintf(&b, "[%14s] token=%08x", name, e.Token)
	if e.RemoteID != nil {
		fmt.Fprintf(&b, " remid=%d", *e.RemoteID)
	}
	if e.LocalID != nil {
		fmt.Fprintf(&b, " locid=%d", *e.LocalID)
	}
	for _, a := range []struct {
		key  string
		addr netip.Addr
		want bool
	}{{"saddr4", e.Src, true}, {"daddr4", e.Dst, true}, {"saddr6", e.Src, false}, {"daddr6", e.Dst, false}} {
		if a.addr.IsValid() && a.addr.Is4() == a.want {
			fmt.Fprintf(&b, " %s=%s", a.key, a.addr)
		}
	}
	if e.SrcPort != nil {
		fmt.Fprintf(&b, " sport=%d", *e.SrcPort)
	}
	if e.DstPort != nil {
		fmt.Fprintf(&b, " dport=%d", *e.DstPort)
	}
	if e.Backup != nil {
		fmt.Fprintf(&b, " backup=%d", *e.Backup)
	}
	if e.Error != nil {
		fmt.Fprintf(&b, " error=%d", *e.Error)
	}
	if e.Flags != nil {
		fmt.Fprintf(&b, " flags=%x", *e.Flags)
	}
	if e.Timeout != nil {
		fmt.Fprintf(&b, " timeout=%d", *e.Timeout)
	}
	if e.LinkIndex != nil {
		fmt.Fprintf(&b, " ifindex=%d", *e.LinkIndex)
	}
	if e.ResetReason != nil {
		fmt.Fprintf(&b, " reset_reason=%d", *e.ResetReason)
	}
	if e.ResetFlags != nil {
		fmt.Fprintf(&b, " reset_flags=%#x", *e.ResetFlags)
	}
	return b.String()
}

// decodeEvent decodes an event message.
func decodeEvent(m genl.Message) (Event, error) {
	e := Event{Type: EventType(m.Command)}
	u8 := func(d *attrs.Decoder) *uint8 { v := d.Uint8(); return &v }
	u32 := func(d *attrs.Decoder) *uint32 { v := d.Uint32(); return &v }
	port := func(d *attrs.Decoder) *uint16 { v := d.Port(); return &v }
	d := attrs.NewDecoder(m.Data)
	for d.Next() {
		switch d.Type() {
		case evAttrToken:
			e.Token = d.Uint32()
		case evAttrRemID:
			e.RemoteID = u8(&d)
		case evAttrLocID:
			e.LocalID = u8(&d)
		case evAttrSaddr4, evAttrSaddr6:
			e.Src = d.Addr()
		case evAttrDaddr4, evAttrDaddr6:
			e.Dst = d.Addr()
		case evAttrSport:
			e.SrcPort = port(&d)
		case evAttrDport:
			e.DstPort = port(&d)
		case evAttrBackup:
			e.Backup = u8(&d)
		case evAttrError:
			e.Error = u8(&d)
		case evAttrFlags:
			v := d.Uint16()
			e.Flags = &v
		case evAttrTimeout:
			e.Timeout = u32(&d)
		case evAttrIfIdx:
			v := d.Int32()
			e.LinkIndex = &v
		case evAttrResetReason:
			e.ResetReason = u32(&d)
		case evAttrResetFlags:
			e.ResetFlags = u32(&d)
		}
	}
	if err := d.Err(); err != nil {
		return e, fmt.Errorf("mptcp event: %w", err)
	}
	return e, nil
}

// An EventSubscription receives the path manager's events.
type EventSubscription struct {
	sub *genl.Subscription
}

// SubscribeEvents joins the path manager's event group in the Conn's
// namespace, as `ip mptcp monitor` does. Events are received from the
// moment it returns.
func SubscribeEvents(ctx context.Context, c *genl.Conn) (*EventSubscription, error) {
	sub, err := c.JoinGroups(ctx, familyName, eventsGroup)
	if err != nil {
		return nil, err
	}
	return &EventSubscription{sub: sub}, nil
}

// Close ends the subscription.
func (s *EventSubscription) Close() error { return s.sub.Close() }

// Events yields the events as they arrive, until ctx is done or the
// consumer stops. Lost events give an error matching [genl.ErrOverrun],
// after which it goes on; any other error is the last thing it yields.
func (s *EventSubscription) Events(ctx context.Context) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		for m, err := range s.sub.Messages(ctx) {
			var e Event
			if err == nil {
				e, err = decodeEvent(m)
			}
			if !yield(e, err) || err != nil && !errors.Is(err, genl.ErrOverrun) {
				return
			}
		}
	}
}
