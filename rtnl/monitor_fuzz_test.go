package rtnl

import (
	"net/netip"
	"testing"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/corpus"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// prefixMessage builds an RTM_NEWPREFIX payload as the kernel sends one for
// a router advertisement of 2001:db8:1::/64 on link 3, on-link and
// autonomous, preferred for 3600 s and valid for 7200 s.
func prefixMessage() []byte {
	var e attrs.Encoder
	hdr := make([]byte, prefixmsgLen)
	hdr[0] = unix.AF_INET6
	native.Endian.PutUint32(hdr[4:], 3)
	hdr[8], hdr[9], hdr[10] = 3, 64, prefixOnLink|prefixAutoconf
	e.Append(hdr)
	e.Addr(unix.PREFIX_ADDRESS, netip.MustParseAddr("2001:db8:1::"))
	ci := make([]byte, 8)
	native.Endian.PutUint32(ci, 3600)
	native.Endian.PutUint32(ci[4:], 7200)
	e.Raw(unix.PREFIX_CACHEINFO, ci)
	return e.Bytes()
}

func TestDecodePrefix(t *testing.T) {
	ev, ok, err := decodeEvent(nlconn.Message{Type: unix.RTM_NEWPREFIX, Data: prefixMessage()})
	if err != nil || !ok || ev.Kind != EventNew || ev.Prefix == nil {
		t.Fatalf("decodeEvent(RTM_NEWPREFIX) = %+v, %v, %v", ev, ok, err)
	}
	p := *ev.Prefix
	want := Prefix{Family: unix.AF_INET6, LinkIndex: 3, Type: 3, Prefix: netip.MustParsePrefix("2001:db8:1::/64"),
		OnLink: true, Autoconf: true, Lifetimes: &PrefixLifetimes{Preferred: 3600, Valid: 7200}}
	if p.Family != want.Family || p.LinkIndex != want.LinkIndex || p.Type != want.Type || p.Prefix != want.Prefix ||
		p.OnLink != want.OnLink || p.Autoconf != want.Autoconf || p.Lifetimes == nil || *p.Lifetimes != *want.Lifetimes {
		t.Errorf("prefix = %+v; want %+v", p, want)
	}
	b := prefixMessage()
	b[9] = 129
	if _, err := decodePrefix(b); err == nil {
		t.Error("a prefix length of 129 decoded without an error")
	}
	if _, err := decodePrefix(b[:prefixmsgLen-1]); err == nil {
		t.Error("a truncated prefixmsg decoded without an error")
	}
}

func TestDecodeNetNSID(t *testing.T) {
	var e attrs.Encoder
	e.Reset(make([]byte, 4))
	e.Int32(unix.NETNSA_NSID, 7)
	n, err := decodeNetNSID(e.Bytes())
	if err != nil || n.ID != 7 {
		t.Errorf("decodeNetNSID = %+v, %v; want id 7", n, err)
	}
	if _, err := decodeNetNSID(make([]byte, 4)); err == nil {
		t.Error("an nsid message without NETNSA_NSID decoded without an error")
	}
}

// FuzzDecodeEvent feeds arbitrary payloads, as messages of every type the
// monitor decodes, to decodeEvent, and what decodes to watchKeyOf: they may
// fail, never panic.
func FuzzDecodeEvent(f *testing.F) {
	f.Add(uint16(unix.RTM_NEWPREFIX), prefixMessage())
	seeded := map[uint16]bool{}
	for _, c := range corpus.Load(f) {
		for _, m := range c.Messages {
			// One seed of each type of message the corpus has: more make
			// the fuzzer crawl.
			if m.Direction == "reply" && m.Protocol == "NETLINK_ROUTE" && m.Type >= unix.RTM_BASE && !seeded[m.Type] {
				f.Add(m.Type, m.Payload())
				seeded[m.Type] = true
			}
		}
	}
	f.Fuzz(func(t *testing.T, typ uint16, b []byte) {
		ev, ok, err := decodeEvent(nlconn.Message{Type: typ, Data: b})
		if err != nil || !ok {
			return
		}
		if ev.Kind == 0 {
			t.Errorf("event of type %d without a kind", typ)
		}
		// What Watch does with a decoded event must not panic either.
		if _, ok := watchKeyOf(&ev, b[0]); ok && ev.Key() == "" {
			t.Errorf("event of type %d has a watch key but no Key", typ)
		}
	})
}
