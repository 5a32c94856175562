package main

import (
	"fmt"

	"github.com/nlkit/nlkit/rtnl"
)

// tunnelStats is what ip tunnel show -s and ip -6 tunnel show -s print
// after a tunnel, from its link's counters: a line end, then the RX and TX
// lines, headings and counters, as ip 6.1's tnl_print_stats, without the
// last line end. It is empty without -s or counters.
func (c *command) tunnelStats(l rtnl.Link) string {
	s := l.Stats
	if c.opts.stats == 0 || s == nil {
		return ""
	}
	sl := "\n"
	if c.opts.oneline {
		sl = "\\"
	}
	return fmt.Sprintf("%sRX: Packets    Bytes        Errors CsumErrs OutOfSeq Mcasts%s"+
		"    %-10d %-12d %-6d %-8d %-8d %-8d%s"+
		"TX: Packets    Bytes        Errors DeadLoop NoRoute  NoBufs%s"+
		"    %-10d %-12d %-6d %-8d %-8d %-6d",
		sl, sl,
		int64(s.RxPackets), int64(s.RxBytes), int64(s.RxErrors), int64(s.RxFrameErrors), int64(s.RxFIFOErrors), int64(s.Multicast), sl,
		sl,
		int64(s.TxPackets), int64(s.TxBytes), int64(s.TxErrors), int64(s.Collisions), int64(s.TxCarrierErrors), int64(s.TxDropped))
}
