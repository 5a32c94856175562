package genl

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// ErrOverrun reports that the kernel dropped multicast messages because a
// subscription's receive buffer was full. It wraps unix.ENOBUFS; the
// subscription goes on receiving.
var ErrOverrun = nlconn.ErrOverrun

// A Subscription receives the multicast messages of a family's groups, in
// the namespace of the [Conn] that made it. It is meant for one reader at a
// time; Close may be called at any time.
type Subscription struct {
	sub    *nlconn.Subscription
	family Family
}

// JoinGroups subscribes to the named multicast groups of the family, as `ip
// mptcp monitor` joins mptcp_pm_events. The subscription receives from the
// moment JoinGroups returns. A group the family does not have is an
// [*InvalidError]; a family the kernel lacks, a [*FamilyError].
func (c *Conn) JoinGroups(ctx context.Context, family string, groups ...string) (*Subscription, error) {
	f, err := c.Family(ctx, family)
	if err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return nil, Invalid("multicast groups", "none given")
	}
	ids := make([]uint32, 0, len(groups))
	for _, name := range groups {
		g, ok := f.Group(name)
		if !ok {
			return nil, Invalid("multicast group", fmt.Sprintf("family %s has no group %q", family, name))
		}
		ids = append(ids, g.ID)
	}
	sub, err := c.nl.Subscribe(ctx, nlconn.SubscribeConfig{Groups: ids})
	if err != nil {
		return nil, fmt.Errorf("genl: join %s groups: %w", family, err)
	}
	return &Subscription{sub: sub, family: f}, nil
}

// Family returns the family the subscription listens to.
func (s *Subscription) Family() Family { return s.family }

// Close ends the subscription.
func (s *Subscription) Close() error { return s.sub.Close() }

// Messages yields the family's messages as they arrive, until ctx is done
// or the consumer stops; each is valid only until the iterator is resumed.
// When the kernel dropped messages it yields an error matching
// [ErrOverrun] and goes on; any other error, ctx's included, is the last
// thing it yields.
func (s *Subscription) Messages(ctx context.Context) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		for n, err := range s.sub.Notifications(ctx) {
			if err != nil {
				if !yield(Message{}, fmt.Errorf("genl: %s: %w", s.family.Name, err)) || !errors.Is(err, ErrOverrun) {
					return
				}
				continue
			}
			if n.Type != s.family.ID {
				continue
			}
			m, err := ParseMessage(n.Data)
			if err != nil {
				yield(Message{}, fmt.Errorf("genl: %s: %w", s.family.Name, err))
				return
			}
			if !yield(m, nil) {
				return
			}
		}
	}
}
