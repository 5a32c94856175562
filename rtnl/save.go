package rtnl

import (
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/josharian/native"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// This file holds the format of the files `ip addr save` and `ip route
// save` write, which save_addr.go and save_route.go read and write: a
// 32-bit magic number in host byte order, then the netlink messages of the
// dump as the kernel sent them, header included, each nlmsg_len bytes long
// and padded to 4 bytes, with no terminator. Like ip's, the files are not
// portable between machines of different byte orders.

// The magic numbers that start a saved dump.
const (
	addrSaveMagic  uint32 = 0x47361222
	routeSaveMagic uint32 = 0x45311224
)

// savedMessageMax is the largest message ip reads back from a saved dump:
// larger ones are malformed to it.
const savedMessageMax = 16384

// A SavedMessage is one netlink message of a saved dump: its header's
// fields and its payload (the family header and the attributes).
type SavedMessage struct {
	Type, Flags uint16
	Seq, PortID uint32
	// Data is the payload. Each message read has a copy of its own.
	Data []byte
}

// writeSavedMagic writes the magic number that starts a saved dump.
func writeSavedMagic(w io.Writer, magic uint32) error {
	var b [4]byte
	native.Endian.PutUint32(b[:], magic)
	_, err := w.Write(b[:])
	return err
}

// writeSavedMessage writes m as ip does: the netlink header and the
// payload, padded to 4 bytes (which the kernel's messages always are).
func writeSavedMessage(w io.Writer, buf []byte, m nlconn.Message) ([]byte, error) {
	n := nlconn.HeaderLen + len(m.Data)
	if n > savedMessageMax {
		return buf, fmt.Errorf("message of %d bytes: ip reads no more than %d", n, savedMessageMax)
	}
	buf = append(buf[:0], make([]byte, nlconn.HeaderLen)...)
	nlconn.PutHeader(buf, n, m.Type, m.Flags, m.Seq, m.PortID)
	buf = append(buf, m.Data...)
	buf = append(buf, make([]byte, attrs.Align(n)-n)...)
	_, err := w.Write(buf)
	return buf, err
}

// errSavedMagic reports a file that does not start with the magic number
// of the dump expected.
func errSavedMagic(what string, got, want uint32) error {
	return fmt.Errorf("rtnl: not %s saved by ip: magic number %#08x, want %#08x", what, got, want)
}

// readSaved reads a saved dump of the given magic number as ip does,
// yielding its messages one at a time: it stops at the end of the input on
// a message boundary, and yields an error for a missing or wrong magic
// number, a message length below the header's or above what ip reads, and
// input that ends inside a message.
func readSaved(r io.Reader, what string, magic uint32) iter.Seq2[SavedMessage, error] {
	return func(yield func(SavedMessage, error) bool) {
		var hdr [nlconn.HeaderLen]byte
		if _, err := io.ReadFull(r, hdr[:4]); err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				err = fmt.Errorf("rtnl: reading %s: no magic number: %w", what, io.ErrUnexpectedEOF)
			}
			yield(SavedMessage{}, err)
			return
		}
		if got := native.Endian.Uint32(hdr[:]); got != magic {
			yield(SavedMessage{}, errSavedMagic(what, got, magic))
			return
		}
		for off := 4; ; {
			_, err := io.ReadFull(r, hdr[:])
			if errors.Is(err, io.EOF) {
				return // the end, on a message boundary
			}
			if err != nil {
				yield(SavedMessage{}, savedReadError(what, off, err))
				return
			}
			n := native.Endian.Uint32(hdr[:])
			if n < nlconn.HeaderLen || n > savedMessageMax {
				yield(SavedMessage{}, fmt.Errorf("rtnl: reading %s: malformed message at byte %d: length %d", what, off, n))
				return
			}
			m := SavedMessage{
				Type:   native.Endian.Uint16(hdr[4:]),
				Flags:  native.Endian.Uint16(hdr[6:]),
				Seq:    native.Endian.Uint32(hdr[8:]),
				PortID: native.Endian.Uint32(hdr[12:]),
			}
			body := make([]byte, attrs.Align(int(n)-nlconn.HeaderLen))
			if _, err := io.ReadFull(r, body); err != nil {
				yield(SavedMessage{}, savedReadError(what, off, err))
				return
			}
			m.Data = body[:int(n)-nlconn.HeaderLen]
			if !yield(m, nil) {
				return
			}
			off += nlconn.HeaderLen + len(body)
		}
	}
}

// readSavedAs reads a saved dump of the given magic number as readSaved
// does, yielding each message decoded: a message decode fails on ends the
// stream with an error that names it.
func readSavedAs[T any](r io.Reader, what string, magic uint32, decode func(*SavedMessage) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		i := 0
		for m, err := range readSaved(r, what, magic) {
			var v T
			if err == nil {
				i++
				if v, err = decode(&m); err != nil {
					err = fmt.Errorf("rtnl: reading %s: message %d: %w", what, i, err)
				}
			}
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

// savedReadError describes a read error at the message that starts at byte
// off, a truncated message for an unexpected end of the input.
func savedReadError(what string, off int, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("rtnl: reading %s: truncated message at byte %d: %w", what, off, io.ErrUnexpectedEOF)
	}
	return fmt.Errorf("rtnl: reading %s: %w", what, err)
}

// readAllSaved reads every message of a saved dump, checking each with
// check, before anything is restored from it.
func readAllSaved(r io.Reader, what string, magic uint32, check func(*SavedMessage) error) ([]SavedMessage, error) {
	var msgs []SavedMessage
	for m, err := range readSaved(r, what, magic) {
		if err != nil {
			return nil, err
		}
		if err := check(&m); err != nil {
			return nil, fmt.Errorf("rtnl: reading %s: message %d: %w", what, len(msgs)+1, err)
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}
