package rtnl

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// This file lists the multicast routing policy rules, which select the
// multicast routing table of a packet: what `ip mrule show` reports, an
// RTM_NEWRULE of family RTNL_FAMILY_IPMR or RTNL_FAMILY_IP6MR. They are
// [Rule] values, with Family unix.AF_INET or unix.AF_INET6, and their JSON
// is what `ip -j -d mrule show` (iproute2 6.1) prints, as it prints
// unicast rules.

// decodeMulticastRule decodes an RTM_NEWRULE payload of a multicast
// routing family, giving the rule the unicast family it routes. On an
// error it returns what it read before it.
func decodeMulticastRule(b []byte) (Rule, error) {
	r, err := decodeRule(b)
	if err != nil {
		return r, err
	}
	family := mrouteFamily(r.Family)
	if family == 0 {
		return r, fmt.Errorf("rule of family %d, not a multicast one", r.Family)
	}
	r.Family = family
	return r, nil
}

// decodeMruleMessage decodes a multicast rule from a dump reply, skipping
// messages of other types.
func decodeMruleMessage(m nlconn.Message) (Rule, bool, error) {
	if m.Type != unix.RTM_NEWRULE {
		return Rule{}, false, nil
	}
	r, err := decodeMulticastRule(m.Data)
	return r, err == nil, err
}

// mruleDumpRequest returns the payload of the RTM_GETRULE dump ip mrule
// show sends: a fib_rule_hdr of the multicast family.
func mruleDumpRequest(family uint8) ([]byte, error) {
	b := make([]byte, fibRuleHdrLen)
	switch family {
	case unix.AF_INET:
		b[0] = rtnlFamilyIPMR
	case unix.AF_INET6:
		b[0] = rtnlFamilyIP6MR
	default:
		return nil, errInvalid("multicast rule family", fmt.Sprintf("%d: want AF_INET or AF_INET6", family))
	}
	return b, nil
}

// MulticastRules returns the multicast routing rules of a family of the
// calling thread's network namespace; see [Conn.MulticastRules].
func MulticastRules(ctx context.Context, family uint8) ([]Rule, error) {
	return withConn(ctx, func(c *Conn) ([]Rule, error) { return c.MulticastRules(ctx, family) })
}

// MulticastRulesSeq streams the multicast routing rules of a family of
// the calling thread's network namespace; see [Conn.MulticastRulesSeq].
func MulticastRulesSeq(ctx context.Context, family uint8) iter.Seq2[Rule, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[Rule, error] { return c.MulticastRulesSeq(ctx, family) })
}

// MulticastRules returns the multicast routing rules of unix.AF_INET or
// unix.AF_INET6, as `ip [-6] mrule show` lists them: rules whose Family is
// the one asked for and whose Table is a multicast routing table. A kernel
// without multicast policy routing gives an error matching
// [ErrNotSupported].
//
// An interrupted dump is handled as [Conn.Addresses] does.
func (c *Conn) MulticastRules(ctx context.Context, family uint8) ([]Rule, error) {
	req, err := mruleDumpRequest(family)
	if err != nil {
		return nil, err
	}
	rs, err := nlconn.Collect(ctx, c.nl, "rtnl: dump multicast rules", unix.RTM_GETRULE, 0, req, decodeMruleMessage)
	if err != nil && !errors.Is(err, ErrDumpInterrupted) {
		return nil, err
	}
	return rs, err
}

// MulticastRulesSeq streams the multicast routing rules of a family as
// the kernel's reply arrives; see [Conn.MulticastRules]. A dump the kernel
// reports interrupted ends with an error matching [ErrDumpInterrupted].
func (c *Conn) MulticastRulesSeq(ctx context.Context, family uint8) iter.Seq2[Rule, error] {
	return func(yield func(Rule, error) bool) {
		req, err := mruleDumpRequest(family)
		if err != nil {
			yield(Rule{}, err)
			return
		}
		nlconn.YieldDump(ctx, c.nl, "rtnl: dump multicast rules", unix.RTM_GETRULE, req, decodeMruleMessage, yield)
	}
}
