package ioam

import (
	"context"
	"fmt"
	"iter"
	"strconv"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// A Schema is an IOAM opaque state schema: what a line of `ip ioam schema
// show` lists.
type Schema struct {
	// ID is the schema's identifier.
	ID uint32
	// Namespace is the ID of the namespace that uses the schema, or nil.
	Namespace *uint16
	// Data is the schema's data, up to [MaxSchemaData] bytes; the kernel
	// pads it with zeros to a multiple of 4 bytes.
	Data []byte
}

// MarshalJSON encodes the schema as one element of `ip -j ioam schema show`
// (iproute2 6.1): "schema", "namespace", "data": null, then each byte of
// the data as a member with an empty key, as ip 6.1 prints it.
func (s Schema) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.Uint("schema", uint64(s.ID))
	if s.Namespace != nil {
		w.Uint("namespace", uint64(*s.Namespace))
	}
	w.Null("data")
	w.Close()
	// jsonw takes an empty key for none: append the byte members by hand,
	// before the closing brace.
	out := w.Bytes()
	out = out[:len(out)-1]
	for _, b := range s.Data {
		out = append(out, `,"":`...)
		out = strconv.AppendUint(out, uint64(b), 10)
	}
	return append(out, '}'), nil
}

// schemasRequest is the request that dumps the schemas.
func schemasRequest() genl.Request {
	return genl.Request{Op: "ioam: dump schemas", Family: familyName, Command: cmdDumpSchemas, Version: version}
}

// Schemas returns the IOAM schemas, as `ip ioam schema show` does.
func Schemas(ctx context.Context, c *genl.Conn) ([]Schema, error) {
	return genl.Collect(ctx, c, schemasRequest(), decodeSchemaMessage)
}

// SchemasSeq streams the IOAM schemas as the kernel's reply arrives.
func SchemasSeq(ctx context.Context, c *genl.Conn) iter.Seq2[Schema, error] {
	return genl.Stream(ctx, c, schemasRequest(), decodeSchemaMessage)
}

// AddSchema adds the schema s, as `ip ioam schema add ID DATA` does;
// s.Namespace is ignored: see [SetNamespaceSchema]. An existing ID gives an
// error matching [genl.ErrExist].
func AddSchema(ctx context.Context, c *genl.Conn, s Schema) error {
	if len(s.Data) > MaxSchemaData {
		return genl.Invalid("ioam schema data", fmt.Sprintf("%d bytes, more than %d", len(s.Data), MaxSchemaData))
	}
	return c.Execute(ctx, schemaRequest(s), nil)
}

// schemaRequest builds the request that adds a schema, as ip does.
func schemaRequest(s Schema) genl.Request {
	var enc attrs.Encoder
	enc.Uint32(attrSCID, s.ID)
	enc.Raw(attrSCData, s.Data)
	return genl.Request{Op: fmt.Sprintf("ioam: add schema %d", s.ID), Family: familyName,
		Command: cmdAddSchema, Version: version, Data: enc.Bytes()}
}

// DeleteSchema deletes the schema id, as `ip ioam schema del ID` does. A
// missing schema gives an error matching [genl.ErrNotExist].
func DeleteSchema(ctx context.Context, c *genl.Conn, id uint32) error {
	var enc attrs.Encoder
	enc.Uint32(attrSCID, id)
	return c.Execute(ctx, genl.Request{Op: fmt.Sprintf("ioam: delete schema %d", id), Family: familyName,
		Command: cmdDelSchema, Version: version, Data: enc.Bytes()}, nil)
}

// decodeSchemaMessage decodes an IOAM6_CMD_DUMP_SCHEMAS message.
func decodeSchemaMessage(m genl.Message) (Schema, bool, error) {
	return genl.DecodeCommand(m, cmdDumpSchemas, decodeSchema)
}

// decodeSchema decodes a schema's attributes.
func decodeSchema(b []byte) (Schema, error) {
	var s Schema
	hasID := false
	d := attrs.NewDecoder(b)
	for d.Next() {
		switch d.Type() {
		case attrSCID:
			s.ID, hasID = d.Uint32(), true
		case attrNSID:
			v := d.Uint16()
			s.Namespace = &v
		case attrSCData:
			s.Data = append([]byte{}, d.Bytes()...)
		}
	}
	if err := d.Err(); err != nil {
		return s, fmt.Errorf("ioam schema: %w", err)
	}
	if !hasID {
		return s, fmt.Errorf("ioam schema without an ID (IOAM6_ATTR_SC_ID)")
	}
	return s, nil
}
