// Package nlconn is the netlink connection layer shared by nlkit's families
// (rtnetlink, xfrm, generic netlink).
//
// A [Conn] is bound to one network namespace when it is dialled and keeps a
// small pool of sockets in it, so that goroutines using the Conn at once each
// get a socket of their own. Every operation honours its context: a receive
// pending when the context is done returns at once, with the context's error,
// and the socket it used is discarded rather than reused. Receive buffers
// start at 32 KiB, so that the kernel batches dump replies, and grow to fit
// any larger datagram, which is never truncated.
package nlconn

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"runtime"
	"slices"
	"sync"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nsthread"
)

// maxIdle is how many idle sockets a Conn keeps for reuse.
const maxIdle = 4

// errClosed reports use of a closed Conn.
var errClosed = errors.New("netlink: use of closed connection")

// A Conn is a pool of netlink sockets of one family in one network
// namespace. It is safe for concurrent use.
type Conn struct {
	family int
	nsFD   int // the namespace, held open for the Conn's lifetime
	// dumpRetries is how many times Collect dumps again after an
	// interrupted dump.
	dumpRetries int
	// echo is Config.Echo.
	echo func(Message)

	mu     sync.Mutex
	idle   []*socket
	closed bool
	// dials counts the sockets being dialled in nsFD, outside mu, and the
	// calls of InNetNS under way; Close waits for them before it closes
	// nsFD. One is added to it only under mu and while the Conn is open.
	dials sync.WaitGroup
}

// Config tunes a Conn.
type Config struct {
	// NetNS is an open file descriptor of the network namespace to bind to,
	// or -1 for the namespace of the dialling thread. Dial duplicates it;
	// the caller keeps ownership of its own descriptor.
	NetNS int
	// NetNSPath, when not empty, names the network namespace to bind to
	// instead of NetNS, such as /run/netns/NAME or /proc/PID/ns/net.
	NetNSPath string
	// DumpRetries is how many times Collect dumps again when the kernel
	// reports that a dump was interrupted.
	DumpRetries int
	// Echo, when set, asks the kernel to send back what each request
	// without a reply function makes, changes or removes (NLM_F_ECHO), and
	// is called with each message it sends back, before Execute or Ack
	// returns.
	Echo func(Message)
}

// Dial opens a Conn of the netlink family (unix.NETLINK_ROUTE, …) and checks
// that a socket can be made in its namespace.
func Dial(ctx context.Context, family int, cfg Config) (*Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if cfg.NetNSPath != "" {
		fd, err := unix.Open(cfg.NetNSPath, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return nil, fmt.Errorf("open network namespace %s: %w", cfg.NetNSPath, err)
		}
		defer unix.Close(fd)
		cfg.NetNS = fd
	}
	nsFD, err := holdNetNS(cfg.NetNS)
	if err != nil {
		return nil, err
	}
	c := &Conn{family: family, nsFD: nsFD, dumpRetries: cfg.DumpRetries, echo: cfg.Echo}
	s, err := dialSocket(family, nsFD)
	if err != nil {
		unix.Close(nsFD)
		return nil, fmt.Errorf("netlink: dial: %w", err)
	}
	c.idle = append(c.idle, s)
	return c, nil
}

// holdNetNS returns a descriptor of its own for the namespace fd, or for the
// calling thread's namespace when fd is negative.
func holdNetNS(fd int) (int, error) {
	if fd >= 0 {
		var st unix.Statfs_t
		if err := unix.Fstatfs(fd, &st); err != nil {
			return -1, fmt.Errorf("netlink: network namespace fd %d: %w", fd, err)
		}
		if st.Type != unix.NSFS_MAGIC {
			return -1, fmt.Errorf("netlink: fd %d is not a namespace", fd)
		}
		nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
		if err != nil {
			return -1, os.NewSyscallError("fcntl", err)
		}
		return nfd, nil
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	nfd, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, &os.PathError{Op: "open", Path: "/proc/thread-self/ns/net", Err: err}
	}
	return nfd, nil
}

// WithNetNSFD calls fn with the descriptor of the Conn's network
// namespace, for work there over other sockets, such as a subscription or
// a connection of another netlink family, which hold their own reference
// to the namespace once made. The descriptor is the Conn's, valid during
// the call: fn must neither close nor keep it. Close waits for fn before
// closing the descriptor, and after Close WithNetNSFD returns the closed
// error without calling fn.
func (c *Conn) WithNetNSFD(fn func(nsFD int) error) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return errClosed
	}
	c.dials.Add(1)
	c.mu.Unlock()
	defer c.dials.Done()
	return fn(c.nsFD)
}

// InNetNS runs fn on a thread in the Conn's network namespace (see
// nsthread.Do), for work there that is not netlink, such as making a socket
// for an ioctl, with WithNetNSFD's guard against Close.
func (c *Conn) InNetNS(fn func() error) error {
	return c.WithNetNSFD(func(nsFD int) error { return nsthread.Do(nsFD, fn) })
}

