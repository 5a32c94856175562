package xfrm_test

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/ipproto"
	"github.com/nlkit/nlkit/xfrm"
)

// The functions here print states and policies as `ip -s xfrm state show`
// and `ip -s xfrm policy show` (iproute2 6.1) do, so that tests can compare
// ip's text with what nlkit read, field by field, byte for byte. Devices
// are named by the names nlkit filled in.

// ipTime prints a Unix time as ip does: local time, "-" for 0.
func ipTime(sec uint64) string {
	if sec == 0 {
		return "-"
	}
	return time.Unix(int64(sec), 0).Local().Format("2006-01-02 15:04:05")
}

// ipLimit prints a lifetime limit: "(INF)" for XFRM_INF.
func ipLimit(v uint64) string {
	if v == ^uint64(0) {
		return "(INF)"
	}
	return fmt.Sprint(v)
}

func ipLifetimes(b *strings.Builder, l xfrm.LifetimeConfig, c xfrm.LifetimeCurrent) {
	fmt.Fprintf(b, "\tlifetime config:\n")
	fmt.Fprintf(b, "\t  limit: soft %s(bytes), hard %s(bytes)\n", ipLimit(l.SoftByteLimit), ipLimit(l.HardByteLimit))
	fmt.Fprintf(b, "\t  limit: soft %s(packets), hard %s(packets)\n", ipLimit(l.SoftPacketLimit), ipLimit(l.HardPacketLimit))
	fmt.Fprintf(b, "\t  expire add: soft %d(sec), hard %d(sec)\n", l.SoftAddExpires, l.HardAddExpires)
	fmt.Fprintf(b, "\t  expire use: soft %d(sec), hard %d(sec)\n", l.SoftUseExpires, l.HardUseExpires)
	fmt.Fprintf(b, "\tlifetime current:\n")
	fmt.Fprintf(b, "\t  %d(bytes), %d(packets)\n", c.Bytes, c.Packets)
	fmt.Fprintf(b, "\t  add %s use %s\n", ipTime(c.AddTime), ipTime(c.UseTime))
}

// ipSelector prints a selector's words: "src P dst P [proto …] … uid N".
func ipSelector(s xfrm.Selector) string {
	var b strings.Builder
	fmt.Fprintf(&b, "src %s dst %s ", ipPrefix(s.Src, s.Family), ipPrefix(s.Dst, s.Family))
	if s.Proto != 0 {
		fmt.Fprintf(&b, "proto %s ", ipProtoName(s.Proto))
	}
	switch s.Proto {
	case unix.IPPROTO_ICMP, unix.IPPROTO_ICMPV6, 135:
		if s.SrcPortMask != 0 {
			fmt.Fprintf(&b, "type %d ", s.SrcPort)
		}
		if s.DstPortMask != 0 {
			fmt.Fprintf(&b, "code %d ", s.DstPort)
		}
	case unix.IPPROTO_GRE:
		if s.SrcPortMask != 0 || s.DstPortMask != 0 {
			fmt.Fprintf(&b, "key %d ", uint32(s.SrcPort)<<16|uint32(s.DstPort))
		}
	default:
		if s.SrcPortMask != 0 {
			fmt.Fprintf(&b, "sport %d ", s.SrcPort)
		}
		if s.DstPortMask != 0 {
			fmt.Fprintf(&b, "dport %d ", s.DstPort)
		}
	}
	if s.LinkIndex != 0 {
		fmt.Fprintf(&b, "dev %s ", s.LinkName)
	}
	fmt.Fprintf(&b, "uid %d", s.User)
	return b.String()
}

func ipPrefix(p netip.Prefix, family uint16) string {
	if p.IsValid() {
		return p.String()
	}
	if family == unix.AF_INET6 {
		return "::/0"
	}
	return "0.0.0.0/0"
}

func ipProtoName(p uint8) string {
	if name, ok := ipproto.Name(p); ok {
		return name
	}
	return fmt.Sprint(p)
}

// ipFlags prints "flag NAMES (0xBBBBBBBB)" as ip -s does: the names, then
// the bits as eight binary digits.
func ipFlags(names []string, v uint8) string {
	if len(names) == 0 {
		return fmt.Sprintf("flag  (0x%08b)", v)
	}
	return fmt.Sprintf("flag %s (0x%08b)", strings.Join(names, " "), v)
}

func ipAddr(a netip.Addr, family uint16) string {
	if a.IsValid() {
		return a.String()
	}
	if family == unix.AF_INET6 {
		return "::"
	}
	return "0.0.0.0"
}

// ipPolicyText prints p as ip -s xfrm policy show does.
func ipPolicyText(p xfrm.Policy) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", ipSelector(p.Selector))
	fmt.Fprintf(&b, "\tdir %s action %s index %d priority %d ptype %s share %s %s\n",
		p.Dir, p.Action, p.Index, p.Priority, p.Type, p.Share, ipFlags(p.Flags.Names(), uint8(p.Flags)))
	ipLifetimes(&b, p.Lifetime, p.Current)
	if p.Mark != (xfrm.Mark{}) {
		fmt.Fprintf(&b, "\tmark %#x/%#x \n", p.Mark.Value, p.Mark.Mask)
	}
	for _, t := range p.Templates {
		fmt.Fprintf(&b, "\ttmpl src %s dst %s\n", ipAddr(t.Src, t.Family), ipAddr(t.Dst, t.Family))
		fmt.Fprintf(&b, "\t\tproto %s spi 0x%08x(%d) reqid %d(0x%08x) mode %s\n", t.Proto, t.SPI, t.SPI, t.ReqID, t.ReqID, t.Mode)
		fmt.Fprintf(&b, "\t\tlevel %s share %s \n", t.Level, t.Share)
		fmt.Fprintf(&b, "\t\tenc-mask %08x auth-mask %08x comp-mask %08x\n", t.EncAlgos, t.AuthAlgos, t.CompAlgos)
	}
	if p.IfID != 0 {
		fmt.Fprintf(&b, "\tif_id %#x\n", p.IfID)
	}
	return b.String()
}

