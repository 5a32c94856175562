package rtnl

import "fmt"

// NetNS refers to a network namespace that a link is to be created in or
// moved to: by an open file descriptor, a process id, or a path such as
// /run/netns/NAME. The zero NetNS refers to none.
type NetNS struct {
	fd   int
	pid  int
	path string
	kind netnsKind
}

type netnsKind uint8

const (
	netnsNone netnsKind = iota
	netnsFD
	netnsPID
	netnsPath
)

// NetNSFD refers to the namespace of the open file descriptor fd, which the
// caller keeps open until the call that uses it returns.
func NetNSFD(fd int) NetNS { return NetNS{fd: fd, kind: netnsFD} }

// NetNSPID refers to the network namespace of the process pid.
func NetNSPID(pid int) NetNS { return NetNS{pid: pid, kind: netnsPID} }

// NetNSPath refers to the namespace at path, such as /run/netns/blue or
// /proc/1234/ns/net.
func NetNSPath(path string) NetNS { return NetNS{path: path, kind: netnsPath} }

// NetNSName refers to the namespace `ip netns` calls name: the one at
// /run/netns/name.
func NetNSName(name string) NetNS { return NetNSPath("/run/netns/" + name) }

// IsZero reports whether ns refers to no namespace.
func (ns NetNS) IsZero() bool { return ns.kind == netnsNone }

// String describes the reference, for error messages.
func (ns NetNS) String() string {
	switch ns.kind {
	case netnsFD:
		return fmt.Sprintf("netns fd %d", ns.fd)
	case netnsPID:
		return fmt.Sprintf("netns of pid %d", ns.pid)
	case netnsPath:
		return "netns " + ns.path
	}
	return "no netns"
}
