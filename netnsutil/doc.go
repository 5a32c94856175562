// Package netnsutil will manage named network namespaces the way
// `ip netns` keeps them under /run/netns, and run work bound to a namespace
// without moving the caller's OS thread.
//
// It has no API yet. Until it lands, bind connections to a namespace with
// rtnl.WithNetNSPath("/run/netns/NAME").
package netnsutil
