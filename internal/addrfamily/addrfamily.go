// Package addrfamily names address families (AF_*) as iproute2 prints
// them, and tells the family of an IP address.
package addrfamily

import (
	"net/netip"

	"golang.org/x/sys/unix"
)

// Of returns the family of a: AF_INET, AF_INET6, or AF_UNSPEC for the zero
// Addr.
func Of(a netip.Addr) uint8 {
	switch {
	case a.Is4():
		return unix.AF_INET
	case a.Is6():
		return unix.AF_INET6
	}
	return unix.AF_UNSPEC
}

// Name returns the name ip prints for the address family f, such as
// "inet6", or "" for a family it has no name for (AF_UNSPEC among them).
func Name[F ~uint8 | ~uint16](f F) string {
	switch f {
	case unix.AF_INET:
		return "inet"
	case unix.AF_INET6:
		return "inet6"
	case unix.AF_PACKET:
		return "link"
	case unix.AF_MPLS:
		return "mpls"
	case unix.AF_BRIDGE:
		return "bridge"
	}
	return ""
}
