package rtnl

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// restoreSaved sends message i of msgs, read from a saved file, back to
// the kernel as a request of type typ, with NLM_F_CREATE added to its
// flags, as ip's restore commands do; an object that exists already is no
// error. what names the object in errors ("route").
func (c *Conn) restoreSaved(ctx context.Context, msgs []SavedMessage, i int, typ uint16, what string) error {
	m := &msgs[i]
	err := c.nl.Execute(ctx, fmt.Sprintf("rtnl: restore %s %d of %d", what, i+1, len(msgs)),
		typ, m.Flags|unix.NLM_F_CREATE, m.Data, nil)
	if errors.Is(err, ErrExist) {
		return nil
	}
	return err
}

// checkSaved returns a check for readAllSaved that m decodes with decode.
func checkSaved[T any](decode func(m *SavedMessage) (T, error)) func(m *SavedMessage) error {
	return func(m *SavedMessage) error {
		_, err := decode(m)
		return err
	}
}
