package xfrm

import (
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/jsonw"
)

// A State is an IPsec security association, an entry of the SAD, as `ip
// xfrm state` shows and changes it.
type State struct {
	// Src and Dst are the state's end points; they are of one family.
	Src, Dst netip.Addr
	// Proto is the IPsec protocol; with Dst and SPI it names the state.
	Proto Proto
	// SPI is the security parameter index (host order). For comp it is
	// the compression parameter index; route2 and hao have none.
	SPI uint32
	// ReqID ties the state to policy templates with the same reqid.
	ReqID uint32
	// Mode is the state's mode.
	Mode Mode
	// ReplayWindow is the size of the replay window in packets (at most
	// 255; a larger window needs ReplayESN).
	ReplayWindow uint8
	// Seq is the sequence number of the acquire the state answers.
	Seq uint32
	// Flags are the state's flags.
	Flags StateFlags
	// ExtraFlags are the state's extra flags.
	ExtraFlags ExtraFlags

	// Mark is the mark of the packets the state applies to.
	Mark Mark
	// OutputMark is the mark the state sets on the packets it outputs
	// (ip's output-mark); a zero Mask writes as 0xffffffff.
	OutputMark Mark
	// IfID is the xfrm interface id (ip's if_id), 0 for none.
	IfID uint32

	// Enc, Auth, AuthTrunc, AEAD and Comp are the state's algorithms, nil
	// when absent. The kernel reports a plain Auth back as AuthTrunc with
	// the algorithm's default truncation.
	Enc, Auth, AuthTrunc, AEAD, Comp *Algorithm

	// Encap is the NAT traversal encapsulation, nil for none.
	Encap *Encap
	// CareOf is the care-of address (ip's coa) of route2 and hao states.
	CareOf netip.Addr
	// TFCPad is the traffic flow confidentiality padding length.
	TFCPad uint32
	// Offload is the hardware offload, nil for none.
	Offload *Offload
	// Dir is the state's direction (Linux 6.10 and later), SADirNone for
	// none.
	Dir SADir
	// PCPUNum is the CPU a per-CPU state serves (ip's pcpu-num), nil for
	// a state of every CPU; kernels without per-CPU states neither report
	// nor accept it.
	PCPUNum *uint32

	// Selector picks the traffic the state applies to. Writing, the zero
	// Selector lets the kernel fill in the state's family.
	Selector Selector
	// Lifetime holds the state's limits.
	Lifetime LifetimeConfig
	// SecurityContext is the state's security context (ip's ctx), "" for
	// none. A kernel without a security module that labels IPsec accepts
	// a context and drops it.
	SecurityContext string

	// Replay is the anti-replay state of a state without ESN; read only
	// but for updates.
	Replay *Replay
	// ReplayESN is the anti-replay state with extended sequence numbers
	// (flag esn); writing it sets the replay window up to 2^32 packets.
	ReplayESN *ReplayESN

	// The following are read only.

	// Current is what the state has used so far.
	Current LifetimeCurrent
	// Stats are the state's counters.
	Stats Stats
	// LastUsed is when the state was last used, Unix seconds, 0 for never.
	LastUsed uint64
}

// Encap is a state's NAT traversal encapsulation (struct xfrm_encap_tmpl),
// ip's `encap TYPE SPORT DPORT OADDR`.
type Encap struct {
	Type             EncapType
	SrcPort, DstPort uint16 // host order
	OriginalAddr     netip.Addr
}

// Replay is the anti-replay state without ESN (struct xfrm_replay_state).
type Replay struct {
	OSeq, Seq, Bitmap uint32
}

// ReplayESN is the anti-replay state with extended sequence numbers
// (struct xfrm_replay_state_esn).
type ReplayESN struct {
	OSeq, Seq, OSeqHi, SeqHi uint32
	// ReplayWindow is the window in packets.
	ReplayWindow uint32
	// Bitmap is the replay bitmap, ReplayWindow bits rounded up to words.
	// Writing, nil makes a zero bitmap of the window's size.
	Bitmap []uint32
}

// Offload is a state's hardware offload (struct xfrm_user_offload).
type Offload struct {
	// LinkIndex is the index of the offloading device.
	LinkIndex int32
	// LinkName is the device's name. The lists and gets of a Conn fill it
	// in; writing, a LinkName with a zero LinkIndex is looked up in the
	// Conn's namespace.
	LinkName string
	// Flags: 2 inbound, 4 packet offload (crypto offload without it).
	Flags uint8
}

