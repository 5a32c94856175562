// Package fou configures the receive ports of Foo-over-UDP and Generic UDP
// Encapsulation over generic netlink (family fou), as `ip fou` does:
// [Add], [Delete], [List] and [ListSeq].
//
// The JSON of a [ReceivePort] is what `ip -j fou show` (iproute2 6.1)
// prints for it.
package fou
