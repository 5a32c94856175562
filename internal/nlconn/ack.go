package nlconn

import (
	"context"
	"errors"
	"fmt"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"
)

// Ack sends a request that the kernel acknowledges and that has no other
// reply, such as the addition of a route, and returns the kernel's answer:
// nil, or a *nlkit.Error. It does what [Conn.Execute] does without a reply
// function (it is Execute on a connection with Config.Echo), but names the
// operation only when there is an error to name:
// op is called then, and not retained, so that a request that succeeds
// costs no formatting.
//
// The payload is what encode appends to the slice it is given, which it
// returns: encode writes it straight into the socket's send buffer, so
// that a request costs no buffer of its own. An error of encode is
// returned as it is, and nothing is sent.
func (c *Conn) Ack(ctx context.Context, op func() string, typ, flags uint16, encode func(b []byte) ([]byte, error)) error {
	if c.echo != nil {
		payload, err := encode(nil)
		if err != nil {
			return err
		}
		return c.Execute(ctx, op(), typ, flags, payload, nil)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s, err := c.get()
	if err != nil {
		return fmt.Errorf("%s: %w", op(), err)
	}
	b, err := encode(s.sendBuf[:HeaderLen])
	if err != nil {
		c.put(s, true)
		return err
	}
	s.sendBuf = b[:0]
	seq, err := s.sendMessage(b, typ, flags|unix.NLM_F_ACK)
	if err != nil {
		c.put(s, false)
		return fmt.Errorf("%s: netlink send: %w", op(), err)
	}
	answer, err := s.awaitAck(ctx, seq, len(b))
	if err != nil {
		c.put(s, false)
		return fmt.Errorf("%s: netlink receive: %w", op(), err)
	}
	// The answer aliases the socket's receive buffer: it is read before
	// the socket goes back to the pool, where another goroutine may
	// receive into it at once.
	if len(answer.Data) >= 4 && native.Endian.Uint32(answer.Data) == 0 {
		err = nil
	} else {
		err = ParseError(op(), answer)
	}
	c.put(s, true)
	return err
}

// errNoAck reports a reply to a request that should only have been
// acknowledged.
var errNoAck = errors.New("netlink: a reply other than the acknowledgement")

// awaitAck reads until the acknowledgement (NLMSG_ERROR) of request seq,
// of requestLen bytes, skipping stray messages, and returns it. The
// message aliases the receive buffer.
func (s *socket) awaitAck(ctx context.Context, seq uint32, requestLen int) (Message, error) {
	for {
		b, err := s.receiveAck(ctx, requestLen)
		if err != nil {
			return Message{}, err
		}
		for len(b) > 0 {
			var m Message
			m, b, err = ParseMessage(b)
			if err != nil {
				return Message{}, err
			}
			if m.Seq != seq || m.PortID != s.portID {
				continue
			}
			switch m.Type {
			case unix.NLMSG_ERROR:
				return m, nil
			case unix.NLMSG_NOOP, unix.NLMSG_DONE:
				continue
			}
			return m, errNoAck
		}
	}
}