// Close closes the Conn's idle sockets and, once the dials under way have
// ended, its namespace descriptor. Sockets in use close when their
// operations end.
func (c *Conn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return errClosed
	}
	c.closed = true
	idle := c.idle
	c.idle = nil
	c.mu.Unlock()
	for _, s := range idle {
		s.close()
	}
	c.dials.Wait()
	return unix.Close(c.nsFD)
}

// get takes an idle socket or dials a new one. Dials run outside c.mu, so
// that goroutines needing sockets at once dial them at once; Close waits
// for them before closing nsFD.
func (c *Conn) get() (*socket, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, errClosed
	}
	if n := len(c.idle); n > 0 {
		s := c.idle[n-1]
		c.idle = c.idle[:n-1]
		c.mu.Unlock()
		return s, nil
	}
	c.dials.Add(1)
	c.mu.Unlock()
	s, err := dialSocket(c.family, c.nsFD)
	c.dials.Done()
	if err != nil {
		return nil, fmt.Errorf("netlink: dial: %w", err)
	}
	return s, nil
}

// put returns a socket after use. A socket that may hold unread replies
// (reusable false) is closed, and so is one the pool has no room for. A
// socket kept drops a send buffer that a large request grew.
func (c *Conn) put(s *socket, reusable bool) {
	if reusable {
		s.shrinkSendBuffer()
	}
	c.mu.Lock()
	if reusable && !c.closed && len(c.idle) < maxIdle {
		c.idle = append(c.idle, s)
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	s.close()
}

// An exchange is one request in flight on a socket.
type exchange struct {
	c   *Conn
	s   *socket
	ctx context.Context
	op  string
	seq uint32
}

// start takes a socket and sends the request.
func (c *Conn) start(ctx context.Context, op string, typ, flags uint16, payload []byte) (*exchange, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s, err := c.get()
	if err != nil {
		return nil, err
	}
	x := &exchange{c: c, s: s, ctx: ctx, op: op}
	x.seq, err = s.send(typ, flags, payload)
	if err != nil {
		x.finish(false)
		return nil, fmt.Errorf("%s: netlink send: %w", op, err)
	}
	return x, nil
}

// finish returns the socket to the pool; complete says whether every reply
// of the request was read.
func (x *exchange) finish(complete bool) { x.c.put(x.s, complete) }

// messages yields the replies to the request, one datagram at a time, until
// fn returns false or an error occurs.
func (x *exchange) messages(fn func(Message) (more bool, err error)) error {
	for {
		b, err := x.s.receive(x.ctx)
		if err != nil {
			return fmt.Errorf("%s: netlink receive: %w", x.op, err)
		}
		for len(b) > 0 {
			n, err := messageLen(b)
			if err != nil {
				return fmt.Errorf("%s: %w", x.op, err)
			}
			msg := b
			b = b[min(attrs.Align(n), len(b)):]
			// A few answers carry the port id of the request's header, 0,
			// rather than the socket's (xfrm's XFRM_MSG_GETAE).
			if pid := native.Endian.Uint32(msg[12:]); native.Endian.Uint32(msg[8:]) != x.seq || pid != x.s.portID && pid != 0 {
				continue // a stray message, not an answer to this request
			}
			more, err := fn(headerOf(msg, n))
			if err != nil || !more {
				return err
			}
		}
	}
}

// Execute sends a request that the kernel acknowledges and calls fn for each
// reply other than the acknowledgement, such as the object a get request
// returns. The message given to fn is valid only during the call.
func (c *Conn) Execute(ctx context.Context, op string, typ, flags uint16, payload []byte, fn func(Message) error) error {
	if fn == nil && c.echo != nil {
		flags |= unix.NLM_F_ECHO
		fn = func(m Message) error { c.echo(m); return nil }
	}
	x, err := c.start(ctx, op, typ, flags|unix.NLM_F_ACK, payload)
	if err != nil {
		return err
	}
	var kernelErr error
	err = x.messages(func(m Message) (bool, error) {
		switch m.Type {
		case unix.NLMSG_ERROR:
			kernelErr = ParseError(op, m)
			return false, nil
		case unix.NLMSG_NOOP, unix.NLMSG_DONE:
			return true, nil
		}
		if fn == nil {
			return true, nil
		}
		return true, fn(m)
	})
	x.finish(err == nil)
	if err != nil {
		return err
	}
	return kernelErr
}

// Dump sends a dump request (NLM_F_DUMP is added to flags) and yields the
// messages of the reply. The messages are valid only until the iterator is
// resumed. A dump the kernel marks as interrupted (NLM_F_DUMP_INTR) ends
// with an error matching nlkit.ErrDumpInterrupted after all its messages.
func (c *Conn) Dump(ctx context.Context, op string, typ, flags uint16, payload []byte) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		x, err := c.start(ctx, op, typ, flags|unix.NLM_F_DUMP, payload)
		if err != nil {
			yield(Message{}, err)
			return
		}
		interrupted, stopped := false, false
		err = x.messages(func(m Message) (bool, error) {
			if m.Flags&unix.NLM_F_DUMP_INTR != 0 {
				interrupted = true
			}
			switch m.Type {
			case unix.NLMSG_DONE, unix.NLMSG_ERROR:
				return false, ParseError(op, m)
			case unix.NLMSG_NOOP:
				return true, nil
			}
			if !yield(m, nil) {
				stopped = true
				return false, nil
			}
			return true, nil
		})
		x.finish(err == nil && !stopped)
		switch {
		case stopped:
		case err != nil:
			yield(Message{}, err)
		case interrupted:
			yield(Message{}, fmt.Errorf("%s: %w", op, nlkit.ErrDumpInterrupted))
		}
	}
}

