package rtnl_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// statsNS returns a namespace with a bridge br0 and a veth pair v0 and v1,
// v0 a port of br0, all up.
func statsNS(t *testing.T) *testns.NS {
	t.Helper()
	ns := testns.New(t)
	ns.IPBatch(t, `
link set lo up
link add br0 type bridge
link add v0 type veth peer name v1
link set v0 master br0
link set v0 up
link set v1 up
link set br0 up
`)
	return ns
}

// statsGroupCases are ip's selectors and the groups they select.
func statsGroupCases() []struct {
	args   string
	groups rtnl.StatsGroups
} {
	return []struct {
		args   string
		groups rtnl.StatsGroups
	}{
		{"", 0},
		{"group link", rtnl.StatsLink},
		{"group xstats", rtnl.StatsXstats},
		{"group xstats_slave", rtnl.StatsXstatsSlave},
		{"group xstats subgroup bridge suite mcast", rtnl.StatsXstatsBridgeMcast},
		{"group xstats_slave subgroup bridge suite stp", rtnl.StatsXstatsSlaveBridgeSTP},
		{"group offload", rtnl.StatsOffload},
		{"group offload subgroup l3_stats", rtnl.StatsOffloadL3Stats},
		{"group offload subgroup hw_stats_info", rtnl.StatsOffloadHWStatsInfo},
		{"group afstats", rtnl.StatsAF},
		{"group link group xstats_slave subgroup bond", rtnl.StatsLink | rtnl.StatsXstatsSlaveBond3AD},
	}
}

func TestStatsMatchIP(t *testing.T) {
	ns := statsNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	for _, tc := range statsGroupCases() {
		t.Run(tc.args, func(t *testing.T) {
			// A dump.
			args := append([]string{"-j", "stats", "show"}, strings.Fields(tc.args)...)
			want, got := stableIP(t, ns, args, func() rtnl.IfStatsList {
				l, err := c.Stats(ctx, tc.groups)
				if err != nil {
					t.Fatalf("Stats: %v", err)
				}
				return l
			})
			compareJSONList(t, "Stats", unmarshalList(t, marshal(t, got)), mergeIPStats(t, want))
			// One link.
			for _, name := range []string{"br0", "v0"} {
				index := addrLink(t, c, name)
				args := append([]string{"-j", "stats", "show", "dev", name}, strings.Fields(tc.args)...)
				want, got := stableIP(t, ns, args, func() rtnl.IfStats {
					s, err := c.GetStats(ctx, index, tc.groups)
					if err != nil {
						t.Fatalf("GetStats(%s): %v", name, err)
					}
					return s
				})
				compareJSONList(t, "GetStats("+name+")", unmarshalList(t, marshal(t, got)), want)
			}
		})
	}
}

// mergeIPStats merges the records ip prints twice for a link when the
// kernel splits its statistics over two messages, as nlkit merges them:
// of the records with the same link, group, subgroup and suite, the
// longest, in the place of the first.
func mergeIPStats(t *testing.T, records []json.RawMessage) []json.RawMessage {
	t.Helper()
	var out []json.RawMessage
	at := make(map[string]int)
	for _, r := range records {
		var k struct {
			Index                  int `json:"ifindex"`
			Group, Subgroup, Suite string
		}
		if err := json.Unmarshal(r, &k); err != nil {
			t.Fatalf("%v: %s", err, r)
		}
		key := fmt.Sprint(k)
		if i, ok := at[key]; ok {
			if len(r) > len(out[i]) {
				out[i] = r
			}
			continue
		}
		at[key] = len(out)
		out = append(out, r)
	}
	return out
}

// unmarshalList splits a JSON array into its elements, as raw messages
// compareJSONList marshals back unchanged.
func unmarshalList(t *testing.T, b []byte) []json.RawMessage {
	t.Helper()
	var objs []json.RawMessage
	if err := json.Unmarshal(b, &objs); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	return objs
}

func TestStatsSeqAndErrors(t *testing.T) {
	ns := statsNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	list, err := c.Stats(ctx, rtnl.StatsXstatsSlave)
	if err != nil {
		t.Fatal(err)
	}
	var streamed rtnl.IfStatsList
	for s, err := range c.StatsSeq(ctx, rtnl.StatsXstatsSlave) {
		if err != nil {
			t.Fatalf("StatsSeq: %v", err)
		}
		streamed = append(streamed, s)
	}
	if diff := cmp.Diff(list, streamed); diff != "" {
		t.Errorf("StatsSeq differs from Stats (-list +seq):\n%s", diff)
	}
	v0 := addrLink(t, c, "v0")
	s, err := c.GetStats(ctx, v0, rtnl.StatsXstatsSlaveBridgeSTP)
	if err != nil || s.XstatsSlave == nil || s.XstatsSlave.BridgeSTP == nil || s.Link != nil {
		t.Errorf("GetStats(v0, xstats_slave bridge stp) = %+v, %v; want STP counters alone", s, err)
	}
	if _, err := c.GetStats(ctx, 999, 0); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("GetStats of a missing link: %v; want ErrNotExist", err)
	}
	if _, err := c.GetStats(ctx, 0, 0); !isInvalid(err) {
		t.Errorf("GetStats(0): %v; want an InvalidError", err)
	}
	if _, err := c.Stats(ctx, 1<<20); !isInvalid(err) || !errors.Is(err, unix.EINVAL) {
		t.Errorf("Stats(unknown group): %v; want an InvalidError", err)
	}
}

func TestSetL3StatsLikeIP(t *testing.T) {
	ns := statsNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	v0, v1 := addrLink(t, c, "v0"), addrLink(t, c, "v1")
	err := c.SetL3Stats(ctx, v0, true)
	if errors.Is(err, rtnl.ErrNotSupported) {
		kfeature.Missing(t, kfeature.Feature{Name: "L3 HW statistics (l3_stats)", Since: "5.18"}, err)
	}
	if err != nil {
		t.Fatalf("SetL3Stats: %v", err)
	}
	ns.IP(t, "stats", "set", "dev", "v1", "l3_stats", "on")
	for _, name := range []string{"v0", "v1"} {
		out := ns.IP(t, "-j", "stats", "show", "dev", name, "group", "offload", "subgroup", "hw_stats_info")
		if !strings.Contains(string(out), `"l3_stats":{"request":true`) {
			t.Errorf("after l3_stats on, ip shows for %s: %s", name, out)
		}
		index := addrLink(t, c, name)
		want, got := stableIP(t, ns, []string{"-j", "stats", "show", "dev", name, "group", "offload"}, func() rtnl.IfStats {
			s, err := c.GetStats(ctx, index, rtnl.StatsOffload)
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
		compareJSONList(t, "GetStats("+name+")", unmarshalList(t, marshal(t, got)), want)
	}
	if err := c.SetL3Stats(ctx, v1, false); err != nil {
		t.Fatalf("SetL3Stats off: %v", err)
	}
	ns.IP(t, "stats", "set", "dev", "v0", "l3_stats", "off")
	for _, index := range []int32{v0, v1} {
		s, err := c.GetStats(ctx, index, rtnl.StatsOffloadHWStatsInfo)
		if err != nil || s.Offload == nil || s.Offload.HWStatsInfo == nil || s.Offload.HWStatsInfo.L3Stats == nil ||
			*s.Offload.HWStatsInfo.L3Stats.Request {
			t.Errorf("after l3_stats off, GetStats(%d) = %+v, %v", index, s.Offload, err)
		}
	}
	if err := c.SetL3Stats(ctx, 999, true); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("SetL3Stats on a missing link: %v; want ErrNotExist", err)
	}
}
