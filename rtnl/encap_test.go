package rtnl

import (
	"bytes"
	"context"
	"errors"
	"net/netip"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/ipstrace"
	"github.com/nlkit/nlkit/internal/jsonw"
	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
)

// encapCase is an `ip route add DST encap … dev v0` command and the Encap
// that says the same. The route goes on the veth v0, whose peer v1 has
// index v1 for the cases that name it.
type encapCase struct {
	name string
	dst  string
	args string // after "encap"
	// encap returns the Encap of the request.
	encap func(v1 int32) *Encap
	// kernel returns the Encap the kernel reports for the route, when it
	// differs from the request's.
	kernel func(v1 int32) *Encap
	// noKernel marks a request the test does not send to the kernel: one
	// that needs more setup than a veth (a VRF, a recent kernel).
	noKernel bool
}

func encapCases() []encapCase {
	a, p := netip.MustParseAddr, ptr[uint8]
	segs := func(s ...string) []netip.Addr {
		var out []netip.Addr
		for _, x := range s {
			out = append(out, a(x))
		}
		return out
	}
	fixed := func(e *Encap) func(int32) *Encap { return func(int32) *Encap { return e } }
	ipKernel := func(e IPEncap) func(int32) *Encap {
		return fixed(&Encap{Type: EncapIP, IP: &e})
	}
	return []encapCase{
		{name: "mpls", dst: "10.1.0.0/16", args: "mpls 100/200 ttl 5",
			encap: fixed(&Encap{Type: EncapMPLS, MPLS: &MPLSEncap{Labels: []uint32{100, 200}, TTL: p(5)}})},
		{name: "mpls_one", dst: "10.1.1.0/24", args: "mpls 1048575",
			encap: fixed(&Encap{Type: EncapMPLS, MPLS: &MPLSEncap{Labels: []uint32{1048575}}})},
		{name: "ip", dst: "10.2.0.0/16", args: "ip id 5 dst 192.0.2.9 src 192.0.2.1 ttl 10 tos 4 key csum",
			encap: fixed(&Encap{Type: EncapIP, IP: &IPEncap{ID: ptr[uint64](5), Dst: a("192.0.2.9"), Src: a("192.0.2.1"),
				TTL: p(10), TOS: p(4), Flags: TunnelKey | TunnelCsum}})},
		{name: "ip_dst", dst: "10.2.1.0/24", args: "ip dst 192.0.2.9 seq",
			encap:  fixed(&Encap{Type: EncapIP, IP: &IPEncap{Dst: a("192.0.2.9"), Flags: TunnelSeq}}),
			kernel: ipKernel(IPEncap{ID: ptr[uint64](0), Dst: a("192.0.2.9"), Src: a("0.0.0.0"), TTL: p(0), TOS: p(0), Flags: TunnelSeq})},
		{name: "ip6", dst: "2001:db8:2::/64", args: "ip6 id 7 dst 2001:db8::9 src 2001:db8::1 hoplimit 9 tc 3 seq",
			encap: fixed(&Encap{Type: EncapIP6, IP: &IPEncap{ID: ptr[uint64](7), Dst: a("2001:db8::9"), Src: a("2001:db8::1"),
				TTL: p(9), TOS: p(3), Flags: TunnelSeq}})},
		{name: "ip6_dst", dst: "2001:db8:2:1::/64", args: "ip6 dst 2001:db8::9",
			encap:  fixed(&Encap{Type: EncapIP6, IP: &IPEncap{Dst: a("2001:db8::9")}}),
			kernel: fixed(&Encap{Type: EncapIP6, IP: &IPEncap{ID: ptr[uint64](0), Dst: a("2001:db8::9"), Src: a("::"), TTL: p(0), TOS: p(0)}})},
		{name: "seg6_encap", dst: "2001:db8:3::/64", args: "seg6 mode encap segs 2001:db8::a,2001:db8::b",
			encap: fixed(&Encap{Type: EncapSeg6, Seg6: &Seg6Encap{Mode: Seg6ModeEncap, SRH: SRH{Segments: segs("2001:db8::a", "2001:db8::b")}}})},
		{name: "seg6_inline_hmac", dst: "2001:db8:3:1::/64", args: "seg6 mode inline segs 2001:db8::a hmac 7",
			encap:    fixed(&Encap{Type: EncapSeg6, Seg6: &Seg6Encap{Mode: Seg6ModeInline, SRH: SRH{Segments: segs("2001:db8::a", "::"), HMAC: 7}}}),
			noKernel: true}, // the kernel wants an HMAC key 7 set up
		{name: "seg6_l2encap_red", dst: "2001:db8:3:2::/64", args: "seg6 mode l2encap.red segs 2001:db8::c",
			encap: fixed(&Encap{Type: EncapSeg6, Seg6: &Seg6Encap{Mode: Seg6ModeL2EncapRed, SRH: SRH{Segments: segs("2001:db8::c")}}})},
		{name: "seg6local_end", dst: "2001:db8:4::/64", args: "seg6local action End",
			encap: fixed(&Encap{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEnd}})},
		{name: "seg6local_end_x", dst: "2001:db8:4:1::/64", args: "seg6local action End.X nh6 2001:db8::2",
			encap: fixed(&Encap{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEndX, NH6: a("2001:db8::2")}})},
		{name: "seg6local_end_t", dst: "2001:db8:4:2::/64", args: "seg6local action End.T table 100",
			encap: fixed(&Encap{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEndT, Table: ptr(Table(100))}})},
		{name: "seg6local_end_dx4", dst: "2001:db8:4:3::/64", args: "seg6local action End.DX4 nh4 192.0.2.2",
			encap: fixed(&Encap{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEndDX4, NH4: a("192.0.2.2")}})},
		{name: "seg6local_end_dx2", dst: "2001:db8:4:4::/64", args: "seg6local action End.DX2 oif v1",
			encap: func(v1 int32) *Encap {
				return &Encap{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEndDX2, OIF: v1, OIFName: "v1"}}
			}},
		{name: "seg6local_end_dt6", dst: "2001:db8:4:5::/64", args: "seg6local action End.DT6 table 254 count",
			encap: fixed(&Encap{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEndDT6, Table: ptr(TableMain), Counters: &Seg6LocalCounters{}}})},
		{name: "seg6local_end_dt4", dst: "2001:db8:4:6::/64", args: "seg6local action End.DT4 vrftable 100",
			encap:    fixed(&Encap{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEndDT4, VRFTable: ptr(Table(100))}}),
			noKernel: true}, // needs a VRF in strict mode
		{name: "seg6local_end_b6", dst: "2001:db8:4:7::/64", args: "seg6local action End.B6 srh segs 2001:db8::a,2001:db8::b hmac 3",
			encap: fixed(&Encap{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEndB6,
				SRH: &SRH{Segments: segs("2001:db8::a", "2001:db8::b", "::"), HMAC: 3}}}),
			noKernel: true}, // the kernel wants an HMAC key 3 set up
		{name: "seg6local_end_b6_encaps", dst: "2001:db8:4:8::/64", args: "seg6local action End.B6.Encaps srh segs 2001:db8::a,2001:db8::b",
			encap: fixed(&Encap{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEndB6Encaps,
				SRH: &SRH{Segments: segs("2001:db8::a", "2001:db8::b")}}})},
		{name: "seg6local_flavors", dst: "2001:db8:4:9::/64", args: "seg6local action End flavors next-csid lblen 32 nflen 16",
			encap: fixed(&Encap{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEnd,
				Flavors: &Seg6LocalFlavors{Ops: Seg6FlavorNextCSID, LocatorBlockBits: p(32), LocatorNodeFuncBits: p(16)}}}),
			noKernel: true}, // next-csid needs Linux 6.3
		{name: "rpl", dst: "2001:db8:5::/64", args: "rpl segs 2001:db8::a,2001:db8::b",
			encap: fixed(&Encap{Type: EncapRPL, RPL: &RPLEncap{Segments: segs("2001:db8::a", "2001:db8::b")}})},
		{name: "ioam6_inline", dst: "2001:db8:6::/64", args: "ioam6 trace prealloc type 0x800000 ns 1 size 12",
			encap: fixed(&Encap{Type: EncapIOAM6, IOAM6: &IOAM6Encap{TraceType: 0x800000, Namespace: 1, TraceSize: 12}}),
			kernel: fixed(&Encap{Type: EncapIOAM6, IOAM6: &IOAM6Encap{FreqK: 1, FreqN: 1, Mode: IOAM6ModeInline,
				TraceType: 0x800000, Namespace: 1, TraceSize: 12}})},
		{name: "ioam6_encap", dst: "2001:db8:6:1::/64", args: "ioam6 freq 2/5 mode encap tundst 2001:db8::9 trace prealloc type 0xc00000 ns 7 size 16",
			encap: fixed(&Encap{Type: EncapIOAM6, IOAM6: &IOAM6Encap{FreqK: 2, FreqN: 5, Mode: IOAM6ModeEncap, TunDst: a("2001:db8::9"),
				TraceType: 0xc00000, Namespace: 7, TraceSize: 16}})},
		{name: "xfrm", dst: "10.7.0.0/16", args: "xfrm if_id 5 link_dev v1",
			encap: func(v1 int32) *Encap {
				return &Encap{Type: EncapXFRM, XFRM: &XFRMEncap{IfID: 5, Link: v1, LinkName: "v1"}}
			},
			noKernel: true}, // Debian's 6.1 kernel answers ENODEV, with or without an xfrm interface
	}
}

