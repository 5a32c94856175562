package rtnl

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/corpus"
)

// TestCorpusTuntapShow compares the dump request of Conn.Tuntaps with
// `ip tuntap show`'s, and what it makes of the reply with ip's output.
func TestCorpusTuntapShow(t *testing.T) {
	c := corpus.LoadCase(t, "tuntap_show")
	var out []string
	requests := 0
	for _, m := range c.Messages {
		switch {
		case m.Direction == "request" && m.Type == unix.RTM_GETLINK:
			got := make([]byte, 16, 64)
			native.Endian.PutUint32(got, uint32(16+len(tuntapDumpRequest())))
			native.Endian.PutUint16(got[4:], unix.RTM_GETLINK)
			native.Endian.PutUint16(got[6:], unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
			got = append(got, tuntapDumpRequest()...)
			if g, w := corpus.Mask(got, m.Volatile), corpus.Mask(m.Bytes, m.Volatile); !bytes.Equal(g, w) {
				t.Errorf("dump request\n got %x\nwant %x (volatile bytes zeroed)", g, w)
			}
			requests++
		case m.Direction == "reply" && m.Type == unix.RTM_NEWLINK:
			l, err := decodeLink(m.Payload())
			if err != nil {
				t.Fatalf("message %d: %v", m.Index, err)
			}
			tt, ok := tuntapOf(&l)
			if !ok {
				t.Fatalf("message %d: %s is not a tun/tap", m.Index, l.Name)
			}
			b, err := tt.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			var v struct {
				Name  string   `json:"ifname"`
				Flags []string `json:"flags"`
			}
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatalf("%s: %v", b, err)
			}
			out = append(out, v.Name+": "+strings.Join(v.Flags, " ")+"\n")
		}
	}
	if requests != 1 {
		t.Errorf("%d dump requests compared, want 1", requests)
	}
	if got := strings.Join(out, ""); got != c.Stdout {
		t.Errorf("ip tuntap show printed %q; nlkit's flags give %q", c.Stdout, got)
	}
}

// TestCorpusTuntapAdd checks the TUNSETIFF flags for the corpus' ip tuntap
// add commands: per iproute2's source (the capture does not show the
// ifreq), the mode, IFF_NO_PI and IFF_TUN_EXCL.
func TestCorpusTuntapAdd(t *testing.T) {
	for name, want := range map[string]uint16{
		"tuntap_add_tun": unix.IFF_TUN | unix.IFF_NO_PI | unix.IFF_TUN_EXCL,
		"tuntap_add_tap": unix.IFF_TAP | unix.IFF_NO_PI | unix.IFF_TUN_EXCL,
	} {
		c := corpus.LoadCase(t, name)
		f := strings.Fields(c.Command) // ip tuntap add dev NAME mode MODE
		if len(f) != 7 || f[3] != "dev" || f[5] != "mode" {
			t.Fatalf("%s: unexpected command %q", name, c.Command)
		}
		tt := Tuntap{Name: f[4], Mode: map[string]TuntapMode{"tun": TuntapTun, "tap": TuntapTap}[f[6]]}
		if err := tt.validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if got := tt.tunFlags(); got != want {
			t.Errorf("%s: TUNSETIFF flags %#x, want %#x", name, got, want)
		}
	}
}

// tunLinkMessage builds an RTM_NEWLINK payload for a tun link named tun9
// whose IFLA_INFO_DATA holds data.
func tunLinkMessage(data []byte) []byte {
	var e attrs.Encoder
	hdr := make([]byte, ifInfoMsgLen)
	native.Endian.PutUint16(hdr[2:], unix.ARPHRD_NONE)
	native.Endian.PutUint32(hdr[4:], 9)
	e.Reset(hdr)
	e.String(unix.IFLA_IFNAME, "tun9")
	n := e.Nest(unix.IFLA_LINKINFO)
	e.Raw(unix.IFLA_INFO_KIND, []byte("tun"))
	e.Raw(unix.IFLA_INFO_DATA, data)
	e.End(n)
	return e.Bytes()
}

// tunKernelData is IFLA_INFO_DATA as the kernel sends it for a multi-queue
// tun with an owner and a group.
func tunKernelData() []byte {
	var e attrs.Encoder
	e.Uint8(unix.IFLA_TUN_TYPE, unix.IFF_TUN)
	e.Uint32(unix.IFLA_TUN_OWNER, 4242)
	e.Uint32(unix.IFLA_TUN_GROUP, 0)
	e.Uint8(unix.IFLA_TUN_PI, 0)
	e.Uint8(unix.IFLA_TUN_VNET_HDR, 1)
	e.Uint8(unix.IFLA_TUN_PERSIST, 1)
	e.Uint8(unix.IFLA_TUN_MULTI_QUEUE, 1)
	e.Uint32(unix.IFLA_TUN_NUM_QUEUES, 2)
	e.Uint32(unix.IFLA_TUN_NUM_DISABLED_QUEUES, 1)
	return e.Bytes()
}

