package rtnl

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// ErrOverrun reports that the kernel dropped notifications because the
// receive buffer was full, as `ip monitor` reports with "ENOBUFS". It
// matches unix.ENOBUFS. [Monitor] goes on after it; [Watch] never returns
// it, as it dumps the tables again instead.
var ErrOverrun = nlconn.ErrOverrun

// MonitorGroups is a set of the notification groups [Monitor] listens to,
// the objects of `ip monitor OBJECT…`.
type MonitorGroups uint32

// The notification groups.
const (
	MonitorLink        MonitorGroups = 1 << iota // links (RTNLGRP_LINK)
	MonitorIPv4Addr                              // IPv4 addresses (RTNLGRP_IPV4_IFADDR)
	MonitorIPv6Addr                              // IPv6 addresses (RTNLGRP_IPV6_IFADDR)
	MonitorIPv4Route                             // IPv4 routes (RTNLGRP_IPV4_ROUTE)
	MonitorIPv6Route                             // IPv6 routes (RTNLGRP_IPV6_ROUTE)
	MonitorMPLSRoute                             // MPLS routes (RTNLGRP_MPLS_ROUTE)
	MonitorNeigh                                 // neighbours and FDB entries (RTNLGRP_NEIGH)
	MonitorIPv4Rule                              // IPv4 rules (RTNLGRP_IPV4_RULE)
	MonitorIPv6Rule                              // IPv6 rules (RTNLGRP_IPV6_RULE)
	MonitorNexthop                               // nexthop objects (RTNLGRP_NEXTHOP)
	MonitorIPv4NetConf                           // IPv4 netconf (RTNLGRP_IPV4_NETCONF)
	MonitorIPv6NetConf                           // IPv6 netconf (RTNLGRP_IPV6_NETCONF)
	MonitorMPLSNetConf                           // MPLS netconf (RTNLGRP_MPLS_NETCONF)
	MonitorNSID                                  // namespace ids (RTNLGRP_NSID)
	MonitorIPv6Prefix                            // IPv6 prefixes learnt from router advertisements (RTNLGRP_IPV6_PREFIX)

	// MonitorAddr is `ip monitor address`: both families.
	MonitorAddr = MonitorIPv4Addr | MonitorIPv6Addr
	// MonitorRoute is `ip monitor route`: IPv4 and IPv6.
	MonitorRoute = MonitorIPv4Route | MonitorIPv6Route
	// MonitorRule is `ip monitor rule`: both families.
	MonitorRule = MonitorIPv4Rule | MonitorIPv6Rule
	// MonitorNetConf is `ip monitor netconf`: every family.
	MonitorNetConf = MonitorIPv4NetConf | MonitorIPv6NetConf | MonitorMPLSNetConf
	// MonitorAll is every group.
	MonitorAll = MonitorIPv6Prefix<<1 - 1
)

// kernelGroups returns the rtnetlink multicast groups of the set.
func (g MonitorGroups) kernelGroups() []uint32 {
	var out []uint32
	for bit := MonitorGroups(1); bit <= MonitorIPv6Prefix; bit <<= 1 {
		if g&bit != 0 {
			out = append(out, bit.kernelGroup())
		}
	}
	return out
}

// kernelGroup returns the rtnetlink multicast group of one group bit.
func (g MonitorGroups) kernelGroup() uint32 {
	switch g {
	case MonitorLink:
		return unix.RTNLGRP_LINK
	case MonitorIPv4Addr:
		return unix.RTNLGRP_IPV4_IFADDR
	case MonitorIPv6Addr:
		return unix.RTNLGRP_IPV6_IFADDR
	case MonitorIPv4Route:
		return unix.RTNLGRP_IPV4_ROUTE
	case MonitorIPv6Route:
		return unix.RTNLGRP_IPV6_ROUTE
	case MonitorMPLSRoute:
		return unix.RTNLGRP_MPLS_ROUTE
	case MonitorNeigh:
		return unix.RTNLGRP_NEIGH
	case MonitorIPv4Rule:
		return unix.RTNLGRP_IPV4_RULE
	case MonitorIPv6Rule:
		return unix.RTNLGRP_IPV6_RULE
	case MonitorNexthop:
		return unix.RTNLGRP_NEXTHOP
	case MonitorIPv4NetConf:
		return unix.RTNLGRP_IPV4_NETCONF
	case MonitorIPv6NetConf:
		return unix.RTNLGRP_IPV6_NETCONF
	case MonitorMPLSNetConf:
		return unix.RTNLGRP_MPLS_NETCONF
	case MonitorNSID:
		return unix.RTNLGRP_NSID
	}
	return unix.RTNLGRP_IPV6_PREFIX
}

