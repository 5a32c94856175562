package main

import (
	"fmt"
	"strconv"
	"strings"
)

// writeStats writes a link's counters as `ip -s link` does: columns as
// wide as their widest number (or fixed, with -h), the error counters with
// -s -s, the numbers in ip's human-readable form with -h (powers of 1000,
// or of 1024 with -iec).
func (c *command) writeStats(b *strings.Builder, s object) {
	if s == nil {
		return
	}
	rx, tx := s.sub("rx"), s.sub("tx")
	n := func(o object, key string) uint64 {
		v, _ := strconv.ParseUint(o.num(key), 10, 64)
		return v
	}
	// The widths start as those of ip's headers.
	cols := [8]int{len("*X errors:"), len("packets"), len("errors"), len("dropped"), len("heartbt"), len("overrun"), len("compressed"), len("otherhost")}
	size := func(vals ...uint64) {
		for i, v := range vals {
			if l := len(strconv.FormatUint(v, 10)); !c.opts.human && l > cols[i] {
				cols[i] = l
			}
		}
	}
	rxCompressed, txCompressed := n(rx, "compressed"), n(tx, "compressed")
	noHandler, otherHost := n(rx, "nohandler"), n(rx, "otherhost")
	changes := tx.num("carrier_changes") != ""
	size(n(rx, "bytes"), n(rx, "packets"), n(rx, "errors"), n(rx, "dropped"), n(rx, "missed_errors"), n(rx, "multicast"), rxCompressed, 0)
	if c.opts.stats > 1 {
		size(0, n(rx, "length_errors"), n(rx, "crc_errors"), n(rx, "frame_errors"), n(rx, "fifo_errors"), n(rx, "over_errors"), noHandler, otherHost)
	}
	size(n(tx, "bytes"), n(tx, "packets"), n(tx, "errors"), n(tx, "dropped"), n(tx, "carrier_errors"), n(tx, "collisions"), txCompressed, 0)
	if c.opts.stats > 1 {
		size(0, 0, n(tx, "aborted_errors"), n(tx, "fifo_errors"), n(tx, "window_errors"), n(tx, "heartbeat_errors"), n(tx, "carrier_changes"), 0)
	}
	num := func(width int, v uint64) {
		b.WriteString(c.humanNumber(width, v))
	}
	ifSet := func(v uint64, s string) string {
		if v != 0 {
			return s
		}
		return ""
	}
	width := func(v uint64, w int) int {
		if v != 0 {
			return w
		}
		return 0
	}

	fmt.Fprintf(b, "    RX: %*s %*s %*s %*s %*s %*s %*s%s", cols[0]-4, "bytes", cols[1], "packets", cols[2], "errors", cols[3], "dropped",
		cols[4], "missed", cols[5], "mcast", cols[6], ifSet(rxCompressed, "compressed"), c.lineEnd())
	b.WriteString("    ")
	for i, key := range []string{"bytes", "packets", "errors", "dropped", "missed_errors", "multicast"} {
		num(cols[i], n(rx, key))
	}
	if rxCompressed != 0 {
		num(cols[6], rxCompressed)
	}
	if c.opts.stats > 1 {
		b.WriteString(c.lineEnd())
		fmt.Fprintf(b, "    RX errors:%*s %*s %*s %*s %*s %*s%*s%*s%s", cols[0]-10, "", cols[1], "length", cols[2], "crc", cols[3], "frame",
			cols[4], "fifo", cols[5], "overrun", width(noHandler, cols[6]+1), ifSet(noHandler, " nohandler"),
			width(otherHost, cols[7]+1), ifSet(otherHost, " otherhost"), c.lineEnd())
		fmt.Fprintf(b, "%*s", cols[0]+5, "")
		for i, key := range []string{"length_errors", "crc_errors", "frame_errors", "fifo_errors", "over_errors"} {
			num(cols[i+1], n(rx, key))
		}
		if noHandler != 0 {
			num(cols[6], noHandler)
		}
		if otherHost != 0 {
			num(cols[7], otherHost)
		}
	}
	b.WriteString(c.lineEnd())

	fmt.Fprintf(b, "    TX: %*s %*s %*s %*s %*s %*s %*s%s", cols[0]-4, "bytes", cols[1], "packets", cols[2], "errors", cols[3], "dropped",
		cols[4], "carrier", cols[5], "collsns", cols[6], ifSet(txCompressed, "compressed"), c.lineEnd())
	b.WriteString("    ")
	for i, key := range []string{"bytes", "packets", "errors", "dropped", "carrier_errors", "collisions"} {
		num(cols[i], n(tx, key))
	}
	if txCompressed != 0 {
		num(cols[6], txCompressed)
	}
	if c.opts.stats > 1 {
		b.WriteString(c.lineEnd())
		transns := ""
		if changes {
			transns = "transns"
		}
		fmt.Fprintf(b, "    TX errors:%*s %*s %*s %*s %*s %*s%s", cols[0]-10, "", cols[1], "aborted", cols[2], "fifo", cols[3], "window",
			cols[4], "heartbt", cols[5], transns, c.lineEnd())
		fmt.Fprintf(b, "%*s", cols[0]+5, "")
		for i, key := range []string{"aborted_errors", "fifo_errors", "window_errors", "heartbeat_errors"} {
			num(cols[i+1], n(tx, key))
		}
		if changes {
			num(cols[5], n(tx, "carrier_changes"))
		}
	}
	b.WriteString(c.lineEnd())
}

// humanNumber is a counter as ip prints it, right-aligned in width and
// followed by a space: with -h, from 1000 (1024 with -iec) up, in ip's
// human-readable form, such as "1.23M" or "1.18Mi".
func (c *command) humanNumber(width int, v uint64) string {
	base := uint64(1000)
	if c.opts.iec {
		base = 1024
	}
	if !c.opts.human || v < base {
		return fmt.Sprintf("%*d ", width, v)
	}
	prefixes := "kMGTPE"
	pow := uint64(1)
	for {
		pow *= base
		if v/base < pow || len(prefixes) == 1 {
			break
		}
		prefixes = prefixes[1:]
	}
	precision, powj := 2, uint64(1)
	for ; precision > 0; precision-- {
		powj *= 10
		if v/pow < powj {
			break
		}
	}
	s := strconv.FormatFloat(float64(v)/float64(pow), 'f', precision, 64) + prefixes[:1]
	if c.opts.iec {
		s += "i"
	}
	return fmt.Sprintf("%*s ", width, s)
}
