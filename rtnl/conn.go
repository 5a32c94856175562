package rtnl

import (
	"context"
	"fmt"
	"iter"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// A Conn is an rtnetlink connection bound to one network namespace. It is
// safe for concurrent use: goroutines that use it at the same time each get
// a socket of their own.
type Conn struct {
	nl *nlconn.Conn
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
// copy of the descriptor: the caller may close fd afterwards. The
// connection keeps the namespace alive until it is closed.
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
// return the data with an error matching [ErrDumpInterrupted]. Streaming
// lists never retry: they end with that error.
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
			return nil, fmt.Errorf("rtnl: open network namespace %s: %w", o.nsPath, err)
		}
		defer unix.Close(fd)
		o.nsFD = fd
	}
	nl, err := nlconn.Dial(ctx, unix.NETLINK_ROUTE, nlconn.Config{NetNS: o.nsFD, DumpRetries: o.dumpRetries})
	if err != nil {
		return nil, fmt.Errorf("rtnl: %w", err)
	}
	return &Conn{nl: nl}, nil
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
// thread's namespace that lives as long as the stream: the package-level
// streaming functions use it.
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

// yieldDump sends a dump request and yields, as the reply arrives, the
// values decode keeps, until yield asks to stop. An error (the dump's, or
// decode's, prefixed with op) is yielded last. It is the streaming
// counterpart of nlconn.Collect, which the slice-returning lists use with
// the same decode.
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

// keepMatching returns decode with the values it keeps narrowed to those
// match accepts: a list's decoder with its filter applied.
func keepMatching[T any](decode func(nlconn.Message) (T, bool, error), match func(*T) bool) func(nlconn.Message) (T, bool, error) {
	// One value, reused, is what match sees: a pointer to a new one each
	// time would move each to the heap.
	v := new(T)
	return func(m nlconn.Message) (T, bool, error) {
		var keep bool
		var err error
		*v, keep, err = decode(m)
		return *v, keep && match(v), err
	}
}
