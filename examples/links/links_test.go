package main

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nlkit/nlkit/examples/internal/extest"
	"github.com/nlkit/nlkit/internal/testns"
)

// TestRun lists the links of a namespace with a veth pair in it and
// compares them with what ip prints.
func TestRun(t *testing.T) {
	ns := testns.New(t)
	ns.IP(t, "link", "add", "veth0", "type", "veth", "peer", "veth1")
	ns.IP(t, "link", "set", "veth0", "up")
	var out bytes.Buffer
	if err := run(t.Context(), &out, ns.Name()); err != nil {
		t.Fatal(err)
	}
	want := extest.Stable(extest.JSON(t, "ip", "-n", ns.Name(), "-j", "-d", "-s", "link", "show"))
	if diff := cmp.Diff(want, extest.Stable(extest.Decode(t, out.Bytes()))); diff != "" {
		t.Errorf("links differ from ip -j -d -s link show (-ip +links):\n%s", diff)
	}
}
