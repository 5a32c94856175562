package rtnl

import (
	"bytes"
	"context"
	"net/netip"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/corpus"
	"github.com/nlkit/nlkit/internal/testns"
)

// vxlanP returns a pointer to v.
func vxlanP[T any](v T) *T { return &v }

// vxlanCorpusRequest builds the request creating l and compares it with the
// last link write of a corpus case, volatile bytes masked.
func vxlanCorpusRequest(t *testing.T, name string, l Link) {
	t.Helper()
	c := corpus.LoadCase(t, name)
	want := lastLinkWrite(t, c)
	var w writer
	defer w.close()
	if err := w.addLink(&l, addOptions{}); err != nil {
		t.Fatalf("%s: building the request: %v", name, err)
	}
	wantPayload := corpus.Mask(want.Bytes, want.Volatile)[16:]
	if got := w.Bytes(); !bytes.Equal(maskLike(got, want), wantPayload) {
		t.Errorf("%s: request payload\n got %x\nwant %x (volatile bytes zeroed)", c.Command, got, wantPayload)
	}
}

func TestCorpusVxlanRequest(t *testing.T) {
	dev, id, port, learning := int32(3), uint32(100), uint16(4789), true
	// `id 100 dev veth0 remote 10.0.0.2 local 10.0.0.1 dstport 4789`, and
	// the learning on that ip adds.
	vxlanCorpusRequest(t, "link_add_vxlan", Link{Name: "vxlan100", Info: &LinkInfo{Data: &Vxlan{
		ID: &id, LinkIndex: &dev, Remote: netip.MustParseAddr("10.0.0.2"), Local: netip.MustParseAddr("10.0.0.1"),
		Port: &port, Learning: &learning,
	}}})
}

// vxlanKindMessage builds an RTM_NEWLINK payload for a link of the kind
// whose IFLA_INFO_DATA data writes.
func vxlanKindMessage(kind string, data func(e *attrs.Encoder)) []byte {
	var w writer
	putIfInfoMsg(&w, unix.AF_UNSPEC, 7, 0, 0)
	w.String(unix.IFLA_IFNAME, "x0")
	li := w.Nest(unix.IFLA_LINKINFO)
	w.String(unix.IFLA_INFO_KIND, kind)
	d := w.Nest(unix.IFLA_INFO_DATA)
	data(&w.Encoder)
	w.End(d)
	w.End(li)
	return w.Bytes()
}

// vxlanKernelMessages creates links with ip in a fresh namespace and
// returns the RTM_NEWLINK payloads the kernel dumps for them: real kernel
// bytes, for fuzzing seeds. Commands that fail (a kind the kernel lacks)
// are left out.
func vxlanKernelMessages(tb testing.TB, cmds ...string) [][]byte {
	tb.Helper()
	ns := testns.New(tb)
	for _, cmd := range cmds {
		for _, line := range strings.Split(cmd, ";") {
			if out, err := vxlanIP(ns, strings.Fields(line)...); err != nil {
				tb.Logf("ip %s: %v %s", line, err, out)
			}
		}
	}
	c, err := Dial(context.Background(), WithNetNS(ns.FD()))
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	var buf [32]byte
	req := linkRequest(buf[:], unix.AF_PACKET, 0)
	var msgs [][]byte
	for m, err := range c.nl.Dump(context.Background(), "dump", unix.RTM_GETLINK, 0, req.Bytes()) {
		if err != nil {
			tb.Fatal(err)
		}
		if m.Type == unix.RTM_NEWLINK {
			msgs = append(msgs, bytes.Clone(m.Data))
		}
	}
	return msgs
}

// vxlanIP runs `ip -n NS ARGS…` and returns its combined output.
func vxlanIP(ns *testns.NS, args ...string) ([]byte, error) {
	return exec.Command("ip", append([]string{"-n", ns.Name()}, args...)...).CombinedOutput()
}

// vxlanCorpusMessages returns the link messages of the corpus that carry
// one of the kinds: requests and replies.
func vxlanCorpusMessages(tb testing.TB, kinds ...string) [][]byte {
	var msgs [][]byte
	for _, c := range corpus.Load(tb) {
		for _, m := range c.Messages {
			if m.Protocol != "NETLINK_ROUTE" || m.Type != unix.RTM_NEWLINK {
				continue
			}
			p := m.Payload()
			for _, k := range kinds {
				if bytes.Contains(p, []byte(k)) {
					msgs = append(msgs, p)
					break
				}
			}
		}
	}
	return msgs
}

// vxlanFuzzDecode decodes b as a link and exercises what a decoded link
// offers: it must never panic.
func vxlanFuzzDecode(t *testing.T, b []byte) {
	l, err := decodeLink(b)
	if err != nil {
		return
	}
	if _, err := l.MarshalJSON(); err != nil {
		t.Fatalf("MarshalJSON: %v", err)
	}
	if l.Info == nil || l.Info.Data == nil {
		return
	}
	if r, ok := l.Info.Data.(linkRefs); ok {
		r.resolveRefs(func(int32) string { return "" })
	}
	var w writer
	if err := l.Info.Data.encode(&w); err == nil {
		// What encodes decodes again.
		again := newLinkData(l.Info.Kind)
		if err := again.decode(attrs.NewDecoder(w.Bytes())); err != nil {
			t.Fatalf("re-decoding the encoded %s data: %v", l.Info.Kind, err)
		}
	}
}

