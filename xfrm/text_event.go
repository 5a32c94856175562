package xfrm

import (
	"fmt"
	"strings"
)

// Text returns the event as iproute2 6.1's `ip xfrm monitor` prints it
// (with o.Stats, as `ip -s xfrm monitor`), line breaks included: states
// and policies as `ip xfrm state show` and `ip xfrm policy show` print
// them, after "Deleted ", "Updated " or "Expired " as ip says, the
// acquires, flushes, reports and mapping changes in ip's words.
func (e Event) Text(o TextOptions) string {
	var b strings.Builder
	switch e.Type {
	case EventDelState, EventDelPolicy:
		b.WriteString("Deleted ")
	case EventUpdState, EventUpdPolicy:
		b.WriteString("Updated ")
	case EventExpire, EventPolicyExpire:
		b.WriteString("Expired ")
	}
	switch {
	case e.State != nil:
		e.State.writeText(&b, o)
	case e.Policy != nil:
		e.Policy.writeText(&b, "", "", o)
	case e.Acquire != nil:
		e.Acquire.writeText(&b, o)
	case e.Report != nil:
		e.Report.writeText(&b, o)
	case e.Mapping != nil:
		e.Mapping.writeText(&b)
	case e.AEvent != nil:
		b.WriteString(e.AEvent.Text())
	case e.Type == EventFlushStates:
		fmt.Fprintf(&b, "Flushed state proto %s\n", e.FlushProto)
	case e.Type == EventFlushPolicy:
		fmt.Fprintf(&b, "Flushed policy ptype %s \n", e.FlushType)
	}
	if e.Type == EventExpire || e.Type == EventPolicyExpire {
		fmt.Fprintf(&b, "\thard %s\n", choose(e.Hard, "1", "0"))
	}
	return b.String()
}

// writeText writes an acquire as ip's xfrm_acquire_print does.
func (a *Acquire) writeText(b *strings.Builder, o TextOptions) {
	fmt.Fprintf(b, "acquire proto %s ", a.Proto)
	if o.Stats > 0 || a.SPI != 0 {
		fmt.Fprintf(b, "spi 0x%08x", a.SPI)
		if o.Stats > 0 {
			fmt.Fprintf(b, "(%d)", a.SPI)
		}
		b.WriteString(" ")
	}
	b.WriteString("\n")
	family := a.Selector.Family
	if family == 0 {
		family = a.Policy.Selector.Family
	}
	a.Selector.writeText(b, "  sel ", family, o)
	a.Policy.writeText(b, "    ", "  policy ", o)
	if o.Stats > 0 {
		fmt.Fprintf(b, "  seq 0x%08d enc-mask %08x auth-mask %08x comp-mask %08x", a.Seq, a.EncAlgos, a.AuthAlgos, a.CompAlgos)
	}
	b.WriteString("\n")
}

// writeText writes a report as ip's xfrm_report_print does.
func (r *Report) writeText(b *strings.Builder, o TextOptions) {
	fmt.Fprintf(b, "report proto %s \n", r.Proto)
	r.Selector.writeText(b, "  sel ", 0, o)
	if r.CareOf.IsValid() {
		fmt.Fprintf(b, "  coa %s\n", r.CareOf)
	}
}

// writeText writes a mapping change as ip's xfrm_mapping_print does.
func (m *Mapping) writeText(b *strings.Builder) {
	family := familyOf(m.Dst)
	fmt.Fprintf(b, "Mapping change %s:%d -> %s:%d\n\t", addrText(m.OldSrc, family), m.OldSport, addrText(m.NewSrc, family), m.NewSport)
	fmt.Fprintf(b, "dst %s  reqid 0x%x protocol %s  SPI 0x%x\n", addrText(m.Dst, family), m.ReqID, protoName(uint8(m.Proto)), m.SPI)
}
