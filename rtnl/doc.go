// Package rtnl speaks rtnetlink, the kernel interface behind `ip link`,
// `ip addr`, `ip route` and their kin.
//
// Package-level functions such as [Links] act on the network namespace of
// the calling thread; each call opens and closes a socket of its own. A
// [Conn], from [Dial], is bound to one network namespace for its lifetime
// (see [WithNetNS] and [WithNetNSPath]), reuses its sockets, and is safe for
// concurrent use by many goroutines.
//
// It covers what ip and bridge manage through rtnetlink: links of every
// kind ([Link], [LinkData]), addresses ([Address]), routes ([Route], with
// [Encap] for lightweight tunnels and [Conn.GetRoute] for `ip route get`),
// neighbours ([Neighbor]) and bridge forwarding entries ([FDBEntry]), policy
// rules ([Rule]), nexthop objects ([Nexthop], [NexthopBucket]), per-device
// settings ([NetConf]), address labels, neighbour tables, IPv6 tokens,
// interface statistics ([IfStats]), multicast routes and rules, and the
// files of `ip addr save` and `ip route save`.
//
// Lists come in two forms: a slice ([Links]) and a stream ([LinksSeq]), an
// [iter.Seq2] that decodes one object at a time as the kernel's reply
// arrives. The types marshal with encoding/json to exactly what
// `ip -j -d -s` (iproute2 6.1) prints for the same object.
//
// Changes can be sent one per call ([Conn.AddRoute] and its kin) or many per
// round trip: a [Batch] queues route, address and neighbour changes and
// [Conn.SendBatch] pipelines them, reporting an error per failed change.
//
// [Monitor] yields the kernel's change notifications, the events of
// `ip monitor`, as typed [Event] values. [Watch] builds on it to keep an
// exact mirror of the links, addresses, routes and neighbours of a
// namespace: a snapshot, then the changes, and a fresh dump whenever a
// notification may have been lost.
//
// Errors from the kernel are [*nlkit.Error] values. Test them with
// [errors.Is] against [ErrNotExist], [ErrExist], [ErrNotSupported],
// [ErrDumpInterrupted], or an errno from golang.org/x/sys/unix.
package rtnl
