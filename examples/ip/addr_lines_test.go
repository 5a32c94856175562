package main

import (
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestAddrShowLines compares ip addr show with -o and with -echo, which
// make ip print each address as a line of its own (in JSON too, each
// addr_info entry with its link's index and name), with the example's.
func TestAddrShowLines(t *testing.T) {
	ns := testns.New(t)
	ns.IPBatch(t, "link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02",
		"address add 10.0.0.1/8 dev lo", "address add 10.1.0.1/24 dev v0", "address add 10.1.0.2/24 dev v0",
		"address add 2001:db8::1/64 dev v0 nodad")
	sameShows(t, ns.Name(), nil, "-j -o addr show", "-j -p -o addr show", "-j -o -4 addr show dev v0",
		"-j -echo addr show", "-j -echo addr show dev v0", "-echo addr show", "-echo -o addr show", "-j -echo -br addr show")
}