// TestEncapKernel checks every case three ways. The request: ip sends the
// same RTA_ENCAP and RTA_ENCAP_TYPE bytes as writer.encap (captured with
// strace; ip sends the request even when the kernel lacks the type). The
// reply: the route ip creates dumps, decoded with decodeEncap, as the case
// says. The JSON: writeJSON of the decoded encapsulation equals what
// `ip -j -d -s route show` prints for it. The kernel parts are skipped
// only when the kernel reports the encapsulation type unsupported.
func TestEncapKernel(t *testing.T) {
	if _, err := exec.LookPath("strace"); err != nil {
		t.Skip("strace is not installed")
	}
	ns := testns.New(t)
	ns.IP(t, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	ns.IP(t, "link", "set", "v0", "up")
	ns.IP(t, "link", "set", "v1", "up")
	ns.IP(t, "addr", "add", "192.0.2.1/24", "dev", "v0")
	c, err := Dial(context.Background(), WithNetNS(ns.FD()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	l, err := c.LinkByName(context.Background(), "v1")
	if err != nil {
		t.Fatal(err)
	}
	v1 := l.Index
	for _, tc := range encapCases() {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.encap(v1)
			var w writer
			if err := w.encap(unix.RTA_ENCAP_TYPE, unix.RTA_ENCAP, want); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"route", "add", tc.dst, "encap"}, strings.Fields(tc.args)...)
			args = append(args, "dev", "v0")
			sent, ipErr := straceRouteRequest(t, ns, args)
			if got, wantReq := w.Bytes(), requestEncapBytes(t, sent); !bytes.Equal(got, wantReq) {
				t.Errorf("ip %s: request encap\n got %x\nwant %x", strings.Join(args, " "), got, wantReq)
			}
			if tc.noKernel {
				return
			}
			if ipErr != "" {
				if strings.Contains(ipErr, "lwt encapsulation type not supported") {
					kfeature.Missing(t, encapFeature(want.Type), errors.New(ipErr))
				}
				t.Fatalf("ip %s: %s", strings.Join(args, " "), ipErr)
			}
			got := dumpRouteEncap(t, c, tc.dst)
			got.fillLinkNames(func(index int32) string {
				if index == v1 {
					return "v1"
				}
				return ""
			})
			if tc.kernel != nil {
				want = tc.kernel(v1)
			}
			if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
				t.Errorf("decoded encap (-want +got):\n%s", diff)
			}
			var jw jsonw.Writer
			jw.Open("")
			got.writeJSON(&jw)
			jw.Close()
			gotJSON := string(jw.Bytes())
			gotJSON = gotJSON[1 : len(gotJSON)-1]
			if ipJSON := ipRouteEncapJSON(t, ns, tc.dst); gotJSON != ipJSON {
				t.Errorf("JSON\n got %s\nwant %s", gotJSON, ipJSON)
			}
		})
	}
}

