package tcpmetrics

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// An Entry is the TCP metrics the kernel keeps for a destination (and
// source): what one line of `ip tcp_metrics show` reports. The optional
// values are nil when the kernel did not send them.
type Entry struct {
	// Dst is the destination address.
	Dst netip.Addr
	// Src is the source address; invalid from kernels that key the
	// metrics by destination only.
	Src netip.Addr
	// AgeMillis is how long ago the entry was updated, in milliseconds.
	AgeMillis *uint64
	// TWTSVal and TWTSStamp are the last TIME-WAIT timestamp value and
	// when it was seen (tw_ts).
	TWTSVal   *uint32
	TWTSStamp *int32
	// RTTMillis8 and RTTVarMillis4 are the smoothed round-trip time in
	// milliseconds << 3 and its variance in milliseconds << 2, as older
	// kernels report them (TCP_METRIC_RTT, TCP_METRIC_RTTVAR).
	RTTMillis8    *uint32
	RTTVarMillis4 *uint32
	// RTTMicros8 and RTTVarMicros4 are the same in microseconds << 3 and
	// << 2 (TCP_METRIC_RTT_US, TCP_METRIC_RTTVAR_US); they win when both
	// are sent.
	RTTMicros8    *uint32
	RTTVarMicros4 *uint32
	// SSThresh, Cwnd and Reordering are the slow start threshold, the
	// congestion window and the reordering metric.
	SSThresh   *uint32
	Cwnd       *uint32
	Reordering *uint32
	// FastOpenMSS is the MSS that TCP Fast Open uses (fo_mss).
	FastOpenMSS *uint16
	// FastOpenSynDrops counts Fast Open SYNs dropped (fo_syn_drops), the
	// last at FastOpenSynDropTS, in milliseconds.
	FastOpenSynDrops  *uint16
	FastOpenSynDropTS *uint64
	// FastOpenCookie is the Fast Open cookie (fo_cookie), or nil.
	FastOpenCookie []byte
}

// RTTMicros returns the smoothed round-trip time in microseconds, as ip
// prints it, or 0 when the kernel sent none.
func (e Entry) RTTMicros() uint64 {
	switch {
	case e.RTTMicros8 != nil:
		return uint64(*e.RTTMicros8) >> 3
	case e.RTTMillis8 != nil:
		return uint64(*e.RTTMillis8) * 1000 >> 3
	}
	return 0
}

// RTTVarMicros returns the round-trip time variance in microseconds, as
// ip prints it, or 0 when the kernel sent none.
func (e Entry) RTTVarMicros() uint64 {
	switch {
	case e.RTTVarMicros4 != nil:
		return uint64(*e.RTTVarMicros4) >> 2
	case e.RTTVarMillis4 != nil:
		return uint64(*e.RTTVarMillis4) * 1000 >> 2
	}
	return 0
}

// cFloat formats v as C's printf("%g") does, as ip's JSON floats are.
func cFloat(v float64) []byte { return strconv.AppendFloat(nil, v, 'g', 6, 64) }

// MarshalJSON encodes the entry as one element of `ip -j tcp_metrics show`
// (iproute2 6.1): "dst", "age" (seconds), "tw_ts_stamp" ("TSVAL/STAMP"),
// "ssthresh", "cwnd", "reordering", "rtt" and "rttvar" (seconds, when not
// 0), "fopen_miss" (sic: the Fast Open MSS), "fopen_syn_drops",
// "fopen_syn_drop_ts", "fo_cookie" and "source".
func (e Entry) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.String("dst", e.Dst.String())
	if e.AgeMillis != nil {
		w.Raw("age", cFloat(float64(*e.AgeMillis)/1000))
	}
	if e.TWTSStamp != nil {
		var tsval uint32
		if e.TWTSVal != nil {
			tsval = *e.TWTSVal
		}
		w.String("tw_ts_stamp", fmt.Sprintf("%d/%d", tsval, *e.TWTSStamp))
	}
	for _, m := range []struct {
		key string
		v   *uint32
	}{{"ssthresh", e.SSThresh}, {"cwnd", e.Cwnd}, {"reordering", e.Reordering}} {
		if m.v != nil {
			w.Uint(m.key, uint64(*m.v))
		}
	}
	if rtt := e.RTTMicros(); rtt != 0 {
		w.Raw("rtt", cFloat(float64(rtt)/1e6))
	}
	if rttvar := e.RTTVarMicros(); rttvar != 0 {
		w.Raw("rttvar", cFloat(float64(rttvar)/1e6))
	}
	if e.FastOpenMSS != nil {
		w.Uint("fopen_miss", uint64(*e.FastOpenMSS))
	}
	if e.FastOpenSynDrops != nil {
		w.Uint("fopen_syn_drops", uint64(*e.FastOpenSynDrops))
		var ts uint64
		if e.FastOpenSynDropTS != nil {
			ts = *e.FastOpenSynDropTS
		}
		w.Raw("fopen_syn_drop_ts", cFloat(float64(ts)/1e6))
	}
	if e.FastOpenCookie != nil {
		w.String("fo_cookie", hex.EncodeToString(e.FastOpenCookie[:min(len(e.FastOpenCookie), 16)]))
	}
	if e.Src.IsValid() {
		w.String("source", e.Src.String())
	}
	w.Close()
	return w.Bytes(), nil
}

