package xfrm

import (
	"context"
	"fmt"
	"iter"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// A Conn is a NETLINK_XFRM connection bound to one network namespace. It
// is safe for concurrent use: goroutines that use it at the same time each
// get a socket of their own.
type Conn struct {
	nl   *nlconn.Conn
	nsFD int // the namespace of nl, for monitors' sockets
}

// An Option configures [Dial].
type Option func(*options)

type options struct {
	nsFD        int
	nsPath      string
	dumpRetries int
}

// WithNetNS binds the connection to the network namespace of the open file
// descriptor fd (of /run/netns/NAME, /proc/PID/ns/net, …). Dial makes a
// copy of the descriptor: the caller may close fd afterwards.
func WithNetNS(fd int) Option {
	return func(o *options) { o.nsFD, o.nsPath = fd, "" }
}

// WithNetNSPath binds the connection to the network namespace at path, such
// as /run/netns/NAME or /proc/PID/ns/net.
func WithNetNSPath(path string) Option {
	return func(o *options) { o.nsFD, o.nsPath = -1, path }
}

// WithDumpRetries makes the slice-returning lists dump again, up to n times,
// when the kernel reports that a dump was interrupted by a change
// (NLM_F_DUMP_INTR). Without it, or when every try is interrupted, they
// return the data with an error matching [ErrDumpInterrupted].
func WithDumpRetries(n int) Option {
	return func(o *options) { o.dumpRetries = n }
}

// Dial opens a connection. Without a namespace option it is bound to the
// network namespace of the calling thread. The calling thread never changes
// namespace.
func Dial(ctx context.Context, opts ...Option) (*Conn, error) {
	o := options{nsFD: -1}
	for _, opt := range opts {
		opt(&o)
	}
	if o.nsPath != "" {
		fd, err := unix.Open(o.nsPath, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return nil, fmt.Errorf("xfrm: open network namespace %s: %w", o.nsPath, err)
		}
		defer unix.Close(fd)
		o.nsFD = fd
	}
	nl, err := nlconn.Dial(ctx, unix.NETLINK_XFRM, nlconn.Config{NetNS: o.nsFD, DumpRetries: o.dumpRetries})
	if err != nil {
		return nil, fmt.Errorf("xfrm: %w", err)
	}
	return &Conn{nl: nl, nsFD: nl.NetNSFD()}, nil
}

// Close closes the connection.
func (c *Conn) Close() error { return c.nl.Close() }

// withConn runs fn on a connection to the calling thread's namespace that
// lives for the call: the package-level functions use it.
func withConn[T any](ctx context.Context, fn func(*Conn) (T, error)) (T, error) {
	c, err := Dial(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	defer c.Close()
	return fn(c)
}

// withConnSeq streams what seq streams on a connection to the calling
// thread's namespace that lives as long as the stream.
func withConnSeq[T any](ctx context.Context, seq func(*Conn) iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		c, err := Dial(ctx)
		if err != nil {
			var zero T
			yield(zero, err)
			return
		}
		defer c.Close()
		for v, err := range seq(c) {
			if !yield(v, err) {
				return
			}
		}
	}
}

// yieldDump sends a dump request and yields the values decode keeps until
// yield asks to stop; an error is yielded last. It is the streaming
// counterpart of nlconn.Collect.
func yieldDump[T any](ctx context.Context, c *Conn, op string, typ uint16, req []byte,
	decode func(nlconn.Message) (T, bool, error), yield func(T, error) bool) {
	for m, err := range c.nl.Dump(ctx, op, typ, 0, req) {
		if err != nil {
			var zero T
			yield(zero, err)
			return
		}
		v, keep, err := decode(m)
		if err != nil {
			var zero T
			yield(zero, fmt.Errorf("%s: %w", op, err))
			return
		}
		if keep && !yield(v, nil) {
			return
		}
	}
}

// execute sends a request the kernel acknowledges.
func (c *Conn) execute(ctx context.Context, op string, typ, flags uint16, req []byte) error {
	return c.nl.Execute(ctx, op, typ, flags, req, nil)
}

// errNoReply reports a request the kernel acknowledged without the object
// it should have returned.
func errNoReply(op string) error {
	return fmt.Errorf("%s: the kernel acknowledged without a reply", op)
}
