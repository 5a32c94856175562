// Package xfrm will manage IPsec security associations and policies over
// NETLINK_XFRM, as `ip xfrm state` and `ip xfrm policy` do.
//
// It has no API yet: it lands on the connection layer that rtnl uses
// (namespace-bound connections, extended-ack errors, streaming dumps).
package xfrm
