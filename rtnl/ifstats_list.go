package rtnl

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nlconn"
)

// The bits of the filter masks of RTM_GETSTATS (IFLA_STATS_FILTER_BIT).
const (
	statsFilterLink64      = 1 << (unix.IFLA_STATS_LINK_64 - 1)
	statsFilterXstats      = 1 << (unix.IFLA_STATS_LINK_XSTATS - 1)
	statsFilterXstatsSlave = 1 << (unix.IFLA_STATS_LINK_XSTATS_SLAVE - 1)
	statsFilterOffload     = 1 << (unix.IFLA_STATS_LINK_OFFLOAD_XSTATS - 1)
	statsFilterAFSpec      = 1 << (unix.IFLA_STATS_AF_SPEC - 1)

	offloadFilterCPUHit  = 1 << (unix.IFLA_OFFLOAD_XSTATS_CPU_HIT - 1)
	offloadFilterHWSInfo = 1 << (unix.IFLA_OFFLOAD_XSTATS_HW_S_INFO - 1)
	offloadFilterL3Stats = 1 << (unix.IFLA_OFFLOAD_XSTATS_L3_STATS - 1)
	offloadFilterAll     = offloadFilterCPUHit | offloadFilterHWSInfo | offloadFilterL3Stats
)

// ifStatsRequest returns the payload of an RTM_GETSTATS request for the
// groups, for one link (index) or a dump (index 0), as ip stats show
// builds it: the if_stats_msg's filter mask has the attributes the groups
// need, and IFLA_STATS_GET_FILTERS narrows the offload statistics when
// only some are asked for.
func ifStatsRequest(index int32, groups StatsGroups) ([]byte, error) {
	if groups == 0 {
		groups = StatsAll
	}
	if groups&^StatsAll != 0 {
		return nil, errInvalid("stats groups", fmt.Sprintf("%#x", uint32(groups)))
	}
	var mask, offload uint32
	if groups&StatsLink != 0 {
		mask |= statsFilterLink64
	}
	if groups&StatsXstats != 0 {
		mask |= statsFilterXstats
	}
	if groups&StatsXstatsSlave != 0 {
		mask |= statsFilterXstatsSlave
	}
	if groups&StatsAF != 0 {
		mask |= statsFilterAFSpec
	}
	if groups&StatsOffloadCPUHit != 0 {
		offload |= offloadFilterCPUHit
	}
	if groups&StatsOffloadHWStatsInfo != 0 {
		offload |= offloadFilterHWSInfo
	}
	if groups&StatsOffloadL3Stats != 0 {
		offload |= offloadFilterL3Stats | offloadFilterHWSInfo
	}
	if offload != 0 {
		mask |= statsFilterOffload
	}
	var w writer
	hdr := make([]byte, ifStatsMsgLen)
	native.Endian.PutUint32(hdr[4:], uint32(index))
	native.Endian.PutUint32(hdr[8:], mask)
	w.Append(hdr)
	if offload != 0 && offload != offloadFilterAll {
		n := w.Nest(unix.IFLA_STATS_GET_FILTERS | unix.NLA_F_NESTED)
		w.Uint32(unix.IFLA_STATS_LINK_OFFLOAD_XSTATS, offload)
		w.End(n)
	}
	return w.Bytes(), w.Err()
}

// Stats returns the statistics of the links of the calling thread's
// network namespace; see [Conn.Stats].
func Stats(ctx context.Context, groups StatsGroups) (IfStatsList, error) {
	return withConn(ctx, func(c *Conn) (IfStatsList, error) { return c.Stats(ctx, groups) })
}

// StatsSeq streams the statistics of the links of the calling thread's
// network namespace; see [Conn.StatsSeq].
func StatsSeq(ctx context.Context, groups StatsGroups) iter.Seq2[IfStats, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[IfStats, error] { return c.StatsSeq(ctx, groups) })
}

// GetStats returns the statistics of one link of the calling thread's
// network namespace; see [Conn.GetStats].
func GetStats(ctx context.Context, index int32, groups StatsGroups) (IfStats, error) {
	return withConn(ctx, func(c *Conn) (IfStats, error) { return c.GetStats(ctx, index, groups) })
}

