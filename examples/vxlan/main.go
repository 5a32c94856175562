// Command vxlan builds the guide's VXLAN overlay between two throw-away
// network namespaces, proves that traffic crosses it, prints the tunnel
// devices and their forwarding tables as JSON and removes everything again.
//
// Usage (as root):
//
//	sudo go run ./examples/vxlan          # build, test, print, remove
//	sudo go run ./examples/vxlan -wait    # …and wait for Ctrl-C before removing
//
// The topology, in namespaces of its own (the machine's own namespace is
// never changed). The underlay is a veth pair that joins the two namespaces
// directly; the overlay is the guide's VXLAN 100 on top of it:
//
//	PREFIX-net0                                   PREFIX-net1
//	vxlan0 10.0.1.1/24 (id 100, dstport 4789)     vxlan0 10.0.1.2/24
//	  dev veth0n 10.0.0.1/24  ──── veth ────  veth1n 10.0.0.2/24
//
// A UDP echo from 10.0.1.1 to a server on 10.0.1.2 proves that the overlay
// carries traffic. Standard output gets one JSON object whose members are
// the namespaces' names; each value holds "link", what `ip -j -d -s link
// show vxlan0` prints, and "fdb", what `bridge -j -d -s fdb show dev vxlan0`
// prints. Everything is removed at the end, also when a step fails and on
// SIGINT or SIGTERM.
package main

import "github.com/nlkit/nlkit/examples/internal/nsset"

func main() {
	nsset.Main("vxlan", func(prefix string) nsset.Example { return newTopology(prefix) })
}
