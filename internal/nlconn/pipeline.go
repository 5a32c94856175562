package nlconn

import (
	"context"
	"fmt"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// pipelineWindow is how many requests Pipeline sends before it reads their
// acknowledgements: few enough that the acknowledgements, even of failures
// that echo the request, fit a socket's default receive buffer, which the
// kernel would otherwise overrun and drop them from.
const pipelineWindow = 128

// pipelineDatagram caps the bytes of requests Pipeline sends in one
// datagram.
const pipelineDatagram = 32 << 10

// Pipeline sends the request messages laid back to back in msgs, each a
// netlink header (with its length, type and flags set) and its payload,
// many per datagram on one socket, and reads their acknowledgements in
// batches. It sets each header's sequence number and port id, and adds
// NLM_F_REQUEST and NLM_F_ACK to its flags, in place.
//
// The kernel handles each request on its own: one that fails does not stop
// the others. ack is called with the index of each request, in order, and
// its acknowledgement (an NLMSG_ERROR message, which aliases the receive
// buffer for the call only; see [ParseError]). Pipeline returns an error,
// prefixed with op, when msgs is malformed or the exchange fails; the
// requests not acknowledged by then may or may not have been applied.
func (c *Conn) Pipeline(ctx context.Context, op string, msgs []byte, ack func(i int, m Message)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkMessages(msgs); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	s, err := c.get()
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	err = s.pipeline(ctx, msgs, ack)
	c.put(s, err == nil)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// checkMessages checks that msgs is a sequence of whole messages.
func checkMessages(msgs []byte) error {
	for i := 0; len(msgs) > 0; i++ {
		if len(msgs) < HeaderLen {
			return fmt.Errorf("netlink: request %d: %d bytes, too short for a header", i, len(msgs))
		}
		n := int(native.Endian.Uint32(msgs))
		if n < HeaderLen || n > len(msgs) {
			return fmt.Errorf("netlink: request %d: length %d does not fit the %d bytes left", i, n, len(msgs))
		}
		msgs = msgs[min(attrs.Align(n), len(msgs)):]
	}
	return nil
}

// pipeline sends msgs, whole messages, a window at a time, and reads each
// window's acknowledgements before it sends the next.
func (s *socket) pipeline(ctx context.Context, msgs []byte, ack func(i int, m Message)) error {
	first := s.seq + 1
	sent, acked, largest := 0, 0, 0
	for len(msgs) > 0 || acked < sent {
		if acked == sent {
			// A done ctx stops the pipeline between windows: the
			// acknowledgements of a window are queued by the time they
			// are read, so no receive waits, and none would see ctx.
			if err := ctx.Err(); err != nil {
				return err
			}
			n, k := 0, 0
			for n < len(msgs) && k < pipelineWindow && n < pipelineDatagram {
				l := int(native.Endian.Uint32(msgs[n:]))
				largest = max(largest, l)
				flags := native.Endian.Uint16(msgs[n+6:]) | unix.NLM_F_REQUEST | unix.NLM_F_ACK
				native.Endian.PutUint16(msgs[n+6:], flags)
				native.Endian.PutUint32(msgs[n+8:], first+uint32(sent+k))
				native.Endian.PutUint32(msgs[n+12:], 0)
				n = min(n+attrs.Align(l), len(msgs))
				k++
			}
			if err := s.write(msgs[:n]); err != nil {
				return fmt.Errorf("netlink send: %w", err)
			}
			msgs = msgs[n:]
			sent += k
			s.seq = first + uint32(sent) - 1
		}
		b, err := s.receiveAck(ctx, largest)
		if err != nil {
			return fmt.Errorf("netlink receive: %w", err)
		}
		for len(b) > 0 {
			var m Message
			m, b, err = ParseMessage(b)
			if err != nil {
				return err
			}
			i := m.Seq - first
			if m.PortID != s.portID || i >= uint32(sent) || m.Type != unix.NLMSG_ERROR {
				continue
			}
			ack(int(i), m)
			acked++
		}
	}
	return nil
}
