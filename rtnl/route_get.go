package rtnl

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/addrfamily"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// A RouteQuery is what [Conn.GetRoute] asks the kernel to route, as the
// arguments of `ip route get`.
type RouteQuery struct {
	// To is the destination address (`ip route get ADDR`); required.
	To netip.Addr
	// From is the source address (`from ADDR`), or the zero Addr.
	From netip.Addr
	// InputLinkIndex is the link the packet comes in on (`iif DEV`), or 0:
	// the lookup is then one of a forwarded packet.
	InputLinkIndex int32
	// LinkIndex is the link to send through (`oif DEV`), or that of a VRF
	// device to look up in its table (`vrf NAME`), or 0.
	LinkIndex int32
	// TOS is the type of service (`tos T`).
	TOS uint8
	// Mark is the firewall mark (`mark N`), or 0.
	Mark uint32
	// UID is the user id (`uid N`), nil for the caller's.
	UID *uint32
	// IPProto, SourcePort and DestPort are the IP protocol and ports of
	// the flow (`ipproto P`, `sport N`, `dport N`), or 0.
	IPProto              uint8
	SourcePort, DestPort uint16
	// FibMatch asks for the route that matches in the routing table
	// instead of the route the packet takes (`fibmatch`).
	FibMatch bool
}

// GetRoute returns the kernel's answer to the query, as `ip route get`
// prints it: for IPv4, a cached route (with [RouteCloned] and the
// [RouteCacheFlags] that "cache" shows) whose Table is the table that
// matched; with FibMatch, the matching route itself. The names of the
// links are filled in.
//
// Invalid input (no destination, addresses of mixed families) gives an
// [*InvalidError]; an unreachable destination, the kernel's error (such as
// ENETUNREACH, "Network is unreachable").
func (c *Conn) GetRoute(ctx context.Context, q RouteQuery) (Route, error) {
	req, err := routeGetRequest(&q)
	if err != nil {
		return Route{}, err
	}
	op := fmt.Sprintf("rtnl: get route to %s", q.To)
	var r Route
	found := false
	err = c.nl.Execute(ctx, op, unix.RTM_GETROUTE, 0, req, func(m nlconn.Message) error {
		if m.Type != unix.RTM_NEWROUTE {
			return nil
		}
		var err error
		r, err = decodeRoute(m.Data)
		found = true
		return err
	})
	if err == nil && !found {
		err = fmt.Errorf("%s: the kernel sent no route", op)
	}
	if err != nil {
		return Route{}, err
	}
	return r, c.newRouteResolver(ctx).resolve(&r)
}

// routeGetRequest builds the payload of the RTM_GETROUTE request of a
// query, as ip does for `ip route get TO [from FROM] [uid N] [ipproto P]
// [sport N] [dport N] [iif DEV] [oif DEV] [mark N]`.
func routeGetRequest(q *RouteQuery) ([]byte, error) {
	family := addrfamily.Of(q.To)
	switch {
	case family == unix.AF_UNSPEC:
		return nil, errInvalid("route query", "no destination: set To")
	case q.From.IsValid() && addrfamily.Of(q.From) != family:
		return nil, errInvalid("route query source", fmt.Sprintf("%s is not of the family of %s", q.From, q.To))
	case q.LinkIndex < 0 || q.InputLinkIndex < 0:
		return nil, errInvalid("route query link index", fmt.Sprintf("%d", min(q.LinkIndex, q.InputLinkIndex)))
	}
	var hdr [rtMsgLen]byte
	hdr[0] = family
	hdr[1] = uint8(q.To.BitLen())
	if q.From.IsValid() {
		hdr[2] = uint8(q.From.BitLen())
	}
	hdr[3] = q.TOS
	var flags RouteFlags
	if family == unix.AF_INET {
		flags |= RouteLookupTable // only IPv4 knows it
	}
	if q.FibMatch {
		flags |= RouteFibMatch
	}
	native.Endian.PutUint32(hdr[8:], uint32(flags))
	var w writer
	w.Append(hdr[:])
	w.Addr(unix.RTA_DST, q.To)
	putAddr(&w, unix.RTA_SRC, q.From)
	putUint32(&w, unix.RTA_UID, q.UID)
	if q.IPProto != 0 {
		w.Uint8(unix.RTA_IP_PROTO, q.IPProto)
	}
	if q.SourcePort != 0 {
		w.Port(unix.RTA_SPORT, q.SourcePort)
	}
	if q.DestPort != 0 {
		w.Port(unix.RTA_DPORT, q.DestPort)
	}
	if q.InputLinkIndex != 0 {
		w.Uint32(unix.RTA_IIF, uint32(q.InputLinkIndex))
	}
	if q.LinkIndex != 0 {
		w.Uint32(unix.RTA_OIF, uint32(q.LinkIndex))
	}
	if q.Mark != 0 {
		w.Uint32(unix.RTA_MARK, q.Mark)
	}
	return w.Bytes(), w.Err()
}
