package xfrm

import (
	"context"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// Message types of the default policies (Linux 5.16 and later).
const (
	msgSetDefault = 0x27 // XFRM_MSG_SETDEFAULT
	msgGetDefault = 0x28 // XFRM_MSG_GETDEFAULT
)

// A DefaultAction is what happens, per direction, to traffic no policy
// matches (XFRM_USERPOLICY_*).
type DefaultAction uint8

// Default actions.
const (
	DefaultUnchanged DefaultAction = 0 // writing: leave as it is
	DefaultBlock     DefaultAction = 1
	DefaultAccept    DefaultAction = 2
)

// String names the action as ip does.
func (a DefaultAction) String() string {
	switch a {
	case DefaultBlock:
		return "block"
	case DefaultAccept:
		return "accept"
	}
	return "unspec"
}

// DefaultPolicies are the default actions of the three directions (struct
// xfrm_userpolicy_default), as ip xfrm policy getdefault shows them.
type DefaultPolicies struct {
	In, Fwd, Out DefaultAction
}

// DefaultPolicies returns the default policies, as ip xfrm policy
// getdefault.
func (c *Conn) DefaultPolicies(ctx context.Context) (DefaultPolicies, error) {
	const op = "get default policies"
	var d DefaultPolicies
	found := false
	err := c.nl.Execute(ctx, op, msgGetDefault, 0, make([]byte, 4), func(m nlconn.Message) error {
		if m.Type == msgGetDefault && len(m.Data) >= 3 {
			d = DefaultPolicies{In: DefaultAction(m.Data[0]), Fwd: DefaultAction(m.Data[1]), Out: DefaultAction(m.Data[2])}
			found = true
		}
		return nil
	})
	if err == nil && !found {
		err = errNoReply(op)
	}
	return d, err
}

// SetDefaultPolicies sets the default policies, as ip xfrm policy
// setdefault; a DefaultUnchanged direction is left as it is.
func (c *Conn) SetDefaultPolicies(ctx context.Context, d DefaultPolicies) error {
	for _, a := range []DefaultAction{d.In, d.Fwd, d.Out} {
		if a > DefaultAccept {
			return errInvalid("default policy", "action "+itoa(uint64(a))+" is not block or accept")
		}
	}
	return c.execute(ctx, "set default policies", msgSetDefault, 0, []byte{uint8(d.In), uint8(d.Fwd), uint8(d.Out), 0})
}

// GetDefaultPolicies returns the default policies of the calling thread's
// namespace; see [Conn.DefaultPolicies].
func GetDefaultPolicies(ctx context.Context) (DefaultPolicies, error) {
	return withConn(ctx, func(c *Conn) (DefaultPolicies, error) { return c.DefaultPolicies(ctx) })
}

// SetDefaultPolicies sets the default policies of the calling thread's
// namespace; see [Conn.SetDefaultPolicies].
func SetDefaultPolicies(ctx context.Context, d DefaultPolicies) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.SetDefaultPolicies(ctx, d) })
	return err
}
