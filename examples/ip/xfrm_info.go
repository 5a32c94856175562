package main

import (
	"encoding/json"
	"io"
)

// printXfrmInfo prints the counts of ip xfrm state count and policy count,
// or the default policies of getdefault: as ip's text, or with -j (for
// which ip 6.1 prints text all the same) as one object in an array, in
// the JSON form of nlkit's xfrm, without the members drop leaves out
// (those ip's text has only with -s or -s -s).
func (c *xfrmCommand) printXfrmInfo(v json.Marshaler, text string, drop func(key string) bool) error {
	if !c.opts.json {
		_, err := io.WriteString(c.stdout, text)
		return err
	}
	o, err := marshalObject(v)
	if err != nil {
		return err
	}
	return c.printList([]json.Marshaler{o.without(func(key string, _ json.RawMessage) bool { return drop(key) })})
}
