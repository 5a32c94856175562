package rtnl

import (
	"bytes"
	"testing"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// netkitKernelData is IFLA_INFO_DATA as netkit_fill_info sends it (Linux
// 6.14 and later, with headroom and tailroom) for a primary.
func netkitKernelData() []byte {
	var e attrs.Encoder
	e.Uint8(unix.IFLA_NETKIT_PRIMARY, 1)
	e.Uint32(unix.IFLA_NETKIT_POLICY, 0)
	e.Uint32(unix.IFLA_NETKIT_MODE, 0)
	e.Uint32(iflaNetkitScrub, 1)
	e.Uint16(iflaNetkitHeadroom, 32)
	e.Uint16(iflaNetkitTailroom, 0)
	e.Int32(unix.IFLA_NETKIT_PEER_POLICY, 2)
	e.Uint32(iflaNetkitPeerScrub, 0)
	return e.Bytes()
}

func TestDecodeNetkit(t *testing.T) {
	l, err := decodeLink(kindsLinkMessage(t, "netkit", netkitKernelData(), "", nil))
	if err != nil {
		t.Fatal(err)
	}
	n, ok := l.Info.Data.(*Netkit)
	if !ok {
		t.Fatalf("Data is %T", l.Info.Data)
	}
	if !n.Primary || *n.Policy != NetkitPass || *n.PeerPolicy != NetkitDrop || *n.Mode != NetkitL2 ||
		*n.Scrub != NetkitScrubDefault || *n.PeerScrub != NetkitScrubNone || *n.Headroom != 32 || *n.Tailroom != 0 {
		t.Errorf("decoded %+v", n)
	}
	// iproute2 6.1 has no netkit printer: the kind only.
	out, _ := l.MarshalJSON()
	if want := `"linkinfo":{"info_kind":"netkit"}`; !bytes.Contains(out, []byte(want)) {
		t.Errorf("JSON %s\nlacks %s", out, want)
	}
	for _, s := range []string{NetkitL2.String(), NetkitL3.String(), NetkitMode(5).String(), NetkitPass.String(),
		NetkitDrop.String(), NetkitPolicy(-1).String(), NetkitScrubNone.String(), NetkitScrubDefault.String(), NetkitScrub(3).String()} {
		if s == "" {
			t.Error("empty name")
		}
	}
}

func TestNetkitRequest(t *testing.T) {
	l2, drop, none := NetkitL2, NetkitDrop, NetkitScrubNone
	var w writer
	err := w.addLink(&Link{Name: "nk0", Info: &LinkInfo{Data: &Netkit{
		Mode: &l2, PeerPolicy: &drop, PeerScrub: &none, Peer: Link{Name: "nk1", Flags: unix.IFF_UP},
	}}}, addOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The expected payload, attribute by attribute.
	var e attrs.Encoder
	hdr := make([]byte, ifInfoMsgLen)
	e.Reset(hdr)
	e.String(unix.IFLA_IFNAME, "nk0")
	li := e.Nest(unix.IFLA_LINKINFO)
	e.Raw(unix.IFLA_INFO_KIND, []byte("netkit"))
	data := e.Nest(unix.IFLA_INFO_DATA)
	peer := e.Nest(unix.IFLA_NETKIT_PEER_INFO)
	ifi := make([]byte, ifInfoMsgLen)
	native.Endian.PutUint32(ifi[8:], unix.IFF_UP)
	native.Endian.PutUint32(ifi[12:], unix.IFF_UP)
	e.Append(ifi)
	e.String(unix.IFLA_IFNAME, "nk1")
	e.End(peer)
	e.Int32(unix.IFLA_NETKIT_PEER_POLICY, 2)
	e.Uint32(unix.IFLA_NETKIT_MODE, 0)
	e.Uint32(iflaNetkitPeerScrub, 0)
	e.End(data)
	e.End(li)
	if !bytes.Equal(w.Bytes(), e.Bytes()) {
		t.Errorf("request\n got %x\nwant %x", w.Bytes(), e.Bytes())
	}

	// No peer settings: no IFLA_NETKIT_PEER_INFO.
	w = writer{}
	if err := w.addLink(&Link{Name: "nk2", Info: &LinkInfo{Data: &Netkit{}}}, addOptions{}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(w.Bytes(), []byte{byte(attrs.HeaderLen + ifInfoMsgLen), 0, unix.IFLA_NETKIT_PEER_INFO, 0}) {
		t.Errorf("request with a peer info: %x", w.Bytes())
	}
}

func TestDecodeNetkitMalformed(t *testing.T) {
	raw := func(typ uint16, n int) []byte {
		var e attrs.Encoder
		e.Raw(typ, make([]byte, n))
		return e.Bytes()
	}
	good := netkitKernelData()
	kindsMalformed(t, "netkit", false, map[string][]byte{
		"truncated":     good[:len(good)-6],
		"primary u32":   raw(unix.IFLA_NETKIT_PRIMARY, 4),
		"policy u8":     raw(unix.IFLA_NETKIT_POLICY, 1),
		"mode u16":      raw(unix.IFLA_NETKIT_MODE, 2),
		"scrub empty":   raw(iflaNetkitScrub, 0),
		"headroom u32":  raw(iflaNetkitHeadroom, 4),
		"bad attribute": {3, 0, 1, 0},
	})
}

func FuzzDecodeNetkit(f *testing.F) {
	f.Add(kindsLinkMessage(f, "netkit", netkitKernelData(), "", nil))
	f.Fuzz(kindsFuzzCheck)
}
