package rtnl

import (
	"bytes"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

func TestCorpusVxlanRequest(t *testing.T) {
	dev, id, port, learning := int32(3), uint32(100), uint16(4789), true
	// `id 100 dev veth0 remote 10.0.0.2 local 10.0.0.1 dstport 4789`, and
	// the learning on that ip adds.
	checkCorpusAddRequest(t, "link_add_vxlan", Link{Name: "vxlan100", Info: &LinkInfo{Data: &Vxlan{
		ID: &id, LinkIndex: &dev, Remote: netip.MustParseAddr("10.0.0.2"), Local: netip.MustParseAddr("10.0.0.1"),
		Port: &port, Learning: &learning,
	}}})
}

func FuzzDecodeVxlan(f *testing.F) {
	for _, b := range corpusKindMessages(f, "vxlan") {
		f.Add(b)
	}
	for _, b := range kernelLinkMessages(f,
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
	f.Fuzz(fuzzDecodeLinkData)
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
		b := linkDataMessage("vxlan", "", tc.data)
		if _, err := decodeLink(b); err == nil {
			t.Errorf("%s: decodeLink succeeded on %x", tc.name, b)
		}
	}

	// Every truncation of a real message fails or decodes, without
	// panicking.
	for _, b := range corpusKindMessages(t, "vxlan") {
		for n := range len(b) {
			decodeLink(b[:n])
		}
	}

	// A well-formed message decodes, the request's flag form of
	// TTL_INHERIT included.
	b := linkDataMessage("vxlan", "", func(e *attrs.Encoder) {
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
