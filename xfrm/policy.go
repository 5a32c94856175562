package xfrm

import (
	"net/netip"

	"github.com/nlkit/nlkit/internal/jsonw"
)

// A Policy is an IPsec security policy, an entry of the SPD, as `ip xfrm
// policy` shows and changes it.
type Policy struct {
	// Selector picks the traffic the policy applies to. Writing, a
	// selector with no prefixes and no Family takes the family of the
	// first template's addresses, or IPv4.
	Selector Selector
	// Dir is the direction: DirIn, DirOut or DirFwd (plus DirSocket for a
	// per-socket policy, read only).
	Dir Dir
	// Action is allow or block.
	Action Action
	// Flags are the policy's flags (localok, icmp).
	Flags PolicyFlags
	// Share is the policy's share value (ip -s shows it).
	Share Share
	// Priority orders the policies; lower values first.
	Priority uint32
	// Index is the policy's index, which the kernel assigns when it is 0;
	// it names the policy as well as Selector and Dir do.
	Index uint32
	// Type is main or sub (ip's ptype).
	Type PolicyType
	// Mark is the mark of the packets the policy applies to.
	Mark Mark
	// IfID is the xfrm interface id (ip's if_id), 0 for none.
	IfID uint32
	// Lifetime holds the policy's limits.
	Lifetime LifetimeConfig
	// Templates are the states the policy requires, in order.
	Templates []Template

	// Current is what the policy has used so far; read only.
	Current LifetimeCurrent
	// SecurityContext is the policy's security context (ip's ctx), ""
	// for none. A kernel without a security module that labels IPsec
	// accepts a context and drops it.
	SecurityContext string
}

// A Template is one state a policy requires (struct xfrm_user_tmpl): ip's
// `tmpl src ADDR dst ADDR proto P spi SPI reqid N mode M level L`.
type Template struct {
	// Src and Dst are the state's end points, zero to take them from the
	// packet (transport mode).
	Src, Dst netip.Addr
	// Family is the template's family; 0 takes it from the addresses, or
	// from the policy's selector.
	Family uint16
	Proto  Proto
	SPI    uint32
	ReqID  uint32
	Mode   Mode
	Share  Share
	// Level says whether the state is required (ip's `level required`,
	// the zero value) or optional (`level use`).
	Level TemplateLevel
	// AuthAlgos, EncAlgos and CompAlgos are bit masks of the algorithms
	// (by SADB id) the template allows; 0 writes as all (0xffffffff), as
	// ip does.
	AuthAlgos, EncAlgos, CompAlgos uint32
}

// A PolicyID names a policy, by its Index when that is not 0, else by
// its Selector, Dir, Type, Mark and IfID, as ip xfrm policy get/delete take
// them.
type PolicyID struct {
	Selector Selector
	Dir      Dir
	Index    uint32
	Type     PolicyType
	Mark     Mark
	IfID     uint32
	// SecurityContext narrows the match to the policy with this context
	// (ip's ctx).
	SecurityContext string
}

// ID returns the policy's PolicyID by selector and direction.
func (p *Policy) ID() PolicyID {
	return PolicyID{Selector: p.Selector, Dir: p.Dir, Type: p.Type, Mark: p.Mark, IfID: p.IfID, SecurityContext: p.SecurityContext}
}

// MarshalJSON writes the policy in the JSON form of nlkit's xfrm (iproute2
// has none; see the package documentation).
func (p Policy) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	p.writeMembers(&w)
	w.Close()
	return w.Bytes(), nil
}

func (p *Policy) writeMembers(w *jsonw.Writer) {
	p.Selector.writeJSON(w)
	if p.SecurityContext != "" {
		w.String("security_context", p.SecurityContext)
	}
	w.String("dir", p.Dir.String())
	if p.Dir >= DirSocket {
		w.Bool("socket", true)
	}
	w.String("action", p.Action.String())
	w.Uint("index", uint64(p.Index))
	w.Uint("priority", uint64(p.Priority))
	w.String("ptype", p.Type.String())
	w.String("share", p.Share.String())
	writeNames(w, "flags", p.Flags.Names())
	p.Lifetime.writeJSON(w)
	p.Current.writeJSON(w)
	if p.Mark != (Mark{}) {
		w.String("mark", jsonw.PrintfHex(uint64(p.Mark.Value)))
		w.String("mark_mask", jsonw.PrintfHex(uint64(p.Mark.Mask)))
	}
	w.OpenArray("tmpl")
	for _, t := range p.Templates {
		t.writeJSON(w)
	}
	w.CloseArray()
	if p.IfID != 0 {
		w.Uint("if_id", uint64(p.IfID))
	}
}

func (t *Template) writeJSON(w *jsonw.Writer) {
	w.Open("")
	w.String("src", addrString(t.Src, t.Family))
	w.String("dst", addrString(t.Dst, t.Family))
	w.String("family", familyName(t.Family))
	w.String("proto", t.Proto.String())
	w.String("spi", jsonw.PrintfHex(uint64(t.SPI)))
	w.Uint("reqid", uint64(t.ReqID))
	w.String("mode", t.Mode.String())
	t.Level.writeJSON(w, "level")
	w.String("share", t.Share.String())
	w.String("ealgos", jsonw.PrintfHex(uint64(t.EncAlgos)))
	w.String("aalgos", jsonw.PrintfHex(uint64(t.AuthAlgos)))
	w.String("calgos", jsonw.PrintfHex(uint64(t.CompAlgos)))
	w.Close()
}
