// Package ila configures the Identifier Locator Addressing translations
// of IPv6 over generic netlink (family ila), as `ip ila` does: [Add],
// [Delete], [Mappings] and [MappingsSeq].
//
// The JSON of a [Mapping] is what `ip -j ila list` (iproute2 6.1) prints
// for it.
package ila
