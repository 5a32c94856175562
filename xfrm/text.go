package xfrm

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/jsonw"
)

// TextOptions say what the text forms of [State.Text], [Policy.Text] and
// [Event.Text] hold, as ip's options do.
type TextOptions struct {
	// Stats is how many times ip's -s was given: from one on, the text
	// holds what ip -s adds (SPIs and reqids in both bases, uids, flag
	// bits, the lifetimes, the counters, the templates' levels and masks).
	// From two on, the counts hold the hash tables' sizes.
	Stats int
	// NoKeys hides the algorithms' keys, as ip's nokeys does.
	NoKeys bool
	// Family is the family of a selector that names none (ip's -4 or -6);
	// 0 prints it as IPv4.
	Family uint16
}

// Text returns the state as iproute2 6.1's `ip xfrm state show` prints it
// (with o.Stats, as `ip -s xfrm state show`), line breaks included.
func (s State) Text(o TextOptions) string {
	var b strings.Builder
	s.writeText(&b, o)
	return b.String()
}

// Text returns the policy as iproute2 6.1's `ip xfrm policy show` prints
// it (with o.Stats, as `ip -s xfrm policy show`), line breaks included.
func (p Policy) Text(o TextOptions) string {
	var b strings.Builder
	p.writeText(&b, "", "", o)
	return b.String()
}

func (s *State) writeText(b *strings.Builder, o TextOptions) {
	family := familyOf(s.Dst)
	if family == 0 {
		family = familyOf(s.Src)
	}
	forceSPI := s.Proto == ProtoESP || s.Proto == ProtoAH || s.Proto == ProtoComp
	writeIDText(b, "", "", s.Src, s.Dst, family, s.Proto, s.SPI, s.ReqID, s.Mode, forceSPI, o)
	fmt.Fprintf(b, "\treplay-window %d ", s.ReplayWindow)
	if o.Stats > 0 {
		fmt.Fprintf(b, "seq 0x%08d ", s.Seq)
	}
	if o.Stats > 0 || s.Flags != 0 {
		// ip runs the flag names and "extra_flag" together.
		b.WriteString("flag " + strings.Join(s.Flags.Names(), " "))
	}
	if o.Stats > 0 && s.ExtraFlags != 0 {
		b.WriteString("extra_flag " + strings.Join(s.ExtraFlags.Names(), " "))
	}
	if o.Stats > 0 {
		fmt.Fprintf(b, " (0x%08b)", uint8(s.Flags))
	}
	b.WriteString("\n")
	writeMarksText(b, s.Mark, s.OutputMark)
	if s.AuthTrunc == nil {
		s.Auth.writeText(b, "auth", "", o)
	}
	if s.AuthTrunc != nil {
		s.AuthTrunc.writeText(b, "auth-trunc", fmt.Sprintf(" %d", s.AuthTrunc.TruncLen), o)
	}
	if s.AEAD != nil {
		s.AEAD.writeText(b, "aead", fmt.Sprintf(" %d", s.AEAD.ICVLen), o)
	}
	s.Enc.writeText(b, "enc", "", o)
	s.Comp.writeText(b, "comp", "", o)
	if e := s.Encap; e != nil {
		fmt.Fprintf(b, "\tencap type %s sport %d dport %d addr %s\n", e.Type, e.SrcPort, e.DstPort, addrString(e.OriginalAddr, family))
	}
	if s.CareOf.IsValid() {
		fmt.Fprintf(b, "\tcoa %s\n", s.CareOf)
	}
	if s.LastUsed != 0 {
		fmt.Fprintf(b, "\tlastused %s\n", timeText(s.LastUsed))
	}
	if r := s.Replay; r != nil {
		fmt.Fprintf(b, "\tanti-replay context: seq 0x%x, oseq 0x%x, bitmap 0x%08x\n", r.Seq, r.OSeq, r.Bitmap)
	}
	if r := s.ReplayESN; r != nil {
		r.writeText(b)
	}
	if f := s.Offload; f != nil {
		fmt.Fprintf(b, "\tcrypto offload parameters: dev %s dir %s\n", linkName(f.LinkIndex, f.LinkName), choose(f.Flags&OffloadInbound != 0, "in", "out"))
	}
	if s.IfID != 0 {
		fmt.Fprintf(b, "\tif_id %s\n", jsonw.PrintfHex(uint64(s.IfID)))
	}
	if s.TFCPad != 0 {
		fmt.Fprintf(b, "\ttfcpad %d\n", s.TFCPad)
	}
	if !s.Selector.IsZero() {
		s.Selector.writeText(b, "\tsel ", family, o)
	}
	if o.Stats > 0 {
		writeLifetimeText(b, "\t", s.Lifetime, s.Current)
		fmt.Fprintf(b, "\tstats:\n\t  replay-window %d replay %d failed %d\n", s.Stats.ReplayWindow, s.Stats.Replay, s.Stats.IntegrityFailed)
	}
	writeSecCtxText(b, s.SecurityContext)
}

