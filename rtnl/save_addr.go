package rtnl

import (
	"context"
	"fmt"
	"io"
	"iter"

	"golang.org/x/sys/unix"
)

// savedAddrsWhat names an address dump in errors.
const savedAddrsWhat = "saved addresses"

// SaveAddresses writes the addresses that pass the filters (every address,
// of every family, without any) to w in the format of `ip addr save`: ip
// addr restore and ip addr showdump read what it writes, and
// [Conn.RestoreAddresses] and [ReadSavedAddresses] what ip addr save
// writes. The messages are the kernel's dump reply, unchanged.
//
// ip addr save applies only its family and device selectors, in the
// kernel; SaveAddresses applies every filter, the kernel the family and
// link ones. A dump the kernel reports interrupted gives an error matching
// [ErrDumpInterrupted], after the addresses read were written: the file
// may be inconsistent.
func (c *Conn) SaveAddresses(ctx context.Context, w io.Writer, filters ...AddrFilter) error {
	f, err := newAddrFilter(filters)
	if err != nil {
		return err
	}
	links, err := c.addrLinks(ctx, &f)
	if err != nil {
		return err
	}
	if err := writeSavedMagic(w, addrSaveMagic); err != nil {
		return fmt.Errorf("rtnl: save addresses: %w", err)
	}
	var buf []byte
	for m, err := range c.nl.Dump(ctx, "rtnl: save addresses", unix.RTM_GETADDR, 0, addrDumpRequest(&f)) {
		if err != nil {
			return err
		}
		if m.Type != unix.RTM_NEWADDR {
			continue
		}
		a, err := decodeAddress(m.Data)
		if err != nil {
			return fmt.Errorf("rtnl: save addresses: %w", err)
		}
		if !f.match(&a, links) {
			continue
		}
		if buf, err = writeSavedMessage(w, buf, m); err != nil {
			return fmt.Errorf("rtnl: save addresses: %w", err)
		}
	}
	return nil
}

// SaveAddresses writes the addresses of the calling thread's network
// namespace to w; see [Conn.SaveAddresses].
func SaveAddresses(ctx context.Context, w io.Writer, filters ...AddrFilter) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.SaveAddresses(ctx, w, filters...) })
	return err
}

// ReadSavedAddresses streams the addresses of a file that `ip addr save` or
// [Conn.SaveAddresses] wrote, decoded as [Conn.Addresses] decodes them:
// what `ip addr showdump` prints. A file that does not start with the
// magic number of an address dump, a malformed or truncated message, or a
// message other than RTM_NEWADDR ends the stream with an error.
func ReadSavedAddresses(r io.Reader) iter.Seq2[Address, error] {
	return readSavedAs(r, savedAddrsWhat, addrSaveMagic, decodeSavedAddr)
}

// decodeSavedAddr decodes the address of a saved message, which must be an
// RTM_NEWADDR.
func decodeSavedAddr(m *SavedMessage) (Address, error) {
	if m.Type != unix.RTM_NEWADDR {
		return Address{}, fmt.Errorf("message type %d, want RTM_NEWADDR (%d)", m.Type, unix.RTM_NEWADDR)
	}
	return decodeAddress(m.Data)
}

// RestoreAddresses adds the addresses of a file that `ip addr save` or
// [Conn.SaveAddresses] wrote, as `ip addr restore` does: each message is
// sent back as it is, with NLM_F_CREATE (and NLM_F_REQUEST and NLM_F_ACK)
// added to its flags, and addresses that exist already are skipped.
//
// Unlike ip, RestoreAddresses reads and checks the whole file before it
// adds anything: a bad file ([ReadSavedAddresses] lists the errors) adds
// nothing. Links are named by index only, as with ip: restoring into a
// namespace whose links have other indexes fails with an error matching
// [ErrNotExist], or adds the addresses to the wrong links. The first other
// error from the kernel stops the restore.
func (c *Conn) RestoreAddresses(ctx context.Context, r io.Reader) error {
	msgs, err := readAllSaved(r, savedAddrsWhat, addrSaveMagic, checkSaved(decodeSavedAddr))
	if err != nil {
		return err
	}
	for i := range msgs {
		if err := c.restoreSaved(ctx, msgs, i, unix.RTM_NEWADDR, "address"); err != nil {
			return err
		}
	}
	return nil
}

// RestoreAddresses adds the addresses of a saved file to the calling
// thread's network namespace; see [Conn.RestoreAddresses].
func RestoreAddresses(ctx context.Context, r io.Reader) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.RestoreAddresses(ctx, r) })
	return err
}
