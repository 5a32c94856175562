// Package nlkit is Linux's ip command (iproute2) as an importable Go library.
//
// nlkit talks netlink to the kernel directly: no ip process, no cgo, no
// reflection on the hot path. Its packages each have one job:
//
//   - [github.com/nlkit/nlkit/rtnl]: rtnetlink — links, addresses, routes,
//     neighbours and the rest of what `ip link`, `ip addr` and `ip route` do,
//     and `ip monitor`'s events.
//   - [github.com/nlkit/nlkit/xfrm]: IPsec security associations and
//     policies (`ip xfrm`).
//   - [github.com/nlkit/nlkit/genl]: generic netlink families, and in its
//     subpackages the `ip` objects built on them (mptcp, tcp_metrics, sr,
//     ioam, fou, l2tp, macsec).
//   - [github.com/nlkit/nlkit/netnsutil]: named network namespaces and work
//     bound to a namespace (`ip netns`).
//   - [github.com/nlkit/nlkit/attrs]: the allocation-free netlink attribute
//     encoder and decoder the others are built on.
//
// A quick start, listing the links of the current network namespace the way
// `ip -j -d -s link show` does:
//
//	links, err := rtnl.Links(ctx)
//	if err != nil {
//		return err
//	}
//	out, err := json.Marshal(links) // same JSON as ip -j -d -s link show
//
// To work in another network namespace, dial a connection bound to it; the
// calling goroutine's OS thread never changes namespace:
//
//	c, err := rtnl.Dial(ctx, rtnl.WithNetNSPath("/run/netns/blue"))
//	if err != nil {
//		return err
//	}
//	defer c.Close()
//	links, err := c.Links(ctx)
//
// Every call takes a [context.Context] and honours its cancellation and
// deadline. Errors from the kernel are [*Error] values carrying the errno and
// the kernel's extended-ack message; test them with [errors.Is] against
// [ErrNotExist], [ErrExist], [ErrNotSupported], [ErrDumpInterrupted] or an
// errno such as [golang.org/x/sys/unix.EOPNOTSUPP].
//
// The Go types marshal with encoding/json to exactly what `ip -j -d -s` prints
// for the same object (iproute2 6.1), so a program can swap `ip -j` for nlkit
// without touching the consumers of its output.
package nlkit
