package rtnl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// savedRoutesWhat names a route dump in errors.
const savedRoutesWhat = "saved routes"

// SaveRoutes writes the routes of a family (unix.AF_INET, unix.AF_INET6,
// unix.AF_MPLS, or unix.AF_UNSPEC for all) and a table ([TableUnspec] for
// every table, ip's `table all`) to w in the format of `ip route save`:
// ip route restore and ip route showdump read what it writes, and
// [Conn.RestoreRoutes] and [ReadSavedRouteMessages] what ip route save
// writes. The messages are the kernel's dump reply, unchanged.
//
// The dump request is ip's: the family, and the table as RTA_TABLE for the
// kernel to filter by; like ip, SaveRoutes leaves out cloned routes and
// routes of other tables the kernel sends. `ip route save` without options
// saves the main table's IPv4 routes: SaveRoutes(ctx, w, unix.AF_INET,
// TableMain). A table that does not exist gives an error matching
// [ErrNotExist], but for the main table, which a namespace without routes
// lacks: then, as with ip, the file holds no routes. An unknown family is
// an [*InvalidError]. A dump the kernel
// reports interrupted gives an error matching [ErrDumpInterrupted], after
// the routes read were written: the file may be inconsistent.
func (c *Conn) SaveRoutes(ctx context.Context, w io.Writer, family uint8, table Table) error {
	switch family {
	case unix.AF_UNSPEC, unix.AF_INET, unix.AF_INET6, unix.AF_MPLS:
	default:
		return errInvalid("route family", fmt.Sprintf("%d: want AF_UNSPEC, AF_INET, AF_INET6 or AF_MPLS", family))
	}
	if err := writeSavedMagic(w, routeSaveMagic); err != nil {
		return fmt.Errorf("rtnl: save routes: %w", err)
	}
	var buf []byte
	for m, err := range c.nl.Dump(ctx, "rtnl: save routes", unix.RTM_GETROUTE, 0, routeSaveRequest(family, table)) {
		if err != nil {
			if table == TableMain && errors.Is(err, unix.ENOENT) {
				return nil // as ip: a namespace without routes has no main table yet
			}
			return err
		}
		if m.Type != unix.RTM_NEWROUTE {
			continue
		}
		keep, err := routeSaveMatch(m.Data, family, table)
		if err != nil {
			return fmt.Errorf("rtnl: save routes: %w", err)
		}
		if !keep {
			continue
		}
		if buf, err = writeSavedMessage(w, buf, m); err != nil {
			return fmt.Errorf("rtnl: save routes: %w", err)
		}
	}
	return nil
}

// SaveRoutes writes the routes of the calling thread's network namespace
// to w; see [Conn.SaveRoutes].
func SaveRoutes(ctx context.Context, w io.Writer, family uint8, table Table) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.SaveRoutes(ctx, w, family, table) })
	return err
}

// routeSaveRequest returns the RTM_GETROUTE dump request of ip route save:
// a struct rtmsg with the family, and RTA_TABLE unless every table is
// wanted.
func routeSaveRequest(family uint8, table Table) []byte {
	var w writer
	w.Reset(make([]byte, unix.SizeofRtMsg, unix.SizeofRtMsg+8))
	w.Bytes()[0] = family
	if table != TableUnspec {
		w.Uint32(unix.RTA_TABLE, uint32(table))
	}
	return w.Bytes()
}

// routeSaveMatch reports whether ip route save keeps the route of a dump
// reply: one of the family, not cloned, and of the table (RTA_TABLE, or
// rtm_table without it).
func routeSaveMatch(b []byte, family uint8, table Table) (bool, error) {
	if len(b) < unix.SizeofRtMsg {
		return false, fmt.Errorf("route message too short: %d bytes", len(b))
	}
	if family != unix.AF_UNSPEC && b[0] != family {
		return false, nil
	}
	if native.Endian.Uint32(b[8:])&unix.RTM_F_CLONED != 0 {
		return false, nil
	}
	t := Table(b[4])
	d := attrs.NewDecoder(b[unix.SizeofRtMsg:])
	for d.Next() {
		if d.Type() == unix.RTA_TABLE {
			t = Table(d.Uint32())
		}
	}
	if err := d.Err(); err != nil {
		return false, err
	}
	return table == TableUnspec || t == table, nil
}

