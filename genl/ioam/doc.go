// Package ioam configures IPv6 In-situ OAM (RFC 9197) over generic netlink
// (family IOAM6), as `ip ioam` does: IOAM namespaces ([AddNamespace],
// [Namespaces], [DeleteNamespace], [SetNamespaceSchema]) and opaque state
// schemas ([AddSchema], [Schemas], [DeleteSchema]).
//
// The JSON of [Namespace] and [Schema] is what `ip -j ioam namespace show`
// and `ip -j ioam schema show` (iproute2 6.1) print, down to the schema's
// data bytes, which ip 6.1 prints as members with an empty key.
package ioam
