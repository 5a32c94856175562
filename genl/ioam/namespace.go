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

// A Namespace is an IOAM namespace: what a line of `ip ioam namespace show`
// lists. The optional values are nil when unset.
type Namespace struct {
	// ID is the namespace's identifier.
	ID uint16
	// Schema is the ID of the schema the namespace uses.
	Schema *uint32
	// Data is the namespace's 32-bit data (data).
	Data *uint32
	// Wide is the namespace's 64-bit data (wide).
	Wide *uint64
}

// MarshalJSON encodes the namespace as one element of `ip -j ioam namespace
// show` (iproute2 6.1): "namespace", "schema", "data" (hexadecimal digits,
// a string) and "wide" (a "0x…" string).
func (n Namespace) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.Uint("namespace", uint64(n.ID))
	if n.Schema != nil {
		w.Uint("schema", uint64(*n.Schema))
	}
	if n.Data != nil {
		w.String("data", strconv.FormatUint(uint64(*n.Data), 16))
	}
	if n.Wide != nil {
		w.String("wide", jsonw.PrintfHex(*n.Wide))
	}
	w.Close()
	return w.Bytes(), nil
}

// namespacesRequest is the request that dumps the namespaces.
func namespacesRequest() genl.Request {
	return genl.Request{Op: "ioam: dump namespaces", Family: familyName, Command: cmdDumpNamespaces, Version: version}
}

// Namespaces returns the IOAM namespaces, as `ip ioam namespace show`
// does.
func Namespaces(ctx context.Context, c *genl.Conn) ([]Namespace, error) {
	return genl.Collect(ctx, c, namespacesRequest(), decodeNamespaceMessage)
}

// NamespacesSeq streams the IOAM namespaces as the kernel's reply arrives.
func NamespacesSeq(ctx context.Context, c *genl.Conn) iter.Seq2[Namespace, error] {
	return genl.Stream(ctx, c, namespacesRequest(), decodeNamespaceMessage)
}

// AddNamespace adds the namespace n, with its data and wide data when set,
// as `ip ioam namespace add ID [data DATA32] [wide DATA64]` does; n.Schema
// is ignored: see [SetNamespaceSchema]. An existing ID gives an error
// matching [genl.ErrExist].
func AddNamespace(ctx context.Context, c *genl.Conn, n Namespace) error {
	return c.Execute(ctx, namespaceRequest(cmdAddNamespace, "add", n), nil)
}

// namespaceRequest builds the request of a namespace command as ip does:
// the ID, then the data and wide data that are set.
func namespaceRequest(cmd uint8, verb string, n Namespace) genl.Request {
	var enc attrs.Encoder
	enc.Uint16(attrNSID, n.ID)
	if n.Data != nil {
		enc.Uint32(attrNSData, *n.Data)
	}
	if n.Wide != nil {
		enc.Uint64(attrNSDataWide, *n.Wide)
	}
	return genl.Request{Op: fmt.Sprintf("ioam: %s namespace %d", verb, n.ID), Family: familyName,
		Command: cmd, Version: version, Data: enc.Bytes()}
}

// DeleteNamespace deletes the namespace id, as `ip ioam namespace del ID`
// does. A missing namespace gives an error matching [genl.ErrNotExist].
func DeleteNamespace(ctx context.Context, c *genl.Conn, id uint16) error {
	return c.Execute(ctx, namespaceRequest(cmdDelNamespace, "delete", Namespace{ID: id}), nil)
}

// SetNamespaceSchema makes the namespace id use the schema, or none when
// schema is nil, as `ip ioam namespace set ID schema {ID|none}` does. A
// missing namespace or schema gives an error matching [genl.ErrNotExist].
func SetNamespaceSchema(ctx context.Context, c *genl.Conn, id uint16, schema *uint32) error {
	return c.Execute(ctx, setSchemaRequest(id, schema), nil)
}

// setSchemaRequest builds the request that sets a namespace's schema, as ip
// does.
func setSchemaRequest(id uint16, schema *uint32) genl.Request {
	var enc attrs.Encoder
	enc.Uint16(attrNSID, id)
	op := fmt.Sprintf("ioam: set namespace %d schema none", id)
	if schema == nil {
		enc.Flag(attrSCNone)
	} else {
		enc.Uint32(attrSCID, *schema)
		op = fmt.Sprintf("ioam: set namespace %d schema %d", id, *schema)
	}
	return genl.Request{Op: op, Family: familyName, Command: cmdSetSchema, Version: version, Data: enc.Bytes()}
}

// decodeNamespaceMessage decodes an IOAM6_CMD_DUMP_NAMESPACES message.
func decodeNamespaceMessage(m genl.Message) (Namespace, bool, error) {
	return genl.DecodeCommand(m, cmdDumpNamespaces, decodeNamespace)
}

// decodeNamespace decodes a namespace's attributes.
func decodeNamespace(b []byte) (Namespace, error) {
	var n Namespace
	hasID := false
	d := attrs.NewDecoder(b)
	for d.Next() {
		switch d.Type() {
		case attrNSID:
			n.ID, hasID = d.Uint16(), true
		case attrSCID:
			v := d.Uint32()
			n.Schema = &v
		case attrNSData:
			v := d.Uint32()
			n.Data = &v
		case attrNSDataWide:
			v := d.Uint64()
			n.Wide = &v
		}
	}
	if err := d.Err(); err != nil {
		return n, fmt.Errorf("ioam namespace: %w", err)
	}
	if !hasID {
		return n, fmt.Errorf("ioam namespace without an ID (IOAM6_ATTR_NS_ID)")
	}
	return n, nil
}
