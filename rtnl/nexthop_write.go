package rtnl

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// The header flags of the RTM_NEWNEXTHOP requests of ip nexthop add and
// replace.
const (
	nlmNexthopAdd     = unix.NLM_F_CREATE | unix.NLM_F_EXCL
	nlmNexthopReplace = unix.NLM_F_CREATE | unix.NLM_F_REPLACE
)

// maxNexthopTimer is the longest resilient group timer ip accepts: the
// kernel counts it in hundredths of a second in 32 bits.
const maxNexthopTimer = (1<<32 - 1) / 100 * time.Second

// AddNexthop creates the nexthop object n describes, as `ip nexthop add`
// does: ID (0 to let the kernel choose), and either Gateway and LinkIndex
// (one or both) with the onlink flag, or Blackhole, or Group with
// GroupType and Resilient; and Protocol and FDB. Family may be left zero.
//
// Invalid input is rejected with an [*InvalidError] before anything is sent:
// a group with a gateway, device or blackhole, a blackhole with a gateway or
// device, a gateway of another family than Family, an empty group member
// ID, a member twice, a weight above 256, resilient settings for another
// group type, flags other than onlink. A nexthop ID in use gives an error
// matching [ErrExist]; the kernel's refusals carry its message, such as
// "Nexthop has invalid gateway".
func (c *Conn) AddNexthop(ctx context.Context, n Nexthop) error {
	return c.newNexthop(ctx, "add", n, nlmNexthopAdd)
}

// ReplaceNexthop creates the nexthop object n describes, or replaces the
// one with its ID, as `ip nexthop replace` does. See [Conn.AddNexthop].
func (c *Conn) ReplaceNexthop(ctx context.Context, n Nexthop) error {
	return c.newNexthop(ctx, "replace", n, nlmNexthopReplace)
}

func (c *Conn) newNexthop(ctx context.Context, verb string, n Nexthop, flags uint16) error {
	var w writer
	if err := w.nexthopRequest(&n); err != nil {
		return err
	}
	return c.nl.Execute(ctx, fmt.Sprintf("rtnl: %s nexthop %d", verb, n.ID), unix.RTM_NEWNEXTHOP, flags, w.Bytes(), nil)
}

// DeleteNexthop deletes the nexthop object with the given ID, as
// `ip nexthop del id ID` does; the kernel removes it from the groups that
// hold it, and deletes the routes that use it. A missing one gives an error
// matching [ErrNotExist].
func (c *Conn) DeleteNexthop(ctx context.Context, id uint32) error {
	if id == 0 {
		return errInvalid("nexthop ID", "0")
	}
	return c.nl.Execute(ctx, fmt.Sprintf("rtnl: delete nexthop %d", id), unix.RTM_DELNEXTHOP, 0, nexthopIDRequest(id), nil)
}

// FlushNexthops deletes the nexthop objects that pass the filters, as
// `ip nexthop flush` does. Without filters it deletes the groups first,
// then the others. With [FilterNexthopID] it deletes that nexthop. Nexthops
// that are gone by the time they are deleted (a group emptied by the
// deletion of its last member) are skipped. A dump the kernel reports
// interrupted is done again after the deletions, up to 10 times.
func (c *Conn) FlushNexthops(ctx context.Context, filters ...NexthopFilter) error {
	f, err := newNexthopFilter(filters)
	if err != nil {
		return err
	}
	if f.id != 0 {
		return c.DeleteNexthop(ctx, f.id)
	}
	passes := []nexthopFilter{f}
	if len(filters) == 0 {
		groups := f
		groups.groups = true
		passes = []nexthopFilter{groups, f}
	}
	for _, pass := range passes {
		if err := c.flushNexthopPass(ctx, &pass); err != nil {
			return err
		}
	}
	return nil
}

// flushNexthopPass dumps the nexthops that pass f and deletes them, again
// when the kernel reports the dump interrupted, up to flushRounds times.
func (c *Conn) flushNexthopPass(ctx context.Context, f *nexthopFilter) error {
	for round := 0; ; round++ {
		var ids []uint32
		var dumpErr error
		for m, err := range c.nl.Dump(ctx, "rtnl: flush nexthops", unix.RTM_GETNEXTHOP, 0, f.dumpRequest()) {
			if err != nil {
				dumpErr = err
				break
			}
			n, keep, err := decodeNexthopMessage(m)
			if err != nil {
				return fmt.Errorf("rtnl: flush nexthops: %w", err)
			}
			if keep && n.ID != 0 && f.match(&n) {
				ids = append(ids, n.ID)
			}
		}
		interrupted := errors.Is(dumpErr, ErrDumpInterrupted)
		if dumpErr != nil && (!interrupted || round == flushRounds-1) {
			return dumpErr
		}
		for _, id := range ids {
			if err := c.DeleteNexthop(ctx, id); err != nil && !errors.Is(err, ErrNotExist) {
				return err
			}
		}
		if !interrupted {
			return nil
		}
	}
}

