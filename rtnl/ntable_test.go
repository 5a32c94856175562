package rtnl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// ntableMoving matches what moves in `ip -j -s ntable show` between two
// reads: the tables are shared by every namespace on the machine, whose
// traffic moves the counters and the entries, and the reachable times are
// drawn again now and then.
var ntableMoving = regexp.MustCompile(`"(entries|hash_rnd|hash_mask|reachable|allocs|destroys|hash_grows|res_failed|lookups|hits|rcv_probes_mcast|rcv_probes_ucast|periodic_gc_runs|forced_gc_runs|table_fulls)":("[^"]*"|[0-9]+)`)

// ntableTimes matches the times of the last flush and hash seed change.
var ntableTimes = regexp.MustCompile(`"(last_flush|last_rand)":"[^"]*"`)

// compareNTables reads `ip -j [-s] ntable show args...` around fn until
// two reads agree, and compares what fn returns with it; when the tables
// keep moving, it compares them with the moving values masked.
func compareNTables(t *testing.T, ns *testns.NS, stats bool, args []string, fn func() []rtnl.NTable) {
	t.Helper()
	ipArgs := append([]string{"-j", "ntable", "show"}, args...)
	if stats {
		ipArgs = append([]string{"-s"}, ipArgs...)
	}
	// The times of the last flush and hash seed change, which ip and
	// nlkit compute from the table's age and the current time in whole
	// seconds, may differ by one second between any two reads: they are
	// compared without them (ntableTime's test checks the format).
	mask := func(b []byte) []byte { return ntableTimes.ReplaceAll(b, []byte(`"$1":"-"`)) }
	var before, after []byte
	var g []string
	for try := 0; ; try++ {
		before = ns.IP(t, ipArgs...)
		// Marshalled at once: the JSON has the time of the last flush,
		// computed from the table's age and the current time.
		got := fn()
		g = make([]string, len(got))
		for i := range got {
			if !stats {
				got[i].Config, got[i].Stats = nil, nil
			}
			g[i] = string(marshal(t, got[i]))
		}
		after = ns.IP(t, ipArgs...)
		if bytes.Equal(before, after) {
			break
		}
		if try == 10 {
			mask = func(b []byte) []byte {
				return ntableMoving.ReplaceAll(ntableTimes.ReplaceAll(b, []byte(`"$1":"-"`)), []byte(`"$1":0`))
			}
			if !bytes.Equal(mask(before), mask(after)) {
				t.Fatalf("ip %v keeps changing:\n%s\n%s", ipArgs, before, after)
			}
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	var want []json.RawMessage
	if err := json.Unmarshal(mask(after), &want); err != nil {
		t.Fatalf("ip %v: %v\n%s", ipArgs, err, after)
	}
	for i := range g {
		g[i] = string(mask([]byte(g[i])))
	}
	w := make([]string, len(want))
	for i := range want {
		w[i] = string(want[i])
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("ip %v differs (-ip +nlkit):\n%s", ipArgs, diff)
	}
}

func TestNTablesMatchIP(t *testing.T) {
	ns := netconfNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	v0 := addrLink(t, c, "v0")
	for _, tc := range []struct {
		name    string
		args    []string
		filters []rtnl.NTableFilter
	}{
		{"all", nil, nil},
		{"name", []string{"name", "ndisc_cache"}, []rtnl.NTableFilter{rtnl.FilterNTableName("ndisc_cache")}},
		{"dev", []string{"dev", "v0"}, []rtnl.NTableFilter{rtnl.FilterNTableLink(v0)}},
		{"none", []string{"dev", "none", "name", "arp_cache"}, []rtnl.NTableFilter{rtnl.FilterNTableNoLink(), rtnl.FilterNTableName("arp_cache")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list := func() []rtnl.NTable {
				ts, err := c.NTables(ctx, tc.filters...)
				if err != nil {
					t.Fatalf("NTables: %v", err)
				}
				return ts
			}
			compareNTables(t, ns, false, tc.args, list)
			compareNTables(t, ns, true, tc.args, list)
			compareNTables(t, ns, false, tc.args, func() []rtnl.NTable {
				var ts []rtnl.NTable
				for nt, err := range c.NTablesSeq(ctx, tc.filters...) {
					if err != nil {
						t.Fatalf("NTablesSeq: %v", err)
					}
					ts = append(ts, nt)
				}
				return ts
			})
		})
	}
	// The family filter runs in the kernel.
	inet6, err := c.NTables(ctx, rtnl.FilterNTableFamily(unix.AF_INET6))
	if err != nil || len(inet6) == 0 {
		t.Fatalf("NTables(inet6) = %d tables, %v", len(inet6), err)
	}
	for _, nt := range inet6 {
		if nt.Family != unix.AF_INET6 {
			t.Errorf("NTables(inet6) lists %s of family %d", nt.Name, nt.Family)
		}
	}
}

func TestChangeNTableLikeIP(t *testing.T) {
	ns := netconfNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	v0 := addrLink(t, c, "v0")
	ms := func(n int) *time.Duration { d := time.Duration(n) * time.Millisecond; return &d }
	err := c.ChangeNTable(ctx, rtnl.NTable{Name: "arp_cache", LinkIndex: v0, Parms: &rtnl.NTableParms{
		BaseReachable: ms(20000), Retrans: ms(500), GCStale: ms(30000), DelayProbe: ms(4000),
		Queue: ptr(uint32(10)), AppProbes: ptr(uint32(1)), UcastProbes: ptr(uint32(2)), McastProbes: ptr(uint32(4)),
		AnycastDelay: ms(900), ProxyDelay: ms(700), ProxyQueue: ptr(uint32(32)), Locktime: ms(2000),
	}})
	if err != nil {
		t.Fatalf("ChangeNTable: %v", err)
	}
	ns.IP(t, "ntable", "change", "name", "arp_cache", "dev", "v1", "base_reachable", "20000", "retrans", "500",
		"gc_stale", "30000", "delay_probe", "4000", "queue", "10", "app_probes", "1", "ucast_probes", "2",
		"mcast_probes", "4", "anycast_delay", "900", "proxy_delay", "700", "proxy_queue", "32", "locktime", "2000")
	ns.IP(t, "-6", "ntable", "change", "name", "ndisc_cache", "dev", "v1", "queue", "7")
	strip := func(b []byte) string {
		return string(regexp.MustCompile(`"(dev|refcnt|reachable)":("[^"]*"|[0-9]+),`).ReplaceAll(b, nil))
	}
	v0JSON := ns.IP(t, "-j", "ntable", "show", "name", "arp_cache", "dev", "v0")
	v1JSON := ns.IP(t, "-j", "ntable", "show", "name", "arp_cache", "dev", "v1")
	if strip(v0JSON) != strip(v1JSON) {
		t.Errorf("after ChangeNTable, ip shows\n%s\nafter ip ntable change\n%s", v0JSON, v1JSON)
	}
	compareNTables(t, ns, false, []string{"dev", "v1"}, func() []rtnl.NTable {
		ts, err := c.NTables(ctx, rtnl.FilterNTableLink(addrLink(t, c, "v1")))
		if err != nil {
			t.Fatal(err)
		}
		return ts
	})

	// Only the initial namespace may change the tables themselves.
	err = c.ChangeNTable(ctx, rtnl.NTable{Name: "arp_cache", Thresh1: ptr(uint32(64))})
	if !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("ChangeNTable of the thresholds outside the initial namespace: %v; want ErrNotExist", err)
	}
	if err := c.ChangeNTable(ctx, rtnl.NTable{Name: "no_such_cache", LinkIndex: v0, Parms: &rtnl.NTableParms{Queue: ptr(uint32(1))}}); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("ChangeNTable of a missing table: %v; want ErrNotExist", err)
	}
	if err := c.ChangeNTable(ctx, rtnl.NTable{Name: "arp_cache", LinkIndex: 999, Parms: &rtnl.NTableParms{Queue: ptr(uint32(1))}}); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("ChangeNTable on a missing link: %v; want ErrNotExist", err)
	}
	for _, nt := range []rtnl.NTable{
		{LinkIndex: v0, Parms: &rtnl.NTableParms{Queue: ptr(uint32(1))}},
		{Name: "arp_cache", LinkIndex: v0},
		{Name: "arp_cache", LinkIndex: v0, Parms: &rtnl.NTableParms{Refcnt: ptr(uint32(1))}},
		{Name: "arp_cache", LinkIndex: -1, Parms: &rtnl.NTableParms{Queue: ptr(uint32(1))}},
		{Name: "arp_cache", LinkIndex: v0, Parms: &rtnl.NTableParms{Retrans: ms(-1)}},
	} {
		if err := c.ChangeNTable(ctx, nt); !isInvalid(err) {
			t.Errorf("ChangeNTable(%+v): %v; want an InvalidError", nt, err)
		}
	}
}
