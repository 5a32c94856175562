package rtnl

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// EventKind says what an [Event] reports.
type EventKind uint8

// The kinds of events.
const (
	// EventNew reports an object added or changed (RTM_NEW*).
	EventNew EventKind = iota + 1
	// EventDelete reports an object removed (RTM_DEL*).
	EventDelete
	// EventMiss reports the kernel asking user space to resolve a
	// neighbour (RTM_GETNEIGH; `miss` in `ip monitor`).
	EventMiss
	// EventResync, from [Watch], reports that notifications were lost: the
	// events up to the next EventSynced are the difference between what the
	// watch had reported and the tables dumped again.
	EventResync
	// EventSynced, from [Watch], ends the initial snapshot and each
	// resynchronisation: the tables dumped are, with the events so far, an
	// exact copy of what the dump read. A resynchronisation may dump some
	// tables only (the routes, when the kernel changed some silently): the
	// others are brought up to the same moment by the events that follow.
	EventSynced
)

// String returns the kind's name.
func (k EventKind) String() string {
	switch k {
	case EventNew:
		return "new"
	case EventDelete:
		return "delete"
	case EventMiss:
		return "miss"
	case EventResync:
		return "resync"
	case EventSynced:
		return "synced"
	}
	return fmt.Sprintf("EventKind(%d)", uint8(k))
}

// An Event is one notification: what happened (Kind) to which object,
// the one field of the object pointers that is not nil. The objects are
// those the lists return, except that the names of the links they refer to
// (LinkName and the like) are not filled in: events carry link indexes.
// EventResync and EventSynced carry no object.
type Event struct {
	Kind EventKind
	// NSID is the id of the namespace the event comes from, with
	// [WithAllNSID], or -1 for the connection's own namespace.
	NSID int32

	Link     *Link
	Address  *Address
	Route    *Route // IPv4, IPv6 and MPLS routes
	Neighbor *Neighbor
	FDB      *FDBEntry // neighbour notifications of family AF_BRIDGE
	Rule     *Rule
	Nexthop  *Nexthop
	NetConf  *NetConf
	NetNSID  *NetNSID
	Prefix   *Prefix
}

// kindOf returns the kind of event a message of the given type reports:
// new for the RTM_NEW* types, delete for the RTM_DEL* ones (which follow
// them), miss for RTM_GETNEIGH.
func kindOf(typ uint16) EventKind {
	switch {
	case typ == unix.RTM_GETNEIGH:
		return EventMiss
	case (typ-unix.RTM_BASE)%4 == 1:
		return EventDelete
	}
	return EventNew
}

// decodeEvent decodes a notification. It returns false for a message of a
// type that Event does not cover.
func decodeEvent(m nlconn.Message) (Event, bool, error) {
	ev := Event{Kind: kindOf(m.Type), NSID: nlconn.NoNSID}
	var err error
	switch m.Type {
	case unix.RTM_NEWLINK, unix.RTM_DELLINK:
		var l Link
		l, err = decodeLink(m.Data)
		ev.Link = &l
	case unix.RTM_NEWADDR, unix.RTM_DELADDR:
		var a Address
		a, err = decodeAddress(m.Data)
		ev.Address = &a
	case unix.RTM_NEWROUTE, unix.RTM_DELROUTE:
		var r Route
		r, err = decodeRoute(m.Data)
		ev.Route = &r
	case unix.RTM_NEWNEIGH, unix.RTM_DELNEIGH, unix.RTM_GETNEIGH:
		if len(m.Data) > 0 && m.Data[0] == unix.AF_BRIDGE {
			var f FDBEntry
			f, err = decodeFDBEntry(m.Data)
			ev.FDB = &f
			break
		}
		var n Neighbor
		n, err = decodeNeighbor(m.Data)
		ev.Neighbor = &n
	case unix.RTM_NEWRULE, unix.RTM_DELRULE:
		var r Rule
		r, err = decodeRule(m.Data)
		ev.Rule = &r
	case unix.RTM_NEWNEXTHOP, unix.RTM_DELNEXTHOP:
		var n Nexthop
		n, err = decodeNexthop(m.Data)
		ev.Nexthop = &n
	case unix.RTM_NEWNETCONF, unix.RTM_DELNETCONF:
		var n NetConf
		n, err = decodeNetConf(m.Data)
		ev.NetConf = &n
	case unix.RTM_NEWNSID, unix.RTM_DELNSID:
		var n NetNSID
		n, err = decodeNetNSID(m.Data)
		ev.NetNSID = &n
	case unix.RTM_NEWPREFIX:
		var p Prefix
		p, err = decodePrefix(m.Data)
		ev.Prefix = &p
	default:
		return Event{}, false, nil
	}
	if err != nil {
		return Event{}, false, fmt.Errorf("decode message of type %d: %w", m.Type, err)
	}
	return ev, true, nil
}
