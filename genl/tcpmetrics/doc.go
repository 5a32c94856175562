// Package tcpmetrics reads and deletes the TCP metrics the kernel keeps per
// destination over generic netlink (family tcp_metrics), as `ip
// tcp_metrics` does: [Entries] and [EntriesSeq] (show, with [Filter]),
// [Get], [Delete] and [Flush].
//
// The JSON of an [Entry] is what `ip -j tcp_metrics show` (iproute2 6.1)
// prints for it.
package tcpmetrics
