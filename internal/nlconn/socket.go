package nlconn

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"syscall"
	"time"
	"unsafe"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// recvBufferLen is the smallest receive buffer. The kernel sizes the
// datagrams of a dump after the largest buffer a reader has offered
// (capped just under 32 KiB), so offering at least this much makes it
// batch dump replies instead of sending them about 4 KiB at a time.
const recvBufferLen = 32 << 10

// A socket is one netlink socket with its buffers. It serves one request at a
// time.
type socket struct {
	nl     *netlink.Conn
	raw    syscall.RawConn
	portID uint32
	seq    uint32

	sendBuf []byte
	recvBuf []byte

	// readFn, readAckFn and writeFn are the callbacks handed to raw.Read
	// and raw.Write, made once so that receiving and sending do not allocate;
	// out is what writeFn writes, n and err their results.
	readFn    func(fd uintptr) bool
	readAckFn func(fd uintptr) bool
	writeFn   func(fd uintptr) bool
	out       []byte
	n         int
	err       error

	deadline bool // a read deadline is set and must be cleared before reuse
}

// dialSocket opens a netlink socket of the family in the network namespace
// nsFD, with extended acknowledgements and strict checking on.
func dialSocket(family, nsFD int) (*socket, error) {
	nl, err := dialIn(family, nsFD)
	if err != nil {
		return nil, err
	}
	raw, err := nl.SyscallConn()
	if err != nil {
		nl.Close()
		return nil, err
	}
	s := &socket{
		nl:      nl,
		raw:     raw,
		portID:  nl.PID(),
		recvBuf: make([]byte, recvBufferLen),
	}
	s.readFn = s.read
	s.readAckFn = s.readAck
	s.writeFn = s.writeOut
	return s, nil
}

// dialIn dials a netlink socket in the namespace nsFD. When the calling
// thread is in that namespace already, the socket is made right there, the
// thread locked from the check to the socket(2) call. Otherwise
// mdlayher/netlink makes it on a throw-away locked thread, which it never
// unlocks if switching back fails; the caller's thread never moves.
func dialIn(family, nsFD int) (*netlink.Conn, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cfg := &netlink.Config{Strict: true}
	if !threadInNetNS(nsFD) {
		cfg.NetNS = nsFD
	}
	return netlink.Dial(family, cfg)
}

// threadInNetNS reports whether the calling thread, which must be locked, is
// in the namespace nsFD.
func threadInNetNS(nsFD int) bool {
	var want, have unix.Stat_t
	if unix.Fstat(nsFD, &want) != nil || unix.Stat("/proc/thread-self/ns/net", &have) != nil {
		return false
	}
	return want.Dev == have.Dev && want.Ino == have.Ino
}

func (s *socket) close() { s.nl.Close() }

// send writes one request message with the given payload and returns its
// sequence number.
func (s *socket) send(typ, flags uint16, payload []byte) (uint32, error) {
	s.seq++
	n := HeaderLen + len(payload)
	if cap(s.sendBuf) < n {
		s.sendBuf = make([]byte, n)
	}
	b := s.sendBuf[:n]
	putHeader(b, n, typ, flags|unix.NLM_F_REQUEST, s.seq, 0)
	copy(b[HeaderLen:], payload)
	return s.seq, s.write(b)
}

// write sends b, one or more whole request messages, in one datagram.
func (s *socket) write(b []byte) error {
	s.out = b
	err := s.raw.Write(s.writeFn)
	s.out = nil
	if err != nil {
		return err
	}
	if s.err != nil {
		return os.NewSyscallError("write", s.err)
	}
	return nil
}

// writeOut is the raw.Write callback: it writes s.out, and returns false
// while the socket cannot take it.
func (s *socket) writeOut(fd uintptr) bool {
	_, s.err = unix.Write(int(fd), s.out)
	return s.err != unix.EAGAIN
}

// receive reads one datagram, whatever its size, and returns it. The result
// aliases the socket's receive buffer until the next receive.
func (s *socket) receive() ([]byte, error) {
	if err := s.raw.Read(s.readFn); err != nil {
		return nil, err
	}
	if s.err != nil {
		return nil, os.NewSyscallError("recvfrom", s.err)
	}
	return s.recvBuf[:s.n], nil
}

// receiveAck reads one datagram of acknowledgements without first peeking
// at its size: the acknowledgement of a request, even one that echoes it
// with an extended-ack message, is smaller than the request plus
// ackRoom, and the buffer is made that large first. A datagram that is
// larger all the same (not an acknowledgement) is an error. The result
// aliases the socket's receive buffer until the next receive.
func (s *socket) receiveAck(requestLen int) ([]byte, error) {
	if need := requestLen + ackRoom; need > len(s.recvBuf) {
		s.recvBuf = make([]byte, need)
	}
	if err := s.raw.Read(s.readAckFn); err != nil {
		return nil, err
	}
	if s.err != nil {
		return nil, os.NewSyscallError("recvfrom", s.err)
	}
	if s.n > len(s.recvBuf) {
		return nil, fmt.Errorf("netlink: a %d-byte reply where an acknowledgement was due", s.n)
	}
	return s.recvBuf[:s.n], nil
}

// ackRoom is how much an acknowledgement may exceed the request it
// echoes: its header, error number and extended-ack attributes.
const ackRoom = 4096

// readAck is the raw.Read callback of receiveAck: it reads a datagram,
// reporting its whole length even when it was truncated.
func (s *socket) readAck(fd uintptr) bool {
	n, err := recvfrom(fd, s.recvBuf, unix.MSG_TRUNC|unix.MSG_DONTWAIT)
	switch err {
	case unix.EAGAIN:
		return false
	case unix.EINTR:
		return s.readAck(fd)
	}
	s.n, s.err = n, err
	return true
}

// read is the raw.Read callback: it peeks at the size of the next datagram,
// grows the buffer to fit it, and reads it whole. It returns false while no
// datagram is queued.
func (s *socket) read(fd uintptr) bool {
	n, err := recvfrom(fd, nil, unix.MSG_PEEK|unix.MSG_TRUNC|unix.MSG_DONTWAIT)
	switch {
	case err == unix.EAGAIN:
		return false
	case err == unix.EINTR:
		return s.read(fd)
	case err != nil:
		s.n, s.err = 0, err
		return true
	}
	if n > len(s.recvBuf) {
		s.recvBuf = make([]byte, n)
	}
	// Offer the whole buffer, not just n bytes: the kernel sizes later dump
	// datagrams after it.
	s.n, s.err = recvfrom(fd, s.recvBuf, unix.MSG_DONTWAIT)
	return true
}

// recvfrom is recvfrom(2) without a source address, which lets it run
// without allocating.
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

// zeroTime clears a deadline.
var zeroTime time.Time

// longAgo is a deadline in the past, which wakes a pending receive at once.
var longAgo = time.Unix(1, 0)

// watch arms the socket so that a receive pending when ctx is done returns.
// The returned stop function disarms it and reports whether the socket is
// still fit for reuse (the context did not fire during the operation).
func (s *socket) watch(ctx context.Context) (stop func() bool) {
	if ctx.Done() == nil {
		return nil
	}
	if d, ok := ctx.Deadline(); ok {
		s.nl.SetReadDeadline(d)
		s.deadline = true
	}
	return context.AfterFunc(ctx, func() {
		s.nl.SetReadDeadline(longAgo)
	})
}

// ctxError returns the context's error in place of the timeout that a done
// context caused. The socket's deadline can pass a moment before the context
// marks itself done, so a passed context deadline counts too.
func ctxError(ctx context.Context, err error) error {
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		return err
	}
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return err
}