// ipAlgo prints an algorithm line as ip -s does.
func ipAlgo(b *strings.Builder, kind string, a *xfrm.Algorithm, extra string) {
	if a == nil {
		return
	}
	fmt.Fprintf(b, "\t%s %s ", kind, a.Name)
	if len(a.Key) > 0 {
		fmt.Fprintf(b, "0x%x (%d bits)", a.Key, 8*len(a.Key))
	}
	b.WriteString(extra + "\n")
}

// ipStateText prints s as ip -s xfrm state show does.
func ipStateText(s xfrm.State) string {
	var b strings.Builder
	family := uint16(unix.AF_INET)
	if s.Dst.Is6() {
		family = unix.AF_INET6
	}
	fmt.Fprintf(&b, "src %s dst %s\n", s.Src, s.Dst)
	fmt.Fprintf(&b, "\tproto %s spi 0x%08x(%d) reqid %d(0x%08x) mode %s\n", s.Proto, s.SPI, s.SPI, s.ReqID, s.ReqID, s.Mode)
	// ip runs the flag names and "extra_flag" together.
	fmt.Fprintf(&b, "\treplay-window %d seq 0x%08d flag %s", s.ReplayWindow, s.Seq, strings.Join(s.Flags.Names(), " "))
	if s.ExtraFlags != 0 {
		fmt.Fprintf(&b, "extra_flag %s", strings.Join(s.ExtraFlags.Names(), " "))
	}
	fmt.Fprintf(&b, " (0x%08b)\n", uint8(s.Flags))
	switch {
	case s.Mark != (xfrm.Mark{}) && s.OutputMark != (xfrm.Mark{}):
		fmt.Fprintf(&b, "\tmark %#x/%#x output-mark 0x%x/0x%x\n", s.Mark.Value, s.Mark.Mask, s.OutputMark.Value, s.OutputMark.Mask)
	case s.Mark != (xfrm.Mark{}):
		fmt.Fprintf(&b, "\tmark %#x/%#x \n", s.Mark.Value, s.Mark.Mask)
	case s.OutputMark != (xfrm.Mark{}):
		fmt.Fprintf(&b, "\toutput-mark 0x%x/0x%x\n", s.OutputMark.Value, s.OutputMark.Mask)
	}
	ipAlgo(&b, "auth", s.Auth, "")
	if s.AuthTrunc != nil {
		ipAlgo(&b, "auth-trunc", s.AuthTrunc, fmt.Sprintf(" %d", s.AuthTrunc.TruncLen))
	}
	if s.AEAD != nil {
		ipAlgo(&b, "aead", s.AEAD, fmt.Sprintf(" %d", s.AEAD.ICVLen))
	}
	ipAlgo(&b, "enc", s.Enc, "")
	ipAlgo(&b, "comp", s.Comp, "")
	if e := s.Encap; e != nil {
		fmt.Fprintf(&b, "\tencap type %s sport %d dport %d addr %s\n", e.Type, e.SrcPort, e.DstPort, ipAddr(e.OriginalAddr, family))
	}
	if s.CareOf.IsValid() {
		fmt.Fprintf(&b, "\tcoa %s\n", s.CareOf)
	}
	if s.LastUsed != 0 {
		fmt.Fprintf(&b, "\tlastused %s\n", ipTime(s.LastUsed))
	}
	if r := s.Replay; r != nil {
		fmt.Fprintf(&b, "\tanti-replay context: seq 0x%x, oseq 0x%x, bitmap 0x%08x\n", r.Seq, r.OSeq, r.Bitmap)
	}
	if r := s.ReplayESN; r != nil {
		fmt.Fprintf(&b, "\tanti-replay esn context:\n")
		fmt.Fprintf(&b, "\t seq-hi 0x%x, seq 0x%x, oseq-hi 0x%0x, oseq 0x%0x\n", r.SeqHi, r.Seq, r.OSeqHi, r.OSeq)
		fmt.Fprintf(&b, "\t replay_window %d, bitmap-length %d", r.ReplayWindow, len(r.Bitmap))
		for i, j := len(r.Bitmap), 0; i > 0; i-- {
			if j%8 == 0 {
				b.WriteString("\n\t ")
			}
			j++
			fmt.Fprintf(&b, "%08x ", r.Bitmap[i-1])
		}
		b.WriteString("\n")
	}
	if o := s.Offload; o != nil {
		dir := "out"
		if o.Flags&xfrm.OffloadInbound != 0 {
			dir = "in"
		}
		fmt.Fprintf(&b, "\tcrypto offload parameters: dev %s dir %s\n", o.LinkName, dir)
	}
	if s.IfID != 0 {
		fmt.Fprintf(&b, "\tif_id %#x\n", s.IfID)
	}
	if s.TFCPad != 0 {
		fmt.Fprintf(&b, "\ttfcpad %d\n", s.TFCPad)
	}
	if !s.Selector.IsZero() {
		sel := s.Selector
		if sel.Family == 0 {
			sel.Family = family
		}
		fmt.Fprintf(&b, "\tsel %s\n", ipSelector(sel))
	}
	ipLifetimes(&b, s.Lifetime, s.Current)
	fmt.Fprintf(&b, "\tstats:\n\t  replay-window %d replay %d failed %d\n", s.Stats.ReplayWindow, s.Stats.Replay, s.Stats.IntegrityFailed)
	return b.String()
}
