package main

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// object is a JSON object as nlkit marshals it, its members in order and
// their values as they were written: what ip prints with fewer options is
// the same object with some members left out.
type object []member

// member is one member of an object.
type member struct {
	key   string
	value json.RawMessage
}

// parseObject splits the JSON object b into its members.
func parseObject(b []byte) (object, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	var o object
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		o = append(o, member{k.(string), v})
	}
	return o, nil
}

// marshalObject parses what v marshals to.
func marshalObject(v json.Marshaler) (object, error) {
	b, err := v.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return parseObject(b)
}

// without returns o without the members drop says to leave out.
func (o object) without(drop func(key string, value json.RawMessage) bool) object {
	var kept object
	for _, m := range o {
		if !drop(m.key, m.value) {
			kept = append(kept, m)
		}
	}
	return kept
}

// get returns the value of key, or nil.
func (o object) get(key string) json.RawMessage {
	for _, m := range o {
		if m.key == key {
			return m.value
		}
	}
	return nil
}

// set replaces the value of key, or appends the member.
func (o object) set(key string, value json.RawMessage) object {
	for i, m := range o {
		if m.key == key {
			o[i].value = value
			return o
		}
	}
	return append(o, member{key, value})
}

// str returns the value of key when it is a string, or "".
func (o object) str(key string) string {
	var s string
	json.Unmarshal(o.get(key), &s)
	return s
}

// MarshalJSON writes the members in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(m.key))
		b.WriteByte(':')
		b.Write(m.value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// rawArray joins values into a JSON array as they are: json.Marshal
// would escape <, > and &, which ip does not.
func rawArray(values []json.RawMessage) json.RawMessage {
	b := []byte{'['}
	for i, v := range values {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, v...)
	}
	return append(b, ']')
}
