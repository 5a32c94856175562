package rtnl

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"net/netip"
	"testing"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"
)

// TestCorpusTunnelRequests builds the requests of the corpus' `ip link add`
// cases for vlan and the tunnel kinds, with the settings ip sends for the
// command (its defaults made explicit), and compares them with the bytes
// iproute2 sent.
func TestCorpusTunnelRequests(t *testing.T) {
	a4 := netip.MustParseAddr
	add := func(l Link) func(*writer) error {
		return func(w *writer) error { return w.addLink(&l, addOptions{}) }
	}
	// What ip sends for ipip and sit besides the endpoints.
	iptun := func(kind string) *IPTunnel {
		t := &IPTunnel{
			Kind: kind, Proto: ptr(uint8(0)), Local: a4("10.0.0.1"), Remote: a4("10.0.0.2"),
			PMTUDisc: ptr(true), TOS: ptr(uint8(0)), TTL: ptr(uint8(0)), LinkIndex: ptr(int32(0)),
			FwMark: ptr(uint32(0)), Encap: &TunnelEncap{},
		}
		if kind == "sit" {
			t.ISATAP = ptr(false)
		}
		return t
	}
	// And for the IPv6 kinds.
	ip6 := func() *IP6TunnelOptions {
		return &IP6TunnelOptions{EncapLimit: ptr(uint8(4)), TClass: ptr(uint8(0)), FlowLabel: ptr(uint32(0))}
	}
	gre := func(kind string, key *uint32) *Gre {
		return &Gre{
			Kind: kind, IKey: key, OKey: key, Local: a4("10.0.0.1"), Remote: a4("10.0.0.2"),
			PMTUDisc: ptr(true), TOS: ptr(uint8(0)), TTL: ptr(uint8(0)), FwMark: ptr(uint32(0)),
			Encap: &TunnelEncap{},
		}
	}
	for _, tc := range []struct {
		name  string
		build func(*writer) error
	}{
		{"link_add_vlan", add(Link{Name: "veth0.100", ParentIndex: ptr(int32(3)),
			Info: &LinkInfo{Data: &Vlan{ID: ptr(uint16(100))}}})},
		{"link_add_ipip", add(Link{Name: "ipip1", Info: &LinkInfo{Data: iptun("ipip")}})},
		{"link_add_sit", add(Link{Name: "sit1", Info: &LinkInfo{Data: iptun("sit")}})},
		{"link_add_ip6tnl", add(Link{Name: "ip6tnl1", Info: &LinkInfo{Data: &IPTunnel{
			Kind: "ip6tnl", Proto: ptr(uint8(0)), Local: a4("2001:db8::1"), Remote: a4("2001:db8::2"),
			TTL: ptr(uint8(64)), IP6: ip6(), LinkIndex: ptr(int32(0)), FwMark: ptr(uint32(0)),
			Encap: &TunnelEncap{Checksum6: true},
		}}})},
		{"link_add_vti", add(Link{Name: "vti1", Info: &LinkInfo{Data: &Vti{
			IKey: ptr(uint32(1)), OKey: ptr(uint32(1)), Local: a4("10.0.0.1"), Remote: a4("10.0.0.2"),
			FwMark: ptr(uint32(0)),
		}}})},
		{"link_add_vti6", add(Link{Name: "vti61", Info: &LinkInfo{Data: &Vti{
			Kind: "vti6", IKey: ptr(uint32(1)), OKey: ptr(uint32(1)),
			Local: a4("2001:db8::1"), Remote: a4("2001:db8::2"), FwMark: ptr(uint32(0)),
		}}})},
		{"link_add_gre", add(Link{Name: "gre1", Info: &LinkInfo{Data: gre("gre", ptr(uint32(1)))}})},
		{"link_add_gretap", add(Link{Name: "gretap1", Info: &LinkInfo{Data: gre("gretap", nil)}})},
		{"link_add_ip6gre", add(Link{Name: "ip6gre1", Info: &LinkInfo{Data: &Gre{
			Kind: "ip6gre", Local: a4("2001:db8::1"), Remote: a4("2001:db8::2"),
			TTL: ptr(uint8(64)), IP6: ip6(), FwMark: ptr(uint32(0)), ErspanVersion: ptr(uint8(1)),
			Encap: &TunnelEncap{Checksum6: true},
		}}})},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCorpusRequest(t, tc.name, tc.build) })
	}
}

