package rtnl

import (
	"bytes"
	"net"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

func TestCorpusMacvlanRequests(t *testing.T) {
	lower := int32(3)
	for _, tc := range []struct {
		name string
		data *Macvlan
	}{
		{"link_add_macvlan_private", &Macvlan{Mode: ptr(MacvlanPrivate)}},
		{"link_add_macvlan_vepa", &Macvlan{Mode: ptr(MacvlanVEPA)}},
		{"link_add_macvlan_bridge", &Macvlan{Mode: ptr(MacvlanBridge)}},
		{"link_add_macvlan_passthru", &Macvlan{Mode: ptr(MacvlanPassthru)}},
		{"link_add_macvlan_source", &Macvlan{Mode: ptr(MacvlanSource)}},
		// `mode source macaddr add 02:00:00:00:01:01`: ip sends the
		// operation first, the mode after.
		{"link_add_macvlan_source_macaddr", &Macvlan{Mode: ptr(MacvlanSource),
			MACAddrMode: ptr(MACAddrAdd), MACAddrs: []net.HardwareAddr{{2, 0, 0, 0, 1, 1}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkCorpusAddRequest(t, tc.name, Link{Name: "macvl0", ParentIndex: &lower, Info: &LinkInfo{Data: tc.data}})
		})
	}
}

// TestMacvlanRequestBytes checks the requests of the source address
// operations, which the corpus has no case for, against the layout
// iproute2 6.1 builds (ip/iplink_macvlan.c): the operation, then the
// address or the nest of addresses, then the mode and flags.
func TestMacvlanRequestBytes(t *testing.T) {
	a, b := net.HardwareAddr{2, 0, 0, 0, 0, 0xa}, net.HardwareAddr{2, 0, 0, 0, 0, 0xb}
	yes := true
	for _, tc := range []struct {
		name string
		m    Macvlan
		want func(e *attrs.Encoder)
	}{
		{"set", Macvlan{MACAddrMode: ptr(MACAddrSet), MACAddrs: []net.HardwareAddr{a, b}}, func(e *attrs.Encoder) {
			e.Uint32(unix.IFLA_MACVLAN_MACADDR_MODE, 3)
			n := e.Nest(unix.IFLA_MACVLAN_MACADDR_DATA)
			e.Raw(unix.IFLA_MACVLAN_MACADDR, a)
			e.Raw(unix.IFLA_MACVLAN_MACADDR, b)
			e.End(n)
		}},
		{"set none", Macvlan{MACAddrMode: ptr(MACAddrSet)}, func(e *attrs.Encoder) {
			e.Uint32(unix.IFLA_MACVLAN_MACADDR_MODE, 3)
			e.End(e.Nest(unix.IFLA_MACVLAN_MACADDR_DATA))
		}},
		{"del", Macvlan{MACAddrMode: ptr(MACAddrDel), MACAddrs: []net.HardwareAddr{b}}, func(e *attrs.Encoder) {
			e.Uint32(unix.IFLA_MACVLAN_MACADDR_MODE, 1)
			e.Raw(unix.IFLA_MACVLAN_MACADDR, b)
		}},
		{"flush", Macvlan{MACAddrMode: ptr(MACAddrFlush)}, func(e *attrs.Encoder) {
			e.Uint32(unix.IFLA_MACVLAN_MACADDR_MODE, 2)
		}},
		// `mode passthru nopromisc bcqueuelen 5`
		{"flags", Macvlan{Mode: ptr(MacvlanPassthru), NoPromisc: &yes, BcQueueLen: ptr(uint32(5))}, func(e *attrs.Encoder) {
			e.Uint32(unix.IFLA_MACVLAN_BC_QUEUE_LEN, 5)
			e.Uint32(unix.IFLA_MACVLAN_MODE, 8)
			e.Uint16(unix.IFLA_MACVLAN_FLAGS, 1)
		}},
		// Read-only fields are not sent.
		{"read-only", Macvlan{BcQueueLenUsed: ptr(uint32(7)), MACAddrCount: ptr(uint32(2)), NoDst: &yes}, func(e *attrs.Encoder) {
			e.Uint16(unix.IFLA_MACVLAN_FLAGS, 2)
		}},
	} {
		var w writer
		if err := tc.m.encode(&w); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		var want attrs.Encoder
		tc.want(&want)
		if !bytes.Equal(w.Bytes(), want.Bytes()) {
			t.Errorf("%s: encoded %x; want %x", tc.name, w.Bytes(), want.Bytes())
		}
	}
}

func FuzzDecodeMacvlan(f *testing.F) {
	for _, b := range corpusKindMessages(f, "macvlan", "macvtap") {
		f.Add(b)
	}
	for _, b := range kernelLinkMessages(f,
		"link add l0 type veth peer name l0p",
		"link add l1 type veth peer name l1p",
		"link add mi0 link l0 type macvlan mode private",
		"link add mi1 link l0 type macvlan mode vepa nodst bcqueuelen 77",
		"link add mi3 link l1 type macvlan mode passthru nopromisc",
		"link add mi4 link l0 type macvlan mode source macaddr set 02:00:00:00:00:0a 02:00:00:00:00:0b 02:00:00:00:00:0c",
		"link add mi7 link l0 type macvtap mode bridge",
		"link add mi8 link l0 type macvtap mode source macaddr add 02:00:00:00:00:0d",
	) {
		if bytes.Contains(b, []byte("macv")) {
			f.Add(b)
		}
	}
	f.Fuzz(fuzzDecodeLinkData)
}

func TestDecodeMacvlanMalformed(t *testing.T) {
	for _, tc := range []struct {
		name string
		data func(e *attrs.Encoder)
	}{
		{"short mode", func(e *attrs.Encoder) { e.Uint16(unix.IFLA_MACVLAN_MODE, 4) }},
		{"wide flags", func(e *attrs.Encoder) { e.Uint32(unix.IFLA_MACVLAN_FLAGS, 1) }},
		{"short count", func(e *attrs.Encoder) { e.Uint8(unix.IFLA_MACVLAN_MACADDR_COUNT, 1) }},
		{"short queue length", func(e *attrs.Encoder) { e.Uint16(unix.IFLA_MACVLAN_BC_QUEUE_LEN, 1) }},
		{"short used queue length", func(e *attrs.Encoder) { e.Uint16(unix.IFLA_MACVLAN_BC_QUEUE_LEN_USED, 1) }},
		{"short cutoff", func(e *attrs.Encoder) { e.Uint8(unix.IFLA_MACVLAN_BC_CUTOFF, 1) }},
		{"short address in data", func(e *attrs.Encoder) {
			n := e.Nest(unix.IFLA_MACVLAN_MACADDR_DATA)
			e.Raw(unix.IFLA_MACVLAN_MACADDR, []byte{2, 0, 0, 0, 0})
			e.End(n)
		}},
		{"truncated data", func(e *attrs.Encoder) {
			n := e.Nest(unix.IFLA_MACVLAN_MACADDR_DATA)
			e.Raw(unix.IFLA_MACVLAN_MACADDR, []byte{2, 0, 0, 0, 0, 1})
			e.Append([]byte{10, 0})
			e.End(n)
		}},
		{"long single address", func(e *attrs.Encoder) { e.Raw(unix.IFLA_MACVLAN_MACADDR, make([]byte, 8)) }},
		{"length past the end", func(e *attrs.Encoder) { e.Append([]byte{64, 0, 1, 0, 0, 0, 0, 0}) }},
	} {
		for _, kind := range []string{"macvlan", "macvtap"} {
			b := linkDataMessage(kind, "", tc.data)
			if _, err := decodeLink(b); err == nil {
				t.Errorf("%s %s: decodeLink succeeded on %x", kind, tc.name, b)
			}
		}
	}
	for _, b := range corpusKindMessages(t, "macvlan") {
		for n := range len(b) {
			decodeLink(b[:n])
		}
	}

	// The addresses of a well-formed list are copied; other attributes in
	// the nest are skipped.
	b := linkDataMessage("macvtap", "", func(e *attrs.Encoder) {
		e.Uint32(unix.IFLA_MACVLAN_MODE, 16)
		e.Uint32(unix.IFLA_MACVLAN_MACADDR_COUNT, 2)
		n := e.Nest(unix.IFLA_MACVLAN_MACADDR_DATA)
		e.Raw(unix.IFLA_MACVLAN_MACADDR, []byte{2, 0, 0, 0, 0, 1})
		e.Uint32(99, 0)
		e.Raw(unix.IFLA_MACVLAN_MACADDR, []byte{2, 0, 0, 0, 0, 2})
		e.End(n)
	})
	l, err := decodeLink(b)
	if err != nil {
		t.Fatal(err)
	}
	m := l.Info.Data.(*Macvlan)
	if !m.Tap || len(m.MACAddrs) != 2 || m.MACAddrs[0].String() != "02:00:00:00:00:01" || m.MACAddrs[1].String() != "02:00:00:00:00:02" {
		t.Errorf("decoded %+v", m)
	}
	b[len(b)-1] = 9
	if m.MACAddrs[1][5] != 2 {
		t.Error("the decoded addresses alias the message")
	}
	if js, _ := l.MarshalJSON(); !bytes.Contains(js, []byte(`"info_data":{"mode":"source","macaddr_count":2,"macaddr_data":["02:00:00:00:00:01","02:00:00:00:00:02"]}`)) {
		t.Errorf("JSON %s", js)
	}
}
