package main

import (
	"strconv"

	"github.com/nlkit/nlkit/rtnl"
)

// withErrorStats replaces the counters of a link's object by what ip -s -s
// prints: the error counters too. (nlkit's JSON is that of a single -s.)
func (c *command) withErrorStats(o object, l rtnl.Link) object {
	s := l.Stats
	if c.opts.stats < 2 || s == nil || o.get("stats64") == nil {
		return o
	}
	var rx, tx object
	add := func(o *object, key string, v uint64) {
		*o = append(*o, member{key, []byte(strconv.FormatUint(v, 10))})
	}
	add(&rx, "bytes", s.RxBytes)
	add(&rx, "packets", s.RxPackets)
	add(&rx, "errors", s.RxErrors)
	add(&rx, "dropped", s.RxDropped)
	add(&rx, "over_errors", s.RxOverErrors)
	add(&rx, "multicast", s.Multicast)
	if s.RxCompressed != 0 {
		add(&rx, "compressed", s.RxCompressed)
	}
	add(&rx, "length_errors", s.RxLengthErrors)
	add(&rx, "crc_errors", s.RxCRCErrors)
	add(&rx, "frame_errors", s.RxFrameErrors)
	add(&rx, "fifo_errors", s.RxFIFOErrors)
	add(&rx, "missed_errors", s.RxMissedErrors)
	if s.RxNoHandler != 0 {
		add(&rx, "nohandler", s.RxNoHandler)
	}
	add(&tx, "bytes", s.TxBytes)
	add(&tx, "packets", s.TxPackets)
	add(&tx, "errors", s.TxErrors)
	add(&tx, "dropped", s.TxDropped)
	add(&tx, "carrier_errors", s.TxCarrierErrors)
	add(&tx, "collisions", s.Collisions)
	if s.TxCompressed != 0 {
		add(&tx, "compressed", s.TxCompressed)
	}
	add(&tx, "aborted_errors", s.TxAbortedErrors)
	add(&tx, "fifo_errors", s.TxFIFOErrors)
	add(&tx, "window_errors", s.TxWindowErrors)
	add(&tx, "heartbeat_errors", s.TxHeartbeatErrors)
	if l.CarrierChanges != nil {
		add(&tx, "carrier_changes", uint64(*l.CarrierChanges))
	}
	rxb, _ := rx.MarshalJSON()
	txb, _ := tx.MarshalJSON()
	stats, _ := object{{"rx", rxb}, {"tx", txb}}.MarshalJSON()
	return o.set("stats64", stats)
}
