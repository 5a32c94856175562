package rtnl

import (
	"fmt"
	"math"
	"time"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// The NDTA_* and NDTPA_* attributes, which x/sys/unix lacks.
const (
	ndtaName       = 1
	ndtaThresh1    = 2
	ndtaThresh2    = 3
	ndtaThresh3    = 4
	ndtaConfig     = 5
	ndtaParms      = 6
	ndtaStats      = 7
	ndtaGCInterval = 8

	ndtpaIfIndex           = 1
	ndtpaRefcnt            = 2
	ndtpaReachableTime     = 3
	ndtpaBaseReachableTime = 4
	ndtpaRetransTime       = 5
	ndtpaGCStaleTime       = 6
	ndtpaDelayProbeTime    = 7
	ndtpaQueueLen          = 8
	ndtpaAppProbes         = 9
	ndtpaUcastProbes       = 10
	ndtpaMcastProbes       = 11
	ndtpaAnycastDelay      = 12
	ndtpaProxyDelay        = 13
	ndtpaProxyQlen         = 14
	ndtpaLocktime          = 15
	ndtpaQueueLenBytes     = 16
	ndtpaMcastReprobes     = 17
	ndtpaIntervalProbeTime = 19
)

// The sizes of struct ndtmsg, struct ndt_config and struct ndt_stats.
const (
	ndtMsgLen    = 4
	ndtConfigLen = 32
	ndtStatsLen  = 88
)

// ntableValues backs the pointer fields of a decoded NTable, so that
// decoding allocates once.
type ntableValues struct {
	thresh1, thresh2, thresh3 uint32
	gcInterval                time.Duration
	config                    NTableConfig
	parms                     NTableParms
	stats                     NTableStats
	parmsValues
}

// parmsValues backs the pointer fields of decoded NTableParms.
type parmsValues struct {
	refcnt, queue, appProbes, ucastProbes, mcastProbes, proxyQueue, queueBytes, mcastReprobes uint32
	reachable, baseReachable, retrans, gcStale, delayProbe, anycastDelay, proxyDelay, locktime,
	intervalProbe time.Duration
}

// decodeNTable decodes an RTM_NEWNEIGHTBL payload (ndtmsg and
// attributes). On an error it returns what it read before it.
func decodeNTable(b []byte) (NTable, error) {
	var t NTable
	if len(b) < ndtMsgLen {
		return t, fmt.Errorf("neighbour table message too short: %d bytes", len(b))
	}
	t.Family = b[0]
	v := new(ntableValues)
	d := attrs.NewDecoder(b[ndtMsgLen:])
	for d.Next() {
		switch d.Type() {
		case ndtaName:
			t.Name = d.String()
		case ndtaThresh1:
			t.Thresh1 = uint32Field(&d, &v.thresh1)
		case ndtaThresh2:
			t.Thresh2 = uint32Field(&d, &v.thresh2)
		case ndtaThresh3:
			t.Thresh3 = uint32Field(&d, &v.thresh3)
		case ndtaGCInterval:
			t.GCInterval = ntableMillisField(&d, &v.gcInterval)
		case ndtaConfig:
			if err := decodeNTableConfig(d.Bytes(), &v.config); err != nil {
				return t, err
			}
			t.Config = &v.config
		case ndtaStats:
			if err := decodeNTableStats(d.Bytes(), &v.stats); err != nil {
				return t, err
			}
			t.Stats = &v.stats
		case ndtaParms:
			nd := d.Nested()
			t.LinkIndex = decodeNTableParms(&nd, &v.parms, &v.parmsValues)
			if err := nd.Err(); err != nil {
				return t, fmt.Errorf("NDTA_PARMS: %w", err)
			}
			t.Parms = &v.parms
		}
	}
	return t, d.Err()
}

// decodeNTableParms decodes the NDTPA_* attributes into p, backed by v,
// and returns the link index they carry.
func decodeNTableParms(d *attrs.Decoder, p *NTableParms, v *parmsValues) int32 {
	var index int32
	for d.Next() {
		switch d.Type() {
		case ndtpaIfIndex:
			index = d.Int32()
		case ndtpaRefcnt:
			p.Refcnt = uint32Field(d, &v.refcnt)
		case ndtpaReachableTime:
			p.Reachable = ntableMillisField(d, &v.reachable)
		case ndtpaBaseReachableTime:
			p.BaseReachable = ntableMillisField(d, &v.baseReachable)
		case ndtpaRetransTime:
			p.Retrans = ntableMillisField(d, &v.retrans)
		case ndtpaGCStaleTime:
			p.GCStale = ntableMillisField(d, &v.gcStale)
		case ndtpaDelayProbeTime:
			p.DelayProbe = ntableMillisField(d, &v.delayProbe)
		case ndtpaQueueLen:
			p.Queue = uint32Field(d, &v.queue)
		case ndtpaAppProbes:
			p.AppProbes = uint32Field(d, &v.appProbes)
		case ndtpaUcastProbes:
			p.UcastProbes = uint32Field(d, &v.ucastProbes)
		case ndtpaMcastProbes:
			p.McastProbes = uint32Field(d, &v.mcastProbes)
		case ndtpaAnycastDelay:
			p.AnycastDelay = ntableMillisField(d, &v.anycastDelay)
		case ndtpaProxyDelay:
			p.ProxyDelay = ntableMillisField(d, &v.proxyDelay)
		case ndtpaProxyQlen:
			p.ProxyQueue = uint32Field(d, &v.proxyQueue)
		case ndtpaLocktime:
			p.Locktime = ntableMillisField(d, &v.locktime)
		case ndtpaQueueLenBytes:
			p.QueueBytes = uint32Field(d, &v.queueBytes)
		case ndtpaMcastReprobes:
			p.McastReprobes = uint32Field(d, &v.mcastReprobes)
		case ndtpaIntervalProbeTime:
			p.IntervalProbeTime = ntableMillisField(d, &v.intervalProbe)
		}
	}
	return index
}

// ntableMillisField stores the current attribute's u64 of milliseconds in *p,
// saturating at the longest Duration, and returns p.
func ntableMillisField(d *attrs.Decoder, p *time.Duration) *time.Duration {
	ms := d.Uint64()
	*p = time.Duration(math.MaxInt64)
	if ms <= uint64(math.MaxInt64/int64(time.Millisecond)) {
		*p = time.Duration(ms) * time.Millisecond
	}
	return p
}

// decodeNTableConfig decodes a struct ndt_config.
func decodeNTableConfig(b []byte, c *NTableConfig) error {
	if len(b) < ndtConfigLen {
		return fmt.Errorf("NDTA_CONFIG is %d bytes, want %d", len(b), ndtConfigLen)
	}
	*c = NTableConfig{
		KeyLength:     native.Endian.Uint16(b),
		EntrySize:     native.Endian.Uint16(b[2:]),
		Entries:       native.Endian.Uint32(b[4:]),
		LastFlush:     time.Duration(native.Endian.Uint32(b[8:])) * time.Millisecond,
		LastRand:      time.Duration(native.Endian.Uint32(b[12:])) * time.Millisecond,
		HashRnd:       native.Endian.Uint32(b[16:]),
		HashMask:      native.Endian.Uint32(b[20:]),
		HashChainGC:   native.Endian.Uint32(b[24:]),
		ProxyQueueLen: native.Endian.Uint32(b[28:]),
	}
	return nil
}

// decodeNTableStats decodes a struct ndt_stats.
func decodeNTableStats(b []byte, s *NTableStats) error {
	if len(b) < ndtStatsLen {
		return fmt.Errorf("NDTA_STATS is %d bytes, want %d", len(b), ndtStatsLen)
	}
	u := func(i int) uint64 { return native.Endian.Uint64(b[8*i:]) }
	*s = NTableStats{
		Allocs: u(0), Destroys: u(1), HashGrows: u(2), ResFailed: u(3), Lookups: u(4), Hits: u(5),
		RcvProbesMcast: u(6), RcvProbesUcast: u(7), PeriodicGCRuns: u(8), ForcedGCRuns: u(9), TableFulls: u(10),
	}
	return nil
}

// decodeNTableMessage decodes a table from a dump reply, skipping messages
// of other types.
func decodeNTableMessage(m nlconn.Message) (NTable, bool, error) {
	if m.Type != unix.RTM_NEWNEIGHTBL {
		return NTable{}, false, nil
	}
	t, err := decodeNTable(m.Data)
	return t, err == nil, err
}