// straceRouteRequest runs `ip -n NS args…` under strace and returns the
// payload of the RTM_NEWROUTE request it sent, and ip's error output when
// it failed.
func straceRouteRequest(t *testing.T, ns *testns.NS, args []string) ([]byte, string) {
	t.Helper()
	sent, ipErr := ipstrace.Sent(t, ns, args...)
	for _, m := range sent {
		if len(m) >= 16 && native.Endian.Uint16(m[4:]) == unix.RTM_NEWROUTE {
			return m[16:min(int(native.Endian.Uint32(m)), len(m))], ipErr
		}
	}
	t.Fatalf("ip %s sent no RTM_NEWROUTE: %s", strings.Join(args, " "), ipErr)
	return nil, ""
}

// requestEncapBytes returns the bytes of the RTA_ENCAP and RTA_ENCAP_TYPE
// attributes of a route request payload, which ip sends together.
func requestEncapBytes(t *testing.T, req []byte) []byte {
	t.Helper()
	if len(req) < unix.SizeofRtMsg {
		t.Fatalf("route request of %d bytes", len(req))
	}
	body := req[unix.SizeofRtMsg:]
	start, end := -1, -1
	for d := attrs.NewDecoder(body); d.Next(); {
		switch d.Type() {
		case unix.RTA_ENCAP:
			start = d.Offset()
		case unix.RTA_ENCAP_TYPE:
			end = d.Offset() + attrs.Align(attrs.HeaderLen+d.Len())
		}
	}
	if start < 0 || end < start {
		t.Fatalf("no RTA_ENCAP then RTA_ENCAP_TYPE in the request %x", req)
	}
	return zeroPadding(bytes.Clone(body[start:end]))
}

