package nlconn

import (
	"context"
	"errors"
	"fmt"
	"os"
	"unsafe"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nsthread"
)

// recvBufferLen is the smallest receive buffer. The kernel sizes the
// datagrams of a dump after the largest buffer a reader has offered
// (capped just under 32 KiB), so offering at least this much makes it
// batch dump replies instead of sending them about 4 KiB at a time.
const recvBufferLen = 32 << 10

// sendBufferLen is the room a socket's send buffer starts with: enough for
// most requests that are not batches.
const sendBufferLen = 512

// maxKeptSendBuffer is the largest send buffer a socket keeps between
// requests. Requests are rarely larger than a few hundred bytes; one larger
// than this (a route with thousands of next hops, a huge attribute) grows
// the buffer for itself only, and the buffer is then dropped for one of
// sendBufferLen, so that a pooled socket does not hold the memory of the
// largest request it ever sent.
const maxKeptSendBuffer = 64 << 10

// A socket is one netlink socket with its buffers. It serves one request at a
// time.
//
// It is a plain descriptor, outside Go's network poller. The kernel handles
// a netlink request within the system call that sends it, so its replies
// are queued by the time the sender reads them: a receive reads without
// waiting, and only when nothing is queued waits in poll(2) (see wait). In
// the poller, the socket would make the kernel wake the poller's thread for
// every datagram it queues, a cost in time and CPU paid on every request.
type socket struct {
	fd     int
	portID uint32
	seq    uint32

	sendBuf []byte
	recvBuf []byte

	// wake is an eventfd that a done context signals to end a wait, made
	// the first time a receive waits on a context that can be done; -1
	// until then.
	wake int
}

// dialSocket opens a netlink socket of the family in the network namespace
// nsFD, with extended acknowledgements and strict checking on.
func dialSocket(family, nsFD int) (*socket, error) {
	fd := -1
	err := nsthread.Do(nsFD, func() error {
		var err error
		fd, err = unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, family)
		return os.NewSyscallError("socket", err)
	})
	if err != nil {
		if fd >= 0 {
			unix.Close(fd)
		}
		return nil, err
	}
	s := &socket{fd: fd, wake: -1, sendBuf: make([]byte, 0, sendBufferLen), recvBuf: make([]byte, recvBufferLen)}
	if err := s.setup(); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// setup binds the socket to a port id the kernel picks, learns it, and turns
// on extended acknowledgements and strict checking of requests.
func (s *socket) setup() error {
	if err := unix.Bind(s.fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return os.NewSyscallError("bind", err)
	}
	sa, err := unix.Getsockname(s.fd)
	if err != nil {
		return os.NewSyscallError("getsockname", err)
	}
	addr, ok := sa.(*unix.SockaddrNetlink)
	if !ok {
		return fmt.Errorf("getsockname: a %T, not a netlink address", sa)
	}
	s.portID = addr.Pid
	for _, opt := range [...]int{unix.NETLINK_EXT_ACK, unix.NETLINK_GET_STRICT_CHK} {
		if err := unix.SetsockoptInt(s.fd, unix.SOL_NETLINK, opt, 1); err != nil {
			return os.NewSyscallError("setsockopt", err)
		}
	}
	return nil
}

// shrinkSendBuffer replaces a send buffer larger than maxKeptSendBuffer
// with one of sendBufferLen.
func (s *socket) shrinkSendBuffer() {
	if cap(s.sendBuf) > maxKeptSendBuffer {
		s.sendBuf = make([]byte, 0, sendBufferLen)
	}
}

func (s *socket) close() {
	unix.Close(s.fd)
	if s.wake >= 0 {
		unix.Close(s.wake)
	}
}

// send writes one request message with the given payload and returns its
// sequence number.
func (s *socket) send(typ, flags uint16, payload []byte) (uint32, error) {
	n := HeaderLen + len(payload)
	if cap(s.sendBuf) < n {
		s.sendBuf = make([]byte, n)
	}
	b := s.sendBuf[:n]
	copy(b[HeaderLen:], payload)
	return s.sendMessage(b, typ, flags)
}

// sendMessage writes b, a request message with room for its header, which
// it fills in, and returns its sequence number.
func (s *socket) sendMessage(b []byte, typ, flags uint16) (uint32, error) {
	s.seq++
	PutHeader(b, len(b), typ, flags|unix.NLM_F_REQUEST, s.seq, 0)
	return s.seq, s.write(b)
}

// write sends b, one or more whole request messages, in one datagram. The
// kernel takes a request to itself without ever making the sender wait.
func (s *socket) write(b []byte) error {
	for {
		_, _, errno := unix.Syscall6(unix.SYS_SENDTO, uintptr(s.fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), 0, 0, 0)
		switch errno {
		case 0:
			return nil
		case unix.EINTR:
			continue
		}
		return os.NewSyscallError("sendto", errno)
	}
}

