package xfrm

import (
	"github.com/josharian/native"

	"github.com/nlkit/nlkit/internal/jsonw"
)

// A LifetimeConfig holds the limits of a state or policy (struct
// xfrm_lifetime_cfg), ip's limit arguments. Writing, a zero byte or packet
// limit means no limit, sent as XFRM_INF as ip does; reading, no limit is
// XFRM_INF (the largest uint64). Times are in seconds, 0 for none.
type LifetimeConfig struct {
	SoftByteLimit, HardByteLimit     uint64
	SoftPacketLimit, HardPacketLimit uint64
	SoftAddExpires, HardAddExpires   uint64 // seconds after adding
	SoftUseExpires, HardUseExpires   uint64 // seconds after first use
}

// LifetimeCurrent is what a state or policy has used so far (struct
// xfrm_lifetime_cur). Times are Unix seconds, 0 for never.
type LifetimeCurrent struct {
	Bytes, Packets   uint64
	AddTime, UseTime uint64
}

// Stats are a state's counters (struct xfrm_stats).
type Stats struct {
	ReplayWindow    uint32 // packets dropped as outside the replay window
	Replay          uint32 // replayed packets dropped
	IntegrityFailed uint32 // packets that failed the integrity check
}

// orInf is v, or XFRM_INF for 0.
func orInf(v uint64) uint64 {
	if v == 0 {
		return infinite
	}
	return v
}

func (l LifetimeConfig) put(b []byte) {
	for i, v := range [8]uint64{orInf(l.SoftByteLimit), orInf(l.HardByteLimit),
		orInf(l.SoftPacketLimit), orInf(l.HardPacketLimit),
		l.SoftAddExpires, l.HardAddExpires, l.SoftUseExpires, l.HardUseExpires} {
		native.Endian.PutUint64(b[8*i:], v)
	}
}

func getLifetimeConfig(b []byte) LifetimeConfig {
	u := func(i int) uint64 { return native.Endian.Uint64(b[8*i:]) }
	return LifetimeConfig{u(0), u(1), u(2), u(3), u(4), u(5), u(6), u(7)}
}

// put writes l as a struct xfrm_lifetime_cur.
func (l LifetimeCurrent) put(b []byte) {
	for i, v := range [4]uint64{l.Bytes, l.Packets, l.AddTime, l.UseTime} {
		native.Endian.PutUint64(b[8*i:], v)
	}
}

func getLifetimeCurrent(b []byte) LifetimeCurrent {
	u := func(i int) uint64 { return native.Endian.Uint64(b[8*i:]) }
	return LifetimeCurrent{u(0), u(1), u(2), u(3)}
}

func getStats(b []byte) Stats {
	u := func(i int) uint32 { return native.Endian.Uint32(b[4*i:]) }
	return Stats{u(0), u(1), u(2)}
}

func (l LifetimeConfig) writeJSON(w *jsonw.Writer) {
	w.Open("lifetime_config")
	w.Uint("soft_byte_limit", l.SoftByteLimit)
	w.Uint("hard_byte_limit", l.HardByteLimit)
	w.Uint("soft_packet_limit", l.SoftPacketLimit)
	w.Uint("hard_packet_limit", l.HardPacketLimit)
	w.Uint("soft_add_expires_seconds", l.SoftAddExpires)
	w.Uint("hard_add_expires_seconds", l.HardAddExpires)
	w.Uint("soft_use_expires_seconds", l.SoftUseExpires)
	w.Uint("hard_use_expires_seconds", l.HardUseExpires)
	w.Close()
}

func (l LifetimeCurrent) writeJSON(w *jsonw.Writer) {
	w.Open("lifetime_current")
	w.Uint("bytes", l.Bytes)
	w.Uint("packets", l.Packets)
	w.Uint("add_time", l.AddTime)
	w.Uint("use_time", l.UseTime)
	w.Close()
}

func (s Stats) writeJSON(w *jsonw.Writer) {
	w.Open("stats")
	w.Uint("replay_window", uint64(s.ReplayWindow))
	w.Uint("replay", uint64(s.Replay))
	w.Uint("integrity_failed", uint64(s.IntegrityFailed))
	w.Close()
}

// A Mark is a firewall mark and its mask (struct xfrm_mark): ip's
// `mark V mask M`. The zero Mark is no mark.
type Mark struct {
	Value, Mask uint32
}

func (m Mark) put(b []byte) {
	native.Endian.PutUint32(b, m.Value)
	native.Endian.PutUint32(b[4:], m.Mask)
}
