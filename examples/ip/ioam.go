package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/ioam"
)

// ioamUsage is ip ioam's usage message.
func ioamUsage() error {
	return usageErr("Usage:\tip ioam { COMMAND | help }\n" +
		"\tip ioam namespace show\n" +
		"\tip ioam namespace add ID [ data DATA32 ] [ wide DATA64 ]\n" +
		"\tip ioam namespace del ID\n" +
		"\tip ioam schema show\n" +
		"\tip ioam schema add ID DATA\n" +
		"\tip ioam schema del ID\n" +
		"\tip ioam namespace set ID schema { ID | none }")
}

// ioamArgs reads ip ioam's arguments one by one, with ip's errors.
type ioamArgs []string

// next returns the next argument, or ip's error when there is none.
func (a *ioamArgs) next() (string, error) {
	if len(*a) == 0 {
		return "", incomplete()
	}
	w := (*a)[0]
	*a = (*a)[1:]
	return w, nil
}

// number reads the next argument as an unsigned number of at most bits
// bits, in base (0 for C's prefixes), or fails with ip's message why.
func (a *ioamArgs) number(base, bits int, why string) (uint64, error) {
	w, err := a.next()
	if err != nil {
		return 0, err
	}
	digits := w
	if base == 16 {
		digits = strings.TrimPrefix(strings.TrimPrefix(w, "0x"), "0X")
	}
	n, err := strconv.ParseUint(digits, base, bits)
	if err != nil {
		return 0, invarg(why, w)
	}
	return n, nil
}

// ioam runs `ip ioam namespace|schema …`. Like ip, it takes no
// abbreviations here.
func (c *command) ioam(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" {
		return ioamUsage()
	}
	a := ioamArgs(args[1:])
	unknown := func(w string) error { return invarg("Unknown", w) }
	var run func(context.Context, *genl.Conn) error
	switch args[0] {
	case "namespace":
		cmd, err := a.next()
		if err != nil {
			return err
		}
		switch cmd {
		case "show":
			run = c.ioamNamespaces
		case "add", "del", "set":
			id, err := a.number(0, 16, "Invalid namespace ID")
			if err != nil {
				return err
			}
			if run, err = ioamNamespaceWrite(cmd, uint16(id), &a); err != nil {
				return err
			}
		default:
			return unknown(cmd)
		}
	case "schema":
		cmd, err := a.next()
		if err != nil {
			return err
		}
		switch cmd {
		case "show":
			run = c.ioamSchemas
		case "add", "del":
			id, err := a.number(0, 32, "Invalid schema ID")
			if err != nil {
				return err
			}
			if cmd == "del" {
				run = func(ctx context.Context, gc *genl.Conn) error { return ioam.DeleteSchema(ctx, gc, uint32(id)) }
				break
			}
			data, err := a.next()
			if err != nil {
				return err
			}
			if len(data) > ioam.MaxSchemaData {
				return invarg("Schema DATA too big", data)
			}
			run = func(ctx context.Context, gc *genl.Conn) error {
				return ioam.AddSchema(ctx, gc, ioam.Schema{ID: uint32(id), Data: []byte(data)})
			}
		default:
			return unknown(cmd)
		}
	default:
		return unknown(args[0])
	}
	gc, err := c.genlConn(ctx)
	if err != nil {
		return err
	}
	defer gc.Close()
	return ioamError(run(ctx, gc))
}