// Stats returns the statistics of every link for the groups (all of
// them when groups is zero), as `ip stats show [group …]` does, with the
// link names filled in. The kernel leaves out the statistics not asked
// for. When the kernel splits a link's statistics over several messages,
// Stats merges them, where ip prints the link's records once per message.
//
// An interrupted dump is handled as [Conn.Addresses] does.
func (c *Conn) Stats(ctx context.Context, groups StatsGroups) (IfStatsList, error) {
	req, err := ifStatsRequest(0, groups)
	if err != nil {
		return nil, err
	}
	list, err := nlconn.Collect(ctx, c.nl, "rtnl: dump stats", unix.RTM_GETSTATS, 0, req, decodeIfStatsMessage)
	if err != nil && !errors.Is(err, ErrDumpInterrupted) {
		return nil, err
	}
	list = mergeIfStats(list)
	lc := c.newLinkCache(ctx)
	for i := range list {
		list[i].Groups = groups
		list[i].LinkName = lc.linkName(list[i].LinkIndex)
	}
	if lc.err != nil {
		return nil, lc.err
	}
	return list, err
}

// StatsSeq streams the statistics of every link for the groups as the
// kernel's reply arrives, a link once the next link's begin; see
// [Conn.Stats]. A dump the kernel reports
// interrupted ends with an error matching [ErrDumpInterrupted].
func (c *Conn) StatsSeq(ctx context.Context, groups StatsGroups) iter.Seq2[IfStats, error] {
	return func(yield func(IfStats, error) bool) {
		req, err := ifStatsRequest(0, groups)
		if err != nil {
			yield(IfStats{}, err)
			return
		}
		lc := c.newLinkCache(ctx)
		// A link's statistics are yielded once the next link's arrive, as
		// the kernel may split them over several messages.
		var held IfStats
		holding, stopped := false, false
		flush := func() bool {
			holding = false
			held.Groups = groups
			held.LinkName = lc.linkName(held.LinkIndex)
			if lc.err != nil {
				yield(IfStats{}, lc.err)
				return false
			}
			return yield(held, nil)
		}
		nlconn.YieldDump(ctx, c.nl, "rtnl: dump stats", unix.RTM_GETSTATS, req, decodeIfStatsMessage,
			func(s IfStats, err error) bool {
				switch {
				case err != nil:
					stopped = true
					if !holding || flush() {
						yield(s, err)
					}
					return false
				case holding && held.LinkIndex == s.LinkIndex:
					held.merge(&s)
					return true
				case holding && !flush():
					stopped = true
					return false
				}
				held, holding = s, true
				return true
			})
		if holding && !stopped {
			flush()
		}
	}
}

// GetStats returns the statistics of the link with the given index for
// the groups (all of them when groups is zero), as
// `ip stats show dev DEV [group …]` does. A missing link gives an error
// matching [ErrNotExist].
func (c *Conn) GetStats(ctx context.Context, index int32, groups StatsGroups) (IfStats, error) {
	if index <= 0 {
		return IfStats{}, errInvalid("stats link index", fmt.Sprintf("%d", index))
	}
	req, err := ifStatsRequest(index, groups)
	if err != nil {
		return IfStats{}, err
	}
	op := fmt.Sprintf("rtnl: get stats of link %d", index)
	var s IfStats
	found := false
	err = c.nl.Execute(ctx, op, unix.RTM_GETSTATS, 0, req, func(m nlconn.Message) error {
		v, keep, err := decodeIfStatsMessage(m)
		if keep {
			s, found = v, true
		}
		return err
	})
	if err == nil && !found {
		err = fmt.Errorf("%s: the kernel sent no stats", op)
	}
	if err != nil {
		return s, err
	}
	s.Groups = groups
	lc := c.newLinkCache(ctx)
	s.LinkName = lc.linkName(s.LinkIndex)
	return s, lc.err
}

// SetL3Stats asks the hardware of the link with the given index to count
// routed traffic, or to stop, as `ip stats set dev DEV l3_stats on|off`
// does (RTM_SETSTATS, IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS). Whether a
// driver does is reported in [OffloadStats.HWStatsInfo]. A missing link
// gives an error matching [ErrNotExist].
func (c *Conn) SetL3Stats(ctx context.Context, index int32, on bool) error {
	req, err := l3StatsRequest(index, on)
	if err != nil {
		return err
	}
	return c.nl.Execute(ctx, fmt.Sprintf("rtnl: set l3_stats %v on link %d", on, index), unix.RTM_SETSTATS, 0, req, nil)
}

// l3StatsRequest builds the payload of the RTM_SETSTATS request of
// SetL3Stats, as ip sends it.
func l3StatsRequest(index int32, on bool) ([]byte, error) {
	if index <= 0 {
		return nil, errInvalid("stats link index", fmt.Sprintf("%d", index))
	}
	var w writer
	hdr := make([]byte, ifStatsMsgLen)
	native.Endian.PutUint32(hdr[4:], uint32(index))
	w.Append(hdr)
	putBool(&w, unix.IFLA_STATS_SET_OFFLOAD_XSTATS_L3_STATS, &on)
	return w.Bytes(), w.Err()
}
