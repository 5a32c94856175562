package rtnl

import (
	"context"
	"fmt"
	"io"
	"iter"

	"golang.org/x/sys/unix"
)

// ruleSaveMagic is the magic number that starts the file of `ip rule
// save`, as iproute2 6.1 writes it.
const ruleSaveMagic uint32 = 0x71706986

// savedRulesWhat names a rule dump in errors.
const savedRulesWhat = "saved rules"

// SaveRules writes the rules that pass the filters (every rule of every
// family without any) to w in the format of `ip rule save`: ip rule
// restore reads what it writes, and [Conn.RestoreRules] and
// [ReadSavedRules] what ip rule save writes. The messages are the kernel's
// dump reply, unchanged. `ip rule save` without options saves the IPv4
// rules: SaveRules(ctx, w, FilterRuleFamily(unix.AF_INET)).
//
// An invalid filter is an [*InvalidError]. A dump the kernel reports
// interrupted gives an error matching [ErrDumpInterrupted], after the rules
// read were written: the file may be inconsistent.
func (c *Conn) SaveRules(ctx context.Context, w io.Writer, filters ...RuleFilter) error {
	f, err := newRuleFilter(filters)
	if err != nil {
		return err
	}
	if err := writeSavedMagic(w, ruleSaveMagic); err != nil {
		return fmt.Errorf("rtnl: save rules: %w", err)
	}
	var buf []byte
	for m, err := range c.nl.Dump(ctx, "rtnl: save rules", unix.RTM_GETRULE, 0, ruleDumpRequest(&f)) {
		if err != nil {
			return err
		}
		r, keep, err := decodeRuleMessage(m)
		if err != nil {
			return fmt.Errorf("rtnl: save rules: %w", err)
		}
		if !keep || !f.match(&r) {
			continue
		}
		if buf, err = writeSavedMessage(w, buf, m); err != nil {
			return fmt.Errorf("rtnl: save rules: %w", err)
		}
	}
	return nil
}

// SaveRules writes the rules of the calling thread's network namespace to
// w; see [Conn.SaveRules].
func SaveRules(ctx context.Context, w io.Writer, filters ...RuleFilter) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.SaveRules(ctx, w, filters...) })
	return err
}

// ReadSavedRules streams the rules of a file that `ip rule save` or
// [Conn.SaveRules] wrote, decoded as [Conn.Rules] decodes them. A file
// that does not start with the magic number of a rule dump, a malformed or
// truncated message, or a message other than RTM_NEWRULE ends the stream
// with an error.
func ReadSavedRules(r io.Reader) iter.Seq2[Rule, error] {
	return readSavedAs(r, savedRulesWhat, ruleSaveMagic, decodeSavedRule)
}

// decodeSavedRule decodes the rule of a saved message, which must be an
// RTM_NEWRULE.
func decodeSavedRule(m *SavedMessage) (Rule, error) {
	if m.Type != unix.RTM_NEWRULE {
		return Rule{}, fmt.Errorf("message type %d, want RTM_NEWRULE (%d)", m.Type, unix.RTM_NEWRULE)
	}
	return decodeRule(m.Data)
}

// RestoreRules adds the rules of a file that `ip rule save` or
// [Conn.SaveRules] wrote, as `ip rule restore` does: each message is sent
// back as it is, with NLM_F_CREATE (and NLM_F_REQUEST and NLM_F_ACK) added
// to its flags; the kernel skips the rules it has already, such as the
// local table's rule at priority 0.
//
// Unlike ip, RestoreRules reads and checks the whole file before it adds
// anything: a bad file ([ReadSavedRules] lists the errors) adds nothing,
// and r need not be seekable. The first error from the kernel stops the
// restore.
func (c *Conn) RestoreRules(ctx context.Context, r io.Reader) error {
	msgs, err := readAllSaved(r, savedRulesWhat, ruleSaveMagic, checkSaved(decodeSavedRule))
	if err != nil {
		return err
	}
	for i := range msgs {
		if err := c.restoreSaved(ctx, msgs, i, unix.RTM_NEWRULE, "rule"); err != nil {
			return err
		}
	}
	return nil
}

// RestoreRules adds the rules of a saved file to the calling thread's
// network namespace; see [Conn.RestoreRules].
func RestoreRules(ctx context.Context, r io.Reader) error {
	_, err := withConn(ctx, func(c *Conn) (struct{}, error) { return struct{}{}, c.RestoreRules(ctx, r) })
	return err
}