// zeroPadding zeroes the padding after each attribute of b, and of the
// attributes nested in them (those with NLA_F_NESTED), and returns b: ip
// leaves whatever its buffer held there.
func zeroPadding(b []byte) []byte {
	for d := attrs.NewDecoder(b); d.Next(); {
		off := d.Offset() + attrs.HeaderLen
		if d.TypeFlags()&attrs.Nested != 0 {
			zeroPadding(b[off : off+d.Len()])
		}
		clear(b[off+d.Len() : min(len(b), off+attrs.Align(d.Len()))])
	}
	return b
}

// dumpRouteEncap dumps the routes and returns the decoded encapsulation of
// the one to dst.
func dumpRouteEncap(t *testing.T, c *Conn, dst string) *Encap {
	t.Helper()
	prefix := netip.MustParsePrefix(dst)
	req := make([]byte, unix.SizeofRtMsg)
	var found *Encap
	for m, err := range c.nl.Dump(context.Background(), "dump routes", unix.RTM_GETROUTE, 0, req) {
		if err != nil {
			t.Fatal(err)
		}
		if m.Type != unix.RTM_NEWROUTE || len(m.Data) < unix.SizeofRtMsg || int(m.Data[1]) != prefix.Bits() {
			continue
		}
		var typ uint16
		var data []byte
		var to netip.Addr
		for d := attrs.NewDecoder(m.Data[unix.SizeofRtMsg:]); d.Next(); {
			switch d.Type() {
			case unix.RTA_DST:
				to = d.Addr()
			case unix.RTA_ENCAP_TYPE:
				typ = d.Uint16()
			case unix.RTA_ENCAP:
				data = bytes.Clone(d.Bytes())
			}
		}
		if to != prefix.Addr() || data == nil {
			continue
		}
		e, err := decodeEncap(typ, data)
		if err != nil {
			t.Fatalf("decodeEncap(%d, %x): %v", typ, data, err)
		}
		found = e
	}
	if found == nil {
		t.Fatalf("no route to %s with an encapsulation in the dump", dst)
	}
	return found
}

