package xfrm

import (
	"context"
	"fmt"

	"github.com/nlkit/nlkit/internal/linknames"
)

// linkName is name, or the "ifN" ip prints for a device it cannot name.
func linkName(index int32, name string) string {
	if name != "" {
		return name
	}
	return linknames.Names(nil).Name(index)
}

// A linkNamer names the devices of the states and policies read from the
// Conn's namespace. It reads the namespace's links once, when the first
// device needs a name.
type linkNamer struct {
	ctx   context.Context
	ns    linknames.NetNS
	names linknames.Names
}

func (c *Conn) linkNamer(ctx context.Context) *linkNamer {
	return &linkNamer{ctx: ctx, ns: c.nl.WithNetNSFD}
}

// name fills in *name with the name of the link index, unless index is 0.
func (n *linkNamer) name(index int32, name *string) error {
	if index == 0 {
		return nil
	}
	if n.names == nil {
		names, err := linknames.ReadIn(n.ctx, n.ns)
		if err != nil {
			return fmt.Errorf("xfrm: name the devices: %w", err)
		}
		n.names = names
	}
	*name = n.names.Name(index)
	return nil
}

func (n *linkNamer) nameState(s *State) error {
	if s.Offload != nil {
		if err := n.name(s.Offload.LinkIndex, &s.Offload.LinkName); err != nil {
			return err
		}
	}
	return n.name(s.Selector.LinkIndex, &s.Selector.LinkName)
}

func (n *linkNamer) namePolicy(p *Policy) error {
	return n.name(p.Selector.LinkIndex, &p.Selector.LinkName)
}

// nameEvent names the devices of the event's objects.
func (n *linkNamer) nameEvent(ev *Event) error {
	if ev.State != nil {
		if err := n.nameState(ev.State); err != nil {
			return err
		}
	}
	if ev.Policy != nil {
		if err := n.namePolicy(ev.Policy); err != nil {
			return err
		}
	}
	if a := ev.Acquire; a != nil {
		if err := n.name(a.Selector.LinkIndex, &a.Selector.LinkName); err != nil {
			return err
		}
		if err := n.namePolicy(&a.Policy); err != nil {
			return err
		}
	}
	if r := ev.Report; r != nil {
		return n.name(r.Selector.LinkIndex, &r.Selector.LinkName)
	}
	return nil
}

// linkIndex sets *index from name, looked up in the Conn's namespace,
// when the index is 0 and there is a name. A missing device gives an
// error matching [ErrNotExist].
func (c *Conn) linkIndex(ctx context.Context, op string, index *int32, name string) error {
	if *index != 0 || name == "" {
		return nil
	}
	i, err := linknames.IndexIn(ctx, c.nl.WithNetNSFD, name)
	if err != nil {
		return fmt.Errorf("xfrm: %s: %w", op, err)
	}
	*index = i
	return nil
}

// stateLinks resolves the device names of s (a copy the caller owns),
// copying its Offload before changing it.
func (c *Conn) stateLinks(ctx context.Context, op string, s *State) error {
	if o := s.Offload; o != nil && o.LinkIndex == 0 && o.LinkName != "" {
		oc := *o
		if err := c.linkIndex(ctx, op, &oc.LinkIndex, oc.LinkName); err != nil {
			return err
		}
		s.Offload = &oc
	}
	return c.linkIndex(ctx, op, &s.Selector.LinkIndex, s.Selector.LinkName)
}

// policyIDLinks resolves the device name of id's selector, which names the
// policy when id has no index.
func (c *Conn) policyIDLinks(ctx context.Context, op string, id *PolicyID) error {
	if id.Index != 0 {
		return nil
	}
	return c.linkIndex(ctx, op, &id.Selector.LinkIndex, id.Selector.LinkName)
}
