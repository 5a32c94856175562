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

// options are the settings of the connection Dial opens.
type options = nlconn.Config

// WithNetNS binds the connection to the network namespace of the open file
// descriptor fd (of /run/netns/NAME, /proc/PID/ns/net, …). Dial makes a
// copy of the descriptor: the caller may close fd afterwards. The
// connection keeps the namespace alive until it is closed.
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
// return the data with an error matching [ErrDumpInterrupted]. Streaming
// lists never retry: they end with that error.
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
	nl, err := nlconn.Dial(ctx, unix.NETLINK_ROUTE, o)
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
	return nlconn.WithConn(ctx, dialHere, fn)
}

// dialHere opens a connection to the calling thread's namespace.
func dialHere(ctx context.Context) (*Conn, error) { return Dial(ctx) }

// withConnSeq streams what seq streams on a connection to the calling
// thread's namespace that lives as long as the stream: the package-level
// streaming functions use it.
func withConnSeq[T any](ctx context.Context, seq func(*Conn) iter.Seq2[T, error]) iter.Seq2[T, error] {
	return nlconn.WithConnSeq(ctx, dialHere, seq)
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
