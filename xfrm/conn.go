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
	nl *nlconn.Conn
}

// An Option configures [Dial].
type Option func(*options)

// options are the settings of the connection Dial opens.
type options = nlconn.Config

// WithNetNS binds the connection to the network namespace of the open file
// descriptor fd (of /run/netns/NAME, /proc/PID/ns/net, …). Dial makes a
// copy of the descriptor: the caller may close fd afterwards.
func WithNetNS(fd int) Option {
	return func(o *options) { o.NetNS, o.NetNSPath = fd, "" }
}

// WithNetNSPath binds the connection to the network namespace at path, such
// as /run/netns/NAME or /proc/PID/ns/net.
func WithNetNSPath(path string) Option {
	return func(o *options) { o.NetNS, o.NetNSPath = -1, path }
}

// WithDumpRetries makes the slice-returning lists dump again, up to n times,
// when the kernel reports that a dump was interrupted by a change
// (NLM_F_DUMP_INTR). Without it, or when every try is interrupted, they
// return the data with an error matching [ErrDumpInterrupted].
func WithDumpRetries(n int) Option {
	return func(o *options) { o.DumpRetries = n }
}

// Dial opens a connection. Without a namespace option it is bound to the
// network namespace of the calling thread. The calling thread never changes
// namespace.
func Dial(ctx context.Context, opts ...Option) (*Conn, error) {
	o := options{NetNS: -1}
	for _, opt := range opts {
		opt(&o)
	}
	nl, err := nlconn.Dial(ctx, unix.NETLINK_XFRM, o)
	if err != nil {
		return nil, fmt.Errorf("xfrm: %w", err)
	}
	return &Conn{nl: nl}, nil
}

// Close closes the connection.
func (c *Conn) Close() error { return c.nl.Close() }

// withConn runs fn on a connection to the calling thread's namespace that
// lives for the call: the package-level functions use it.
func withConn[T any](ctx context.Context, fn func(*Conn) (T, error)) (T, error) {
	return nlconn.WithConn(ctx, dialHere, fn)
}

// dialHere opens a connection to the calling thread's namespace.
func dialHere(ctx context.Context) (*Conn, error) { return Dial(ctx) }

// withConnSeq streams what seq streams on a connection to the calling
// thread's namespace that lives as long as the stream.
func withConnSeq[T any](ctx context.Context, seq func(*Conn) iter.Seq2[T, error]) iter.Seq2[T, error] {
	return nlconn.WithConnSeq(ctx, dialHere, seq)
}

// yieldDump streams a dump on c with [nlconn.YieldDump]: it yields the
// values decode keeps until yield asks to stop, and an error last. It is the
// streaming counterpart of nlconn.Collect.
func yieldDump[T any](ctx context.Context, c *Conn, op string, typ uint16, req []byte,
	decode func(nlconn.Message) (T, bool, error), yield func(T, error) bool) {
	nlconn.YieldDump(ctx, c.nl, op, typ, req, decode, yield)
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
