package rtnl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/corpus"
)

// corpusIsNeigh reports whether m is a neighbour or FDB message.
func corpusIsNeigh(m corpus.Message) bool {
	return m.Protocol == "NETLINK_ROUTE" &&
		(m.Type == unix.RTM_NEWNEIGH || m.Type == unix.RTM_DELNEIGH || m.Type == unix.RTM_GETNEIGH)
}

// TestCorpusNeighWriteRequests builds the requests of the corpus' ip neigh
// add and del and bridge fdb add commands and compares them with the bytes
// iproute2 sent, volatile bytes masked, header flags included.
func TestCorpusNeighWriteRequests(t *testing.T) {
	a := netip.MustParseAddr
	lladdr := net.HardwareAddr{2, 0, 0, 0, 0, 2}
	for _, tc := range []struct {
		name  string
		typ   uint16
		flags uint16
		build func(w *writer) error
	}{
		{"neigh_add", unix.RTM_NEWNEIGH, nlmNeighAdd, func(w *writer) error {
			return w.neighRequest(&Neighbor{LinkIndex: 3, Dst: a("10.0.0.2"), LLAddr: lladdr, State: NeighPermanent})
		}},
		{"neigh_add_ipv6", unix.RTM_NEWNEIGH, nlmNeighAdd, func(w *writer) error {
			return w.neighRequest(&Neighbor{LinkIndex: 3, Dst: a("2001:db8::2"), LLAddr: lladdr})
		}},
		{"neigh_del", unix.RTM_DELNEIGH, 0, func(w *writer) error {
			return w.neighRequest(&Neighbor{LinkIndex: 3, Dst: a("10.0.0.2")})
		}},
		{"bridge_fdb_add", unix.RTM_NEWNEIGH, nlmNeighAdd, func(w *writer) error {
			return w.fdbRequest(&FDBEntry{LinkIndex: 3, MAC: net.HardwareAddr{2, 0, 0, 0, 0, 5}, Flags: NeighMaster, State: FDBStatic})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := corpus.LoadCase(t, tc.name)
			reqs := corpusAddrRequests(c, tc.typ)
			if len(reqs) != 1 {
				t.Fatalf("%d requests of type %d in the case, want 1", len(reqs), tc.typ)
			}
			want := reqs[0]
			var w writer
			if err := tc.build(&w); err != nil {
				t.Fatalf("building the request: %v", err)
			}
			wantPayload := corpus.Mask(want.Bytes, want.Volatile)[16:]
			if got := w.Bytes(); !bytes.Equal(maskLike(got, want), wantPayload) {
				t.Errorf("%s: request payload\n got %x\nwant %x (volatile bytes zeroed)", c.Command, got, wantPayload)
			}
			if got := tc.flags | unix.NLM_F_REQUEST | unix.NLM_F_ACK; got != want.Flags {
				t.Errorf("%s: header flags %#x, ip sent %#x", c.Command, got, want.Flags)
			}
		})
	}
}

// TestCorpusNeighDumpRequest compares the dump of ip neigh show with the
// one Neighbors sends without a filter.
func TestCorpusNeighDumpRequest(t *testing.T) {
	c := corpus.LoadCase(t, "neigh_show")
	f, err := newNeighFilter(nil, false)
	if err != nil {
		t.Fatal(err)
	}
	payload := f.dumpRequest()
	got := make([]byte, 16, 16+len(payload))
	native.Endian.PutUint32(got, uint32(16+len(payload)))
	native.Endian.PutUint16(got[4:], unix.RTM_GETNEIGH)
	native.Endian.PutUint16(got[6:], unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	got = append(got, payload...)
	n := 0
	for _, m := range c.Messages {
		if m.Direction != "request" || m.Type != unix.RTM_GETNEIGH {
			continue
		}
		if g, w := corpus.Mask(got, m.Volatile), corpus.Mask(m.Bytes, m.Volatile); !bytes.Equal(g, w) {
			t.Errorf("%s: dump request\n got %x\nwant %x (volatile bytes zeroed)", c.Command, g, w)
		}
		n++
	}
	if n != 1 {
		t.Errorf("%d neighbour dump requests compared, want 1", n)
	}
}

// TestCorpusNeighShowJSON decodes the entries of ip neigh show, names the
// links from the case's link dump, and compares their JSON with
// ip -d -j neigh show (run without -s: the timers are left out).
func TestCorpusNeighShowJSON(t *testing.T) {
	c := corpus.LoadCase(t, "neigh_show")
	links := make(map[int32]Link)
	var got []Neighbor
	for _, m := range c.Messages {
		switch {
		case m.Direction != "reply":
		case corpusIsLink(m):
			l, err := decodeLink(m.Payload())
			if err != nil {
				t.Fatal(err)
			}
			links[l.Index] = l
		case m.Type == unix.RTM_NEWNEIGH:
			n, err := decodeNeighbor(m.Payload())
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, n)
		}
	}
	lc := &linkCache{seen: links}
	var want []json.RawMessage
	if err := json.Unmarshal([]byte(c.Companion.Stdout), &want); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(want) != 2 {
		t.Fatalf("%d entries, ip printed %d", len(got), len(want))
	}
	for i := range got {
		got[i].resolve(lc, &neighFilter{})
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
		g, _ = corpusWithout(g, "used", "confirmed", "updated", "probes", "refcnt")
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("entry %s: JSON differs from %s (-ip +nlkit):\n%s", got[i].Dst, c.Companion.Command, diff)
		}
	}
}

// TestCorpusDecodeNeighbors decodes every neighbour and FDB message of the
// corpus, dumped, sent or notified, and checks the address and the link
// index against the captured attributes.
func TestCorpusDecodeNeighbors(t *testing.T) {
	n := 0
	for _, c := range corpus.Load(t) {
		for _, m := range c.Messages {
			if !corpusIsNeigh(m) || len(m.Payload()) < ndmsgLen {
				continue
			}
			where := fmt.Sprintf("%s: %s message %d (%s)", c.Name, m.Direction, m.Index, m.TypeName)
			var dst, lladdr string
			for _, at := range m.Attrs {
				switch at.Type {
				case unix.NDA_DST:
					dst = at.Value
				case unix.NDA_LLADDR:
					lladdr = at.Value
				}
			}
			p := m.Payload()
			if p[0] == unix.AF_BRIDGE {
				e, err := decodeFDBEntry(p)
				if err != nil {
					t.Errorf("%s: %v", where, err)
					continue
				}
				if e.LinkIndex != int32(native.Endian.Uint32(p[4:])) || (lladdr != "" && e.MAC.String() != lladdr) {
					t.Errorf("%s: decoded as %+v; lladdr %s", where, e, lladdr)
				}
				if _, err := corpusMarshal(e); err != nil {
					t.Errorf("%s: %v", where, err)
				}
			} else {
				nb, err := decodeNeighbor(p)
				if err != nil {
					t.Errorf("%s: %v", where, err)
					continue
				}
				if (dst != "" && nb.Dst.String() != dst) || (lladdr != "" && nb.LLAddr.String() != lladdr) {
					t.Errorf("%s: decoded as %+v; dst %s lladdr %s", where, nb, dst, lladdr)
				}
				if _, err := corpusMarshal(nb); err != nil {
					t.Errorf("%s: %v", where, err)
				}
			}
			n++
		}
	}
	if n < 8 {
		t.Errorf("%d neighbour messages decoded, want at least 8", n)
	}
}
