// Package l2tp manages static L2TPv3 tunnels and Ethernet pseudowire
// sessions over generic netlink (family l2tp), as `ip l2tp` does:
// [AddTunnel], [DeleteTunnel], [Tunnels], [GetTunnel], [AddSession],
// [DeleteSession], [Sessions] and [GetSession].
//
// The JSON of [Tunnel] and [Session] is what `ip -j l2tp show tunnel` and
// `ip -j l2tp show session` (iproute2 6.1) print for them.
package l2tp
