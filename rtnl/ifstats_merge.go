package rtnl

// The kernel splits the statistics of a link over several messages of a
// dump when they do not fit in one: each message carries the attributes,
// or the parts of nested ones, that the one before had no room for. The
// lists merge them back into one IfStats per link. (ip prints each
// message's records, so that its output then has a link's records twice,
// the statistics spread between them.)

// merge adds to s the statistics of next, the next message about the same
// link, keeping those s has.
func (s *IfStats) merge(next *IfStats) {
	if s.Link == nil {
		s.Link = next.Link
	}
	s.Xstats = mergeXstats(s.Xstats, next.Xstats)
	s.XstatsSlave = mergeXstats(s.XstatsSlave, next.XstatsSlave)
	if s.Offload == nil {
		s.Offload = next.Offload
	} else if o := next.Offload; o != nil {
		s.Offload.CPUHit = statsKeepFirst(s.Offload.CPUHit, o.CPUHit)
		s.Offload.HWStatsInfo = statsKeepFirst(s.Offload.HWStatsInfo, o.HWStatsInfo)
		s.Offload.L3Stats = statsKeepFirst(s.Offload.L3Stats, o.L3Stats)
	}
	if s.MPLS == nil {
		s.MPLS = next.MPLS
	}
}

func mergeXstats(x, next *LinkXstats) *LinkXstats {
	if x == nil || next == nil {
		return statsKeepFirst(x, next)
	}
	x.BridgeMcast = statsKeepFirst(x.BridgeMcast, next.BridgeMcast)
	x.BridgeSTP = statsKeepFirst(x.BridgeSTP, next.BridgeSTP)
	x.Bond3AD = statsKeepFirst(x.Bond3AD, next.Bond3AD)
	return x
}

// statsKeepFirst returns a, or b when a is nil.
func statsKeepFirst[T any](a, b *T) *T {
	if a != nil {
		return a
	}
	return b
}

// mergeIfStats merges the consecutive elements of list about the same
// link.
func mergeIfStats(list []IfStats) []IfStats {
	out := list[:0]
	for i := range list {
		if n := len(out); n > 0 && out[n-1].LinkIndex == list[i].LinkIndex {
			out[n-1].merge(&list[i])
			continue
		}
		out = append(out, list[i])
	}
	return out
}