// validateNexthop checks a nexthop a request describes and returns its
// family.
func validateNexthop(n *Nexthop) (uint8, error) {
	family := n.family()
	switch {
	case family != unix.AF_UNSPEC && family != unix.AF_INET && family != unix.AF_INET6:
		return 0, errInvalid("nexthop family", fmt.Sprintf("%d: want AF_INET or AF_INET6", family))
	case n.Gateway.IsValid() && (n.Gateway.Is4() != (family == unix.AF_INET) || n.Gateway.Zone() != ""):
		return 0, errInvalid("nexthop gateway", fmt.Sprintf("%s is not of the nexthop's family", n.Gateway))
	case n.Group != nil && (n.Gateway.IsValid() || n.LinkIndex != 0 || n.Blackhole):
		return 0, errInvalid("nexthop group", "a group has no gateway, device or blackhole of its own")
	case n.Group != nil && len(n.Group) == 0:
		return 0, errInvalid("nexthop group", "no members")
	case n.Blackhole && (n.Gateway.IsValid() || n.LinkIndex != 0):
		return 0, errInvalid("nexthop blackhole", "a blackhole has no gateway or device")
	case n.FDB && (n.LinkIndex != 0 || n.Blackhole):
		return 0, errInvalid("nexthop fdb", "an fdb nexthop has no device and is no blackhole")
	case n.LinkIndex < 0:
		return 0, errInvalid("nexthop link index", fmt.Sprintf("%d", n.LinkIndex))
	case n.Flags&^RouteOnLink != 0:
		return 0, errInvalid("nexthop flags", fmt.Sprintf("%#x: a request may set onlink only", uint32(n.Flags)))
	case n.Group == nil && (n.GroupType != NexthopGroupMultipath || n.Resilient != nil):
		return 0, errInvalid("nexthop group type", "set for a nexthop that is no group")
	case n.GroupType > NexthopGroupResilient:
		return 0, errInvalid("nexthop group type", fmt.Sprintf("%d", n.GroupType))
	case n.Resilient != nil && n.GroupType != NexthopGroupResilient:
		return 0, errInvalid("nexthop resilient settings", "for a group that is not resilient")
	}
	seen := make(map[uint32]bool, len(n.Group))
	for _, m := range n.Group {
		switch {
		case m.ID == 0:
			return 0, errInvalid("nexthop group member", "ID 0")
		case seen[m.ID]:
			return 0, errInvalid("nexthop group member", fmt.Sprintf("%d is in the group twice", m.ID))
		case m.ID == n.ID:
			return 0, errInvalid("nexthop group member", fmt.Sprintf("%d is the group itself", m.ID))
		case m.Weight > 256:
			return 0, errInvalid("nexthop group member weight", fmt.Sprintf("%d: want 1 to 256", m.Weight))
		}
		seen[m.ID] = true
	}
	if r := n.Resilient; r != nil {
		for _, t := range []time.Duration{r.IdleTimer, r.UnbalancedTimer} {
			if t < 0 || t >= maxNexthopTimer {
				return 0, errInvalid("nexthop resilient timer", fmt.Sprintf("%v: want 0 to %v", t, maxNexthopTimer))
			}
		}
	}
	return family, nil
}

// nexthopRequest builds the payload of an RTM_NEWNEXTHOP request for n,
// with the attributes in the order ip sends them for `ip nexthop add id ID
// group G type T [buckets N idle_timer S unbalanced_timer S] via ADDR
// dev DEV [encap ...] [blackhole] [fdb] [onlink] [protocol P]`.
func (w *writer) nexthopRequest(n *Nexthop) error {
	family, err := validateNexthop(n)
	if err != nil {
		return err
	}
	var hdr [nhMsgLen]byte
	hdr[0] = family
	hdr[2] = uint8(n.Protocol)
	native.Endian.PutUint32(hdr[4:], uint32(n.Flags&RouteOnLink))
	w.Append(hdr[:])
	if n.ID != 0 {
		w.Uint32(unix.NHA_ID, n.ID)
	}
	if n.Group != nil {
		b := make([]byte, len(n.Group)*nexthopGrpLen)
		for i, m := range n.Group {
			e := b[i*nexthopGrpLen:]
			native.Endian.PutUint32(e, m.ID)
			if m.Weight > 1 {
				native.Endian.PutUint16(e[4:], m.Weight-1) // weight and weight_high
			}
		}
		w.Raw(unix.NHA_GROUP, b)
		if n.GroupType != NexthopGroupMultipath || n.Resilient != nil {
			if r := n.Resilient; r != nil {
				nest := w.Nest(nhaResGroup | attrs.Nested)
				if r.Buckets != 0 {
					w.Uint16(nhaResGroupBuckets, r.Buckets)
				}
				if r.IdleTimer != 0 {
					w.Uint32(nhaResGroupIdleTimer, uint32(clockTicks(r.IdleTimer)))
				}
				if r.UnbalancedTimer != 0 {
					w.Uint32(nhaResGroupUnbalancedTimer, uint32(clockTicks(r.UnbalancedTimer)))
				}
				w.End(nest)
			}
			w.Uint16(unix.NHA_GROUP_TYPE, uint16(n.GroupType))
		}
	}
	putAddr(w, unix.NHA_GATEWAY, n.Gateway)
	if n.LinkIndex != 0 {
		w.Uint32(unix.NHA_OIF, uint32(n.LinkIndex))
	}
	if err := w.encap(unix.NHA_ENCAP_TYPE, unix.NHA_ENCAP, n.Encap); err != nil {
		return err
	}
	putFlag(w, unix.NHA_BLACKHOLE, n.Blackhole)
	putFlag(w, nhaFDB, n.FDB)
	return w.Err()
}
