package rtnl

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/corpus"
)

// kindsRequestPayload builds an add request and compares it with the last
// link write of a corpus case, volatile bytes masked.
func kindsRequestPayload(t *testing.T, name string, l Link) {
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

// kindsLinkMessage returns a real RTM_NEWLINK payload of the corpus (veth0
// of ip -d -j link show, as the kernel sent it) followed by an
// IFLA_LINKINFO with the given kind and data, and port kind and data when
// slaveKind is not "": the link as the kernel would report one of that
// kind.
func kindsLinkMessage(tb testing.TB, kind string, data []byte, slaveKind string, slaveData []byte) []byte {
	tb.Helper()
	c := corpus.LoadCase(tb, "link_show_detail_json")
	var base []byte
	for _, m := range c.Messages {
		if m.Direction == "reply" && corpusIsLink(m) && bytes.Contains(m.Bytes, []byte("veth0\x00")) {
			base = m.Payload()
		}
	}
	if base == nil {
		tb.Fatal("no veth0 in link_show_detail_json")
	}
	var e attrs.Encoder
	e.Reset(append([]byte(nil), base...))
	n := e.Nest(unix.IFLA_LINKINFO)
	e.Raw(unix.IFLA_INFO_KIND, append([]byte(kind), 0))
	if data != nil {
		e.Raw(unix.IFLA_INFO_DATA, data)
	}
	if slaveKind != "" {
		e.Raw(unix.IFLA_INFO_SLAVE_KIND, append([]byte(slaveKind), 0))
		if slaveData != nil {
			e.Raw(unix.IFLA_INFO_SLAVE_DATA, slaveData)
		}
	}
	e.End(n)
	return e.Bytes()
}

// kindsFuzzCheck decodes b and marshals what came out: no panic, valid
// JSON.
func kindsFuzzCheck(t *testing.T, b []byte) {
	l, _ := decodeLink(b)
	links := []Link{l, l}
	links[1].Index++
	resolveNames(links, nil)
	for _, l := range links {
		out, err := l.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("MarshalJSON: %v\n%s", err, out)
		}
	}
}

// kindsMalformed checks that each data, as IFLA_INFO_DATA (or
// IFLA_INFO_SLAVE_DATA when slave is set) of the kind, fails to decode with
// an attrs.Error.
func kindsMalformed(t *testing.T, kind string, slave bool, cases map[string][]byte) {
	t.Helper()
	for name, data := range cases {
		var msg []byte
		if slave {
			msg = kindsLinkMessage(t, "veth", nil, kind, data)
		} else {
			msg = kindsLinkMessage(t, kind, data, "", nil)
		}
		_, err := decodeLink(msg)
		var ae *attrs.Error
		if !errors.As(err, &ae) {
			t.Errorf("%s %s: decodeLink error = %v; want an attrs.Error", kind, name, err)
		}
	}
}

func TestCorpusVrfRequest(t *testing.T) {
	kindsRequestPayload(t, "link_add_vrf", Link{Name: "vrf10", Info: &LinkInfo{Data: &Vrf{Table: 10}}})
}

func vrfKernelData(typ uint16, table uint32) []byte {
	var e attrs.Encoder
	e.Uint32(typ, table)
	return e.Bytes()
}

func TestDecodeVrf(t *testing.T) {
	l, err := decodeLink(kindsLinkMessage(t, "vrf", vrfKernelData(unix.IFLA_VRF_TABLE, 10), "", nil))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := l.Info.Data.(*Vrf); !ok || v.Table != 10 {
		t.Errorf("decoded %#v", l.Info.Data)
	}
	b, _ := l.MarshalJSON()
	if want := `"linkinfo":{"info_kind":"vrf","info_data":{"table":10}}`; !bytes.Contains(b, []byte(want)) {
		t.Errorf("JSON %s\nlacks %s", b, want)
	}
	l, err = decodeLink(kindsLinkMessage(t, "veth", nil, "vrf", vrfKernelData(unix.IFLA_VRF_PORT_TABLE, 4294967294)))
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := l.Info.SlaveData.(*VrfPort); !ok || p.Table != 4294967294 {
		t.Errorf("decoded port %#v", l.Info.SlaveData)
	}
	b, _ = l.MarshalJSON()
	if want := `"linkinfo":{"info_kind":"veth","info_slave_kind":"vrf","info_slave_data":{"table":4294967294}}`; !bytes.Contains(b, []byte(want)) {
		t.Errorf("JSON %s\nlacks %s", b, want)
	}
	// Without data: {} as ip prints it.
	l, _ = decodeLink(kindsLinkMessage(t, "vrf", nil, "vrf", nil))
	b, _ = l.MarshalJSON()
	if want := `"linkinfo":{"info_kind":"vrf","info_data":{},"info_slave_kind":"vrf","info_slave_data":{}}`; !bytes.Contains(b, []byte(want)) {
		t.Errorf("JSON %s\nlacks %s", b, want)
	}
}

func TestDecodeVrfMalformed(t *testing.T) {
	bad := map[string][]byte{
		"short table":  {6, 0, 1, 0, 10, 0, 0, 0},
		"truncated":    vrfKernelData(1, 10)[:6],
		"overlong len": {12, 0, 1, 0, 10, 0, 0, 0},
	}
	kindsMalformed(t, "vrf", false, bad)
	kindsMalformed(t, "vrf", true, bad)
}

func FuzzDecodeVrf(f *testing.F) {
	f.Add(kindsLinkMessage(f, "vrf", vrfKernelData(unix.IFLA_VRF_TABLE, 10), "", nil))
	f.Add(kindsLinkMessage(f, "veth", nil, "vrf", vrfKernelData(unix.IFLA_VRF_PORT_TABLE, 10)))
	f.Fuzz(kindsFuzzCheck)
}
