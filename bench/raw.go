package main

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/netnsutil"
)

// rawBufferLen is the raw floor's one receive buffer, reused for every
// datagram: the size the kernel batches dump replies for.
const rawBufferLen = 32 << 10

// rawWindow is how many requests the pipelined raw floor sends before it
// reads their acknowledgements, as nlkit's batches do.
const rawWindow = 128

// A rawSocket is the floor: a plain netlink socket, sendto and recvfrom of
// whole datagrams into one reused buffer, and a walk over the message
// headers, nothing decoded.
type rawSocket struct {
	fd  int
	seq uint32
	buf []byte // receive buffer
	req []byte // request buffer
}

// openRaw opens a NETLINK_ROUTE socket in ns, on a locked thread switched
// into ns for the call (the thread is destroyed if switching back fails).
func openRaw(ns *netnsutil.NetNS) (*rawSocket, error) {
	fd := -1
	err := netnsutil.Do(ns, func() error {
		var err error
		fd, err = unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
		if err != nil {
			return err
		}
		return unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK})
	})
	if err != nil {
		if fd >= 0 {
			unix.Close(fd)
		}
		return nil, fmt.Errorf("raw socket: %w", err)
	}
	return &rawSocket{fd: fd, buf: make([]byte, rawBufferLen), req: make([]byte, 0, rawBufferLen)}, nil
}

func (s *rawSocket) close() { unix.Close(s.fd) }

// sendto sends b to the kernel.
func (s *rawSocket) sendto(b []byte) error {
	_, _, errno := unix.Syscall6(unix.SYS_SENDTO, uintptr(s.fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), 0, 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

// recvfrom receives one datagram into the buffer.
func (s *rawSocket) recvfrom() ([]byte, error) {
	n, _, errno := unix.Syscall6(unix.SYS_RECVFROM, uintptr(s.fd), uintptr(unsafe.Pointer(&s.buf[0])), uintptr(len(s.buf)), 0, 0, 0)
	if errno != 0 {
		return nil, errno
	}
	return s.buf[:n], nil
}

// appendHeader appends a netlink header for a message of type typ with the
// flags and a payload of n bytes.
func (s *rawSocket) appendHeader(b []byte, typ, flags uint16, n int) []byte {
	s.seq++
	b = binary.NativeEndian.AppendUint32(b, uint32(unix.SizeofNlMsghdr+n))
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = binary.NativeEndian.AppendUint16(b, flags|unix.NLM_F_REQUEST)
	b = binary.NativeEndian.AppendUint32(b, s.seq)
	return binary.NativeEndian.AppendUint32(b, 0)
}

// dump sends a dump request of type typ with the payload and counts the
// messages of type want in the reply, walking their headers only.
func (s *rawSocket) dump(typ uint16, payload []byte, want uint16) (int, error) {
	req := append(s.appendHeader(s.req[:0], typ, unix.NLM_F_DUMP, len(payload)), payload...)
	if err := s.sendto(req); err != nil {
		return 0, err
	}
	count := 0
	for {
		b, err := s.recvfrom()
		if err != nil {
			return count, err
		}
		for len(b) >= unix.SizeofNlMsghdr {
			l := int(binary.NativeEndian.Uint32(b))
			switch binary.NativeEndian.Uint16(b[4:]) {
			case unix.NLMSG_DONE:
				return count, nil
			case unix.NLMSG_ERROR:
				return count, fmt.Errorf("dump: errno %d", -int32(binary.NativeEndian.Uint32(b[16:])))
			case want:
				count++
			}
			if l < unix.SizeofNlMsghdr || l > len(b) {
				return count, fmt.Errorf("dump: message length %d", l)
			}
			b = b[(l+3)&^3:]
		}
	}
}

// appendRouteAdd appends the request `ip route add DST dev INDEX` sends
// for an IPv4 host route: rtmsg, RTA_DST and RTA_OIF.
func (s *rawSocket) appendRouteAdd(b []byte, dst netip.Addr, index int32) []byte {
	const payload = unix.SizeofRtMsg + 8 + 8
	b = s.appendHeader(b, unix.RTM_NEWROUTE, unix.NLM_F_CREATE|unix.NLM_F_EXCL|unix.NLM_F_ACK, payload)
	b = append(b, unix.AF_INET, 32, 0, 0, unix.RT_TABLE_MAIN, unix.RTPROT_BOOT, unix.RT_SCOPE_LINK, unix.RTN_UNICAST, 0, 0, 0, 0)
	b = binary.NativeEndian.AppendUint16(b, 8)
	b = binary.NativeEndian.AppendUint16(b, unix.RTA_DST)
	a := dst.As4()
	b = append(b, a[:]...)
	b = binary.NativeEndian.AppendUint16(b, 8)
	b = binary.NativeEndian.AppendUint16(b, unix.RTA_OIF)
	return binary.NativeEndian.AppendUint32(b, uint32(index))
}

// acks reads acknowledgements until n have come, and returns an error for
// the first that reports one.
func (s *rawSocket) acks(n int) error {
	var first error
	for n > 0 {
		b, err := s.recvfrom()
		if err != nil {
			return err
		}
		for len(b) >= unix.SizeofNlMsghdr {
			l := int(binary.NativeEndian.Uint32(b))
			if binary.NativeEndian.Uint16(b[4:]) == unix.NLMSG_ERROR {
				n--
				if errno := int32(binary.NativeEndian.Uint32(b[16:])); errno != 0 && first == nil {
					first = fmt.Errorf("route add: errno %d", -errno)
				}
			}
			if l < unix.SizeofNlMsghdr || l > len(b) {
				return fmt.Errorf("ack: message length %d", l)
			}
			b = b[(l+3)&^3:]
		}
	}
	return first
}

// addRoute adds a route with a request of its own and waits for its
// acknowledgement.
func (s *rawSocket) addRoute(dst netip.Addr, index int32) error {
	if err := s.sendto(s.appendRouteAdd(s.req[:0], dst, index)); err != nil {
		return err
	}
	return s.acks(1)
}

// addRoutesPipelined adds the routes rawWindow requests to a datagram,
// reading each window's acknowledgements before sending the next.
func (s *rawSocket) addRoutesPipelined(dsts []netip.Addr, index int32) (int, error) {
	for i := 0; i < len(dsts); i += rawWindow {
		window := dsts[i:min(i+rawWindow, len(dsts))]
		b := s.req[:0]
		for _, dst := range window {
			b = s.appendRouteAdd(b, dst, index)
		}
		if err := s.sendto(b); err != nil {
			return 0, err
		}
		if err := s.acks(len(window)); err != nil {
			return 0, err
		}
	}
	return len(dsts), nil
}
