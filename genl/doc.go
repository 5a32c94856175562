// Package genl speaks generic netlink: it resolves families by name, lists
// them as `genl ctrl list` does, and executes, dumps and listens to their
// commands and events with attributes built and read by package attrs.
//
// A [Conn] is bound to one network namespace when it is dialled ([Dial]
// with [WithNetNS] or [WithNetNSPath]) and keeps the families it has
// resolved, so that each is asked for once per Conn. A family the kernel
// lacks gives a [*FamilyError], which matches [ErrNotSupported] and
// [ErrNotExist]. [Conn.Execute], [Conn.Dump], [Collect] and [Stream] send a
// [Request] to a family by name; the family's number is resolved for you.
//
// The `ip` objects built on generic netlink live in subpackages, one object
// each, with JSON equal to what `ip -j` (iproute2 6.1) prints:
//
//   - genl/mptcp: `ip mptcp` endpoints, limits and events (mptcp_pm)
//   - genl/tcpmetrics: `ip tcp_metrics` (tcp_metrics)
//   - genl/seg6: `ip sr` tunsrc and hmac (SEG6)
//   - genl/ioam: `ip ioam` namespaces and schemas (IOAM6)
package genl