// receive reads one datagram, whatever its size, waiting for it as long as
// ctx allows, and returns it. The result aliases the socket's receive
// buffer until the next receive.
//
// A done ctx ends a receive even when a datagram is queued: the kernel
// queues the next datagram of a dump as the last is read, so a receive that
// only saw ctx while waiting would read a canceled dump to its end.
func (s *socket) receive(ctx context.Context) ([]byte, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// Peek at the size of the next datagram, to grow the buffer for
		// one larger than it: a datagram read into too small a buffer is
		// lost.
		n, err := recvfrom(uintptr(s.fd), nil, unix.MSG_PEEK|unix.MSG_TRUNC|unix.MSG_DONTWAIT)
		switch err {
		case nil:
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			if err := s.wait(ctx); err != nil {
				return nil, err
			}
			continue
		default:
			return nil, os.NewSyscallError("recvfrom", err)
		}
		if n > len(s.recvBuf) {
			s.recvBuf = make([]byte, n)
		}
		// Offer the whole buffer, not just n bytes: the kernel sizes later
		// dump datagrams after it.
		if n, err = recvfromRetry(s.fd, s.recvBuf, unix.MSG_DONTWAIT); err != nil {
			return nil, os.NewSyscallError("recvfrom", err)
		}
		return s.recvBuf[:n], nil
	}
}

// receiveAck reads one datagram of acknowledgements without first peeking
// at its size: the acknowledgement of a request, even one that echoes it
// with an extended-ack message, is smaller than the request plus
// ackRoom, and the buffer is made that large first. A datagram that is
// larger all the same (not an acknowledgement) is an error. The result
// aliases the socket's receive buffer until the next receive.
func (s *socket) receiveAck(ctx context.Context, requestLen int) ([]byte, error) {
	if need := requestLen + ackRoom; need > len(s.recvBuf) {
		s.recvBuf = make([]byte, need)
	}
	for {
		n, err := recvfromRetry(s.fd, s.recvBuf, unix.MSG_TRUNC|unix.MSG_DONTWAIT)
		switch err {
		case nil:
		case unix.EAGAIN:
			if err := s.wait(ctx); err != nil {
				return nil, err
			}
			continue
		default:
			return nil, os.NewSyscallError("recvfrom", err)
		}
		if n > len(s.recvBuf) {
			return nil, fmt.Errorf("netlink: a %d-byte reply where an acknowledgement was due", n)
		}
		return s.recvBuf[:n], nil
	}
}

// ackRoom is how much an acknowledgement may exceed the request it
// echoes: its header, error number and extended-ack attributes.
const ackRoom = 4096

// recvfrom is recvfrom(2) without a source address, which lets it run
// without allocating. With MSG_TRUNC it returns the datagram's whole
// length, even when p is shorter.
func recvfrom(fd uintptr, p []byte, flags int) (int, error) {
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	n, _, errno := unix.Syscall6(unix.SYS_RECVFROM, fd, uintptr(ptr), uintptr(len(p)), uintptr(flags), 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

// recvfromRetry is recvfrom on fd, again when a signal interrupts it.
func recvfromRetry(fd int, p []byte, flags int) (int, error) {
	for {
		n, err := recvfrom(uintptr(fd), p, flags)
		if err != unix.EINTR {
			return n, err
		}
	}
}

// errSpuriousWake reports that a wait ended on a signal no context sent.
var errSpuriousWake = errors.New("netlink: wait ended without a datagram or a done context")

// wait blocks until a datagram is queued on the socket or ctx is done, and
// then returns ctx's error. It polls the socket and, when ctx can be done,
// the socket's eventfd, which a function that context.AfterFunc registers
// signals.
func (s *socket) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	fds := [2]unix.PollFd{{Fd: int32(s.fd), Events: unix.POLLIN}, {Fd: -1}}
	if ctx.Done() != nil {
		if s.wake < 0 {
			fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
			if err != nil {
				return os.NewSyscallError("eventfd", err)
			}
			s.wake = fd
		}
		fds[1] = unix.PollFd{Fd: int32(s.wake), Events: unix.POLLIN}
		signalled := make(chan struct{})
		stop := context.AfterFunc(ctx, func() {
			s.signalWake()
			close(signalled)
		})
		defer func() {
			if !stop() {
				// The signal is sent, or being sent: take it back, so
				// that the next wait does not end on it.
				<-signalled
				s.drainWake()
			}
		}()
	}
	for {
		_, err := unix.Poll(fds[:], -1)
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return os.NewSyscallError("poll", err)
		case fds[1].Revents != 0:
			if err := ctx.Err(); err != nil {
				return err
			}
			return errSpuriousWake
		case fds[0].Revents != 0:
			return nil
		}
	}
}

// signalWake ends a wait on the socket: it adds one to the eventfd's
// count.
func (s *socket) signalWake() {
	var one [8]byte
	native.Endian.PutUint64(one[:], 1)
	unix.Write(s.wake, one[:])
}

// drainWake resets the eventfd's count to zero.
func (s *socket) drainWake() {
	var count [8]byte
	unix.Read(s.wake, count[:])
}
