package rtnl

import (
	"encoding/json"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// mruleMessage builds an RTM_NEWRULE payload of family RTNL_FAMILY_IPMR,
// as the kernel sends the default rule of a namespace, with optional
// selectors.
func mruleMessage(extra func(e *attrs.Encoder)) []byte {
	var e attrs.Encoder
	hdr := make([]byte, fibRuleHdrLen)
	hdr[0], hdr[4], hdr[7] = rtnlFamilyIPMR, unix.RT_TABLE_DEFAULT, unix.FR_ACT_TO_TBL
	e.Append(hdr)
	e.Uint32(unix.FRA_TABLE, unix.RT_TABLE_DEFAULT)
	e.Uint32(unix.FRA_PRIORITY, 32767)
	e.Uint8(unix.FRA_PROTOCOL, unix.RTPROT_KERNEL)
	if extra != nil {
		extra(&e)
	}
	return e.Bytes()
}

// TestDecodeMulticastRule checks synthesized rules, as this machine's
// kernel lacks multicast routing, against the JSON ip 6.1's print_rule
// writes for them with -j -d.
func TestDecodeMulticastRule(t *testing.T) {
	for _, tc := range []struct {
		extra func(e *attrs.Encoder)
		flags uint32
		want  string
	}{
		{nil, 0, `{"priority":32767,"src":"all","table":"default","protocol":"kernel"}`},
		{func(e *attrs.Encoder) {
			e.String(unix.FRA_IIFNAME, "eth0")
			e.String(unix.FRA_OIFNAME, "eth1")
			e.Uint32(unix.FRA_FWMARK, 0x10)
			e.Uint32(unix.FRA_FWMASK, 0xff)
			e.Raw(unix.FRA_UID_RANGE, []byte{1, 0, 0, 0, 2, 0, 0, 0})
			e.Addr(unix.FRA_SRC, netip.MustParseAddr("10.0.0.0"))
		}, unix.FIB_RULE_INVERT | unix.FIB_RULE_OIF_DETACHED,
			`{"priority":32767,"not":null,"src":"10.0.0.0","srclen":8,"fwmark":"0x10","fwmask":"0xff","iif":"eth0","oif":"eth1","oif_detached":null,"uid_start":1,"uid_end":2,"table":"default","protocol":"kernel"}`},
	} {
		b := mruleMessage(tc.extra)
		b[2] = 8
		if tc.extra == nil {
			b[2] = 0
		}
		b[8] = byte(tc.flags)
		r, err := decodeMulticastRule(b)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := r.MarshalJSON(); string(got) != tc.want {
			t.Errorf("JSON\n got %s\nwant %s", got, tc.want)
		}
	}
	if b, err := mruleDumpRequest(unix.AF_INET6); err != nil || string(b) != "\x81\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" {
		t.Errorf("ip -6 mrule show request % x, %v", b, err)
	}
	if _, err := decodeMulticastRule(make([]byte, fibRuleHdrLen)); err == nil {
		t.Error("a rule of family 0 decoded")
	}
}

// FuzzDecodeMulticastRule decodes arbitrary bytes as a multicast rule:
// neither decoding nor marshalling may panic, and the JSON must be valid.
func FuzzDecodeMulticastRule(f *testing.F) {
	f.Add(mruleMessage(nil))
	f.Add(mruleMessage(func(e *attrs.Encoder) { e.String(unix.FRA_IIFNAME, "eth0"); e.Uint32(unix.FRA_GOTO, 5) }))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, _ := decodeMulticastRule(b)
		out, err := r.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON = %s, %v", out, err)
		}
	})
}
