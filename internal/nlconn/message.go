package nlconn

import (
	"fmt"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/attrs"
)

// HeaderLen is the size of a netlink message header (struct nlmsghdr).
const HeaderLen = unix.SizeofNlMsghdr

// A Message is one netlink message.
type Message struct {
	Type   uint16
	Flags  uint16
	Seq    uint32
	PortID uint32
	// Data is the payload after the header. In a received message it aliases
	// the socket's receive buffer and is valid only until the next receive.
	Data []byte
}

// PutHeader writes to b the netlink header of a message of length n, with
// its type, flags, sequence number and port id.
func PutHeader(b []byte, n int, typ, flags uint16, seq, portID uint32) {
	native.Endian.PutUint32(b[0:], uint32(n))
	native.Endian.PutUint16(b[4:], typ)
	native.Endian.PutUint16(b[6:], flags)
	native.Endian.PutUint32(b[8:], seq)
	native.Endian.PutUint32(b[12:], portID)
}

// ParseMessage splits the first netlink message off b, returning it and the
// bytes after it (from the next 4-byte boundary). A message whose length
// does not fit b is an error.
func ParseMessage(b []byte) (Message, []byte, error) {
	n, err := messageLen(b)
	if err != nil {
		return Message{}, nil, err
	}
	return headerOf(b, n), b[min(attrs.Align(n), len(b)):], nil
}

// messageLen returns the length of the message at the start of b, checked
// to fit b.
func messageLen(b []byte) (int, error) {
	if len(b) < HeaderLen {
		return 0, fmt.Errorf("netlink: %d bytes left, too short for a message header", len(b))
	}
	n := int(native.Endian.Uint32(b))
	if n < HeaderLen || n > len(b) {
		return 0, fmt.Errorf("netlink: message length %d does not fit the %d bytes received", n, len(b))
	}
	return n, nil
}

// headerOf returns the message of length n at the start of b, which must
// hold it. Its fields are read straight from b, not through a copy of the
// header: building the Message field by field on the stack and copying it
// stalls the processor on every message of a dump.
func headerOf(b []byte, n int) Message {
	return Message{
		Type:   native.Endian.Uint16(b[4:]),
		Flags:  native.Endian.Uint16(b[6:]),
		Seq:    native.Endian.Uint32(b[8:]),
		PortID: native.Endian.Uint32(b[12:]),
		Data:   b[HeaderLen:n:n],
	}
}

// Extended-ack attribute types (enum nlmsgerr_attrs).
const (
	ackAttrMsg  = 1 // NLMSGERR_ATTR_MSG
	ackAttrOffs = 2 // NLMSGERR_ATTR_OFFS
)

// ParseError decodes the payload of an NLMSG_ERROR message (or of an
// NLMSG_DONE that closes a dump) with the given header flags. It returns nil
// for an acknowledgement (errno 0), and a *nlkit.Error otherwise.
func ParseError(op string, m Message) error {
	if len(m.Data) < 4 {
		return fmt.Errorf("%s: netlink: truncated error message (%d bytes)", op, len(m.Data))
	}
	errno := -int32(native.Endian.Uint32(m.Data))
	if errno == 0 {
		return nil
	}
	e := &nlkit.Error{Op: op, Errno: unix.Errno(errno)}
	if m.Flags&unix.NLM_F_ACK_TLVS == 0 {
		return e
	}
	tlvs := m.Data[4:]
	if m.Type == unix.NLMSG_ERROR {
		// The request's header, and its payload unless the kernel capped it,
		// come before the extended-ack attributes.
		if len(tlvs) < HeaderLen {
			return e
		}
		skip := HeaderLen
		if m.Flags&unix.NLM_F_CAPPED == 0 {
			n := native.Endian.Uint32(tlvs)
			if n < HeaderLen || n > uint32(len(tlvs)) {
				return e
			}
			skip = attrs.Align(int(n))
		}
		if skip > len(tlvs) {
			return e
		}
		tlvs = tlvs[skip:]
	}
	for d := attrs.NewDecoder(tlvs); d.Next(); {
		switch d.Type() {
		case ackAttrMsg:
			e.Message = d.String()
		case ackAttrOffs:
			e.Offset = int(d.Uint32())
		}
	}
	return e
}