// tnlKernelSeeds are RTM_NEWLINK payloads the kernel sent (Linux 6.1, in
// the full-kernel VM) for links that ip created, reduced to the ifinfomsg,
// IFLA_IFNAME and IFLA_LINKINFO, by the family of kinds they belong to.
var tnlKernelSeeds = map[string][]string{
	"vlan": {
		// vlan vl0
		"0000010004000000021000000000000008000300766c30005c00120009000100766c616e000000004c00020006000500" +
			"88a8000006000100c80000000c00020003000000ffffffff1c0004000c00010001000000020000000c00010003000000" +
			"04000000100003000c0001000200000003000000",
	},
	"iptun": {
		// ipip ipip0
		"000000030500000090000000000000000a00030069706970300000007400120009000100697069700000000064000200" +
			"0800010003000000080002000a000001080003000a000002050004004000000005000500000000000500090000000000" +
			"05000a0001000000080014000000000006000f000100000006001100000000000600120015b300000600100000000000",
		// sit sit0
		"00000803060000008000000000000000090003007369743000000000a400120008000100736974009800020008000100" +
			"00000000080002000a00000108000300000000000500040000000000050005000000000005000a000100000005000900" +
			"000000000600080000000000080014000000000014000b0020010db800000000000000000000000008000c000a000000" +
			"06000d002000000006000e000800000006000f0000000000060011000000000006001200000000000600100000000000",
		// ip6tnl ip6tnl0
		"000001030700000090000000000000000c000300697036746e6c3000940012000b000100697036746e6c000084000200" +
			"08000100000000001400020020010db80000000000000000000000011400030020010db8000000000000000000000002" +
			"050004004000000005000600040000000800070002012345080008001000030005000900000000000800140000000000" +
			"06000f0000000000060011000000000006001200000000000600100002000000",
	},
	"vti": {
		// vti vti0
		"000000030800000090000000000000000900030076746930000000004000120008000100767469003400020008000100" +
			"0000000008000200000000010800030000000001080004000a000001080005000a0000020800060000000000",
		// vti6 vti60
		"000001030900000090000000000000000a00030076746936300000005c0012000900010076746936000000004c000200" +
			"08000100000000001400040020010db80000000000000000000000011400050020010db8000000000000000000000002" +
			"080002000000000208000300000000030800060005000000",
	},
	"gre": {
		// gre gre0x
		"00000a030a00000090000000000000000a00030067726530780000009000120008000100677265008400020008000100" +
			"0000000006000200b000000006000300b000000008000400000000010800050000000001080006000a00000108000700" +
			"0a0000020500080003000000050009000000000005000a0001000000080014000000000006000e000000000006001000" +
			"00000000060011000000000006000f00000000000500130000000000",
		// erspan erspan0x
		"000001000b00000002100000000000000d00030065727370616e307800000000ac0012000b00010065727370616e0000" +
			"9c0002000500160002000000050017000100000006001800070000000800010000000000060002003000000006000300" +
			"30000000080004000000000b080005000000000b080006000a000001080007000a000003050008000000000005000900" +
			"0000000005000a0001000000080014000000000006000e00000000000600100000000000060011000000000006000f00" +
			"000000000500130000000000",
		// ip6gretap ip6gre0x
		"000001000c00000002100000000000000d000300697036677265307800000000b00012000e0001006970366772657461" +
			"700000009c00020008000100000000000600020020000000060003002000000008000400000000070800050000000007" +
			"1400060020010db80000000000000000000000011400070020010db80000000000000000000000020500080040000000" +
			"05000b000400000008000c000000000008000d0001000300080014000000000006000e00000000000600100000000000" +
			"060011000000000006000f0002000000",
		// ip6erspan ip6erspan0x
		"000001000d00000002100000000000001000030069703665727370616e307800c00012000e0001006970366572737061" +
			"6e000000ac000200050016000100000008001500c8010000080001000000000006000200300000000600030030000000" +
			"080004000000000c080005000000000c1400060020010db80000000000000000000000011400070020010db800000000" +
			"0000000000000003050008004000000005000b000400000008000c000000000008000d00000003000800140000000000" +
			"06000e00000000000600100000000000060011000000000006000f0002000000",
	},
	"geneve": {
		// geneve gnv0
		"000001000e000000021000000000000009000300676e763000000000640012000b00010067656e657665000054000200" +
			"0800010001000000080002000a00000205000800000000000500030000000000050004000000000008000b0000000000" +
			"05000d00010000000600050017c1000005000a000100000005000c0001000000",
		// geneve gnv1
		"000001000f000000021000000000000009000300676e763100000000700012000b00010067656e657665000060000200" +
			"08000100020000001400070020010db80000000000000000000000020500090001000000050003000000000005000400" +
			"0000000008000b000001234505000d00000000000600050017c1000005000a000000000005000c0000000000",
		// geneve gnv2
		"0000010010000000021000000000000009000300676e763200000000580012000b00010067656e657665000048000200" +
			"08000100000000000500030000000000050004000000000008000b000000000005000d00000000000600050017c20000" +
			"0400060005000a000100000005000c0000000000",
	},
}

// tnlSeeds decodes the seeds of a family.
func tnlSeeds(t testing.TB, family string) [][]byte {
	var out [][]byte
	for _, h := range tnlKernelSeeds[family] {
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
		out = append(out, b)
	}
	return out
}