// decodeEntryMessage decodes a TCP_METRICS_CMD_GET message; other commands
// are left out.
func decodeEntryMessage(m genl.Message) (Entry, bool, error) {
	return genl.DecodeCommand(m, cmdGet, decodeEntry)
}

// decodeEntry decodes an entry's attributes.
func decodeEntry(b []byte) (Entry, error) {
	var e Entry
	u32 := func(d *attrs.Decoder) *uint32 { v := d.Uint32(); return &v }
	u16 := func(d *attrs.Decoder) *uint16 { v := d.Uint16(); return &v }
	u64 := func(d *attrs.Decoder) *uint64 { v := d.Uint64(); return &v }
	d := attrs.NewDecoder(b)
	for d.Next() {
		switch d.Type() {
		case attrAddrIPv4, attrAddrIPv6:
			e.Dst = d.Addr()
		case attrSaddrIPv4, attrSaddrIPv6:
			e.Src = d.Addr()
		case attrAge:
			e.AgeMillis = u64(&d)
		case attrTWTSVal:
			e.TWTSVal = u32(&d)
		case attrTWTSStamp:
			v := d.Int32()
			e.TWTSStamp = &v
		case attrFastOpenMSS:
			e.FastOpenMSS = u16(&d)
		case attrFastOpenSynDrop:
			e.FastOpenSynDrops = u16(&d)
		case attrFastOpenDropTS:
			e.FastOpenSynDropTS = u64(&d)
		case attrFastOpenCookie:
			e.FastOpenCookie = append([]byte{}, d.Bytes()...)
		case attrVals:
			vals := d.Nested()
			for vals.Next() {
				switch vals.Type() {
				case metricRTT:
					e.RTTMillis8 = u32(&vals)
				case metricRTTVar:
					e.RTTVarMillis4 = u32(&vals)
				case metricSSThresh:
					e.SSThresh = u32(&vals)
				case metricCwnd:
					e.Cwnd = u32(&vals)
				case metricReordering:
					e.Reordering = u32(&vals)
				case metricRTTUs:
					e.RTTMicros8 = u32(&vals)
				case metricRTTVarUs:
					e.RTTVarMicros4 = u32(&vals)
				}
			}
			if err := vals.Err(); err != nil {
				return e, fmt.Errorf("TCP_METRICS_ATTR_VALS: %w", err)
			}
		}
	}
	if err := d.Err(); err != nil {
		return e, err
	}
	if !e.Dst.IsValid() {
		return e, fmt.Errorf("tcp metrics without a destination address")
	}
	return e, nil
}

// encodeAddrs appends the destination and, when valid, the source address
// attributes, as ip sends them to name an entry.
func encodeAddrs(enc *attrs.Encoder, dst, src netip.Addr) {
	if dst.Is4() {
		enc.Addr(attrAddrIPv4, dst)
	} else {
		enc.Addr(attrAddrIPv6, dst)
	}
	switch {
	case src.Is4():
		enc.Addr(attrSaddrIPv4, src)
	case src.Is6():
		enc.Addr(attrSaddrIPv6, src)
	}
}
