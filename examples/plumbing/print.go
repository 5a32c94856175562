package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
)

// print writes one JSON object: for each namespace of the topology, its
// name and what `ip -j -d -s -n NAME address show` prints for it.
func (t *topology) print(ctx context.Context, w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // ip does not escape <, > and &
	buf.WriteByte('{')
	for i, name := range t.names() {
		c, err := dial(ctx, name)
		if err != nil {
			return err
		}
		links, err := c.LinkAddresses(ctx)
		c.Close()
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
		if err := enc.Encode(links); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteString("}\n")
	_, err := w.Write(buf.Bytes())
	return err
}
