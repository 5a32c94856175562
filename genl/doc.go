// Package genl speaks generic netlink: it resolves families by name, lists
// them as `genl ctrl list` does, executes and dumps their commands, and
// subscribes to their multicast groups, with attributes built and read by
// package attrs.
//
// A [Conn] is bound to one network namespace when it is dialled ([Dial]
// with [WithNetNS] or [WithNetNSPath]) and keeps the families it has
// resolved ([Conn.Family], [Conn.Families]), so that each is asked for once
// per Conn. A family the kernel lacks gives a [*FamilyError], which matches
// [ErrNotSupported] and [ErrNotExist]. [Conn.Execute], [Conn.Dump],
// [Collect] and [Stream] send a [Request] to a family by name; the family's
// number is resolved for you. [Conn.JoinGroups] subscribes to a family's
// multicast groups by name.
//
// The `ip` objects built on generic netlink live in subpackages, one object
// each; their functions take the *Conn to work through, and their JSON is
// what `ip -j` (iproute2 6.1) prints:
//
//   - genl/mptcp: `ip mptcp` endpoints, limits and monitor events (mptcp_pm)
//   - genl/tcpmetrics: `ip tcp_metrics` (tcp_metrics)
//   - genl/seg6: `ip sr` tunsrc and hmac (SEG6)
//   - genl/ioam: `ip ioam` namespaces and schemas (IOAM6)
//   - genl/fou: `ip fou` receive ports (fou)
//   - genl/l2tp: `ip l2tp` tunnels and sessions (l2tp)
//   - genl/macsec: `ip macsec` SAs, SCs, offload and show (macsec); the
//     MACsec link itself is rtnl's kind macsec (rtnl.Macsec)
package genl
