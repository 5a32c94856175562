package genl

import (
	"context"
	"fmt"
	"iter"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// headerLen is the size of the generic netlink header (struct genlmsghdr):
// command, version and two reserved bytes.
const headerLen = 4

// A Message is one generic netlink message of a family.
type Message struct {
	// Command is the family's command (or event) number.
	Command uint8
	// Version is the family's interface version the message was built for.
	Version uint8
	// Data is the payload after the generic netlink header: the family's
	// own header, if it has one, then attributes. In a message given to a
	// callback or yielded by a stream it is valid only until the next one.
	Data []byte
}

// ParseMessage decodes a netlink message's payload as a generic netlink
// message.
func ParseMessage(b []byte) (Message, error) {
	if len(b) < headerLen {
		return Message{}, fmt.Errorf("generic netlink message too short: %d bytes", len(b))
	}
	return Message{Command: b[0], Version: b[1], Data: b[headerLen:]}, nil
}

// A Request is one command to a family.
type Request struct {
	// Op names the operation in errors, such as "mptcp: add endpoint".
	Op string
	// Family is the family's name, such as "mptcp_pm".
	Family string
	// Command is the family's command number.
	Command uint8
	// Version is the interface version sent; 0 sends the family's own.
	Version uint8
	// Flags are netlink flags to add (NLM_F_REQUEST, NLM_F_ACK and, for a
	// dump, NLM_F_DUMP are added for you).
	Flags uint16
	// Data is the payload after the generic netlink header, usually
	// attributes built with attrs.Encoder.
	Data []byte
}

// resolve returns the family and the netlink payload of the request.
func (c *Conn) resolve(ctx context.Context, r Request) (Family, []byte, error) {
	f, err := c.Family(ctx, r.Family)
	if err != nil {
		return Family{}, nil, err
	}
	v := r.Version
	if v == 0 {
		v = uint8(f.Version)
	}
	b := make([]byte, headerLen+len(r.Data))
	b[0], b[1] = r.Command, v
	copy(b[headerLen:], r.Data)
	return f, b, nil
}

// Execute sends a request that the kernel acknowledges and calls fn, unless
// it is nil, for each reply: the object a get command returns, for one. The
// message given to fn is valid only during the call.
func (c *Conn) Execute(ctx context.Context, r Request, fn func(Message) error) error {
	f, payload, err := c.resolve(ctx, r)
	if err != nil {
		return err
	}
	return c.nl.Execute(ctx, r.Op, f.ID, r.Flags, payload, func(m nlconn.Message) error {
		if fn == nil || m.Type != f.ID {
			return nil
		}
		gm, err := ParseMessage(m.Data)
		if err != nil {
			return fmt.Errorf("%s: %w", r.Op, err)
		}
		return fn(gm)
	})
}

// Dump sends a dump request and yields the messages of the reply as they
// arrive; each is valid only until the iterator is resumed. A dump the
// kernel marks as interrupted ends with an error matching
// [ErrDumpInterrupted] after all its messages.
func (c *Conn) Dump(ctx context.Context, r Request) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		f, payload, err := c.resolve(ctx, r)
		if err != nil {
			yield(Message{}, err)
			return
		}
		for m, err := range c.nl.Dump(ctx, r.Op, f.ID, r.Flags, payload) {
			if err != nil {
				yield(Message{}, err)
				return
			}
			if m.Type != f.ID {
				continue
			}
			gm, err := ParseMessage(m.Data)
			if err != nil {
				yield(Message{}, fmt.Errorf("%s: %w", r.Op, err))
				return
			}
			if !yield(gm, nil) {
				return
			}
		}
	}
}

// Collect dumps and decodes every message with decode, which returns false
// for a message to leave out. When the kernel reports the dump interrupted,
// Collect dumps again as [WithDumpRetries] allows; if the last try was
// interrupted too, it returns that try's values with an error matching
// [ErrDumpInterrupted].
func Collect[T any](ctx context.Context, c *Conn, r Request, decode func(Message) (T, bool, error)) ([]T, error) {
	f, payload, err := c.resolve(ctx, r)
	if err != nil {
		return nil, err
	}
	return nlconn.Collect(ctx, c.nl, r.Op, f.ID, r.Flags, payload, func(m nlconn.Message) (T, bool, error) {
		var zero T
		if m.Type != f.ID {
			return zero, false, nil
		}
		gm, err := ParseMessage(m.Data)
		if err != nil {
			return zero, false, err
		}
		return decode(gm)
	})
}

// Stream dumps and yields, as the reply arrives, the values decode keeps. An
// error (the dump's, or decode's) is yielded last. It is the streaming
// counterpart of [Collect].
func Stream[T any](ctx context.Context, c *Conn, r Request, decode func(Message) (T, bool, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		for m, err := range c.Dump(ctx, r) {
			if err != nil {
				yield(zero, err)
				return
			}
			v, keep, err := decode(m)
			if err != nil {
				yield(zero, fmt.Errorf("%s: %w", r.Op, err))
				return
			}
			if keep && !yield(v, nil) {
				return
			}
		}
	}
}