func FuzzDecodeVxlan(f *testing.F) {
	for _, b := range vxlanCorpusMessages(f, "vxlan") {
		f.Add(b)
	}
	for _, b := range vxlanKernelMessages(f,
		"link add ul0 type veth peer name ul1",
		"link add vi0 type vxlan id 100 dev ul0 remote 10.0.0.2 local 10.0.0.1 dstport 4789",
		"link add vi1 type vxlan id 101 group 239.0.0.1 dev ul0 ttl auto tos inherit df unset ageing none dstport 4789",
		"link add vi2 type vxlan id 102 remote 2001:db8::2 local 2001:db8::1 flowlabel 0x123 ttl inherit df inherit srcport 3000 4000 dstport 4800 nolearning proxy rsc l2miss l3miss udp6zerocsumtx udp6zerocsumrx remcsumtx remcsumrx",
		"link add vi3 type vxlan external vnifilter dstport 4801",
		"link add vi4 type vxlan external gpe",
		"link add vi5 type vxlan id 105 gbp tos 0x28 ttl 200 dstport 4802 maxaddress 7",
	) {
		if bytes.Contains(b, []byte("vxlan")) {
			f.Add(b)
		}
	}
	f.Fuzz(vxlanFuzzDecode)
}

func TestDecodeVxlanMalformed(t *testing.T) {
	for _, tc := range []struct {
		name string
		data func(e *attrs.Encoder)
	}{
		{"short id", func(e *attrs.Encoder) { e.Raw(unix.IFLA_VXLAN_ID, []byte{1, 2, 3}) }},
		{"group of 5 bytes", func(e *attrs.Encoder) { e.Raw(unix.IFLA_VXLAN_GROUP, make([]byte, 5)) }},
		{"group of 16 bytes", func(e *attrs.Encoder) { e.Raw(unix.IFLA_VXLAN_GROUP, make([]byte, 16)) }},
		{"group6 of 4 bytes", func(e *attrs.Encoder) { e.Raw(unix.IFLA_VXLAN_GROUP6, make([]byte, 4)) }},
		{"local of 8 bytes", func(e *attrs.Encoder) { e.Raw(unix.IFLA_VXLAN_LOCAL, make([]byte, 8)) }},
		{"local6 empty", func(e *attrs.Encoder) { e.Raw(unix.IFLA_VXLAN_LOCAL6, nil) }},
		{"long port", func(e *attrs.Encoder) { e.Uint32(unix.IFLA_VXLAN_PORT, 4789) }},
		{"short port range", func(e *attrs.Encoder) { e.Raw(unix.IFLA_VXLAN_PORT_RANGE, []byte{1, 2, 3}) }},
		{"wide ttl", func(e *attrs.Encoder) { e.Uint16(unix.IFLA_VXLAN_TTL, 64) }},
		{"wide learning", func(e *attrs.Encoder) { e.Uint32(unix.IFLA_VXLAN_LEARNING, 1) }},
		{"short label", func(e *attrs.Encoder) { e.Uint16(unix.IFLA_VXLAN_LABEL, 1) }},
		{"short reserved bits", func(e *attrs.Encoder) { e.Uint32(iflaVxlanReservedBits, 1) }},
		{"wide ttl inherit", func(e *attrs.Encoder) { e.Uint16(unix.IFLA_VXLAN_TTL_INHERIT, 1) }},
		{"truncated header", func(e *attrs.Encoder) { e.Uint32(unix.IFLA_VXLAN_ID, 1); e.Append([]byte{8, 0}) }},
		{"length past the end", func(e *attrs.Encoder) { e.Append([]byte{64, 0, 1, 0, 0, 0, 0, 0}) }},
	} {
		b := vxlanKindMessage("vxlan", tc.data)
		if _, err := decodeLink(b); err == nil {
			t.Errorf("%s: decodeLink succeeded on %x", tc.name, b)
		}
	}

	// Every truncation of a real message fails or decodes, without
	// panicking.
	for _, b := range vxlanCorpusMessages(t, "vxlan") {
		for n := range len(b) {
			decodeLink(b[:n])
		}
	}

	// A well-formed message decodes, the request's flag form of
	// TTL_INHERIT included.
	b := vxlanKindMessage("vxlan", func(e *attrs.Encoder) {
		e.Uint32(unix.IFLA_VXLAN_ID, 5)
		e.Flag(unix.IFLA_VXLAN_TTL_INHERIT)
		e.Raw(unix.IFLA_VXLAN_LABEL, []byte{0, 0x01, 0x23, 0x45})
		e.Port(unix.IFLA_VXLAN_PORT, 4789)
		e.Raw(unix.IFLA_VXLAN_GROUP6, netip.MustParseAddr("ff05::1").AsSlice())
		e.Flag(unix.IFLA_VXLAN_GBP)
		e.Uint8(99, 1) // unknown: ignored
	})
	l, err := decodeLink(b)
	if err != nil {
		t.Fatal(err)
	}
	v := l.Info.Data.(*Vxlan)
	if *v.ID != 5 || !v.TTLInherit || *v.Label != 0x12345 || *v.Port != 4789 || v.Remote != netip.MustParseAddr("ff05::1") || !v.GBP {
		t.Errorf("decoded %+v", v)
	}
}
