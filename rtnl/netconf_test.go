package rtnl_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// netconfNS returns a namespace with a veth pair v0 and v1 whose settings
// differ from the defaults in every way ip prints.
func netconfNS(t *testing.T) *testns.NS {
	t.Helper()
	ns := testns.New(t)
	ns.IPBatch(t, `
link set lo up
link add v0 type veth peer name v1
`)
	addrSysctl(t, ns,
		"net.ipv4.conf.v0.rp_filter=2", "net.ipv4.conf.v1.rp_filter=1",
		"net.ipv4.conf.v0.forwarding=1", "net.ipv4.conf.v1.proxy_arp=1",
		"net.ipv4.conf.default.ignore_routes_with_linkdown=1",
		"net.ipv6.conf.v1.forwarding=1", "net.ipv6.conf.v0.proxy_ndp=1",
		"net.ipv6.conf.all.ignore_routes_with_linkdown=1")
	return ns
}

// ipNetConf returns the objects `ip -j netconf show args...` prints.
func ipNetConf(t *testing.T, ns *testns.NS, args ...string) []json.RawMessage {
	t.Helper()
	var objs []json.RawMessage
	out := ns.IP(t, append([]string{"-j", "netconf", "show"}, args...)...)
	if err := json.Unmarshal(out, &objs); err != nil {
		t.Fatalf("ip netconf show %v: %v\n%s", args, err, out)
	}
	return objs
}

// compareJSONList checks that nlkit's objects marshal to ip's, in order.
func compareJSONList[T any](t *testing.T, what string, got []T, want []json.RawMessage) {
	t.Helper()
	g := make([]string, len(got))
	for i := range got {
		g[i] = string(marshal(t, got[i]))
	}
	w := make([]string, len(want))
	for i := range want {
		w[i] = string(want[i])
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("%s: JSON differs from ip (-ip +nlkit):\n%s", what, diff)
	}
}

func TestNetConfsMatchIP(t *testing.T) {
	ns := netconfNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	v0 := addrLink(t, c, "v0")
	for _, tc := range []struct {
		name    string
		ipArgs  []string
		filters []rtnl.NetConfFilter
	}{
		{"all", nil, nil},
		{"inet", []string{"-4"}, []rtnl.NetConfFilter{rtnl.FilterNetConfFamily(unix.AF_INET)}},
		{"inet6", []string{"-6"}, []rtnl.NetConfFilter{rtnl.FilterNetConfFamily(unix.AF_INET6)}},
		{"dev", []string{"dev", "v0"}, []rtnl.NetConfFilter{rtnl.FilterNetConfLink(v0)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []json.RawMessage
			if len(tc.ipArgs) > 0 && tc.ipArgs[0][0] == '-' {
				out := ns.IP(t, tc.ipArgs[0], "-j", "netconf", "show")
				if err := json.Unmarshal(out, &want); err != nil {
					t.Fatalf("ip: %v\n%s", err, out)
				}
			} else {
				want = ipNetConf(t, ns, tc.ipArgs...)
			}
			got, err := c.NetConfs(ctx, tc.filters...)
			if err != nil {
				t.Fatalf("NetConfs: %v", err)
			}
			compareJSONList(t, "NetConfs", got, want)
			var streamed []rtnl.NetConf
			for n, err := range c.NetConfsSeq(ctx, tc.filters...) {
				if err != nil {
					t.Fatalf("NetConfsSeq: %v", err)
				}
				streamed = append(streamed, n)
			}
			if diff := cmp.Diff(got, streamed); diff != "" {
				t.Errorf("NetConfsSeq differs from NetConfs (-list +seq):\n%s", diff)
			}
		})
	}
}