// writeIDText writes an xfrm id as ip's xfrm_id_info_print does: title,
// the addresses, then, on a line of its own after prefix and a tab, the
// protocol, SPI, reqid and mode.
func writeIDText(b *strings.Builder, prefix, title string, src, dst netip.Addr, family uint16, proto Proto, spi, reqid uint32, mode Mode, forceSPI bool, o TextOptions) {
	fmt.Fprintf(b, "%ssrc %s dst %s\n", title, addrText(src, family), addrText(dst, family))
	fmt.Fprintf(b, "%s\tproto %s ", prefix, proto)
	if o.Stats > 0 || forceSPI || spi != 0 {
		fmt.Fprintf(b, "spi 0x%08x", spi)
		if o.Stats > 0 {
			fmt.Fprintf(b, "(%d)", spi)
		}
		b.WriteString(" ")
	}
	fmt.Fprintf(b, "reqid %d", reqid)
	if o.Stats > 0 {
		fmt.Fprintf(b, "(0x%08x)", reqid)
	}
	fmt.Fprintf(b, " mode %s\n", mode)
}

// addrText prints an address of the family as ip does; ip has no text for
// an address of no family.
func addrText(a netip.Addr, family uint16) string {
	if family != unix.AF_INET && family != unix.AF_INET6 && !a.IsValid() {
		return "???"
	}
	return addrString(a, family)
}

// writeMarksText writes the mark line of a state or policy.
func writeMarksText(b *strings.Builder, mark, output Mark) {
	switch {
	case mark != (Mark{}):
		fmt.Fprintf(b, "\tmark %s/%s ", jsonw.PrintfHex(uint64(mark.Value)), jsonw.PrintfHex(uint64(mark.Mask)))
	case output != (Mark{}):
		b.WriteString("\t")
	default:
		return
	}
	if output != (Mark{}) {
		fmt.Fprintf(b, "output-mark 0x%x/0x%x", output.Value, output.Mask)
	}
	b.WriteString("\n")
}

// writeText writes an algorithm's line: its kind, name and key, then
// extra (the truncation or ICV length).
func (a *Algorithm) writeText(b *strings.Builder, kind, extra string, o TextOptions) {
	if a == nil {
		return
	}
	fmt.Fprintf(b, "\t%s %s ", kind, a.Name)
	switch {
	case o.NoKeys:
		b.WriteString("<<Keys hidden>>")
	case len(a.Key) > 0:
		b.WriteString(hexBytes(a.Key))
		if o.Stats > 0 {
			fmt.Fprintf(b, " (%d bits)", 8*len(a.Key))
		}
	}
	b.WriteString(extra + "\n")
}

// writeText writes the ESN anti-replay context, the bitmap from its last
// word, eight words a line.
func (r *ReplayESN) writeText(b *strings.Builder) {
	b.WriteString("\tanti-replay esn context:\n")
	fmt.Fprintf(b, "\t seq-hi 0x%x, seq 0x%x, oseq-hi 0x%x, oseq 0x%x\n", r.SeqHi, r.Seq, r.OSeqHi, r.OSeq)
	fmt.Fprintf(b, "\t replay_window %d, bitmap-length %d", r.ReplayWindow, len(r.Bitmap))
	for i := len(r.Bitmap) - 1; i >= 0; i-- {
		if (len(r.Bitmap)-1-i)%8 == 0 {
			b.WriteString("\n\t ")
		}
		fmt.Fprintf(b, "%08x ", r.Bitmap[i])
	}
	b.WriteString("\n")
}

