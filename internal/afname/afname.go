// Package afname names address families (AF_*) as iproute2 prints them.
package afname

import "golang.org/x/sys/unix"

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
