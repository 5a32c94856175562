// Package gtest holds the test helpers that the packages of the objects
// built on generic netlink share.
package gtest

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/internal/linknames"
	"github.com/nlkit/nlkit/internal/testns"
)

// Dial returns a generic netlink connection to the namespace, closed when
// the test ends.
func Dial(t testing.TB, ns *testns.NS) *genl.Conn {
	t.Helper()
	c, err := genl.Dial(context.Background(), genl.WithNetNS(ns.FD()))
	if err != nil {
		t.Fatalf("genl.Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// JSONList returns the JSON array of vs as ip prints a list: elements
// separated by commas, "[]" when empty, and a newline.
func JSONList[T any](t testing.TB, vs []T) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteByte('[')
	for i, v := range vs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(bytes.TrimSuffix(Marshal(t, v), []byte("\n")))
	}
	b.WriteString("]\n")
	return b.Bytes()
}

// Marshal returns the JSON of v, and a newline, without the HTML escaping
// of json.Marshal: as ip prints it.
func Marshal(t testing.TB, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatalf("encode %+v: %v", v, err)
	}
	return b.Bytes()
}

// CompareJSON fails the test unless nlkit's JSON got equals ip's output
// want byte for byte.
func CompareJSON(t testing.TB, what string, got, want []byte) {
	t.Helper()
	if !bytes.Equal(got, want) {
		t.Errorf("%s: JSON differs from ip's\n ip:    %s\n nlkit: %s", what, bytes.TrimSpace(want), bytes.TrimSpace(got))
	}
}

// LinkIndex returns the index of the namespace's link named name.
func LinkIndex(t testing.TB, ns *testns.NS, name string) int32 {
	t.Helper()
	i, err := linknames.Index(context.Background(), ns.FD(), name)
	if err != nil {
		t.Fatalf("link %s: %v", name, err)
	}
	return i
}
