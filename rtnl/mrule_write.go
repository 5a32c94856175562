package rtnl

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// This file adds and deletes the multicast routing policy rules, as
// `ip mrule add|del|flush` does: the requests of [Conn.AddRule] and
// [Conn.DeleteRule] with the multicast routing family of r.Family.

// AddMulticastRule adds the multicast routing rule r describes, as
// `ip [-6] mrule add` does: a [Rule] of Family unix.AF_INET or
// unix.AF_INET6 (zero for IPv4), whose Table is a multicast routing table,
// checked and sent as [Conn.AddRule] does. A kernel without multicast
// policy routing gives an error matching [ErrNotSupported]; an existing
// rule, one matching [ErrExist].
func (c *Conn) AddMulticastRule(ctx context.Context, r Rule) error {
	req, err := mruleRequest(&r, false)
	if err != nil {
		return err
	}
	return c.nl.Execute(ctx, ruleOp("add multicast", &r), unix.RTM_NEWRULE, nlmRuleAdd, req, nil)
}

// DeleteMulticastRule deletes the first multicast routing rule that
// matches what r sets, as `ip [-6] mrule del` does; see
// [Conn.DeleteRule]. No matching rule gives an error matching
// [ErrNotExist].
func (c *Conn) DeleteMulticastRule(ctx context.Context, r Rule) error {
	req, err := mruleRequest(&r, true)
	if err != nil {
		return err
	}
	return c.nl.Execute(ctx, ruleOp("delete multicast", &r), unix.RTM_DELRULE, 0, req, nil)
}

// FlushMulticastRules deletes the multicast routing rules of unix.AF_INET
// or unix.AF_INET6, as `ip [-6] mrule flush` does: every rule with a
// priority, the default one at 32767 included. Rules that are gone by the
// time they are deleted are skipped; a dump the kernel reports interrupted
// is done again after the deletions, up to 10 times.
func (c *Conn) FlushMulticastRules(ctx context.Context, family uint8) error {
	req, err := mruleDumpRequest(family)
	if err != nil {
		return err
	}
	for round := 0; ; round++ {
		var dels [][]byte
		var dumpErr error
		for m, err := range c.nl.Dump(ctx, "rtnl: flush multicast rules", unix.RTM_GETRULE, 0, req) {
			if err != nil {
				dumpErr = err
				break
			}
			if m.Type != unix.RTM_NEWRULE {
				continue
			}
			r, err := decodeMulticastRule(m.Data)
			if err != nil {
				return fmt.Errorf("rtnl: flush multicast rules: %w", err)
			}
			if r.Priority != 0 {
				// As ip does, delete with the rule as the kernel sent it.
				dels = append(dels, bytes.Clone(m.Data))
			}
		}
		interrupted := errors.Is(dumpErr, ErrDumpInterrupted)
		if dumpErr != nil && (!interrupted || round == flushRounds-1) {
			return dumpErr
		}
		for _, del := range dels {
			err := c.nl.Execute(ctx, "rtnl: flush multicast rules: delete rule", unix.RTM_DELRULE, 0, del, nil)
			if err != nil && !errors.Is(err, ErrNotExist) {
				return err
			}
		}
		if !interrupted {
			return nil
		}
	}
}

// mruleRequest builds the payload of an RTM_NEWRULE request for the
// multicast rule r, or of an RTM_DELRULE request (del): the unicast rule's
// request, of the multicast routing family.
func mruleRequest(r *Rule, del bool) ([]byte, error) {
	unicast := *r
	if unicast.Family == 0 {
		unicast.Family = unix.AF_INET
	}
	var w writer
	if err := w.ruleRequest(&unicast, del); err != nil {
		return nil, err
	}
	req := w.Bytes()
	switch unicast.Family {
	case unix.AF_INET:
		req[0] = rtnlFamilyIPMR
	default:
		req[0] = rtnlFamilyIP6MR
	}
	return req, nil
}