// writeText writes the selector's line after prefix, as ip's
// xfrm_selector_print does; family stands in for a selector's missing one.
func (s Selector) writeText(b *strings.Builder, prefix string, family uint16, o TextOptions) {
	f := s.Family
	if f == 0 {
		f = family
	}
	if f == 0 {
		f = o.Family
	}
	fmt.Fprintf(b, "%ssrc %s dst %s ", prefix, prefixString(s.Src, f), prefixString(s.Dst, f))
	if s.Proto != 0 {
		fmt.Fprintf(b, "proto %s ", protoName(s.Proto))
	}
	switch s.Proto {
	case unix.IPPROTO_ICMP, unix.IPPROTO_ICMPV6:
		if s.SrcPortMask != 0 {
			fmt.Fprintf(b, "type %d ", s.SrcPort)
		}
		if s.DstPortMask != 0 {
			fmt.Fprintf(b, "code %d ", s.DstPort)
		}
	case unix.IPPROTO_GRE:
		if s.SrcPortMask != 0 || s.DstPortMask != 0 {
			fmt.Fprintf(b, "key %d ", uint32(s.SrcPort)<<16|uint32(s.DstPort))
		}
	case ipprotoMH:
		if s.SrcPortMask != 0 {
			fmt.Fprintf(b, "type %d ", s.SrcPort)
		}
		if s.DstPortMask != 0 && o.Stats > 0 {
			// ip prints the field as it is in memory, in network order.
			fmt.Fprintf(b, "(dport) 0x%04x ", s.DstPort>>8|s.DstPort<<8)
		}
	default:
		if s.SrcPortMask != 0 {
			fmt.Fprintf(b, "sport %d ", s.SrcPort)
		}
		if s.DstPortMask != 0 {
			fmt.Fprintf(b, "dport %d ", s.DstPort)
		}
	}
	if s.LinkIndex > 0 {
		fmt.Fprintf(b, "dev %s ", linkName(s.LinkIndex, s.LinkName))
	}
	if o.Stats > 0 {
		fmt.Fprintf(b, "uid %d", s.User)
	}
	b.WriteString("\n")
}

// writeLifetimeText writes the lifetime lines of ip -s, each after prefix.
func writeLifetimeText(b *strings.Builder, prefix string, l LifetimeConfig, c LifetimeCurrent) {
	fmt.Fprintf(b, "%slifetime config:\n", prefix)
	fmt.Fprintf(b, "%s  limit: soft %s(bytes), hard %s(bytes)\n", prefix, limitText(l.SoftByteLimit), limitText(l.HardByteLimit))
	fmt.Fprintf(b, "%s  limit: soft %s(packets), hard %s(packets)\n", prefix, limitText(l.SoftPacketLimit), limitText(l.HardPacketLimit))
	fmt.Fprintf(b, "%s  expire add: soft %d(sec), hard %d(sec)\n", prefix, l.SoftAddExpires, l.HardAddExpires)
	fmt.Fprintf(b, "%s  expire use: soft %d(sec), hard %d(sec)\n", prefix, l.SoftUseExpires, l.HardUseExpires)
	fmt.Fprintf(b, "%slifetime current:\n", prefix)
	fmt.Fprintf(b, "%s  %d(bytes), %d(packets)\n", prefix, c.Bytes, c.Packets)
	fmt.Fprintf(b, "%s  add %s use %s\n", prefix, timeText(c.AddTime), timeText(c.UseTime))
}

// limitText prints a lifetime limit: "(INF)" for XFRM_INF.
func limitText(v uint64) string {
	if v == ^uint64(0) {
		return "(INF)"
	}
	return itoa(v)
}

// timeText prints a Unix time as ip does: in local time, "-" for 0.
func timeText(sec uint64) string {
	if sec == 0 {
		return "-"
	}
	return time.Unix(int64(sec), 0).Local().Format("2006-01-02 15:04:05")
}

// writeSecCtxText writes a security context's line, if there is one.
func writeSecCtxText(b *strings.Builder, ctx string) {
	if ctx != "" {
		fmt.Fprintf(b, "\tsecurity context %s \n", strings.TrimRight(ctx, "\x00"))
	}
}