// TestDecodeTunnelSeeds decodes the kernel's messages and checks that the
// data, sent back as it was read, decodes to the same.
func TestDecodeTunnelSeeds(t *testing.T) {
	for family := range tnlKernelSeeds {
		for _, b := range tnlSeeds(t, family) {
			l, err := decodeLink(b)
			if err != nil {
				t.Errorf("%s: %v", family, err)
				continue
			}
			if l.Info == nil || l.Info.Data == nil || newLinkData(l.Info.Kind) == nil {
				t.Errorf("%s: %s decoded without data: %+v", family, l.Name, l.Info)
				continue
			}
			if !tnlRoundTrip(t, l) {
				t.Errorf("%s: %s: its data, as read, is refused: %v", family, l.Name, l.Info.Data)
			}
		}
	}
}

// tnlRoundTrip encodes the data of a decoded link in a create request,
// decodes that and checks that the data prints the same. It reports false
// when the data is refused as invalid.
func tnlRoundTrip(t *testing.T, l Link) bool {
	t.Helper()
	var w writer
	defer w.close()
	if err := w.addLink(&Link{Name: "x", Info: &LinkInfo{Kind: l.Info.Kind, Data: l.Info.Data}}, addOptions{}); err != nil {
		return false
	}
	l2, err := decodeLink(w.Bytes())
	if err != nil {
		t.Fatalf("decoding the request made of %s's data: %v", l.Name, err)
	}
	info := func(l Link) []byte {
		l.Info.SlaveKind, l.Info.SlaveData = "", nil
		b, _ := Link{Info: l.Info}.MarshalJSON()
		return b
	}
	if a, b := info(l), info(l2); !bytes.Equal(a, b) {
		t.Fatalf("%s's data changed on its way back:\nread %s\nsent %s", l.Name, a, b)
	}
	return true
}

// TestDecodeTunnelMalformed shortens each attribute of the kernel's
// IFLA_INFO_DATA by one byte: decoding must fail, not panic or go on.
func TestDecodeTunnelMalformed(t *testing.T) {
	for family := range tnlKernelSeeds {
		for _, b := range tnlSeeds(t, family) {
			start, end := tnlInfoDataSpan(t, b)
			for off := start; off+4 <= end; {
				n := int(native.Endian.Uint16(b[off:]))
				if n < 4 {
					t.Fatalf("%s: malformed seed at %d", family, off)
				}
				if n > 4 {
					bad := bytes.Clone(b)
					native.Endian.PutUint16(bad[off:], uint16(n-1))
					if _, err := decodeLink(bad); err == nil {
						t.Errorf("%s: attribute type %d at %d one byte short: no error", family,
							native.Endian.Uint16(b[off+2:]), off)
					}
				}
				off += (n + 3) &^ 3
			}
			// Cut in the middle of the data.
			cut := bytes.Clone(b[:start+(end-start)/2+1])
			if _, err := decodeLink(cut); err == nil {
				t.Errorf("%s: a message cut in the middle of IFLA_INFO_DATA decodes", family)
			}
		}
	}
}

// tnlInfoDataSpan returns where the attributes of IFLA_INFO_DATA start and
// end in an RTM_NEWLINK payload.
func tnlInfoDataSpan(t *testing.T, b []byte) (start, end int) {
	find := func(from, to int, typ uint16) (int, int) {
		for off := from; off+4 <= to; {
			n := int(native.Endian.Uint16(b[off:]))
			if n < 4 {
				break
			}
			if native.Endian.Uint16(b[off+2:])&0x3fff == typ {
				return off + 4, off + n
			}
			off += (n + 3) &^ 3
		}
		t.Fatalf("no attribute type %d in the seed", typ)
		return 0, 0
	}
	s, e := find(ifInfoMsgLen, len(b), unix.IFLA_LINKINFO)
	return find(s, e, unix.IFLA_INFO_DATA)
}

// fuzzTunnelDecode decodes b, which must not panic, and when it decodes,
// checks that the JSON is valid and that valid data survives a round trip.
func fuzzTunnelDecode(t *testing.T, b []byte) {
	l, err := decodeLink(b)
	if err != nil {
		return
	}
	js, err := l.MarshalJSON()
	if err != nil || !json.Valid(js) {
		t.Fatalf("invalid JSON %s: %v", js, err)
	}
	if l.Info != nil && l.Info.Data != nil {
		tnlRoundTrip(t, l)
	}
}

func tnlFuzz(f *testing.F, family string) {
	for _, b := range tnlSeeds(f, family) {
		f.Add(b)
	}
	f.Fuzz(fuzzTunnelDecode)
}

func FuzzDecodeVlan(f *testing.F)     { tnlFuzz(f, "vlan") }
func FuzzDecodeIPTunnel(f *testing.F) { tnlFuzz(f, "iptun") }
func FuzzDecodeVti(f *testing.F)      { tnlFuzz(f, "vti") }
func FuzzDecodeGre(f *testing.F)      { tnlFuzz(f, "gre") }
func FuzzDecodeGeneve(f *testing.F)   { tnlFuzz(f, "geneve") }
