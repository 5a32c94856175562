// Command ipsec builds the guide's IPsec tunnel, VTI devices over ESP,
// between two throw-away network namespaces, proves that traffic crosses it
// encrypted, prints the tunnel devices, security associations and policies
// as JSON and removes everything again.
//
// Usage (as root, on a kernel with ESP and vti):
//
//	sudo go run ./examples/ipsec          # build, test, print, remove
//	sudo go run ./examples/ipsec -wait    # …and wait for Ctrl-C before removing
//
// The topology, in namespaces of its own (the machine's own namespace is
// never changed). A veth pair joins the two namespaces; on it, each side
// has the guide's vti0 (key 1) towards the other, two ESP states in tunnel
// mode (one each way; AES-CBC and HMAC-SHA256 with keys drawn at random),
// and two policies, in and out, that apply to the traffic the VTI marks
// with its key:
//
//	PREFIX-net0                                  PREFIX-net1
//	lo 10.0.2.1/32                               lo 10.0.2.2/32
//	vti0 10.0.1.1/24 (key 1)   ═══ ESP ═══       vti0 10.0.1.2/24 (key 1)
//	  veth0n 10.0.0.1/24  ─────── veth ───────  veth1n 10.0.0.2/24
//	route 10.0.2.2/32 dev vti0                   route 10.0.2.1/32 dev vti0
//
// A UDP echo from net0 to a server on net1's 10.0.2.2, which the route
// sends through the VTI, proves that the tunnel carries traffic; the
// security associations' packet counters, read before and after, prove
// that it went through ESP. Standard output gets one JSON object whose
// members are the namespaces' names; each value holds "link", what `ip -j
// -d -s link show vti0` prints, and "xfrm_state" and "xfrm_policy", the
// namespace's states and policies in the JSON form of nlkit's xfrm (ip has
// none). Everything is removed at the end, also when a step fails and on
// SIGINT or SIGTERM.
package main

import "github.com/nlkit/nlkit/examples/internal/nsset"

func main() {
	nsset.Main("ipsec", func(prefix string) nsset.Example {
		t, err := newTopology(prefix)
		if err != nil {
			panic(err) // crypto/rand does not fail on Linux
		}
		return t
	})
}
