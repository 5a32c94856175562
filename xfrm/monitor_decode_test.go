package xfrm

import (
	"encoding/binary"
	"encoding/json"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// userMapping lays out a struct xfrm_user_mapping by hand, field by field
// at the offsets of the kernel's include/uapi/linux/xfrm.h: the state's id
// (daddr, spi, family, proto), reqid, the old and new source addresses and
// the old and new source ports.
func userMapping(dst netip.Addr, spi uint32, family uint16, proto uint8, reqid uint32, oldSrc, newSrc netip.Addr, oldPort, newPort uint16) []byte {
	b := make([]byte, 64)
	copy(b[0:16], dst.AsSlice())
	binary.BigEndian.PutUint32(b[16:], spi)
	native.Endian.PutUint16(b[20:], family)
	b[22] = proto
	native.Endian.PutUint32(b[24:], reqid)
	copy(b[28:44], oldSrc.AsSlice())
	copy(b[44:60], newSrc.AsSlice())
	binary.BigEndian.PutUint16(b[60:], oldPort)
	binary.BigEndian.PutUint16(b[62:], newPort)
	return b
}

// TestDecodeMappingEvent decodes hand-built XFRM_MSG_MAPPING payloads of
// both families and checks every field and the event's JSON.
func TestDecodeMappingEvent(t *testing.T) {
	a := netip.MustParseAddr
	for _, tc := range []struct {
		name   string
		data   []byte
		want   Mapping
		wantJS string
	}{{
		name: "inet",
		data: userMapping(a("192.0.2.10"), 0xc0ffee01, unix.AF_INET, unix.IPPROTO_ESP, 0x01020304,
			a("198.51.100.7"), a("203.0.113.99"), 4500, 61234),
		want: Mapping{Dst: a("192.0.2.10"), SPI: 0xc0ffee01, Proto: ProtoESP, ReqID: 0x01020304,
			OldSrc: a("198.51.100.7"), NewSrc: a("203.0.113.99"), OldSport: 4500, NewSport: 61234},
		wantJS: `{"event":"mapping","dst":"192.0.2.10","proto":"esp","spi":"0xc0ffee01","reqid":16909060,` +
			`"old_src":"198.51.100.7","old_sport":4500,"new_src":"203.0.113.99","new_sport":61234}`,
	}, {
		name: "inet6",
		data: userMapping(a("2001:db8::a"), 0x0badcafe, unix.AF_INET6, unix.IPPROTO_ESP, 7,
			a("2001:db8:1::7"), a("2001:db8:2::99"), 4500, 1),
		want: Mapping{Dst: a("2001:db8::a"), SPI: 0x0badcafe, Proto: ProtoESP, ReqID: 7,
			OldSrc: a("2001:db8:1::7"), NewSrc: a("2001:db8:2::99"), OldSport: 4500, NewSport: 1},
		wantJS: `{"event":"mapping","dst":"2001:db8::a","proto":"esp","spi":"0xbadcafe","reqid":7,` +
			`"old_src":"2001:db8:1::7","old_sport":4500,"new_src":"2001:db8:2::99","new_sport":1}`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			ev, ok, err := decodeEvent(nlconn.Message{Type: msgMapping, Data: tc.data})
			if err != nil || !ok {
				t.Fatalf("decodeEvent = ok %v, %v", ok, err)
			}
			if ev.Type != EventMapping || ev.Mapping == nil {
				t.Fatalf("event %+v, want a mapping", ev)
			}
			if ev.State != nil || ev.Policy != nil || ev.Acquire != nil || ev.Report != nil {
				t.Errorf("mapping event with other parts: %+v", ev)
			}
			if diff := cmp.Diff(tc.want, *ev.Mapping, cmp.Comparer(func(x, y netip.Addr) bool { return x == y })); diff != "" {
				t.Errorf("mapping (-want +got):\n%s", diff)
			}
			js, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			if string(js) != tc.wantJS {
				t.Errorf("JSON\n got %s\nwant %s", js, tc.wantJS)
			}
		})
	}
	// A payload one byte short is an error, not a panic.
	short := userMapping(a("192.0.2.10"), 1, unix.AF_INET, unix.IPPROTO_ESP, 1, a("192.0.2.1"), a("192.0.2.2"), 1, 2)
	if _, _, err := decodeEvent(nlconn.Message{Type: msgMapping, Data: short[:63]}); err == nil {
		t.Error("a 63-byte mapping decodes without error")
	}
}

