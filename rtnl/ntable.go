package rtnl

import (
	"time"

	"github.com/nlkit/nlkit/internal/addrfamily"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// An NTable is a neighbour table (the ARP or NDISC cache) with its
// parameters, or the parameters of one link in it: what
// `ip -s ntable show` reports (struct ndtmsg and the NDTA_* attributes).
// The kernel lists each table once with its thresholds, configuration,
// statistics and default parameters, then once per link of the namespace
// with that link's parameters alone; the tables are shared by every
// namespace, and only the initial one may change their thresholds and
// defaults.
//
// Its JSON (see [NTable.MarshalJSON]) is one element of what
// `ip -j -s ntable show` (iproute2 6.1) prints; without Config and Stats,
// of what `ip -j ntable show` prints. The same type describes a change for
// [Conn.ChangeNTable]; the fields only the kernel sets are ignored there.
type NTable struct {
	// Family is the table's address family, unix.AF_INET or
	// unix.AF_INET6 (ndtm_family). In a change, 0 matches any.
	Family uint8
	// Name is the table's name (NDTA_NAME), such as "arp_cache" or
	// "ndisc_cache".
	Name string
	// Thresh1 is the number of entries below which the garbage collector
	// leaves the table alone (NDTA_THRESH1; `thresh1`).
	Thresh1 *uint32
	// Thresh2 is the soft limit on the number of entries (NDTA_THRESH2;
	// `thresh2`).
	Thresh2 *uint32
	// Thresh3 is the hard limit on the number of entries (NDTA_THRESH3;
	// `thresh3`).
	Thresh3 *uint32
	// GCInterval is how often the garbage collector runs
	// (NDTA_GC_INTERVAL; `gc_int`), in milliseconds on the wire.
	GCInterval *time.Duration
	// Config is the table's state (NDTA_CONFIG), which the kernel sets.
	Config *NTableConfig
	// LinkIndex is the index of the link whose parameters Parms are
	// (NDTPA_IFINDEX; `dev DEV`), or 0 for the table's defaults.
	LinkIndex int32
	// LinkName is the name of the link with index LinkIndex, filled in by
	// the lists; requests ignore it.
	LinkName string
	// Parms are the table's default parameters, or the link's
	// (NDTA_PARMS).
	Parms *NTableParms
	// Stats are the table's counters (NDTA_STATS), which the kernel sets.
	Stats *NTableStats
}

// NTableConfig is the state of a neighbour table (struct ndt_config).
type NTableConfig struct {
	KeyLength uint16 // ndtc_key_len: the size of an address
	EntrySize uint16 // ndtc_entry_size: the size of an entry
	Entries   uint32 // ndtc_entries: how many entries the table holds
	// LastFlush and LastRand are how long ago the table was last flushed
	// and its hash seed last changed (ndtc_last_flush, ndtc_last_rand),
	// in milliseconds on the wire; ip prints the time they were.
	LastFlush, LastRand time.Duration
	HashRnd             uint32 // ndtc_hash_rnd: the hash seed
	HashMask            uint32 // ndtc_hash_mask: the hash mask
	HashChainGC         uint32 // ndtc_hash_chain_gc: the chain being collected
	ProxyQueueLen       uint32 // ndtc_proxy_qlen: packets queued for proxying
}

// NTableParms are the parameters of a neighbour table or of a link in it
// (NDTPA_*): the sysctls under net.ipv4.neigh and net.ipv6.neigh. Times
// are in milliseconds on the wire. Refcnt and Reachable are set by the
// kernel only.
type NTableParms struct {
	Refcnt            *uint32        // NDTPA_REFCNT: references to the parameters
	Reachable         *time.Duration // NDTPA_REACHABLE_TIME: the current, randomized reachable time
	BaseReachable     *time.Duration // NDTPA_BASE_REACHABLE_TIME: `base_reachable`
	Retrans           *time.Duration // NDTPA_RETRANS_TIME: `retrans`
	GCStale           *time.Duration // NDTPA_GC_STALETIME: `gc_stale`
	DelayProbe        *time.Duration // NDTPA_DELAY_PROBE_TIME: `delay_probe`
	Queue             *uint32        // NDTPA_QUEUE_LEN: `queue`, in packets
	AppProbes         *uint32        // NDTPA_APP_PROBES: `app_probes`
	UcastProbes       *uint32        // NDTPA_UCAST_PROBES: `ucast_probes`
	McastProbes       *uint32        // NDTPA_MCAST_PROBES: `mcast_probes`
	AnycastDelay      *time.Duration // NDTPA_ANYCAST_DELAY: `anycast_delay`
	ProxyDelay        *time.Duration // NDTPA_PROXY_DELAY: `proxy_delay`
	ProxyQueue        *uint32        // NDTPA_PROXY_QLEN: `proxy_queue`
	Locktime          *time.Duration // NDTPA_LOCKTIME: `locktime`
	QueueBytes        *uint32        // NDTPA_QUEUE_LENBYTES: the queue in bytes; ip 6.1 does not print it
	McastReprobes     *uint32        // NDTPA_MCAST_REPROBES; ip 6.1 does not print it
	IntervalProbeTime *time.Duration // NDTPA_INTERVAL_PROBE_TIME_MS; ip 6.1 does not print it
}

// NTableStats are the counters of a neighbour table (struct ndt_stats).
type NTableStats struct {
	Allocs         uint64 // entries allocated
	Destroys       uint64 // entries freed
	HashGrows      uint64 // times the hash table grew
	ResFailed      uint64 // failed resolutions
	Lookups        uint64 // lookups
	Hits           uint64 // lookups that found an entry
	RcvProbesMcast uint64 // multicast probes received
	RcvProbesUcast uint64 // unicast probes received
	PeriodicGCRuns uint64 // periodic garbage collections
	ForcedGCRuns   uint64 // forced garbage collections
	TableFulls     uint64 // times the table was full
}

// MarshalJSON encodes the table as one element of `ip -j -s ntable show`
// (iproute2 6.1): the same keys, in the same order. As with ip, the times
// of the last flush and hash seed change are printed as local times,
// "2006-01-02 15:04:05", computed from the current time; the parameters
// ip 6.1 does not know are not printed.
func (t NTable) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	name := addrfamily.Name(t.Family)
	if name == "" {
		name = "???"
	}
	w.String("family", name)
	if t.Name != "" {
		w.String("name", t.Name)
	}
	writeJSONUint(&w, "thresh1", t.Thresh1)
	writeJSONUint(&w, "thresh2", t.Thresh2)
	writeJSONUint(&w, "thresh3", t.Thresh3)
	writeNTableMillis(&w, "gc_interval", t.GCInterval)
	if c := t.Config; c != nil {
		now := time.Now().Unix()
		w.Uint("key_length", uint64(c.KeyLength))
		w.Uint("entry_size", uint64(c.EntrySize))
		w.Uint("entries", uint64(c.Entries))
		w.String("last_flush", ntableTime(now, c.LastFlush))
		w.String("last_rand", ntableTime(now, c.LastRand))
		w.Uint("hash_rnd", uint64(c.HashRnd))
		w.String("hash_mask", printfHex(c.HashMask))
		w.Uint("hash_chain_gc", uint64(c.HashChainGC))
		w.Uint("proxy_qlen", uint64(c.ProxyQueueLen))
	}
	if p := t.Parms; p != nil {
		if t.LinkIndex != 0 {
			w.String("dev", nameOrIndex(t.LinkName, t.LinkIndex))
		}
		writeJSONUint(&w, "refcnt", p.Refcnt)
		writeNTableMillis(&w, "reachable", p.Reachable)
		writeNTableMillis(&w, "base_reachable", p.BaseReachable)
		writeNTableMillis(&w, "retrans", p.Retrans)
		writeNTableMillis(&w, "gc_stale", p.GCStale)
		writeNTableMillis(&w, "delay_probe", p.DelayProbe)
		writeJSONUint(&w, "queue", p.Queue)
		writeJSONUint(&w, "app_probes", p.AppProbes)
		writeJSONUint(&w, "ucast_probes", p.UcastProbes)
		writeJSONUint(&w, "mcast_probes", p.McastProbes)
		writeNTableMillis(&w, "anycast_delay", p.AnycastDelay)
		writeNTableMillis(&w, "proxy_delay", p.ProxyDelay)
		writeJSONUint(&w, "proxy_queue", p.ProxyQueue)
		writeNTableMillis(&w, "locktime", p.Locktime)
	}
	if s := t.Stats; s != nil {
		writeJSONCounters(&w, []jsonCounter{
			{"allocs", s.Allocs}, {"destroys", s.Destroys}, {"hash_grows", s.HashGrows},
			{"res_failed", s.ResFailed}, {"lookups", s.Lookups}, {"hits", s.Hits},
			{"rcv_probes_mcast", s.RcvProbesMcast}, {"rcv_probes_ucast", s.RcvProbesUcast},
			{"periodic_gc_runs", s.PeriodicGCRuns}, {"forced_gc_runs", s.ForcedGCRuns},
			{"table_fulls", s.TableFulls},
		})
	}
	w.Close()
	return w.Bytes(), nil
}

// writeNTableMillis writes key with *p in milliseconds when p is not nil.
func writeNTableMillis(w *jsonw.Writer, key string, p *time.Duration) {
	if p != nil {
		w.Uint(key, uint64(p.Milliseconds()))
	}
}

// ntableTime formats the time age ago, now being the current Unix time,
// as ip prints the last flush of a table: the whole seconds of the age
// taken from now, in local time, or "(error)" for an age of zero.
func ntableTime(now int64, age time.Duration) string {
	if age == 0 {
		return "(error)"
	}
	return time.Unix(now-int64(age/time.Second), 0).Format(time.DateTime)
}
