package main

import (
	"fmt"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	vnl "github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// clients are the implementations compared, each with a handle bound to
// the namespace of the datasets: nlkit's connection is the namespace's.
type clients struct {
	ns   *namespace
	raw  *rawSocket
	vish *vnl.Handle
	jsim *rtnetlink.Conn
	mdl  *netlink.Conn
}

func newClients(n *namespace) (*clients, error) {
	raw, err := openRaw(n.ns)
	if err != nil {
		return nil, err
	}
	cl := &clients{ns: n, raw: raw}
	// Each peer gets a descriptor of its own, which it may close.
	if cl.vish, err = vnl.NewHandleAt(netns.NsHandle(dupFD(n.ns.FD())), unix.NETLINK_ROUTE); err != nil {
		cl.close()
		return nil, fmt.Errorf("vishvananda/netlink: %w", err)
	}
	if cl.jsim, err = rtnetlink.Dial(&netlink.Config{NetNS: n.ns.FD()}); err != nil {
		cl.close()
		return nil, fmt.Errorf("jsimonetti/rtnetlink: %w", err)
	}
	if cl.mdl, err = netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: n.ns.FD()}); err != nil {
		cl.close()
		return nil, fmt.Errorf("mdlayher/netlink: %w", err)
	}
	return cl, nil
}

// dupFD duplicates a descriptor, or returns -1.
func dupFD(fd int) int {
	nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return -1
	}
	return nfd
}

func (cl *clients) close() {
	cl.raw.close()
	if cl.vish != nil {
		cl.vish.Close()
	}
	if cl.jsim != nil {
		cl.jsim.Close()
	}
	if cl.mdl != nil {
		cl.mdl.Close()
	}
}

// mdlDump dumps with mdlayher/netlink, framing only: the messages are
// split and checked, their payloads not decoded.
func (cl *clients) mdlDump(typ uint16, payload []byte, want uint16) (int, error) {
	msgs, err := cl.mdl.Execute(netlink.Message{
		Header: netlink.Header{Type: netlink.HeaderType(typ), Flags: netlink.Request | netlink.Dump},
		Data:   payload,
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range msgs {
		if uint16(m.Header.Type) == want {
			n++
		}
	}
	return n, nil
}

// count returns the length of a list, or its error.
func count[T any](vs []T, err error) (int, error) {
	return len(vs), err
}

// countSeq counts what a stream yields, or returns its error.
func countSeq[T any](seq func(yield func(T, error) bool)) (int, error) {
	n := 0
	for _, err := range seq {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