// userReport lays out a struct xfrm_user_report by hand: proto, then
// (aligned to 4) the struct xfrm_selector, whose fields are written at
// their uapi offsets.
func userReport(proto uint8, family uint16, dst, src netip.Prefix, dport, dmask, sport, smask uint16, ipproto uint8, ifindex int32, user uint32) []byte {
	b := make([]byte, 60)
	b[0] = proto
	sel := b[4:]
	copy(sel[0:16], dst.Addr().AsSlice())
	copy(sel[16:32], src.Addr().AsSlice())
	binary.BigEndian.PutUint16(sel[32:], dport)
	binary.BigEndian.PutUint16(sel[34:], dmask)
	binary.BigEndian.PutUint16(sel[36:], sport)
	binary.BigEndian.PutUint16(sel[38:], smask)
	native.Endian.PutUint16(sel[40:], family)
	sel[42] = byte(dst.Bits())
	sel[43] = byte(src.Bits())
	sel[44] = ipproto
	native.Endian.PutUint32(sel[48:], uint32(ifindex))
	native.Endian.PutUint32(sel[52:], user)
	return b
}

// TestDecodeReportEvent decodes hand-built XFRM_MSG_REPORT payloads, with
// and without XFRMA_COADDR, and checks every field and the event's JSON.
func TestDecodeReportEvent(t *testing.T) {
	p, a := netip.MustParsePrefix, netip.MustParseAddr
	coa := func(addr netip.Addr) []byte {
		var e attrs.Encoder
		v := make([]byte, 16)
		copy(v, addr.AsSlice())
		e.Raw(attrCoAddr, v)
		return e.Bytes()
	}
	for _, tc := range []struct {
		name   string
		data   []byte
		want   Report
		wantJS string
	}{{
		name: "inet6 with care-of address",
		data: append(userReport(uint8(ProtoRoute2), unix.AF_INET6, p("2001:db8:d::/64"), p("2001:db8:5::1/128"),
			0, 0, 0, 0, ipprotoMH, 3, 1000), coa(a("2001:db8:c0a::1"))...),
		want: Report{Proto: ProtoRoute2, CareOf: a("2001:db8:c0a::1"), Selector: Selector{Family: unix.AF_INET6,
			Dst: p("2001:db8:d::/64"), Src: p("2001:db8:5::1/128"), Proto: ipprotoMH, LinkIndex: 3, User: 1000}},
		wantJS: `{"event":"report","proto":"route2","sel":{"src":"2001:db8:5::1/128",` +
			`"dst":"2001:db8:d::/64","proto":"mobility-header","dev":"if3","user":1000},"coa":"2001:db8:c0a::1"}`,
	}, {
		name: "inet without care-of address",
		data: userReport(uint8(ProtoESP), unix.AF_INET, p("10.9.0.0/16"), p("172.16.5.0/24"),
			53, 0xffff, 1234, 0xffff, unix.IPPROTO_UDP, 0, 0),
		want: Report{Proto: ProtoESP, Selector: Selector{Family: unix.AF_INET, Dst: p("10.9.0.0/16"), Src: p("172.16.5.0/24"),
			Proto: unix.IPPROTO_UDP, DstPort: 53, DstPortMask: 0xffff, SrcPort: 1234, SrcPortMask: 0xffff}},
		wantJS: `{"event":"report","proto":"esp","sel":{"src":"172.16.5.0/24","dst":"10.9.0.0/16",` +
			`"proto":"udp","sport":1234,"dport":53,"user":0}}`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			ev, ok, err := decodeEvent(nlconn.Message{Type: msgReport, Data: tc.data})
			if err != nil || !ok {
				t.Fatalf("decodeEvent = ok %v, %v", ok, err)
			}
			if ev.Type != EventReport || ev.Report == nil {
				t.Fatalf("event %+v, want a report", ev)
			}
			if ev.State != nil || ev.Policy != nil || ev.Acquire != nil || ev.Mapping != nil {
				t.Errorf("report event with other parts: %+v", ev)
			}
			if diff := cmp.Diff(tc.want, *ev.Report, cmp.Comparer(func(x, y netip.Addr) bool { return x == y }),
				cmp.Comparer(func(x, y netip.Prefix) bool { return x == y })); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
			js, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			if string(js) != tc.wantJS {
				t.Errorf("JSON\n got %s\nwant %s", js, tc.wantJS)
			}
		})
	}
	if _, _, err := decodeEvent(nlconn.Message{Type: msgReport, Data: make([]byte, 59)}); err == nil {
		t.Error("a 59-byte report decodes without error")
	}
}
