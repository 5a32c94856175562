// Command plumbing builds the guide's bridge topology in throw-away network
// namespaces, proves that traffic crosses it, prints it as `ip -j` JSON and
// removes it again.
//
// Usage (as root):
//
//	sudo go run ./examples/plumbing          # build, test, print, remove
//	sudo go run ./examples/plumbing -wait    # …and wait for Ctrl-C before removing
//
// The topology, all of it in namespaces of its own (the machine's own
// namespace is never changed):
//
//	PREFIX-net0                  PREFIX-host                  PREFIX-net1
//	veth0n 10.0.0.1/24 ──── veth0 ─ br0 ─ veth1 ──── veth1n 10.0.0.2/24
//
// A UDP echo from PREFIX-net0 to a server in PREFIX-net1 proves that the
// bridge forwards. Standard output gets one JSON object whose members are the
// namespaces' names and whose values are what `ip -j -d -s -n NAME address
// show` prints for each. Everything is removed at the end, also when a step
// fails and on SIGINT or SIGTERM.
package main

import "github.com/nlkit/nlkit/examples/internal/nsset"

func main() {
	nsset.Main("plumbing", func(prefix string) nsset.Example { return newTopology(prefix) })
}