// A MonitorOption configures [Monitor], [Conn.Subscribe] and [Watch].
type MonitorOption func(*monitorOptions)

type monitorOptions struct {
	receiveBuffer int
	allNSID       bool
}

// WithReceiveBuffer sets the size in bytes of the socket's receive buffer,
// past net.core.rmem_max when the process has CAP_NET_ADMIN. A larger
// buffer overruns less often under bursts of changes.
func WithReceiveBuffer(bytes int) MonitorOption {
	return func(o *monitorOptions) { o.receiveBuffer = bytes }
}

// WithAllNSID receives, besides the notifications of the connection's
// namespace, those of every namespace that has an id in it, each event
// with that id in [Event.NSID] (`ip monitor all-nsid`). Watch does not
// take it.
func WithAllNSID() MonitorOption {
	return func(o *monitorOptions) { o.allNSID = true }
}

// subscribeConfig checks the groups and options and returns the
// subscription's configuration.
func subscribeConfig(c *Conn, groups MonitorGroups, opts []MonitorOption) (nlconn.SubscribeConfig, monitorOptions, error) {
	var o monitorOptions
	for _, opt := range opts {
		opt(&o)
	}
	switch {
	case groups == 0:
		return nlconn.SubscribeConfig{}, o, errInvalid("monitor groups", "none given")
	case groups&^MonitorAll != 0:
		return nlconn.SubscribeConfig{}, o, errInvalid("monitor groups", fmt.Sprintf("unknown groups %#x", uint32(groups&^MonitorAll)))
	case o.receiveBuffer < 0:
		return nlconn.SubscribeConfig{}, o, errInvalid("receive buffer", fmt.Sprintf("negative size %d", o.receiveBuffer))
	}
	return nlconn.SubscribeConfig{
		Groups:        groups.kernelGroups(),
		ReceiveBuffer: o.receiveBuffer,
		ListenAllNSID: o.allNSID,
	}, o, nil
}

// A Subscription receives the notifications of chosen groups, from the
// moment [Conn.Subscribe] returns: changes made after that are never missed
// unless the receive buffer overruns. It is meant for one reader at a time.
type Subscription struct {
	sub *nlconn.Subscription
}

// Subscribe joins the notification groups in the connection's namespace.
// Read the events with [Subscription.Events]; close the subscription when
// done.
func (c *Conn) Subscribe(ctx context.Context, groups MonitorGroups, opts ...MonitorOption) (*Subscription, error) {
	cfg, _, err := subscribeConfig(c, groups, opts)
	if err != nil {
		return nil, fmt.Errorf("rtnl: monitor: %w", err)
	}
	sub, err := c.nl.Subscribe(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("rtnl: monitor: %w", err)
	}
	return &Subscription{sub: sub}, nil
}

// Close closes the subscription.
func (s *Subscription) Close() error { return s.sub.Close() }

// Events yields the events received, in the order the kernel sent them,
// until ctx is done, when it ends without an error. A notification the
// kernel dropped yields an error matching [ErrOverrun], and one that does
// not decode yields its decoding error; Events goes on after both if the
// consumer does. Any other error ends it. Notifications of types [Event]
// does not cover are skipped.
func (s *Subscription) Events(ctx context.Context) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		for n, err := range s.sub.Notifications(ctx) {
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				if !yield(Event{}, fmt.Errorf("rtnl: monitor: %w", err)) || !errors.Is(err, ErrOverrun) {
					return
				}
				continue
			}
			ev, ok, err := decodeEvent(n.Message)
			if err != nil {
				if !yield(Event{}, fmt.Errorf("rtnl: monitor: %w", err)) {
					return
				}
				continue
			}
			if !ok {
				continue
			}
			ev.NSID = n.NSID
			if !yield(ev, nil) {
				return
			}
		}
	}
}

// Monitor yields the events of the notification groups of the connection's
// namespace, as `ip monitor` prints them, until ctx is done: it is
// [Conn.Subscribe] and [Subscription.Events] in one, subscribed when the
// iteration starts and closed when it ends.
func (c *Conn) Monitor(ctx context.Context, groups MonitorGroups, opts ...MonitorOption) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		s, err := c.Subscribe(ctx, groups, opts...)
		if err != nil {
			if ctx.Err() == nil {
				yield(Event{}, err)
			}
			return
		}
		defer s.Close()
		for ev, err := range s.Events(ctx) {
			if !yield(ev, err) {
				return
			}
		}
	}
}

// Monitor yields the events of the notification groups of the calling
// thread's namespace until ctx is done. See [Conn.Monitor].
func Monitor(ctx context.Context, groups MonitorGroups, opts ...MonitorOption) iter.Seq2[Event, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[Event, error] { return c.Monitor(ctx, groups, opts...) })
}
