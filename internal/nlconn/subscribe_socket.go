package nlconn

import (
	"context"
	"errors"
	"os"
	"runtime"
	"syscall"
	"time"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// A pollSocket is the socket of a Subscription. Unlike the sockets of
// requests it is in Go's network poller: a receive waits for notifications
// for as long as it takes without holding an OS thread, a deadline ends
// it, and so does closing the socket from another goroutine.
type pollSocket struct {
	nl  *netlink.Conn
	raw syscall.RawConn

	buf []byte
	// readFn is read, made once so that receiving does not allocate; n
	// and err are its results.
	readFn func(fd uintptr) bool
	n      int
	err    error
}

// dialPollSocket opens a netlink socket of the family in the network
// namespace nsFD, in the poller.
func dialPollSocket(family, nsFD int) (*pollSocket, error) {
	nl, err := dialIn(family, nsFD)
	if err != nil {
		return nil, err
	}
	raw, err := nl.SyscallConn()
	if err != nil {
		nl.Close()
		return nil, err
	}
	s := &pollSocket{nl: nl, raw: raw, buf: make([]byte, recvBufferLen)}
	s.readFn = s.read
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

// receive reads one datagram, whatever its size, and returns it. The result
// aliases the socket's buffer until the next receive.
func (s *pollSocket) receive() ([]byte, error) {
	if err := s.raw.Read(s.readFn); err != nil {
		return nil, err
	}
	if s.err != nil {
		return nil, os.NewSyscallError("recvfrom", s.err)
	}
	return s.buf[:s.n], nil
}

// read is the raw.Read callback of receive: it peeks at the size of the
// next datagram, grows the buffer to fit it, and reads it whole. It returns
// false while no datagram is queued.
func (s *pollSocket) read(fd uintptr) bool {
	if ok := s.peek(fd); !ok || s.err != nil {
		return ok
	}
	// Offer the whole buffer, not just n bytes, as a request socket does.
	s.n, s.err = recvfromRetry(int(fd), s.buf, unix.MSG_DONTWAIT)
	return true
}

// peek grows the buffer to fit the next datagram and returns true, or
// returns false when no datagram is queued. An error is left in s.err.
func (s *pollSocket) peek(fd uintptr) bool {
	for {
		n, err := recvfrom(fd, nil, unix.MSG_PEEK|unix.MSG_TRUNC|unix.MSG_DONTWAIT)
		switch err {
		case unix.EAGAIN:
			return false
		case unix.EINTR:
			continue
		}
		s.n, s.err = 0, err
		if n > len(s.buf) {
			s.buf = make([]byte, n)
		}
		return true
	}
}

// zeroTime clears a deadline.
var zeroTime time.Time

// longAgo is a deadline in the past, which wakes a pending receive at once.
var longAgo = time.Unix(1, 0)

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
