// Package genl will speak generic netlink: resolving families, executing
// and dumping their commands, and the `ip` objects built on them (mptcp,
// tcp_metrics, SEG6, fou, l2tp, ioam, macsec).
//
// It has no API yet: it lands on the connection layer that rtnl uses.
package genl