func TestGetNetConf(t *testing.T) {
	ns := netconfNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	all := ipNetConf(t, ns)
	list, err := c.NetConfs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(all) {
		t.Fatalf("NetConfs returned %d, ip prints %d", len(list), len(all))
	}
	for i, n := range list {
		got, err := c.GetNetConf(ctx, n.Family, n.LinkIndex)
		if err != nil {
			t.Fatalf("GetNetConf(%d, %d): %v", n.Family, n.LinkIndex, err)
		}
		// A get reports the same as a dump, and what ip prints.
		if diff := cmp.Diff(n, got); diff != "" {
			t.Errorf("GetNetConf(%d, %d) differs from the dump (-dump +get):\n%s", n.Family, n.LinkIndex, diff)
		}
		if g := marshal(t, got); string(g) != string(all[i]) {
			t.Errorf("GetNetConf(%d, %d) JSON\n got %s\nwant %s", n.Family, n.LinkIndex, g, all[i])
		}
	}
	if n, err := c.GetNetConf(ctx, unix.AF_INET, rtnl.NetConfAll); err != nil || n.Forwarding == nil || n.RPFilter == nil {
		t.Errorf("GetNetConf(inet, all) = %+v, %v; want forwarding and rp_filter", n, err)
	}
}

func TestGetNetConfErrors(t *testing.T) {
	ns := netconfNS(t)
	c := dial(t, ns)
	ctx := context.Background()
	if _, err := c.GetNetConf(ctx, unix.AF_INET, 999); !errors.Is(err, rtnl.ErrNotExist) {
		t.Errorf("GetNetConf of a missing link: %v; want ErrNotExist", err)
	}
	if _, err := c.GetNetConf(ctx, unix.AF_MPLS, 1); err != nil && !errors.Is(err, rtnl.ErrNotSupported) {
		t.Errorf("GetNetConf(mpls): %v; want success or ErrNotSupported", err)
	}
	for _, tc := range []struct {
		family uint8
		index  int32
	}{{unix.AF_INET, 0}, {unix.AF_INET, -3}, {unix.AF_UNSPEC, 1}, {unix.AF_BRIDGE, 1}} {
		if _, err := c.GetNetConf(ctx, tc.family, tc.index); !isInvalid(err) || !errors.Is(err, unix.EINVAL) {
			t.Errorf("GetNetConf(%d, %d): %v; want an InvalidError", tc.family, tc.index, err)
		}
	}
	if _, err := c.NetConfs(ctx, rtnl.FilterNetConfFamily(unix.AF_PACKET)); !isInvalid(err) {
		t.Errorf("NetConfs(AF_PACKET): %v; want an InvalidError", err)
	}
}

func TestNetConfMPLS(t *testing.T) {
	ns := netconfNS(t)
	c := dial(t, ns)
	// Without mpls_router, there is none, and ip prints [].
	got, err := c.NetConfs(context.Background(), rtnl.FilterNetConfFamily(unix.AF_MPLS))
	if err != nil {
		t.Fatal(err)
	}
	var want []json.RawMessage
	out := ns.IP(t, "-M", "-j", "netconf", "show")
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("ip: %v\n%s", err, out)
	}
	compareJSONList(t, "NetConfs(mpls)", got, want)
}

func TestNetConfJSONFormats(t *testing.T) {
	on, off := true, false
	rp := rtnl.RPFilter(7)
	for _, tc := range []struct {
		n    rtnl.NetConf
		want string
	}{
		{rtnl.NetConf{Family: unix.AF_INET, LinkIndex: 7}, `{"family":"inet","interface":"if7"}`},
		{rtnl.NetConf{Family: unix.AF_MPLS, LinkIndex: 3, LinkName: "eth0", Input: &on}, `{"family":"mpls","interface":"eth0","input":true}`},
		{rtnl.NetConf{Family: unix.AF_INET, LinkIndex: rtnl.NetConfDefault, RPFilter: &rp, BCForwarding: &off}, `{"family":"inet","interface":"default","rp_filter":7}`},
		{rtnl.NetConf{Family: 99}, `{"family":"???"}`},
	} {
		if got := string(marshal(t, tc.n)); got != tc.want {
			t.Errorf("JSON\n got %s\nwant %s", got, tc.want)
		}
	}
	if s := rtnl.RPFilterLoose.String() + strconv.Itoa(0); s != "loose0" {
		t.Error(s)
	}
}