// ipRouteEncapJSON returns the members of ip's JSON object for the route
// to dst that describe its encapsulation: from "encap" to "dev".
func ipRouteEncapJSON(t *testing.T, ns *testns.NS, dst string) string {
	t.Helper()
	out := string(ns.IP(t, "-j", "-d", "-s", "route", "show", "table", "all", dst))
	i := strings.Index(out, `"dst":"`+dst+`","encap":`)
	if i < 0 {
		t.Fatalf("ip route show %s: no encap in %s", dst, out)
	}
	out = out[i+len(`"dst":"`+dst+`",`):]
	j := strings.Index(out, `,"dev":`)
	if j < 0 {
		t.Fatalf("ip route show %s: no dev after the encap in %s", dst, out)
	}
	return out[:j]
}

// TestEncapRoundTrip checks that every case, and a BPF encapsulation, which
// ip cannot send without a BPF object file, decode to what they encode.
func TestEncapRoundTrip(t *testing.T) {
	cases := encapCases()
	cases = append(cases, encapCase{name: "bpf", encap: func(int32) *Encap {
		return &Encap{Type: EncapBPF, BPF: &BPFEncap{In: &BPFProgram{FD: 5, Name: "in.o:[lwt]"},
			Xmit: &BPFProgram{FD: 6, Name: "x"}, Headroom: 14}}
	}}, encapCase{name: "seg6local_bpf", encap: func(int32) *Encap {
		return &Encap{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEndBPF, Endpoint: &BPFProgram{FD: 3, Name: "ep"}}}
	}}, encapCase{name: "ila", encap: func(int32) *Encap {
		return &Encap{Type: EncapILA, Raw: []byte{12, 0, 1, 0, 1, 2, 3, 4, 5, 6, 7, 8}}
	}})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.encap(7)
			want.fillLinkNames(func(int32) string { return "" })
			var w writer
			if err := w.encap(unix.NHA_ENCAP_TYPE, unix.NHA_ENCAP, want); err != nil {
				t.Fatal(err)
			}
			var typ uint16
			var data []byte
			for d := attrs.NewDecoder(w.Bytes()); d.Next(); {
				switch d.Type() {
				case unix.NHA_ENCAP:
					if d.TypeFlags()&attrs.Nested == 0 {
						t.Error("NHA_ENCAP without NLA_F_NESTED")
					}
					data = d.Bytes()
				case unix.NHA_ENCAP_TYPE:
					typ = d.Uint16()
				}
			}
			got, err := decodeEncap(typ, data)
			if err != nil {
				t.Fatal(err)
			}
			if o := want.IOAM6; o != nil && o.Mode == 0 {
				// ip's defaults, which the request carries.
				o.FreqK, o.FreqN, o.Mode = 1, 1, IOAM6ModeInline
			}
			if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
				t.Errorf("decoded (-want +got):\n%s", diff)
			}
		})
	}
}

