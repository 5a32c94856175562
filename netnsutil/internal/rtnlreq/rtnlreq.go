// Package rtnlreq is the small rtnetlink client of netnsutil: one socket,
// one request at a time, for the nsid messages (RTM_NEWNSID, RTM_GETNSID)
// and the veth pairs of nstest.
//
// It exists so that netnsutil depends on neither internal/nlconn nor rtnl:
// internal/testns is built on netnsutil, and the in-package tests of nlconn
// and rtnl import internal/testns, so netnsutil importing them would be an
// import cycle in those tests.
package rtnlreq

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nsthread"
)

// HeaderLen is the size of struct nlmsghdr.
const HeaderLen = unix.SizeofNlMsghdr

// A Conn is one NETLINK_ROUTE socket, bound to the network namespace it was
// made in. It serves one request at a time and is not safe for concurrent
// use.
type Conn struct {
	fd   int
	port uint32
	seq  uint32
	buf  []byte
}

// Dial opens a socket in the network namespace of nsFD, or in the calling
// thread's namespace when nsFD is negative. The calling thread never
// changes namespace.
func Dial(nsFD int) (*Conn, error) {
	c := &Conn{fd: -1, buf: make([]byte, 32<<10)}
	var err error
	if nsFD < 0 {
		runtime.LockOSThread()
		err = c.open()
		runtime.UnlockOSThread()
	} else {
		err = nsthread.Do(nsFD, c.open)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// open makes the socket in the calling thread's namespace, with extended
// acknowledgements and strict checking on, as iproute2 sets them.
func (c *Conn) open() error {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		return fmt.Errorf("netlink: %w", os.NewSyscallError("socket", err))
	}
	fail := func(op string, err error) error {
		unix.Close(fd)
		return fmt.Errorf("netlink: %w", os.NewSyscallError(op, err))
	}
	for _, opt := range []int{unix.NETLINK_EXT_ACK, unix.NETLINK_GET_STRICT_CHK} {
		if err := unix.SetsockoptInt(fd, unix.SOL_NETLINK, opt, 1); err != nil {
			return fail("setsockopt", err)
		}
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return fail("bind", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return fail("getsockname", err)
	}
	nl, ok := sa.(*unix.SockaddrNetlink)
	if !ok {
		return fail("getsockname", unix.EINVAL)
	}
	c.fd, c.port = fd, nl.Pid
	return nil
}

// Close closes the socket.
func (c *Conn) Close() error { return unix.Close(c.fd) }

// A Message is one netlink message received. Data, the payload after the
// header, is valid only until the next receive.
type Message struct {
	Type  uint16
	Flags uint16
	Data  []byte
}

// Execute sends a request the kernel acknowledges (NLM_F_ACK is added to
// flags) and calls fn, if not nil, for each reply other than the
// acknowledgement. A kernel error is returned as a *nlkit.Error named op.
func (c *Conn) Execute(ctx context.Context, op string, typ, flags uint16, payload []byte, fn func(Message) error) error {
	return c.exchange(ctx, op, typ, flags|unix.NLM_F_ACK, payload, false, fn)
}

// Dump sends a dump request (NLM_F_DUMP is added to flags) and calls fn for
// each message of the reply. A dump the kernel marks as interrupted ends
// with an error matching nlkit.ErrDumpInterrupted, after every message.
func (c *Conn) Dump(ctx context.Context, op string, typ, flags uint16, payload []byte, fn func(Message) error) error {
	return c.exchange(ctx, op, typ, flags|unix.NLM_F_DUMP, payload, true, fn)
}

func (c *Conn) exchange(ctx context.Context, op string, typ, flags uint16, payload []byte, dump bool, fn func(Message) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := c.setTimeout(ctx); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	c.seq++
	seq := c.seq
	n := HeaderLen + len(payload)
	req := make([]byte, n)
	native.Endian.PutUint32(req[0:], uint32(n))
	native.Endian.PutUint16(req[4:], typ)
	native.Endian.PutUint16(req[6:], flags|unix.NLM_F_REQUEST)
	native.Endian.PutUint32(req[8:], seq)
	copy(req[HeaderLen:], payload)
	if err := unix.Sendto(c.fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return fmt.Errorf("%s: netlink send: %w", op, os.NewSyscallError("sendto", err))
	}

	interrupted := false
	for {
		b, err := c.receive()
		if err != nil {
			if err == unix.EAGAIN && ctx.Err() != nil {
				return ctx.Err()
			}
			if err == unix.EAGAIN {
				return fmt.Errorf("%s: netlink receive: %w", op, context.DeadlineExceeded)
			}
			return fmt.Errorf("%s: netlink receive: %w", op, os.NewSyscallError("recvfrom", err))
		}
		for len(b) > 0 {
			var m Message
			var mseq, mport uint32
			m, mseq, mport, b, err = parseMessage(b)
			if err != nil {
				return fmt.Errorf("%s: %w", op, err)
			}
			if mseq != seq || mport != c.port {
				continue // not an answer to this request
			}
			if m.Flags&unix.NLM_F_DUMP_INTR != 0 {
				interrupted = true
			}
			switch m.Type {
			case unix.NLMSG_NOOP:
				continue
			case unix.NLMSG_ERROR:
				return ParseError(op, m)
			case unix.NLMSG_DONE:
				if !dump {
					continue
				}
				if err := ParseError(op, m); err != nil {
					return err
				}
				if interrupted {
					return fmt.Errorf("%s: %w", op, nlkit.ErrDumpInterrupted)
				}
				return nil
			}
			if fn != nil {
				if err := fn(m); err != nil {
					c.drain(seq)
					return err
				}
			}
		}
	}
}

// setTimeout makes a receive give up at ctx's deadline. The kernel answers
// these requests at once, so a context without a deadline needs none.
func (c *Conn) setTimeout(ctx context.Context) error {
	var tv unix.Timeval
	if d, ok := ctx.Deadline(); ok {
		left := time.Until(d)
		if left <= 0 {
			return context.DeadlineExceeded
		}
		tv = unix.NsecToTimeval(left.Nanoseconds())
		if tv.Sec == 0 && tv.Usec == 0 {
			tv.Usec = 1
		}
	}
	return os.NewSyscallError("setsockopt", unix.SetsockoptTimeval(c.fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv))
}

// drain reads and drops what is left of the reply to seq after fn failed,
// so the socket could serve again; errors are ignored.
func (c *Conn) drain(seq uint32) {
	for {
		b, err := c.receive()
		if err != nil {
			return
		}
		for len(b) > 0 {
			m, mseq, _, rest, err := parseMessage(b)
			if err != nil {
				return
			}
			b = rest
			if mseq == seq && (m.Type == unix.NLMSG_DONE || m.Type == unix.NLMSG_ERROR) {
				return
			}
		}
	}
}

// receive reads one datagram whole, growing the buffer to fit it.
func (c *Conn) receive() ([]byte, error) {
	for {
		n, _, err := unix.Recvfrom(c.fd, nil, unix.MSG_PEEK|unix.MSG_TRUNC)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n > len(c.buf) {
			c.buf = make([]byte, n)
		}
		n, _, err = unix.Recvfrom(c.fd, c.buf, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		return c.buf[:n], nil
	}
}

// parseMessage splits the first message off b.
func parseMessage(b []byte) (m Message, seq, port uint32, rest []byte, err error) {
	if len(b) < HeaderLen {
		return m, 0, 0, nil, fmt.Errorf("netlink: %d bytes left, too short for a message header", len(b))
	}
	n := int(native.Endian.Uint32(b))
	if n < HeaderLen || n > len(b) {
		return m, 0, 0, nil, fmt.Errorf("netlink: message length %d does not fit the %d bytes received", n, len(b))
	}
	m = Message{
		Type:  native.Endian.Uint16(b[4:]),
		Flags: native.Endian.Uint16(b[6:]),
		Data:  b[HeaderLen:n:n],
	}
	return m, native.Endian.Uint32(b[8:]), native.Endian.Uint32(b[12:]), b[min(attrs.Align(n), len(b)):], nil
}

// ParseError decodes the payload of an NLMSG_ERROR message, or of the
// NLMSG_DONE that ends a dump: nil for an acknowledgement, a *nlkit.Error
// with the kernel's extended-ack message otherwise.
func ParseError(op string, m Message) error {
	if len(m.Data) < 4 {
		if m.Type == unix.NLMSG_DONE {
			return nil // an old kernel's empty NLMSG_DONE
		}
		return fmt.Errorf("%s: netlink: truncated error message (%d bytes)", op, len(m.Data))
	}
	errno := -int32(native.Endian.Uint32(m.Data))
	if errno == 0 {
		return nil
	}
	e := &nlkit.Error{Op: op, Errno: unix.Errno(errno)}
	if m.Flags&unix.NLM_F_ACK_TLVS == 0 {
		return e
	}
	tlvs := m.Data[4:]
	if m.Type == unix.NLMSG_ERROR {
		// The request's header, and its payload unless capped, come first.
		if len(tlvs) < HeaderLen {
			return e
		}
		skip := HeaderLen
		if m.Flags&unix.NLM_F_CAPPED == 0 {
			skip = attrs.Align(int(native.Endian.Uint32(tlvs)))
		}
		if skip < HeaderLen || skip > len(tlvs) {
			return e
		}
		tlvs = tlvs[skip:]
	}
	for d := attrs.NewDecoder(tlvs); d.Next(); {
		switch d.Type() {
		case unix.NLMSGERR_ATTR_MSG:
			e.Message = d.String()
		case unix.NLMSGERR_ATTR_OFFS:
			e.Offset = int(d.Uint32())
		}
	}
	return e
}