// Collect dumps and decodes every message with decode, which returns false
// for a message to leave out. When the kernel reports the dump interrupted,
// Collect dumps again, up to the Conn's DumpRetries times; if the last try
// was interrupted too, it returns that try's values with an error matching
// nlkit.ErrDumpInterrupted.
func Collect[T any](ctx context.Context, c *Conn, op string, typ, flags uint16, payload []byte, decode func(Message) (T, bool, error)) ([]T, error) {
	return CollectInto(ctx, c, op, typ, flags, payload, func(m Message, v *T) (bool, error) {
		var keep bool
		var err error
		*v, keep, err = decode(m)
		return keep, err
	})
}

// Append is Collect appending to dst, as [AppendInto] does: a slice from
// an earlier dump, truncated, serves a dump of as many values again
// without allocating.
func Append[T any](ctx context.Context, c *Conn, op string, typ, flags uint16, payload []byte, dst []T, decode func(Message) (T, bool, error)) ([]T, error) {
	return AppendInto(ctx, c, op, typ, flags, payload, dst, func(m Message, v *T) (bool, error) {
		var keep bool
		var err error
		*v, keep, err = decode(m)
		return keep, err
	})
}

// CollectInto is Collect for large values: decode fills in the slice's
// next element, zero, in place, which saves copying each value, and
// returns false to leave it out. It is AppendInto with no slice to append
// to, and returns nil with an error other than an interrupted dump.
func CollectInto[T any](ctx context.Context, c *Conn, op string, typ, flags uint16, payload []byte, decode func(m Message, v *T) (bool, error)) ([]T, error) {
	out, err := AppendInto(ctx, c, op, typ, flags, payload, []T(nil), decode)
	if err != nil && !errors.Is(err, nlkit.ErrDumpInterrupted) {
		return nil, err
	}
	return out, err
}

// AppendInto dumps as Collect does, and appends the values decode keeps to
// dst, returning the extended slice: decode fills in the slice's next
// element, zero, in place, and returns false to leave it out.
//
// While dst has room, each message is decoded as it arrives, into that
// room: a slice from an earlier dump, truncated, serves a dump of as many
// values again without allocating, nor touching memory the kernel must
// first supply. The messages that do not fit are kept, copied, until the
// dump ends; then the slice is grown once, by as many elements as there
// are messages, and each is decoded into it. Growing a slice of large
// values as the messages arrive would allocate, copy and clear several
// times the result.
//
// On an error other than an interrupted dump, AppendInto returns dst with
// its length unchanged (its spare room may have been written to).
func AppendInto[T any](ctx context.Context, c *Conn, op string, typ, flags uint16, payload []byte, dst []T, decode func(m Message, v *T) (bool, error)) ([]T, error) {
	for try := 0; ; try++ {
		var (
			sp   spool
			out  = dst
			err  error
			derr error
		)
		for m, merr := range c.Dump(ctx, op, typ, flags, payload) {
			if merr != nil {
				err = merr
				break
			}
			if sp.count == 0 && len(out) < cap(out) {
				if out, derr = decodeAppend(out, m, decode, false); derr != nil {
					break
				}
				continue
			}
			sp.add(m)
		}
		if derr == nil && errors.Is(err, nlkit.ErrDumpInterrupted) && try < c.dumpRetries {
			continue
		}
		if derr == nil && (err == nil || errors.Is(err, nlkit.ErrDumpInterrupted)) {
			// Memory Grow allocates is zeroed already; spare room of dst
			// may hold older values.
			before := cap(out)
			out = slices.Grow(out, sp.count)
			zeroed := cap(out) != before
			derr = sp.each(func(m Message) error {
				var err error
				out, err = decodeAppend(out, m, decode, zeroed)
				return err
			})
		}
		if derr != nil {
			return dst, fmt.Errorf("%s: %w", op, derr)
		}
		if err != nil && !errors.Is(err, nlkit.ErrDumpInterrupted) {
			return dst, err
		}
		return out, err
	}
}

// decodeAppend decodes m into the element after the last of out, which
// must have room for it, and extends out by it unless decode leaves it
// out. The element is zeroed first unless zeroed says it is already; one
// left out is zeroed again.
func decodeAppend[T any](out []T, m Message, decode func(m Message, v *T) (bool, error), zeroed bool) ([]T, error) {
	out = out[:len(out)+1]
	v := &out[len(out)-1]
	var zero T
	if !zeroed {
		*v = zero
	}
	keep, err := decode(m, v)
	if !keep {
		*v = zero
		out = out[:len(out)-1]
	}
	return out, err
}
