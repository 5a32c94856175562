package mptcp

import (
	"context"
	"fmt"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// Limits are the path manager's limits on each MPTCP connection: what `ip
// mptcp limits show` prints. In [SetLimits], a nil field is left as it is.
type Limits struct {
	// AddAddrAccepted is how many addresses announced by the peer are
	// used (add_addr_accepted).
	AddAddrAccepted *uint32
	// Subflows is how many additional subflows a connection may have.
	Subflows *uint32
}

// MarshalJSON encodes the limits as an object with the names and order of
// `ip mptcp limits show`'s text: "add_addr_accepted" and "subflows".
// iproute2 6.1 prints the limits as text even under -j, so this JSON is
// nlkit's own: no ip output to compare it with.
func (l Limits) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	if l.AddAddrAccepted != nil {
		w.Uint("add_addr_accepted", uint64(*l.AddAddrAccepted))
	}
	if l.Subflows != nil {
		w.Uint("subflows", uint64(*l.Subflows))
	}
	w.Close()
	return w.Bytes(), nil
}

// GetLimits returns the path manager's limits, as `ip mptcp limits show`
// does.
func GetLimits(ctx context.Context, c *genl.Conn) (Limits, error) {
	var l Limits
	err := c.Execute(ctx, genl.Request{Op: "mptcp: get limits", Family: familyName, Command: cmdGetLimits, Version: version},
		func(m genl.Message) error {
			var err error
			l, err = decodeLimits(m.Data)
			return err
		})
	return l, err
}

// SetLimits sets the limits that are not nil, as `ip mptcp limits set
// [subflows NR] [add_addr_accepted NR]` does. The kernel refuses (EINVAL)
// a limit above its maximum (8 on Linux 6.1).
func SetLimits(ctx context.Context, c *genl.Conn, l Limits) error {
	if l.AddAddrAccepted == nil && l.Subflows == nil {
		return genl.Invalid("limits", "none given")
	}
	return c.Execute(ctx, genl.Request{Op: "mptcp: set limits", Family: familyName, Command: cmdSetLimits, Version: version, Data: encodeLimits(l)}, nil)
}

// encodeLimits encodes the limits that are set, in ip's order.
func encodeLimits(l Limits) []byte {
	var enc attrs.Encoder
	if l.AddAddrAccepted != nil {
		enc.Uint32(attrRcvAddAddrs, *l.AddAddrAccepted)
	}
	if l.Subflows != nil {
		enc.Uint32(attrSubflows, *l.Subflows)
	}
	return enc.Bytes()
}

// decodeLimits decodes the attributes of a reply to MPTCP_PM_CMD_GET_LIMITS.
func decodeLimits(b []byte) (Limits, error) {
	var l Limits
	d := attrs.NewDecoder(b)
	for d.Next() {
		switch d.Type() {
		case attrRcvAddAddrs:
			v := d.Uint32()
			l.AddAddrAccepted = &v
		case attrSubflows:
			v := d.Uint32()
			l.Subflows = &v
		}
	}
	if err := d.Err(); err != nil {
		return l, fmt.Errorf("mptcp limits: %w", err)
	}
	return l, nil
}
