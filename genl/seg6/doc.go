// Package seg6 configures IPv6 segment routing over generic netlink
// (family SEG6), as `ip sr` does: the source address of SRv6 tunnels
// ([GetTunnelSource], [SetTunnelSource]) and the HMAC keys that sign
// segment routing headers ([HMACKeys], [SetHMACKey], [DeleteHMACKey]).
//
// The JSON of [TunnelSource] and [HMACKey] is what `ip -j sr tunsrc show`
// and `ip -j sr hmac show` (iproute2 6.1) print.
package seg6
