package rtnl

import (
	"context"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// AddAltNames gives the link with the given index alternative names, as
// `ip link property add dev DEV altname NAME…` does. A link can be found
// by any of its names (see [Conn.LinkByName]); [Link.AltNames] lists them.
// A name already in use gives an error matching [ErrExist].
func (c *Conn) AddAltNames(ctx context.Context, index int32, names ...string) error {
	return c.changeAltNames(ctx, "add", unix.RTM_NEWLINKPROP,
		unix.NLM_F_CREATE|unix.NLM_F_EXCL|unix.NLM_F_APPEND, index, names)
}

// DeleteAltNames removes alternative names from the link with the given
// index, as `ip link property del dev DEV altname NAME…` does.
func (c *Conn) DeleteAltNames(ctx context.Context, index int32, names ...string) error {
	return c.changeAltNames(ctx, "delete", unix.RTM_DELLINKPROP, 0, index, names)
}

func (c *Conn) changeAltNames(ctx context.Context, verb string, typ, flags uint16, index int32, names []string) error {
	var w writer
	if err := w.altNames(index, names); err != nil {
		return err
	}
	op := fmt.Sprintf("rtnl: %s altnames of link %d", verb, index)
	return c.nl.Execute(ctx, op, typ, flags, w.Bytes(), nil)
}

// altNames builds the payload of an RTM_NEWLINKPROP or RTM_DELLINKPROP
// request: the ifinfomsg and IFLA_PROP_LIST with the names.
func (w *writer) altNames(index int32, names []string) error {
	if index <= 0 {
		return errInvalid("link index", fmt.Sprintf("%d", index))
	}
	if len(names) == 0 {
		return errInvalid("alternative names", "none given")
	}
	for _, name := range names {
		if err := ValidateAltName(name); err != nil {
			return err
		}
	}
	putIfInfoMsg(w, unix.AF_UNSPEC, index, 0, 0)
	n := w.Nest(unix.IFLA_PROP_LIST | attrs.Nested)
	for _, name := range names {
		w.String(unix.IFLA_ALT_IFNAME, name)
	}
	w.End(n)
	return w.Err()
}
