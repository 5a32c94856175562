package rtnl

import (
	"context"
	"iter"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// ruleDumpRequest returns the payload of an RTM_GETRULE dump: a
// fib_rule_hdr with the family, the one filter the kernel applies.
func ruleDumpRequest(f *ruleFilter) []byte {
	b := make([]byte, fibRuleHdrLen)
	b[0] = f.family
	return b
}

// Rules returns the rules of the calling thread's network namespace; see
// [Conn.Rules].
func Rules(ctx context.Context, filters ...RuleFilter) ([]Rule, error) {
	return withConn(ctx, func(c *Conn) ([]Rule, error) { return c.Rules(ctx, filters...) })
}

// RulesSeq streams the rules of the calling thread's network namespace;
// see [Conn.RulesSeq].
func RulesSeq(ctx context.Context, filters ...RuleFilter) iter.Seq2[Rule, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[Rule, error] { return c.RulesSeq(ctx, filters...) })
}

// Rules returns the rules that pass the filters (every rule without any),
// in the kernel's order: family by family, by priority. An invalid filter
// gives an [*InvalidError].
//
// If the kernel reports the dump interrupted by a change, Rules returns the
// rules it read with an error matching [ErrDumpInterrupted], unless
// [WithDumpRetries] lets it dump again.
func (c *Conn) Rules(ctx context.Context, filters ...RuleFilter) ([]Rule, error) {
	f, err := newRuleFilter(filters)
	if err != nil {
		return nil, err
	}
	return nlconn.Collect(ctx, c.nl, "rtnl: dump rules", unix.RTM_GETRULE, 0, ruleDumpRequest(&f),
		keepMatching(decodeRuleMessage, f.match))
}

// RulesSeq streams the rules that pass the filters as the kernel's reply
// arrives, decoding one at a time. A dump the kernel reports interrupted
// ends with an error matching [ErrDumpInterrupted].
func (c *Conn) RulesSeq(ctx context.Context, filters ...RuleFilter) iter.Seq2[Rule, error] {
	return func(yield func(Rule, error) bool) {
		f, err := newRuleFilter(filters)
		if err != nil {
			yield(Rule{}, err)
			return
		}
		nlconn.YieldDump(ctx, c.nl, "rtnl: dump rules", unix.RTM_GETRULE, ruleDumpRequest(&f),
			keepMatching(decodeRuleMessage, f.match), yield)
	}
}
