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
func (c *Conn) Ack(ctx context.Context, op func() string, typ, flags uint16, payload []byte) error {
	if c.echo != nil {
		return c.Execute(ctx, op(), typ, flags, payload, nil)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s, err := c.get()
	if err != nil {
		return fmt.Errorf("%s: %w", op(), err)
	}
	stop := s.watch(ctx)
	seq, err := s.send(typ, flags|unix.NLM_F_ACK, payload)
	if err != nil {
		c.release(s, stop, false)
		return fmt.Errorf("%s: netlink send: %w", op(), ctxError(ctx, err))
	}
	answer, err := s.awaitAck(seq, HeaderLen+len(payload))
	c.release(s, stop, err == nil)
	if err != nil {
		return fmt.Errorf("%s: netlink receive: %w", op(), ctxError(ctx, err))
	}
	if len(answer.Data) >= 4 && native.Endian.Uint32(answer.Data) == 0 {
		return nil
	}
	return ParseError(op(), answer)
}

// release disarms the context watch and returns the socket to the pool;
// complete says whether every reply of its request was read.
func (c *Conn) release(s *socket, stop func() bool, complete bool) {
	if stop != nil && !stop() {
		complete = false // the context fired: a deadline is left on the socket
	}
	c.put(s, complete)
}

// errNoAck reports a reply to a request that should only have been
// acknowledged.
var errNoAck = errors.New("netlink: a reply other than the acknowledgement")

// awaitAck reads until the acknowledgement (NLMSG_ERROR) of request seq,
// of requestLen bytes, skipping stray messages, and returns it. The
// message aliases the receive buffer.
func (s *socket) awaitAck(seq uint32, requestLen int) (Message, error) {
	for {
		b, err := s.receiveAck(requestLen)
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