// ioamNamespaceWrite reads the rest of `ip ioam namespace add|del|set ID
// …` and returns what does it.
func ioamNamespaceWrite(cmd string, id uint16, a *ioamArgs) (func(context.Context, *genl.Conn) error, error) {
	switch cmd {
	case "del":
		return func(ctx context.Context, gc *genl.Conn) error { return ioam.DeleteNamespace(ctx, gc, id) }, nil
	case "set":
		w, err := a.next()
		if err != nil {
			return nil, err
		}
		if w != "schema" {
			return nil, invarg("Unknown", w)
		}
		if len(*a) > 0 && (*a)[0] == "none" {
			return func(ctx context.Context, gc *genl.Conn) error { return ioam.SetNamespaceSchema(ctx, gc, id, nil) }, nil
		}
		sc, err := a.number(0, 32, "Invalid schema ID")
		if err != nil {
			return nil, err
		}
		schema := uint32(sc)
		return func(ctx context.Context, gc *genl.Conn) error { return ioam.SetNamespaceSchema(ctx, gc, id, &schema) }, nil
	}
	ns := ioam.Namespace{ID: id}
	// ip reads at most "data D [wide W]" or "wide W", in that order.
	if len(*a) > 0 {
		w, _ := a.next()
		switch w {
		case "data":
			d, err := a.number(0, 32, "Invalid data")
			if err != nil {
				return nil, err
			}
			v := uint32(d)
			ns.Data = &v
		case "wide":
			wd, err := a.number(16, 64, "Invalid wide data")
			if err != nil {
				return nil, err
			}
			ns.Wide = &wd
		default:
			return nil, invarg("Invalid argument", w)
		}
	}
	if len(*a) > 0 {
		w, _ := a.next()
		if ns.Data == nil || w != "wide" {
			return nil, invarg("Unexpected argument", w)
		}
		wd, err := a.number(16, 64, "Invalid wide data")
		if err != nil {
			return nil, err
		}
		ns.Wide = &wd
	}
	return func(ctx context.Context, gc *genl.Conn) error { return ioam.AddNamespace(ctx, gc, ns) }, nil
}

// ioamNamespaces runs `ip ioam namespace show`.
func (c *command) ioamNamespaces(ctx context.Context, gc *genl.Conn) error {
	nss, err := ioam.Namespaces(ctx, gc)
	if err != nil {
		return dumpError(err, 1)
	}
	if c.opts.json {
		elems := make([]json.Marshaler, len(nss))
		for i, n := range nss {
			elems[i] = n
		}
		return c.printList(elems)
	}
	for _, n := range nss {
		var b strings.Builder
		fmt.Fprintf(&b, "namespace %d", n.ID)
		if n.Schema != nil {
			fmt.Fprintf(&b, " [schema %d]", *n.Schema)
		}
		if n.Data != nil {
			b.WriteString(", data " + cHexWidth(uint64(*n.Data), 10))
		}
		if n.Wide != nil {
			b.WriteString(", wide " + cHexWidth(*n.Wide, 18))
		}
		b.WriteString(c.lineEnd())
		fmt.Fprint(c.stdout, b.String())
	}
	return nil
}

// cHexWidth formats v as C's printf("%#0*x", width) does: "0x" and
// zero-padded digits, but all zeros for 0, which C writes without "0x".
func cHexWidth(v uint64, width int) string {
	if v == 0 {
		return strings.Repeat("0", width)
	}
	return fmt.Sprintf("0x%0*x", width-2, v)
}

// ioamSchemas runs `ip ioam schema show`.
func (c *command) ioamSchemas(ctx context.Context, gc *genl.Conn) error {
	scs, err := ioam.Schemas(ctx, gc)
	if err != nil {
		return dumpError(err, 1)
	}
	if c.opts.json {
		elems := make([]json.Marshaler, len(scs))
		for i, s := range scs {
			elems[i] = s
		}
		return c.printList(elems)
	}
	for _, s := range scs {
		var b strings.Builder
		fmt.Fprintf(&b, "schema %d", s.ID)
		if s.Namespace != nil {
			fmt.Fprintf(&b, " [namespace %d]", *s.Namespace)
		}
		b.WriteString(", data:")
		for _, d := range s.Data {
			fmt.Fprintf(&b, " %02x", d)
		}
		b.WriteString(c.lineEnd())
		fmt.Fprint(c.stdout, b.String())
	}
	return nil
}

// ioamError is how ip ioam reports a command the kernel refused: as any
// kernel error, but with exit status 1.
func ioamError(err error) error {
	if ke, ok := err.(*nlkit.Error); ok {
		return &exitError{kernelMessage(ke), 1}
	}
	return err
}
