package genl

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// A Conn is a generic netlink connection bound to one network namespace. It
// keeps the families it has resolved, so that each is asked for once. It is
// safe for concurrent use: goroutines that use it at the same time each get a
// socket of their own.
type Conn struct {
	nl *nlconn.Conn

	mu       sync.Mutex
	families map[string]Family // resolved families, by name
}

// An Option configures [Dial].
type Option func(*options)

// options are the settings of the connection Dial opens.
type options = nlconn.Config

// WithNetNS binds the connection to the network namespace of the open file
// descriptor fd (of /run/netns/NAME, /proc/PID/ns/net, …). Dial makes a copy
// of the descriptor: the caller may close fd afterwards. The connection keeps
// the namespace alive until it is closed.
func WithNetNS(fd int) Option {
	return func(o *options) { o.NetNS, o.NetNSPath = fd, "" }
}

// WithNetNSPath binds the connection to the network namespace at path, such
// as /run/netns/NAME or /proc/PID/ns/net.
func WithNetNSPath(path string) Option {
	return func(o *options) { o.NetNS, o.NetNSPath = -1, path }
}

// WithDumpRetries makes [Collect] dump again, up to n times, when the kernel
// reports that a dump was interrupted by a change (NLM_F_DUMP_INTR). Without
// it, or when every try is interrupted, Collect returns the data with an
// error matching [ErrDumpInterrupted]. Streaming dumps never retry.
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
	nl, err := nlconn.Dial(ctx, unix.NETLINK_GENERIC, o)
	if err != nil {
		return nil, fmt.Errorf("genl: %w", err)
	}
	return &Conn{nl: nl, families: make(map[string]Family)}, nil
}

// Close closes the connection.
func (c *Conn) Close() error { return c.nl.Close() }

// withConn runs fn on a connection to the calling thread's network namespace
// that lives for the call: the package-level functions use it.
func withConn[T any](ctx context.Context, fn func(*Conn) (T, error)) (T, error) {
	return nlconn.WithConn(ctx, dialHere, fn)
}

// dialHere opens a connection to the calling thread's namespace.
func dialHere(ctx context.Context) (*Conn, error) { return Dial(ctx) }

// WithNetNSFD calls fn with the descriptor of the network namespace the
// Conn is bound to, for work in that namespace over other netlink families
// (such as naming links with rtnl). The descriptor is owned by the Conn and
// valid during the call, which Close waits for; after Close, WithNetNSFD
// returns an error without calling fn. Do not close it or keep it.
func (c *Conn) WithNetNSFD(fn func(nsFD int) error) error { return c.nl.WithNetNSFD(fn) }