func TestDecodeTun(t *testing.T) {
	l, err := decodeLink(tunLinkMessage(tunKernelData()))
	if err != nil {
		t.Fatal(err)
	}
	tun, ok := l.Info.Data.(*Tun)
	if !ok {
		t.Fatalf("Data is %T", l.Info.Data)
	}
	if tun.Mode != TuntapTun || tun.PI || !tun.VnetHdr || !tun.Persist || !tun.MultiQueue ||
		*tun.NumQueues != 2 || *tun.NumDisabledQueues != 1 || *tun.Owner != 4242 || *tun.Group != 0 {
		t.Errorf("decoded %+v", tun)
	}
	// Names as the local databases give them; the JSON follows them.
	tun.OwnerName, tun.GroupName = "", "root"
	b, _ := l.MarshalJSON()
	const want = `"info_data":{"type":"tun","pi":false,"vnet_hdr":true,"multi_queue":true,"numqueues":2,"numdisabled":1,"persist":true,"user":4242,"group":"root"}`
	if !bytes.Contains(b, []byte(want)) {
		t.Errorf("JSON %s\nlacks %s", b, want)
	}
	tt, _ := tuntapOf(&l)
	b, _ = tt.MarshalJSON()
	if want := `{"ifname":"tun9","flags":["tun","multi_queue","vnet_hdr","persist"],"user":4242,"group":0}`; string(b) != want {
		t.Errorf("tuntap JSON %s, want %s", b, want)
	}

	// No data at all (kernels before 4.15): {}, and without multi_queue
	// but other attributes: "multi_queue":false all the same.
	var e attrs.Encoder
	e.Uint8(unix.IFLA_TUN_TYPE, 7)
	for data, want := range map[string]string{
		string(e.Bytes()): `"info_data":{"type":"UNKNOWN:7","multi_queue":false}`,
	} {
		l, err := decodeLink(tunLinkMessage([]byte(data)))
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := l.MarshalJSON(); !bytes.Contains(b, []byte(want)) {
			t.Errorf("JSON %s\nlacks %s", b, want)
		}
	}
}

func TestDecodeTunMalformed(t *testing.T) {
	good := tunKernelData()
	for name, data := range map[string][]byte{
		"truncated":      good[:len(good)-3],
		"short header":   good[:2],
		"u8 as u32":      func() []byte { var e attrs.Encoder; e.Uint32(unix.IFLA_TUN_PI, 1); return e.Bytes() }(),
		"u32 as u8":      func() []byte { var e attrs.Encoder; e.Uint8(unix.IFLA_TUN_OWNER, 1); return e.Bytes() }(),
		"empty queues":   func() []byte { var e attrs.Encoder; e.Raw(unix.IFLA_TUN_NUM_QUEUES, nil); return e.Bytes() }(),
		"overlong attr":  {0xff, 0, unix.IFLA_TUN_TYPE, 0, 1, 0, 0, 0},
		"zero-len group": func() []byte { var e attrs.Encoder; e.Raw(unix.IFLA_TUN_GROUP, nil); return e.Bytes() }(),
	} {
		_, err := decodeLink(tunLinkMessage(data))
		var ae *attrs.Error
		if !errors.As(err, &ae) {
			t.Errorf("%s: decodeLink error = %v; want an attrs.Error", name, err)
		}
	}
}

// FuzzDecodeTun decodes tun link messages, seeded with the kernel's: the
// corpus' tap0 and a multi-queue tun with owner and group.
func FuzzDecodeTun(f *testing.F) {
	for _, name := range []string{"tuntap_show", "link_show_detail_json"} {
		c := corpus.LoadCase(f, name)
		for _, m := range c.Messages {
			if m.Direction == "reply" && corpusIsLink(m) && bytes.Contains(m.Bytes, []byte("tun\x00")) {
				f.Add(m.Payload())
			}
		}
	}
	f.Add(tunLinkMessage(tunKernelData()))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := decodeLink(b)
		out, jerr := l.MarshalJSON()
		if jerr != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON: %v\n%s", jerr, out)
		}
		if err != nil {
			return
		}
		if tt, ok := tuntapOf(&l); ok {
			if out, _ := tt.MarshalJSON(); !json.Valid(out) {
				t.Fatalf("Tuntap.MarshalJSON wrote invalid JSON: %s", out)
			}
		}
	})
}
