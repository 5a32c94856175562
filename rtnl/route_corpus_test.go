package rtnl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"testing"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/corpus"
)

// corpusIsRoute reports whether m is a route message.
func corpusIsRoute(m corpus.Message) bool {
	return m.Protocol == "NETLINK_ROUTE" && (m.Type == unix.RTM_NEWROUTE || m.Type == unix.RTM_DELROUTE || m.Type == unix.RTM_GETROUTE)
}

// TestCorpusRouteWriteRequests builds the requests of the corpus' ip route
// add and del commands and compares them with the bytes iproute2 sent,
// volatile bytes masked: the payload, and the header flags the Conn sends
// (NLM_F_REQUEST and NLM_F_ACK added to the operation's). veth0 has index
// 3 there.
func TestCorpusRouteWriteRequests(t *testing.T) {
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	for _, tc := range []struct {
		name  string
		del   bool
		flags uint16
		route Route
	}{
		{"route_add_default_via", false, nlmRouteAdd, Route{Gateway: a("10.0.0.254")}},
		{"route_add_via", false, nlmRouteAdd, Route{Dst: p("192.168.1.0/24"), Gateway: a("10.0.0.254")}},
		{"route_add_dev", false, nlmRouteAdd, Route{Dst: p("192.168.2.0/24"), LinkIndex: 3}},
		{"route_add_ipv6_via", false, nlmRouteAdd, Route{Dst: p("2001:db8:1::/64"), Gateway: a("2001:db8::fe")}},
		{"route_add_opts", false, nlmRouteAdd, Route{
			Dst: p("192.168.3.0/24"), LinkIndex: 3, Metric: 100, Table: 100,
			Protocol: ProtocolStatic, Scope: ScopeLink, PrefSrc: a("10.0.0.1"),
		}},
		{"route_del", true, 0, Route{Dst: p("192.168.1.0/24"), Gateway: a("10.0.0.254")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			typ := uint16(unix.RTM_NEWROUTE)
			if tc.del {
				typ = unix.RTM_DELROUTE
			}
			var w writer
			if err := w.routeRequest(&tc.route, tc.del); err != nil {
				t.Fatalf("building the request: %v", err)
			}
			checkCorpusPayload(t, tc.name, typ, tc.flags, w.Bytes())
			// The request decodes back to the route asked for, with ip's
			// defaults filled in.
			back, err := decodeRoute(w.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if back.Dst != tc.route.Dst || back.Gateway != tc.route.Gateway || back.LinkIndex != tc.route.LinkIndex ||
				back.Metric != tc.route.Metric || back.PrefSrc != tc.route.PrefSrc {
				t.Errorf("request decodes to %+v, asked for %+v", back, tc.route)
			}
		})
	}
}

// TestCorpusRouteGetRequest compares the request of GetRoute with ip route
// get's. ip asks for no acknowledgement; the Conn does (NLM_F_ACK), and
// the kernel sends one after the route.
func TestCorpusRouteGetRequest(t *testing.T) {
	c := corpus.LoadCase(t, "route_get")
	reqs := corpusAddrRequests(c, unix.RTM_GETROUTE)
	if len(reqs) != 1 {
		t.Fatalf("%d route requests in the case, want 1", len(reqs))
	}
	got, err := routeGetRequest(&RouteQuery{To: netip.MustParseAddr("192.168.1.1")})
	if err != nil {
		t.Fatal(err)
	}
	want := corpus.Mask(reqs[0].Bytes, reqs[0].Volatile)[16:]
	if !bytes.Equal(maskLike(got, reqs[0]), want) {
		t.Errorf("%s: request payload\n got %x\nwant %x", c.Command, got, want)
	}
	if reqs[0].Flags != unix.NLM_F_REQUEST {
		t.Errorf("ip sent header flags %#x, want NLM_F_REQUEST alone", reqs[0].Flags)
	}
}

// TestCorpusRouteDumpRequests compares the dumps Routes sends with those
// of ip route show, ip -6 route show and ip route save.
func TestCorpusRouteDumpRequests(t *testing.T) {
	header := func(payload []byte) []byte {
		b := make([]byte, 16, 16+len(payload))
		native.Endian.PutUint32(b, uint32(16+len(payload)))
		native.Endian.PutUint16(b[4:], unix.RTM_GETROUTE)
		native.Endian.PutUint16(b[6:], unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
		return append(b, payload...)
	}
	n := 0
	for _, tc := range []struct {
		name    string
		filters []RouteFilter
	}{
		{"route_show", nil},
		{"route_save", nil},
		{"route_show_ipv6", []RouteFilter{FilterRouteFamily(unix.AF_INET6)}},
	} {
		c := corpus.LoadCase(t, tc.name)
		f, err := newRouteFilter(tc.filters)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range c.Messages {
			if m.Direction != "request" || m.Type != unix.RTM_GETROUTE {
				continue
			}
			got := header(f.dumpRequest())
			if g, w := corpus.Mask(got, m.Volatile), corpus.Mask(m.Bytes, m.Volatile); !bytes.Equal(g, w) {
				t.Errorf("%s: message %d\n got %x\nwant %x (volatile bytes zeroed)", c.Command, m.Index, g, w)
			}
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d dump requests compared, want 3", n)
	}
}

// corpusRouteNames are the links of the route cases, by index.
func corpusRouteNames(index int32) (Link, bool) {
	switch index {
	case 1:
		return Link{Index: 1, Name: "lo"}, true
	case 2:
		return Link{Index: 2, Name: "veth1"}, true
	case 3:
		return Link{Index: 3, Name: "veth0"}, true
	}
	return Link{}, false
}

// TestCorpusRouteJSON decodes the routes of the show and get cases and
// compares their JSON with the companion `ip -d -j` output, less "table",
// which ip hides under its default table filter (show), and the -s
// counters, which the companion ran without.
func TestCorpusRouteJSON(t *testing.T) {
	for _, name := range []string{"route_show", "route_show_ipv6", "route_get"} {
		c := corpus.LoadCase(t, name)
		var want []json.RawMessage
		if err := json.Unmarshal([]byte(c.Companion.Stdout), &want); err != nil {
			t.Fatalf("%s: companion: %v", name, err)
		}
		var got []Route
		f, _ := newRouteFilter(nil)
		if name == "route_show_ipv6" {
			f, _ = newRouteFilter([]RouteFilter{FilterRouteFamily(unix.AF_INET6)})
		}
		if name == "route_get" {
			f, _ = newRouteFilter([]RouteFilter{FilterRouteTable(TableUnspec), FilterRouteCloned()})
		}
		for _, m := range c.Messages {
			if m.Direction != "reply" || m.Type != unix.RTM_NEWROUTE {
				continue
			}
			r, err := decodeRoute(m.Payload())
			if err != nil {
				t.Fatalf("%s: message %d: %v", name, m.Index, err)
			}
			if f.match(&r) {
				r.resolveNames(corpusRouteNames)
				got = append(got, r)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d routes decoded, ip printed %d", name, len(got), len(want))
		}
		for i := range got {
			b, err := corpusMarshal(got[i])
			if err != nil {
				t.Fatal(err)
			}
			gm, err := corpusMembers(b)
			if err != nil {
				t.Fatal(err)
			}
			wm, err := corpusMembers(want[i])
			if err != nil {
				t.Fatal(err)
			}
			gm, _ = corpusWithout(gm, "users", "used", "age")
			if name != "route_get" {
				gm, _ = corpusWithout(gm, "table")
			}
			gb, _ := json.Marshal(gm)
			wb, _ := json.Marshal(wm)
			if !bytes.Equal(gb, wb) {
				t.Errorf("%s: route %d\nnlkit %s\n   ip %s", name, i, b, want[i])
			}
		}
	}
}

// TestCorpusDecodeRoutes decodes every route message of the corpus:
// requests, replies, notifications and saved routes.
func TestCorpusDecodeRoutes(t *testing.T) {
	n := 0
	for _, c := range corpus.Load(t) {
		for _, ms := range [][]corpus.Message{c.Messages, c.Saved} {
			for _, m := range ms {
				if !corpusIsRoute(m) || (m.Type == unix.RTM_GETROUTE && m.Flags&unix.NLM_F_DUMP != 0) {
					continue
				}
				if _, err := decodeRoute(m.Payload()); err != nil {
					t.Errorf("%s: message %d (%s): %v", c.Name, m.Index, m.TypeName, err)
				}
				n++
			}
		}
	}
	if n < 30 {
		t.Errorf("decoded %d route messages, want at least 30", n)
	}
}

// corpusRoutePayloads returns the route payloads of the corpus' dumps and
// get reply.
func corpusRoutePayloads(tb testing.TB) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, name := range []string{"route_show", "route_show_ipv6", "route_get"} {
		c := corpus.LoadCase(tb, name)
		for _, m := range c.Messages {
			if m.Direction == "reply" && m.Type == unix.RTM_NEWROUTE {
				out = append(out, m.Payload())
			}
		}
	}
	return out
}

func FuzzDecodeRoute(f *testing.F) {
	for _, p := range corpusRoutePayloads(f) {
		f.Add(p)
	}
	var w writer
	_ = w.routeRequest(&Route{
		Dst: netip.MustParsePrefix("10.0.0.0/8"), Realms: 5, Pref: ptr(RoutePrefHigh), TTLPropagate: ptr(true),
		Metrics:  &RouteMetrics{MTU: ptr[uint32](1400), CongCtl: "cubic", Lock: 1 << unix.RTAX_MTU},
		Nexthops: []RouteNexthop{{Gateway: netip.MustParseAddr("10.1.1.1"), Weight: 3}, {Via: netip.MustParseAddr("fe80::1")}},
	}, false)
	f.Add(w.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeRoute(b)
		if err != nil {
			return
		}
		if _, err := r.MarshalJSON(); err != nil {
			t.Fatal(err)
		}
		var w writer
		_ = w.routeRequest(&r, false)
	})
}

// TestMPLSRouteRequest compares the requests nlkit builds for MPLS routes
// with those ip sent for `ip -M route add 101 nexthop as 200 via inet
// 10.0.0.2 dev v0 nexthop via inet6 fe80::1 dev v0` and `ip -M route del
// 101` (captured with strace, v0 having index 2), and decodes them back to
// the JSON ip prints for the route.
func TestMPLSRouteRequest(t *testing.T) {
	r := Route{Family: unix.AF_MPLS, Label: 101, Nexthops: []RouteNexthop{
		{NewLabels: []uint32{200}, Via: netip.MustParseAddr("10.0.0.2"), LinkIndex: 2},
		{Via: netip.MustParseAddr("fe80::1"), LinkIndex: 2},
	}}
	for _, tc := range []struct {
		del  bool
		want string
	}{
		{false, "1c140000fe030001000000000800010000065100" + "40000900" +
			"1c00000002000000" + "08001300000c8100" + "0a00120002000a0000020000" +
			"2000000002000000" + "160012000a00fe800000000000000000000000000001" + "0000"},
		{true, "1c140000fe000001000000000800010000065100"},
	} {
		var w writer
		rr := r
		if tc.del {
			rr.Nexthops = nil
		}
		if err := w.routeRequest(&rr, tc.del); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%x", w.Bytes()); got != tc.want {
			t.Errorf("request (delete %v)\n got %s\nwant %s", tc.del, got, tc.want)
		}
	}
	var w writer
	if err := w.routeRequest(&r, false); err != nil {
		t.Fatal(err)
	}
	back, err := decodeRoute(w.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	back.resolveNames(func(int32) (Link, bool) { return Link{Name: "v0"}, true })
	want := `{"type":"unicast","dst":"101","table":"main","protocol":"boot","scope":"global","flags":[],` +
		`"nexthops":[{"to":"200","via":{"family":"inet","host":"10.0.0.2"},"dev":"v0","flags":[]},` +
		`{"via":{"family":"inet6","host":"fe80::1"},"dev":"v0","flags":[]}]}`
	if got, _ := back.MarshalJSON(); string(got) != want {
		t.Errorf("JSON\n got %s\nwant %s", got, want)
	}
}