// ReadSavedRoutes streams the routes of a file that `ip route save` or
// [Conn.SaveRoutes] wrote, decoded as [Conn.Routes] decodes them but with
// links named by index only: what `ip route showdump` prints. A file that
// does not start with the magic number of a route dump, a malformed or
// truncated message, or a message other than RTM_NEWROUTE ends the stream
// with an error.
func ReadSavedRoutes(r io.Reader) iter.Seq2[Route, error] {
	return readSavedAs(r, savedRoutesWhat, routeSaveMagic, decodeSavedRoute)
}

// ReadSavedRouteMessages streams the route messages (RTM_NEWROUTE) of a
// file that `ip route save` or [Conn.SaveRoutes] wrote, as they are; see
// [ReadSavedRoutes].
func ReadSavedRouteMessages(r io.Reader) iter.Seq2[SavedMessage, error] {
	return readSavedAs(r, savedRoutesWhat, routeSaveMagic, func(m *SavedMessage) (SavedMessage, error) {
		return *m, checkSavedRoute(m)
	})
}

// decodeSavedRoute decodes the route of a saved message, which must be an
// RTM_NEWROUTE.
func decodeSavedRoute(m *SavedMessage) (Route, error) {
	if m.Type != unix.RTM_NEWROUTE {
		return Route{}, fmt.Errorf("message type %d, want RTM_NEWROUTE (%d)", m.Type, unix.RTM_NEWROUTE)
	}
	return decodeRoute(m.Data)
}

// checkSavedRoute checks that m is a route that decodes.
func checkSavedRoute(m *SavedMessage) error {
	_, err := decodeSavedRoute(m)
	return err
}

// RestoreRoutes adds the routes of a file that `ip route save` or
// [Conn.SaveRoutes] wrote, as `ip route restore` does: each message is
// sent back as it is, with NLM_F_CREATE (and NLM_F_REQUEST and NLM_F_ACK)
// added to its flags, and routes that exist already are skipped. The
// routes go in three rounds, so that a route is added after those it
// depends on: first those without a gateway (RTA_GATEWAY) whose preferred
// source (RTA_PREFSRC) is missing or is their destination, such as the
// local routes of addresses; then the other routes without a gateway, such
// as the routes to connected networks; then the routes with a gateway.
//
// Unlike ip, RestoreRoutes reads the whole file and checks it before it
// adds anything: a bad file ([ReadSavedRouteMessages] lists the errors)
// adds nothing, and r need not be seekable. Links are named by index only,
// as with ip. The first other error from the kernel stops the restore.
func (c *Conn) RestoreRoutes(ctx context.Context, r io.Reader) error {
	msgs, err := readAllSaved(r, savedRoutesWhat, routeSaveMagic, checkSavedRoute)
	if err != nil {
		return err
	}
	for round := range 3 {
		for i := range msgs {
			m := &msgs[i]
			if routeRestoreRound(m.Data) != round {
				continue
			}
			err := c.nl.Execute(ctx, fmt.Sprintf("rtnl: restore route %d of %d", i+1, len(msgs)),
				unix.RTM_NEWROUTE, m.Flags|unix.NLM_F_CREATE, m.Data, nil)
			if err != nil && !errors.Is(err, ErrExist) {
				return err
			}
		}
	}
	return nil
}

// RestoreRoutes adds the routes of a saved file to the calling thread's
// network namespace; see [Conn.RestoreRoutes].
func RestoreRoutes(ctx context.Context, r io.Reader) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.RestoreRoutes(ctx, r) })
	return err
}

// routeRestoreRound returns the round of ip route restore that adds the
// route of a saved message (checked by checkSavedRoute): 0 without a
// gateway and with no preferred source or one equal to the destination, 1
// for the other routes without a gateway, 2 with a gateway.
func routeRestoreRound(b []byte) int {
	var gateway bool
	var dst, prefsrc []byte
	d := attrs.NewDecoder(b[unix.SizeofRtMsg:])
	for d.Next() {
		switch d.Type() {
		case unix.RTA_GATEWAY:
			gateway = true
		case unix.RTA_DST:
			dst = d.Bytes()
		case unix.RTA_PREFSRC:
			prefsrc = d.Bytes()
		}
	}
	switch {
	case gateway:
		return 2
	case prefsrc == nil || dst != nil && bytes.Equal(prefsrc, dst):
		return 0
	}
	return 1
}
