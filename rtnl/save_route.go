package rtnl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// savedRoutesWhat names a route dump in errors.
const savedRoutesWhat = "saved routes"

// SaveRoutes writes the routes that pass the filters to w in the format
// of `ip route save`: ip route restore and ip route showdump read what it
// writes, and [Conn.RestoreRoutes] and [ReadSavedRouteMessages] what ip
// route save writes. The messages are the kernel's dump reply, unchanged.
//
// The filters are those of [Conn.Routes], and select as ip route save's
// selectors do: without any, the main table's IPv4 routes (`ip route
// save`); [FilterRouteTable] with [TableUnspec] and no family filter,
// every route (`ip route save table all`). Like ip, SaveRoutes leaves out
// cloned routes unless [FilterRouteCloned] asks for them. The dump request
// is the one [Conn.Routes] sends.
//
// A table that does not exist gives an error matching [ErrNotExist] ("FIB
// table does not exist"), as ip reports it, but for the main table, which
// a namespace without routes lacks: then, as with ip, the file holds no
// routes. An invalid filter is an [*InvalidError]. A dump the kernel
// reports interrupted gives an error matching [ErrDumpInterrupted], after
// the routes read were written: the file may be inconsistent.
func (c *Conn) SaveRoutes(ctx context.Context, w io.Writer, filters ...RouteFilter) error {
	f, err := newRouteFilter(filters)
	if err != nil {
		return err
	}
	if err := writeSavedMagic(w, routeSaveMagic); err != nil {
		return fmt.Errorf("rtnl: save routes: %w", err)
	}
	var buf []byte
	for m, err := range c.nl.Dump(ctx, "rtnl: save routes", unix.RTM_GETROUTE, 0, f.dumpRequest()) {
		if err != nil {
			if f.table == TableMain && errors.Is(err, unix.ENOENT) {
				return nil // as ip: a namespace without routes has no main table yet
			}
			return err
		}
		if m.Type != unix.RTM_NEWROUTE {
			continue
		}
		r, err := decodeRoute(m.Data)
		if err != nil {
			return fmt.Errorf("rtnl: save routes: %w", err)
		}
		if !f.match(&r) {
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
func SaveRoutes(ctx context.Context, w io.Writer, filters ...RouteFilter) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.SaveRoutes(ctx, w, filters...) })
	return err
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
		_, err := decodeSavedRoute(m)
		return *m, err
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
	msgs, err := readAllSaved(r, savedRoutesWhat, routeSaveMagic, checkSaved(decodeSavedRoute))
	if err != nil {
		return err
	}
	for round := range 3 {
		for i := range msgs {
			if routeRestoreRound(msgs[i].Data) != round {
				continue
			}
			if err := c.restoreSaved(ctx, msgs, i, unix.RTM_NEWROUTE, "route"); err != nil {
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
// route of a saved message (checked by checkSaved(decodeSavedRoute)): 0 without a
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