// TestEncapInvalid checks that writer.encap refuses bad input with an
// *InvalidError and appends nothing.
func TestEncapInvalid(t *testing.T) {
	a := netip.MustParseAddr
	for _, e := range []*Encap{
		{},
		{Type: EncapMPLS},
		{Type: EncapMPLS, MPLS: &MPLSEncap{}},
		{Type: EncapMPLS, MPLS: &MPLSEncap{Labels: []uint32{1 << 20}}},
		{Type: EncapMPLS, MPLS: &MPLSEncap{Labels: []uint32{1}}, IP: &IPEncap{}},
		{Type: EncapIP, IP: &IPEncap{Dst: a("2001:db8::1")}},
		{Type: EncapIP6, IP: &IPEncap{Dst: a("192.0.2.1")}},
		{Type: EncapIP, IP: &IPEncap{Flags: 0x80}},
		{Type: EncapSeg6, Seg6: &Seg6Encap{Mode: 9, SRH: SRH{Segments: []netip.Addr{a("2001:db8::1")}}}},
		{Type: EncapSeg6, Seg6: &Seg6Encap{}},
		{Type: EncapSeg6, Seg6: &Seg6Encap{SRH: SRH{Segments: []netip.Addr{a("192.0.2.1")}}}},
		{Type: EncapSeg6, Seg6: &Seg6Encap{SRH: SRH{Segments: make([]netip.Addr, 128)}}},
		{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{}},
		{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: 17}},
		{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEndX, NH6: a("192.0.2.1")}},
		{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEndDX4, NH4: a("2001:db8::1")}},
		{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEndBPF, Endpoint: &BPFProgram{FD: 3}}},
		{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEnd, Flavors: &Seg6LocalFlavors{Ops: Seg6FlavorPSP, LocatorBlockBits: ptr[uint8](3)}}},
		{Type: EncapSeg6Local, Seg6Local: &Seg6LocalEncap{Action: Seg6LocalEnd, Flavors: &Seg6LocalFlavors{Ops: 1}}},
		{Type: EncapBPF, BPF: &BPFEncap{}},
		{Type: EncapBPF, BPF: &BPFEncap{In: &BPFProgram{FD: 3}}},
		{Type: EncapBPF, BPF: &BPFEncap{In: &BPFProgram{FD: 3, Name: "x"}, Headroom: 257}},
		{Type: EncapIOAM6, IOAM6: &IOAM6Encap{TraceSize: 4}},
		{Type: EncapIOAM6, IOAM6: &IOAM6Encap{TraceType: 1, TraceSize: 5}},
		{Type: EncapIOAM6, IOAM6: &IOAM6Encap{TraceType: 1, TraceSize: 4, FreqK: 3, FreqN: 2}},
		{Type: EncapIOAM6, IOAM6: &IOAM6Encap{TraceType: 1, TraceSize: 4, Mode: IOAM6ModeEncap}},
		{Type: EncapIOAM6, IOAM6: &IOAM6Encap{TraceType: 1, TraceSize: 4, TunDst: a("2001:db8::1")}},
		{Type: EncapRPL, RPL: &RPLEncap{}},
		{Type: EncapXFRM, XFRM: &XFRMEncap{}},
		{Type: EncapILA},
	} {
		var w writer
		err := w.encap(unix.RTA_ENCAP_TYPE, unix.RTA_ENCAP, e)
		var invalid *InvalidError
		if !errors.As(err, &invalid) {
			t.Errorf("encap(%+v) error = %v; want an InvalidError", e, err)
		}
		if len(w.Bytes()) != 0 {
			t.Errorf("encap(%+v) appended %x", e, w.Bytes())
		}
	}
}

// TestDecodeEncapMalformed checks that truncated or malformed payloads give
// an error, not a panic or a partial value.
func TestDecodeEncapMalformed(t *testing.T) {
	for _, tc := range []struct {
		typ  EncapType
		data []byte
	}{
		{EncapMPLS, []byte{7, 0, 1, 0, 1, 2, 3, 0}},
		{EncapIP, []byte{8, 0, 1, 0, 1, 2, 3, 4}},
		{EncapSeg6, []byte{6, 0, 1, 0, 1, 0, 0, 0}},
		{EncapSeg6, []byte{12, 0, 1, 0, 1, 0, 0, 0, 0, 2, 4, 0}},
		{EncapSeg6Local, []byte{8, 0, 2, 0, 0, 0, 0, 0}},
		{EncapSeg6Local, []byte{8, 0, 1, 0, 1, 0, 0, 0, 8, 0, 8, 0x80, 5, 0, 2, 0}},
		{EncapIOAM6, []byte{5, 0, 1, 0, 1, 0, 0, 0, 8, 0, 3, 0, 0, 0, 0, 0, 8, 0, 4, 0, 1, 0, 0, 0, 8, 0, 5, 0, 1, 0, 0, 0}},
		{EncapRPL, []byte{12, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0}},
		{EncapXFRM, []byte{5, 0, 1, 0, 1, 0, 0, 0}},
		{EncapBPF, []byte{8, 0, 1, 0x80, 5, 0, 2, 0}},
	} {
		if e, err := decodeEncap(uint16(tc.typ), tc.data); err == nil {
			t.Errorf("decodeEncap(%s, %x) = %+v, want an error", tc.typ, tc.data, e)
		}
	}
}

