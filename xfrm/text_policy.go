package xfrm

import (
	"fmt"
	"strings"

	"github.com/nlkit/nlkit/internal/jsonw"
)

// writeText writes the policy as ip's xfrm_policy_info_print does: the
// selector's line after title, the other lines after prefix and a tab.
func (p *Policy) writeText(b *strings.Builder, prefix, title string, o TextOptions) {
	p.Selector.writeText(b, title, 0, o)
	writeSecCtxText(b, p.SecurityContext)
	in := prefix + "\t"
	b.WriteString(in)
	dir := p.Dir
	if dir >= DirSocket {
		dir -= DirSocket
		b.WriteString("socket ")
	} else {
		b.WriteString("dir ")
	}
	switch dir {
	case DirIn, DirOut, DirFwd:
		b.WriteString(dir.String() + " ")
	default:
		fmt.Fprintf(b, "%d ", dir)
	}
	if p.Action != ActionAllow || o.Stats > 0 {
		fmt.Fprintf(b, "action %s ", p.Action)
	}
	if o.Stats > 0 {
		fmt.Fprintf(b, "index %d ", p.Index)
	}
	fmt.Fprintf(b, "priority %d ptype %s ", p.Priority, p.Type)
	if o.Stats > 0 {
		fmt.Fprintf(b, "share %s ", p.Share)
	}
	if o.Stats > 0 || p.Flags != 0 {
		b.WriteString("flag " + strings.Join(p.Flags.Names(), " "))
	}
	if o.Stats > 0 {
		fmt.Fprintf(b, " (0x%08b)", uint8(p.Flags))
	}
	b.WriteString("\n")
	if o.Stats > 0 {
		writeLifetimeText(b, in, p.Lifetime, p.Current)
	}
	writeMarksText(b, p.Mark, Mark{})
	for _, t := range p.Templates {
		t.writeText(b, in, o)
	}
	if p.IfID != 0 {
		fmt.Fprintf(b, "%sif_id %s\n", in, jsonw.PrintfHex(uint64(p.IfID)))
	}
}

// writeText writes a template as ip's xfrm_tmpl_print does.
func (t *Template) writeText(b *strings.Builder, prefix string, o TextOptions) {
	writeIDText(b, prefix, prefix+"tmpl ", t.Src, t.Dst, t.Family, t.Proto, t.SPI, t.ReqID, t.Mode, false, o)
	if o.Stats > 0 || t.Level != LevelRequired {
		b.WriteString(prefix + "\t")
		if t.Level != LevelRequired || o.Stats > 0 {
			fmt.Fprintf(b, "level %s ", t.Level)
		}
		if o.Stats > 0 {
			fmt.Fprintf(b, "share %s ", t.Share)
		}
		b.WriteString("\n")
	}
	if o.Stats > 0 {
		fmt.Fprintf(b, "%s\tenc-mask %08x auth-mask %08x comp-mask %08x\n", prefix, t.EncAlgos, t.AuthAlgos, t.CompAlgos)
	}
}

// Text returns the counts as `ip xfrm state count` prints them (with
// o.Stats, as `ip -s xfrm state count`).
func (i SADInfo) Text(o TextOptions) string {
	s := fmt.Sprintf("\t SAD count %d", i.Count)
	if o.Stats > 0 {
		s += fmt.Sprintf(" (buckets count %d Max %d)", i.Buckets, i.MaxBuckets)
	}
	return s + "\n"
}

// Text returns the counts as `ip xfrm policy count` prints them (with
// o.Stats, as `ip -s xfrm policy count`; with two, as `ip -s -s xfrm
// policy count`, with the hash table and its thresholds).
func (i SPDInfo) Text(o TextOptions) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\t SPD IN  %d OUT %d FWD %d", i.In, i.Out, i.Fwd)
	if o.Stats > 0 {
		fmt.Fprintf(&b, " (Sock: IN %d OUT %d FWD %d)", i.SocketIn, i.SocketOut, i.SocketFwd)
	}
	b.WriteString("\n")
	if o.Stats > 1 {
		fmt.Fprintf(&b, "\t SPD buckets: count %d Max %d\n", i.Buckets, i.MaxBuckets)
		for _, th := range []struct {
			name string
			t    *HashThresh
		}{{"IPv4", i.IPv4Thresh}, {"IPv6", i.IPv6Thresh}} {
			if th.t != nil {
				fmt.Fprintf(&b, "\t SPD %s thresholds: local %d remote %d\n", th.name, th.t.Local, th.t.Remote)
			}
		}
	}
	return b.String()
}

// Text returns the default policies as `ip xfrm policy getdefault` prints
// them.
func (d DefaultPolicies) Text() string {
	return fmt.Sprintf("Default policies:\n in:  %s\n fwd: %s\n out: %s\n", d.In, d.Fwd, d.Out)
}
