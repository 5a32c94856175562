package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"

	"github.com/nlkit/nlkit/rtnl"
)

// side is what print writes for one namespace.
type side struct {
	// Link is what `ip -j -d -s link show vxlan0` prints.
	Link []rtnl.Link `json:"link"`
	// FDB is what `bridge -j -d -s fdb show dev vxlan0` prints.
	FDB []rtnl.FDBEntry `json:"fdb"`
}

// print writes one JSON object: for each namespace, its name and its side
// of the overlay.
func (t *topology) print(ctx context.Context, w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // ip does not escape <, > and &
	buf.WriteByte('{')
	for i, name := range t.names() {
		s, err := readSide(ctx, name)
		if err != nil {
			return err
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(name); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // the Encoder's newline
		buf.WriteByte(':')
		if err := enc.Encode(s); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteString("}\n")
	_, err := w.Write(buf.Bytes())
	return err
}

// readSide reads the tunnel device of namespace ns and its forwarding
// entries.
func readSide(ctx context.Context, ns string) (side, error) {
	c, err := dial(ctx, ns)
	if err != nil {
		return side{}, err
	}
	defer c.Close()
	l, err := c.LinkByName(ctx, tunnel)
	if err != nil {
		return side{}, err
	}
	fdb, err := c.FDB(ctx, rtnl.FilterFDBPort(l.Index))
	if err != nil {
		return side{}, err
	}
	return side{Link: []rtnl.Link{l}, FDB: fdb}, nil
}
