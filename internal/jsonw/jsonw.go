// Package jsonw writes JSON objects key by key, in the order and the value
// formats iproute2 prints them, for the MarshalJSON methods of nlkit's types.
//
// Keys are written as given; strings are escaped like iproute2's JSON writer
// (quote, backslash and \b \f \n \r \t), except that other control characters
// are written as \u00XX so that the result stays valid JSON.
package jsonw

import (
	"strconv"
)

// A Writer appends JSON to a byte slice. Commas between members are managed
// for you: open objects and arrays, then write members in order.
type Writer struct {
	buf []byte
	// first is true right after an opening brace or bracket, when the next
	// member needs no comma.
	first bool
}

// Bytes returns the JSON written so far.
func (w *Writer) Bytes() []byte { return w.buf }

func (w *Writer) sep() {
	if !w.first && len(w.buf) > 0 {
		w.buf = append(w.buf, ',')
	}
	w.first = false
}

func (w *Writer) key(k string) {
	w.sep()
	if k != "" {
		w.buf = appendString(w.buf, k)
		w.buf = append(w.buf, ':')
	}
}

// Open starts an object, as the member k of the enclosing object, or as an
// array element or top-level value when k is "".
func (w *Writer) Open(k string) {
	w.key(k)
	w.buf = append(w.buf, '{')
	w.first = true
}

// Close ends an object.
func (w *Writer) Close() {
	w.buf = append(w.buf, '}')
	w.first = false
}

// OpenArray starts an array, as the member k (or an element when k is "").
func (w *Writer) OpenArray(k string) {
	w.key(k)
	w.buf = append(w.buf, '[')
	w.first = true
}

// CloseArray ends an array.
func (w *Writer) CloseArray() {
	w.buf = append(w.buf, ']')
	w.first = false
}

// String writes the member k with a string value.
func (w *Writer) String(k, v string) {
	w.key(k)
	w.buf = appendString(w.buf, v)
}

// Int writes the member k with a signed integer value.
func (w *Writer) Int(k string, v int64) {
	w.key(k)
	w.buf = strconv.AppendInt(w.buf, v, 10)
}

// Uint writes the member k with an unsigned integer value.
func (w *Writer) Uint(k string, v uint64) {
	w.key(k)
	w.buf = strconv.AppendUint(w.buf, v, 10)
}

// Bool writes the member k with a boolean value.
func (w *Writer) Bool(k string, v bool) {
	w.key(k)
	w.buf = strconv.AppendBool(w.buf, v)
}

// Null writes the member k with the value null.
func (w *Writer) Null(k string) {
	w.key(k)
	w.buf = append(w.buf, "null"...)
}

// Raw writes the member k with a value that is already JSON.
func (w *Writer) Raw(k string, v []byte) {
	w.key(k)
	w.buf = append(w.buf, v...)
}

const hex = "0123456789abcdef"

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < 0x20 || c == 0x7f {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			} else {
				b = append(b, c)
			}
		}
	}
	return append(b, '"')
}
