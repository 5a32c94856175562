package xfrm

import (
	"context"
	"errors"
	"net/netip"

	"golang.org/x/sys/unix"
)

// DeleteAllStates deletes the states the filters keep, as ip xfrm state
// deleteall does: it lists them, deletes each, and lists again until none
// is left, so matching states added meanwhile go too. As ip does, it
// leaves alone the IPIP and IPv6-in-IPv6 states the kernel makes for IPComp
// tunnels (protocols 4 and 41), which go with their IPComp state. A state
// that vanishes meanwhile is no error. It returns how many states it
// deleted.
func (c *Conn) DeleteAllStates(ctx context.Context, filters ...StateFilter) (int, error) {
	return deleteAll(
		func() ([]State, error) { return c.States(ctx, filters...) },
		func(s *State) bool { return s.Proto == unix.IPPROTO_IPIP || s.Proto == unix.IPPROTO_IPV6 },
		func(s *State) error { return c.DeleteState(ctx, s.ID()) })
}

// DeleteAllPolicies deletes the policies the filters keep, as ip xfrm
// policy deleteall does: it lists them, deletes each, and lists again
// until none is left. Socket policies, which only their socket can
// remove, are left alone, as ip does. A policy that vanishes meanwhile is
// no error. It returns how many policies it deleted.
func (c *Conn) DeleteAllPolicies(ctx context.Context, filters ...PolicyFilter) (int, error) {
	return deleteAll(
		func() ([]Policy, error) { return c.Policies(ctx, filters...) },
		func(p *Policy) bool { return p.Dir >= DirSocket },
		func(p *Policy) error {
			id := p.ID()
			id.Index = p.Index
			return c.DeletePolicy(ctx, id)
		})
}

// deleteAll lists objects, deletes each that skip does not leave alone,
// and lists again until a round deletes nothing. An object that vanished
// meanwhile (ErrNotExist) is no error. It returns how many it deleted.
func deleteAll[T any](list func() ([]T, error), skip func(*T) bool, del func(*T) error) (int, error) {
	deleted := 0
	for {
		vs, err := list()
		if err != nil {
			return deleted, err
		}
		round := 0
		for i := range vs {
			if skip(&vs[i]) {
				continue
			}
			switch err := del(&vs[i]); {
			case err == nil:
				round++
			case !errors.Is(err, ErrNotExist):
				return deleted + round, err
			}
		}
		deleted += round
		if round == 0 {
			return deleted, nil
		}
	}
}

// DeleteAllStates deletes states in the calling thread's namespace; see
// [Conn.DeleteAllStates].
func DeleteAllStates(ctx context.Context, filters ...StateFilter) (int, error) {
	return withConn(ctx, func(c *Conn) (int, error) { return c.DeleteAllStates(ctx, filters...) })
}

// DeleteAllPolicies deletes policies in the calling thread's namespace;
// see [Conn.DeleteAllPolicies].
func DeleteAllPolicies(ctx context.Context, filters ...PolicyFilter) (int, error) {
	return withConn(ctx, func(c *Conn) (int, error) { return c.DeleteAllPolicies(ctx, filters...) })
}

// FilterStateFlags keeps the states with any of the flags, as ip xfrm
// state list flag FLAGS does.
func FilterStateFlags(flags StateFlags) StateFilter {
	return func(f *stateFilter) { f.flags = flags }
}

// FilterPolicyFamily keeps the policies whose selector is of the family
// (unix.AF_INET or unix.AF_INET6), as ip -4/-6 xfrm policy list does.
func FilterPolicyFamily(family uint16) PolicyFilter {
	return func(f *policyFilter) { f.family = family }
}

// FilterPolicyFlags keeps the policies with any of the flags, as ip xfrm
// policy list flag FLAGS does.
func FilterPolicyFlags(flags PolicyFlags) PolicyFilter {
	return func(f *policyFilter) { f.flags = flags }
}

// FilterPolicyNoSocket leaves out the socket policies, as ip xfrm policy
// list nosock does.
func FilterPolicyNoSocket() PolicyFilter {
	return func(f *policyFilter) { f.noSocket = true }
}

// FilterPolicySelector keeps the policies whose selector matches sel as
// the SELECTOR of ip xfrm policy list and deleteall matches: the source
// and destination addresses in the bits of sel's prefixes (a policy's
// prefix may be longer), and sel's device (by index, or by name when the
// index is 0), protocol and ports (those whose mask is not 0) when given.
func FilterPolicySelector(sel Selector) PolicyFilter {
	return func(f *policyFilter) { f.sel = &sel }
}

// matchSelector reports whether s matches the filter sel, as
// FilterPolicySelector describes.
func matchSelector(sel, s *Selector) bool {
	return (!sel.Src.IsValid() || prefixCovers(sel.Src, s.Src)) &&
		(!sel.Dst.IsValid() || prefixCovers(sel.Dst, s.Dst)) &&
		(sel.LinkIndex == 0 || s.LinkIndex == sel.LinkIndex) &&
		(sel.LinkIndex != 0 || sel.LinkName == "" || s.LinkName == sel.LinkName) &&
		(sel.Proto == 0 || s.Proto == sel.Proto) &&
		(sel.SrcPortMask == 0 || s.SrcPort == sel.SrcPort) &&
		(sel.DstPortMask == 0 || s.DstPort == sel.DstPort)
}

// prefixCovers reports whether the address of p (the unspecified address
// for none) is of filter's family and in filter, as ip's xfrm_addr_match
// compares the bits of the filter's length.
func prefixCovers(filter, p netip.Prefix) bool {
	a := p.Addr()
	switch {
	case !a.IsValid() && filter.Addr().Is4():
		a = netip.IPv4Unspecified()
	case !a.IsValid():
		a = netip.IPv6Unspecified()
	}
	return a.Is4() == filter.Addr().Is4() && filter.Masked().Contains(a)
}