// FuzzDecodeEncap decodes arbitrary bytes as every encapsulation type: it
// must never panic, and what decodes and passes validation must encode to
// bytes that decode to the same value.
func FuzzDecodeEncap(f *testing.F) {
	for _, tc := range encapCases() {
		var w writer
		if err := w.encap(unix.RTA_ENCAP_TYPE, unix.RTA_ENCAP, tc.encap(3)); err != nil {
			f.Fatal(err)
		}
		d := attrs.NewDecoder(w.Bytes())
		d.Next()
		f.Add(uint16(tc.encap(3).Type), bytes.Clone(d.Bytes()))
	}
	f.Fuzz(func(t *testing.T, typ uint16, data []byte) {
		e, err := decodeEncap(typ%12, data)
		if err != nil {
			return
		}
		var jw jsonw.Writer
		jw.Open("")
		e.writeJSON(&jw)
		jw.Close()
		var w writer
		if w.encap(unix.RTA_ENCAP_TYPE, unix.RTA_ENCAP, e) != nil || len(e.Raw)%4 != 0 ||
			e.IOAM6 != nil && (e.IOAM6.Mode == 0 || e.IOAM6.FreqK == 0) {
			// What nlkit refuses to send, pads, or takes for ip's
			// defaults.
			return
		}
		d := attrs.NewDecoder(w.Bytes())
		d.Next()
		again, err := decodeEncap(uint16(e.Type), d.Bytes())
		if err != nil {
			t.Fatalf("decoding %+v encoded: %v", e, err)
		}
		if diff := cmp.Diff(e, again, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
			t.Errorf("encoded and decoded again (-first +again):\n%s", diff)
		}
	})
}

// encapFeature is the kernel feature of an encapsulation type: the release
// that brought its lightweight tunnel and the option that builds it.
func encapFeature(typ EncapType) kfeature.Feature {
	f := kfeature.Feature{Name: typ.String() + " lightweight tunnels"}
	switch typ {
	case EncapMPLS:
		f.Since, f.Config = "4.3", []string{"CONFIG_MPLS_IPTUNNEL"}
	case EncapIP, EncapIP6:
		f.Since, f.Config = "4.3", []string{"CONFIG_NET_IP_TUNNEL"}
	case EncapBPF:
		f.Since, f.Config = "4.10", []string{"CONFIG_LWTUNNEL_BPF"}
	case EncapSeg6:
		f.Since, f.Config = "4.10", []string{"CONFIG_IPV6_SEG6_LWTUNNEL"}
	case EncapSeg6Local:
		f.Since, f.Config = "4.14", []string{"CONFIG_IPV6_SEG6_LWTUNNEL"}
	case EncapRPL:
		f.Since, f.Config = "5.7", []string{"CONFIG_IPV6_RPL_LWTUNNEL"}
	case EncapIOAM6:
		f.Since, f.Config = "5.15", []string{"CONFIG_IPV6_IOAM6_LWTUNNEL"}
	case EncapXFRM:
		f.Since, f.Config = "5.17", []string{"CONFIG_XFRM_INTERFACE"}
	}
	return f
}
