package rtnl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/corpus"
)

// corpusIsAddr reports whether m is an RTM_NEWADDR or RTM_DELADDR message.
func corpusIsAddr(m corpus.Message) bool {
	return m.Protocol == "NETLINK_ROUTE" && (m.Type == unix.RTM_NEWADDR || m.Type == unix.RTM_DELADDR)
}

// corpusAddrRequests returns the case's requests of the given type.
func corpusAddrRequests(c corpus.Case, typ uint16) []corpus.Message {
	var out []corpus.Message
	for _, m := range c.Messages {
		if m.Direction == "request" && m.Protocol == "NETLINK_ROUTE" && m.Type == typ {
			out = append(out, m)
		}
	}
	return out
}

// TestCorpusAddrWriteRequests builds the requests of the corpus' ip addr
// add and del commands and compares them with the bytes iproute2 sent,
// volatile bytes masked: the payload, and the header flags the Conn sends
// (NLM_F_REQUEST and NLM_F_ACK added to the operation's).
func TestCorpusAddrWriteRequests(t *testing.T) {
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	for _, tc := range []struct {
		name  string
		del   bool
		flags uint16
		addr  Address
	}{
		{"addr_add_ipv4_brd", false, nlmAddrAdd, Address{LinkIndex: 3, Prefix: p("10.0.0.1/24"), Broadcast: a("10.0.0.255")}},
		{"addr_add_ipv4_brd_plus", false, nlmAddrAdd, Address{LinkIndex: 3, Prefix: p("10.0.0.1/24"), AutoBroadcast: BroadcastPlus}},
		{"addr_add_ipv6", false, nlmAddrAdd, Address{LinkIndex: 3, Prefix: p("2001:db8::1/64")}},
		{"addr_del_ipv4", true, 0, Address{LinkIndex: 3, Prefix: p("10.0.0.1/24")}},
		{"addr_del_ipv6", true, 0, Address{LinkIndex: 3, Prefix: p("2001:db8::1/64")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := corpus.LoadCase(t, tc.name)
			typ := uint16(unix.RTM_NEWADDR)
			if tc.del {
				typ = unix.RTM_DELADDR
			}
			reqs := corpusAddrRequests(c, typ)
			if len(reqs) != 1 {
				t.Fatalf("%d address requests in the case, want 1", len(reqs))
			}
			want := reqs[0]
			var w writer
			if err := w.addrRequest(&tc.addr, tc.del); err != nil {
				t.Fatalf("building the request: %v", err)
			}
			wantPayload := corpus.Mask(want.Bytes, want.Volatile)[16:]
			if got := w.Bytes(); !bytes.Equal(maskLike(got, want), wantPayload) {
				t.Errorf("%s: request payload\n got %x\nwant %x (volatile bytes zeroed)", c.Command, got, wantPayload)
			}
			if got := tc.flags | unix.NLM_F_REQUEST | unix.NLM_F_ACK; got != want.Flags {
				t.Errorf("%s: header flags %#x, ip sent %#x", c.Command, got, want.Flags)
			}
			// The request decodes back to the address, as ip addr show
			// would print it.
			back, err := decodeAddress(w.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if tc.addr.AutoBroadcast != NoAutoBroadcast {
				tc.addr.Broadcast, tc.addr.AutoBroadcast = tc.addr.BroadcastFromPrefix(tc.addr.AutoBroadcast), NoAutoBroadcast
			}
			tc.addr.Family = tc.addr.family()
			if diff := cmp.Diff(tc.addr, back, cmp.Comparer(func(x, y netip.Addr) bool { return x == y }),
				cmp.Comparer(func(x, y netip.Prefix) bool { return x == y })); diff != "" {
				t.Errorf("request decoded (-asked +decoded):\n%s", diff)
			}
		})
	}
}

// TestCorpusAddrDumpRequests compares the dumps the lists send with ip's:
// the link dump of ip addr show, and the address dumps of ip addr show,
// save and flush dev DEV (whose index is volatile).
func TestCorpusAddrDumpRequests(t *testing.T) {
	header := func(typ uint16, payload []byte) []byte {
		b := make([]byte, 16, 16+len(payload))
		native.Endian.PutUint32(b, uint32(16+len(payload)))
		native.Endian.PutUint16(b[4:], typ)
		native.Endian.PutUint16(b[6:], unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
		return append(b, payload...)
	}
	n := 0
	for _, tc := range []struct {
		name    string
		filters []AddrFilter
	}{
		{"addr_show", nil},
		{"addr_save", nil},
		{"addr_flush", []AddrFilter{FilterAddrLink(3)}},
	} {
		c := corpus.LoadCase(t, tc.name)
		f, err := newAddrFilter(tc.filters)
		if err != nil {
			t.Fatal(err)
		}
		var buf [96]byte
		for _, m := range c.Messages {
			if m.Direction != "request" || m.Flags&unix.NLM_F_DUMP != unix.NLM_F_DUMP {
				continue
			}
			var got []byte
			switch m.Type {
			case unix.RTM_GETADDR:
				got = header(unix.RTM_GETADDR, addrDumpRequest(&f))
			case unix.RTM_GETLINK:
				got = header(unix.RTM_GETLINK, addrLinkRequest(buf[:], &f))
			default:
				continue
			}
			if g, w := corpus.Mask(got, m.Volatile), corpus.Mask(m.Bytes, m.Volatile); !bytes.Equal(g, w) {
				t.Errorf("%s: message %d (%s)\n got %x\nwant %x (volatile bytes zeroed)", c.Command, m.Index, m.TypeName, g, w)
			}
			n++
		}
	}
	if n != 5 {
		t.Errorf("%d dump requests compared, want 5", n)
	}
}

// TestCorpusAddrFlushRequests checks that the flush deletes what ip
// deleted, with the same payloads: the dumped addresses themselves.
func TestCorpusAddrFlushRequests(t *testing.T) {
	c := corpus.LoadCase(t, "addr_flush")
	f, err := newAddrFilter([]AddrFilter{FilterAddrLink(3)})
	if err != nil {
		t.Fatal(err)
	}
	var got [][]byte
	for _, m := range c.Messages {
		if m.Direction != "reply" || !corpusIsAddr(m) {
			continue
		}
		del, ok, err := addrFlushRequest(m.Type, m.Payload(), &f, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			got = append(got, del)
		}
	}
	var want [][]byte
	for _, m := range corpusAddrRequests(c, unix.RTM_DELADDR) {
		want = append(want, m.Payload())
	}
	if len(want) != 4 || !cmp.Equal(got, want) {
		t.Errorf("flush deletes\n%x\nip deleted\n%x", got, want)
	}
}

// TestCorpusAddrShowJSON decodes the links and addresses of ip addr show
// and compares LinkWithAddresses' JSON with ip -d -j addr show, member by
// member. ip ran without -s: the counters are left out.
func TestCorpusAddrShowJSON(t *testing.T) {
	c := corpus.LoadCase(t, "addr_show")
	var links []Link
	var addrs []Address
	for _, m := range c.Messages {
		switch {
		case m.Direction != "reply":
		case corpusIsLink(m):
			l, err := decodeLink(m.Payload())
			if err != nil {
				t.Fatal(err)
			}
			links = append(links, l)
		case corpusIsAddr(m):
			a, err := decodeAddress(m.Payload())
			if err != nil {
				t.Fatal(err)
			}
			addrs = append(addrs, a)
		}
	}
	resolveNames(links, nil)
	var f addrFilter
	got := addrGroup(links, addrs, &f)
	var want []json.RawMessage
	if err := json.Unmarshal([]byte(c.Companion.Stdout), &want); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(want) != 3 {
		t.Fatalf("%d links, ip printed %d", len(got), len(want))
	}
	for i := range got {
		b, err := corpusMarshal(got[i])
		if err != nil {
			t.Fatal(err)
		}
		g, err := corpusMembers(b)
		if err != nil {
			t.Fatal(err)
		}
		w, err := corpusMembers(want[i])
		if err != nil {
			t.Fatal(err)
		}
		g, _ = corpusWithout(g, "stats64")
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("link %s: JSON differs from %s (-ip +nlkit):\n%s", got[i].Link.Name, c.Companion.Command, diff)
		}
	}
}

// TestCorpusDecodeAddresses decodes every address message of the corpus,
// dumped, sent or saved, and checks the addresses and the label against
// the captured attributes.
func TestCorpusDecodeAddresses(t *testing.T) {
	n := 0
	for _, c := range corpus.Load(t) {
		for _, m := range append(append([]corpus.Message(nil), c.Messages...), c.Saved...) {
			if !corpusIsAddr(m) {
				continue
			}
			where := fmt.Sprintf("%s: %s message %d (%s)", c.Name, m.Direction, m.Index, m.TypeName)
			a, err := decodeAddress(m.Payload())
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			var local, address, label string
			for _, at := range m.Attrs {
				switch at.Type {
				case unix.IFA_LOCAL:
					local = at.Value
				case unix.IFA_ADDRESS:
					address = at.Value
				case unix.IFA_LABEL:
					label = at.Value
				}
			}
			if local == "" {
				local = address
			}
			if a.Prefix.Addr().String() != local || a.Label != label {
				t.Errorf("%s: local %s label %q, want %s %q", where, a.Prefix.Addr(), a.Label, local, label)
			}
			if peer := a.Peer.String(); a.Peer.IsValid() && peer != address {
				t.Errorf("%s: peer %s, want %s", where, peer, address)
			}
			if int(m.Payload()[1]) != a.Prefix.Bits() {
				t.Errorf("%s: prefix length %d, want %d", where, a.Prefix.Bits(), m.Payload()[1])
			}
			if _, err := corpusMarshal(a); err != nil {
				t.Errorf("%s: %v", where, err)
			}
			n++
		}
	}
	if n < 20 {
		t.Errorf("%d address messages decoded, want at least 20", n)
	}
}

// TestAddressJSONFormats checks value formats that the namespaces of the
// other tests do not produce.
func TestAddressJSONFormats(t *testing.T) {
	a := netip.MustParseAddr
	for _, tc := range []struct {
		addr Address
		want string
	}{
		{Address{Family: unix.AF_INET6, Prefix: netip.MustParsePrefix("::10.0.0.1/96"), Scope: 17,
			Flags: AddrSecondary | AddrPermanent | AddrDADFailed | AddrStablePrivacy | 0x1000},
			`{"family":"inet6","local":"::10.0.0.1","prefixlen":96,"scope":"17","temporary":true,"dadfailed":true,"stable-privacy":true,"ifa_flags":"1000"}`},
		{Address{Family: 42, Flags: AddrPermanent | 0x4000_0000, Scope: ScopeNowhere},
			`{"family_index":42,"scope":"nowhere","ifa_flags":"40000000"}`},
		{Address{Family: unix.AF_INET, Prefix: netip.MustParsePrefix("10.0.0.1/8"), Peer: a("10.0.0.1"), Broadcast: a("10.255.255.255"),
			Anycast: a("10.0.0.2"), Metric: 4294967295, Scope: ScopeSite, Flags: AddrDeprecated | AddrPermanent | AddrMcAutoJoin,
			Lifetimes: &AddrLifetimes{Valid: 10, Preferred: 4294967290}},
			`{"family":"inet","local":"10.0.0.1","prefixlen":8,"metric":4294967295,"broadcast":"10.255.255.255","anycast":"10.0.0.2","scope":"site","deprecated":true,"autojoin":true,"valid_life_time":10,"preferred_life_time":-6}`},
		{Address{Family: unix.AF_PACKET, Flags: AddrPermanent | 0x8000, Lifetimes: &AddrLifetimes{Valid: LifetimeForever, Preferred: LifetimeForever}},
			`{"family":"link","scope":"global","ifa_flags":"8000","valid_life_time":4294967295,"preferred_life_time":4294967295}`},
		{Address{Prefix: netip.MustParsePrefix("10.0.0.1/24"), Flags: 0x4000 | AddrPermanent},
			`{"family":"inet","local":"10.0.0.1","prefixlen":24,"scope":"global","ifa_flags":"4000"}`},
		{Address{Prefix: netip.MustParsePrefix("10.0.0.1/24"), Flags: AddrPermanent | 0x10000 | AddrHome},
			`{"family":"inet","local":"10.0.0.1","prefixlen":24,"scope":"global","home":true,"ifa_flags":"10000"}`},
	} {
		b, err := corpusMarshal(tc.addr)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.want {
			t.Errorf("JSON\n got %s\nwant %s", b, tc.want)
		}
	}
	if got := (Address{Prefix: netip.MustParsePrefix("10.0.0.1/24"), Flags: AddrPermanent | 3<<12}).Flags; got.Has(AddrPermanent) != true {
		t.Error("Has")
	}
}

// FuzzDecodeAddress decodes arbitrary bytes as an address message:
// decoding, marshalling, filtering and building requests from the result
// must not panic, the JSON must be valid, and a request built from a
// decoded address must decode back to it.
func FuzzDecodeAddress(f *testing.F) {
	for _, c := range corpus.Load(f) {
		for _, m := range append(append([]corpus.Message(nil), c.Messages...), c.Saved...) {
			if corpusIsAddr(m) {
				f.Add(m.Payload())
			}
		}
	}
	filters := []addrFilter{}
	for _, fs := range [][]AddrFilter{
		{FilterAddrLabel("*:[a-z]?")},
		{FilterAddrTo(netip.MustParsePrefix("10.0.0.0/8"))},
		{FilterAddrTo(netip.MustParsePrefix("2001:db8::/32")), FilterAddrScope(ScopeLink)},
		{FilterAddrFlags(AddrSecondary), FilterAddrNoFlags(AddrPermanent), FilterAddrLinks(FilterKind("veth"))},
	} {
		af, err := newAddrFilter(fs)
		if err != nil {
			f.Fatal(err)
		}
		filters = append(filters, af)
	}
	links := map[int32]*Link{3: {Index: 3, Name: "veth0", Info: &LinkInfo{Kind: "veth"}}}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, derr := decodeAddress(b)
		out, err := a.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON: %v: %s", err, out)
		}
		la := LinkWithAddresses{Link: Link{Index: a.LinkIndex}, Addresses: []Address{a, a}}
		if out, err := la.MarshalJSON(); err != nil || !json.Valid(out) {
			t.Fatalf("LinkWithAddresses.MarshalJSON: %v: %s", err, out)
		}
		for i := range filters {
			filters[i].match(&a, links)
		}
		if derr != nil {
			return
		}
		for _, del := range []bool{false, true} {
			var w writer
			if err := w.addrRequest(&a, del); err != nil {
				continue // not a valid request
			}
			back, err := decodeAddress(w.Bytes())
			if err != nil {
				t.Fatalf("decoding the request built from %+v: %v", a, err)
			}
			if back.Prefix != a.Prefix || back.Peer != a.Peer || back.LinkIndex != a.LinkIndex || back.Label != a.Label ||
				back.Flags != a.Flags&addrFlagsSettable {
				t.Fatalf("request built from %+v decodes as %+v", a, back)
			}
		}
	})
}