// Offload flags.
const (
	OffloadInbound = 2
	OffloadPacket  = 4
)

// MarshalJSON writes the state in the JSON form of nlkit's xfrm (iproute2
// has none; see the package documentation): the keys follow the order of
// `ip -s xfrm state show`.
func (s State) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	s.writeJSON(&w)
	return w.Bytes(), nil
}

func (s *State) writeJSON(w *jsonw.Writer) {
	w.Open("")
	s.writeMembers(w)
	w.Close()
}

func (s *State) writeMembers(w *jsonw.Writer) {
	w.String("src", s.Src.String())
	w.String("dst", s.Dst.String())
	w.String("family", familyName(familyOf(s.Dst)))
	w.String("proto", s.Proto.String())
	w.String("spi", jsonw.PrintfHex(uint64(s.SPI)))
	w.Uint("reqid", uint64(s.ReqID))
	w.String("mode", s.Mode.String())
	w.Uint("replay_window", uint64(s.ReplayWindow))
	w.Uint("seq", uint64(s.Seq))
	writeNames(w, "flags", s.Flags.Names())
	if s.ExtraFlags != 0 {
		writeNames(w, "extra_flags", s.ExtraFlags.Names())
	}
	if s.Mark != (Mark{}) {
		w.String("mark", jsonw.PrintfHex(uint64(s.Mark.Value)))
		w.String("mark_mask", jsonw.PrintfHex(uint64(s.Mark.Mask)))
	}
	if s.OutputMark != (Mark{}) {
		w.String("output_mark", jsonw.PrintfHex(uint64(s.OutputMark.Value)))
		w.String("output_mark_mask", jsonw.PrintfHex(uint64(s.OutputMark.Mask)))
	}
	s.Auth.writeJSON(w, "auth")
	s.AuthTrunc.writeJSON(w, "auth_trunc")
	s.AEAD.writeJSON(w, "aead")
	s.Enc.writeJSON(w, "enc")
	s.Comp.writeJSON(w, "comp")
	if e := s.Encap; e != nil {
		w.Open("encap")
		w.String("type", e.Type.String())
		w.Uint("sport", uint64(e.SrcPort))
		w.Uint("dport", uint64(e.DstPort))
		w.String("addr", addrString(e.OriginalAddr, familyOf(s.Dst)))
		w.Close()
	}
	if s.CareOf.IsValid() {
		w.String("coa", s.CareOf.String())
	}
	if s.LastUsed != 0 {
		w.Uint("lastused", s.LastUsed)
	}
	if s.Replay != nil {
		s.Replay.writeJSON(w)
	}
	if s.ReplayESN != nil {
		s.ReplayESN.writeJSON(w)
	}
	if o := s.Offload; o != nil {
		w.Open("offload")
		w.String("dev", linkName(o.LinkIndex, o.LinkName))
		w.String("dir", choose(o.Flags&OffloadInbound != 0, "in", "out"))
		w.String("mode", choose(o.Flags&OffloadPacket != 0, "packet", "crypto"))
		w.Close()
	}
	if s.IfID != 0 {
		w.Uint("if_id", uint64(s.IfID))
	}
	if s.TFCPad != 0 {
		w.Uint("tfcpad", uint64(s.TFCPad))
	}
	if s.Dir != SADirNone {
		w.String("dir", s.Dir.String())
	}
	if s.PCPUNum != nil {
		w.Uint("pcpu_num", uint64(*s.PCPUNum))
	}
	if !s.Selector.IsZero() {
		w.Open("sel")
		s.Selector.writeJSON(w)
		w.Close()
	}
	s.Lifetime.writeJSON(w)
	s.Current.writeJSON(w)
	s.Stats.writeJSON(w)
	if s.SecurityContext != "" {
		w.String("security_context", s.SecurityContext)
	}
}

// choose is yes when c holds, no otherwise.
func choose(c bool, yes, no string) string {
	if c {
		return yes
	}
	return no
}

// writeNames writes names as the array k.
func writeNames(w *jsonw.Writer, k string, names []string) {
	w.OpenArray(k)
	for _, n := range names {
		w.String("", n)
	}
	w.CloseArray()
}

// addrString prints a, or the family's unspecified address for the zero
// Addr.
func addrString(a netip.Addr, family uint16) string {
	if a.IsValid() {
		return a.String()
	}
	if family == unix.AF_INET6 {
		return "::"
	}
	return "0.0.0.0"
}
