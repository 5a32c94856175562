package main

import (
	"bytes"
	"encoding/json"
	"strings"
)

// printList writes elems as ip -j writes a list: one array, compact or,
// with -p, in ip's pretty form, and a newline.
func (c *command) printList(elems []json.Marshaler) error {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, e := range elems {
		if i > 0 {
			b.WriteByte(',')
		}
		v, err := e.MarshalJSON()
		if err != nil {
			return err
		}
		b.Write(v)
	}
	b.WriteByte(']')
	out := b.Bytes()
	if c.opts.pretty {
		out = prettyJSON(out)
	}
	_, err := c.stdout.Write(append(out, '\n'))
	return err
}

// printObjects prints objs as ip's show commands do: one JSON array with
// -j, otherwise each object in its text form, written by text.
func (c *command) printObjects(objs []object, text func(object)) error {
	if !c.opts.json {
		for _, o := range objs {
			text(o)
		}
		return nil
	}
	elems := make([]json.Marshaler, len(objs))
	for i, o := range objs {
		elems[i] = o
	}
	return c.printList(elems)
}

// prettyJSON re-formats compact JSON as iproute2's json_writer does with
// -p: members one per line, indented by four spaces a level; arrays on
// one line, in "[ " and " ]", but for the objects in them.
func prettyJSON(compact []byte) []byte {
	p := prettyWriter{in: compact}
	p.value()
	return p.out.Bytes()
}

// prettyWriter follows json_writer's state: the depth and the separator
// owed before the next element.
type prettyWriter struct {
	in    []byte
	pos   int
	out   bytes.Buffer
	depth int
	sep   byte
}

func (p *prettyWriter) eor() {
	if p.sep != 0 {
		p.out.WriteByte(p.sep)
	}
	p.sep = ','
}

func (p *prettyWriter) eol() {
	p.out.WriteByte('\n')
	p.out.WriteString(strings.Repeat("    ", p.depth))
}

func (p *prettyWriter) begin(c byte) {
	p.eor()
	p.out.WriteByte(c)
	p.depth++
	p.sep = 0
}

func (p *prettyWriter) end(c byte) {
	p.depth--
	if p.sep != 0 {
		p.eol()
	}
	p.out.WriteByte(c)
	p.sep = ','
}

// value writes the value at the current position.
func (p *prettyWriter) value() {
	switch p.in[p.pos] {
	case '{':
		p.object()
	case '[':
		p.array()
	default:
		p.eor()
		p.out.Write(p.scalar())
	}
}

func (p *prettyWriter) object() {
	p.begin('{')
	p.pos++
	for p.in[p.pos] != '}' {
		key := p.scalar()
		p.pos++ // :
		p.eor()
		p.eol()
		p.sep = 0
		p.out.Write(key)
		p.out.WriteString(": ")
		p.value()
		if p.in[p.pos] == ',' {
			p.pos++
		}
	}
	p.pos++
	p.end('}')
}

func (p *prettyWriter) array() {
	p.begin('[')
	p.out.WriteByte(' ')
	p.pos++
	for p.in[p.pos] != ']' {
		p.value()
		if p.in[p.pos] == ',' {
			p.pos++
		}
	}
	p.pos++
	if p.sep != 0 {
		p.out.WriteByte(' ')
	}
	p.sep = 0
	p.end(']')
}

// scalar returns the string, number or literal at the current position
// and moves past it.
func (p *prettyWriter) scalar() []byte {
	start := p.pos
	if p.in[p.pos] == '"' {
		p.pos++
		for p.in[p.pos] != '"' {
			if p.in[p.pos] == '\\' {
				p.pos++
			}
			p.pos++
		}
		p.pos++
		return p.in[start:p.pos]
	}
	for p.pos < len(p.in) && !strings.ContainsRune(",]}", rune(p.in[p.pos])) {
		p.pos++
	}
	return p.in[start:p.pos]
}
