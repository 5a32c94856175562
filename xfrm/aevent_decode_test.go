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

// aeventBytes lays out an XFRM_MSG_NEWAE payload by hand, at the offsets
// of the kernel's struct xfrm_aevent_id (sa_id: daddr, spi, family,
// proto; saddr; flags; reqid), then XFRMA_REPLAY_VAL, XFRMA_LTIME_VAL,
// both thresholds and XFRMA_MARK as build_aevent puts them.
func aeventBytes() []byte {
	b := make([]byte, 48)
	copy(b[0:], netip.MustParseAddr("10.0.0.2").AsSlice())
	binary.BigEndian.PutUint32(b[16:], 0x1234)
	native.Endian.PutUint16(b[20:], unix.AF_INET)
	b[22] = unix.IPPROTO_COMP
	copy(b[24:], netip.MustParseAddr("10.0.0.1").AsSlice())
	native.Endian.PutUint32(b[40:], 0x40|0x1|0x8)
	native.Endian.PutUint32(b[44:], 7)
	var e attrs.Encoder
	e.Append(b)
	replay := make([]byte, 12)
	for i, v := range []uint32{0x30, 0x20, 3} { // oseq, seq, bitmap
		native.Endian.PutUint32(replay[4*i:], v)
	}
	e.Raw(10, replay)
	lt := make([]byte, 32)
	for i, v := range []uint64{1000, 10, 1700000000, 0} {
		native.Endian.PutUint64(lt[8*i:], v)
	}
	e.Raw(9, lt)
	e.Uint32(11, 9)
	e.Uint32(12, 10)
	e.Raw(21, []byte{5, 0, 0, 0, 0xff, 0xff, 0xff, 0xff})
	return e.Bytes()
}

// TestDecodeAEvent decodes a hand-built NEWAE payload, checks every field,
// ip's text and the JSON, and that cut-short payloads give errors.
func TestDecodeAEvent(t *testing.T) {
	b := aeventBytes()
	ev, ok, err := decodeEvent(nlconn.Message{Type: msgNewAE, Data: b})
	if err != nil || !ok || ev.AEvent == nil {
		t.Fatalf("decodeEvent = %+v, %v, %v", ev, ok, err)
	}
	nine, ten := uint32(9), uint32(10)
	a := netip.MustParseAddr
	want := AEvent{ID: StateID{Src: a("10.0.0.1"), Dst: a("10.0.0.2"), Proto: ProtoComp, SPI: 0x1234, Mark: Mark{5, 0xffffffff}},
		ReqID: 7, Flags: AEUpdated | AEReplayThresh | AETimerThresh, Replay: &Replay{OSeq: 0x30, Seq: 0x20, Bitmap: 3},
		Lifetime: &LifetimeCurrent{Bytes: 1000, Packets: 10, AddTime: 1700000000}, ReplayThresh: &nine, TimerThresh: &ten}
	if diff := cmp.Diff(want, *ev.AEvent, cmp.Comparer(func(x, y netip.Addr) bool { return x == y })); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	const text = "Async event  (0x49)  policy updated \n\tsrc 10.0.0.1 dst 10.0.0.2  reqid 0x7 protocol ipcomp  SPI 0x1234\n"
	if got := ev.Text(TextOptions{}); got != text {
		t.Errorf("text %q, want %q", got, text)
	}
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	const wantJSON = `{"event":"aevent","src":"10.0.0.1","dst":"10.0.0.2","family":"inet","proto":"comp","spi":"0x1234",` +
		`"reqid":7,"flags":"0x49","mark":"0x5","mark_mask":"0xffffffff","replay":{"seq":32,"oseq":48,"bitmap":"0x3"},` +
		`"lifetime_current":{"bytes":1000,"packets":10,"add_time":1700000000,"use_time":0},"replay_thresh":9,"etimer_thresh":10}`
	if string(out) != wantJSON {
		t.Errorf("JSON\n%s\nwant\n%s", out, wantJSON)
	}
	for _, n := range []int{0, 47, 48 + 4 + 11} {
		if _, err := decodeAEvent(b[:n]); err == nil {
			t.Errorf("%d bytes decoded without an error", n)
		}
	}
}

// TestAEventRequest checks the bytes of a GETAE and a NEWAE request
// against struct xfrm_aevent_id laid out by hand.
func TestAEventRequest(t *testing.T) {
	id := StateID{Src: netip.MustParseAddr("10.0.0.1"), Dst: netip.MustParseAddr("10.0.0.2"), Proto: ProtoComp, SPI: 0x1234}
	var e attrs.Encoder
	if err := id.aeventRequest(&e, aeventQueryThresh); err != nil {
		t.Fatal(err)
	}
	want := aeventBytes()[:48]
	native.Endian.PutUint32(want[40:], 0x9) // RTHR|ETHR
	native.Endian.PutUint32(want[44:], 0)   // reqid: not part of a request
	if diff := cmp.Diff(want, e.Bytes()); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	if err := (StateID{Proto: ProtoComp}).aeventRequest(&e, 0); err == nil {
		t.Error("an id without a destination was accepted")
	}
}
