package xfrm

import (
	"context"
	"iter"
	"net/netip"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// A PolicyFilter narrows a list of policies, as the selectors of ip xfrm
// policy list do. The kernel cannot filter policy dumps: these run in
// nlkit, as in ip.
type PolicyFilter func(*policyFilter)

type policyFilter struct {
	dir      *Dir
	typ      *PolicyType
	src, dst *netip.Prefix
	index    *uint32
	action   *Action
	priority *uint32
	mark     *Mark
	family   uint16
	flags    PolicyFlags
	noSocket bool
	sel      *Selector
}

// FilterPolicyDir keeps the policies of the direction.
func FilterPolicyDir(d Dir) PolicyFilter { return func(f *policyFilter) { f.dir = &d } }

// FilterPolicyType keeps the policies of the type (ptype).
func FilterPolicyType(t PolicyType) PolicyFilter { return func(f *policyFilter) { f.typ = &t } }

// FilterPolicySrc keeps the policies whose selector's source is p.
func FilterPolicySrc(p netip.Prefix) PolicyFilter { return func(f *policyFilter) { f.src = &p } }

// FilterPolicyDst keeps the policies whose selector's destination is p.
func FilterPolicyDst(p netip.Prefix) PolicyFilter { return func(f *policyFilter) { f.dst = &p } }

// FilterPolicyIndex keeps the policy with the index.
func FilterPolicyIndex(i uint32) PolicyFilter { return func(f *policyFilter) { f.index = &i } }

// FilterPolicyAction keeps the policies with the action.
func FilterPolicyAction(a Action) PolicyFilter { return func(f *policyFilter) { f.action = &a } }

// FilterPolicyPriority keeps the policies with the priority.
func FilterPolicyPriority(p uint32) PolicyFilter { return func(f *policyFilter) { f.priority = &p } }

// FilterPolicyMark keeps the policies whose mark, masked with m's mask, is
// m's value.
func FilterPolicyMark(m Mark) PolicyFilter { return func(f *policyFilter) { f.mark = &m } }

func (f *policyFilter) match(p *Policy) bool {
	return (f.dir == nil || *f.dir == p.Dir) &&
		(f.typ == nil || *f.typ == p.Type) &&
		(f.src == nil || samePrefix(*f.src, p.Selector.Src)) &&
		(f.dst == nil || samePrefix(*f.dst, p.Selector.Dst)) &&
		(f.index == nil || *f.index == p.Index) &&
		(f.action == nil || *f.action == p.Action) &&
		(f.priority == nil || *f.priority == p.Priority) &&
		(f.mark == nil || p.Mark.Value&f.mark.Mask == f.mark.Value) &&
		(f.family == 0 || p.Selector.Family == f.family) &&
		(f.flags == 0 || p.Flags&f.flags != 0) &&
		(!f.noSocket || p.Dir < DirSocket) &&
		(f.sel == nil || matchSelector(f.sel, &p.Selector))
}

// samePrefix reports whether a and b are the same prefix, the zero Prefix
// being the same as a /0.
func samePrefix(a, b netip.Prefix) bool {
	if prefixBits(a) == 0 && prefixBits(b) == 0 {
		return true
	}
	return a.Masked() == b.Masked()
}

// decoder decodes the policies the filter keeps and names their devices.
func (f *policyFilter) decoder(n *linkNamer) func(nlconn.Message) (Policy, bool, error) {
	return func(m nlconn.Message) (Policy, bool, error) {
		if m.Type != msgNewPolicy {
			return Policy{}, false, nil
		}
		p, err := decodePolicy(m.Data)
		if err != nil || !f.match(&p) {
			return Policy{}, false, err
		}
		return p, true, n.namePolicy(&p)
	}
}

func newPolicyFilter(filters []PolicyFilter) *policyFilter {
	var f policyFilter
	for _, fn := range filters {
		fn(&f)
	}
	return &f
}

// Policies lists the policies, as ip -s xfrm policy list.
func (c *Conn) Policies(ctx context.Context, filters ...PolicyFilter) ([]Policy, error) {
	f := newPolicyFilter(filters)
	return nlconn.Collect(ctx, c.nl, "list policies", msgGetPolicy, 0, nil, f.decoder(c.linkNamer(ctx)))
}

// StreamPolicies streams the policies as the kernel sends them.
func (c *Conn) StreamPolicies(ctx context.Context, filters ...PolicyFilter) iter.Seq2[Policy, error] {
	return func(yield func(Policy, error) bool) {
		f := newPolicyFilter(filters)
		yieldDump(ctx, c, "list policies", msgGetPolicy, nil, f.decoder(c.linkNamer(ctx)), yield)
	}
}

// Policies lists the policies of the calling thread's namespace; see
// [Conn.Policies].
func Policies(ctx context.Context, filters ...PolicyFilter) ([]Policy, error) {
	return withConn(ctx, func(c *Conn) ([]Policy, error) { return c.Policies(ctx, filters...) })
}

// StreamPolicies streams the policies of the calling thread's namespace;
// see [Conn.StreamPolicies].
func StreamPolicies(ctx context.Context, filters ...PolicyFilter) iter.Seq2[Policy, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[Policy, error] { return c.StreamPolicies(ctx, filters...) })
}
