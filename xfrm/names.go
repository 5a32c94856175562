package xfrm

import (
	"strconv"
	"strings"
)

// A Proto is an IPsec protocol (xfrm_id.proto): ip's proto argument.
type Proto uint8

// Protocols.
const (
	ProtoRoute2 Proto = 43  // IPv6 routing header type 2 (Mobile IPv6)
	ProtoESP    Proto = 50  // encapsulating security payload
	ProtoAH     Proto = 51  // authentication header
	ProtoHAO    Proto = 60  // IPv6 home address option (Mobile IPv6)
	ProtoComp   Proto = 108 // IP payload compression
	ProtoAny    Proto = 255 // any IPsec protocol (ipsec-any)
)

// String names the protocol as ip does: esp, ah, comp, route2, hao,
// ipsec-any, or the number.
func (p Proto) String() string {
	switch p {
	case ProtoESP:
		return "esp"
	case ProtoAH:
		return "ah"
	case ProtoComp:
		return "comp"
	case ProtoRoute2:
		return "route2"
	case ProtoHAO:
		return "hao"
	case ProtoAny:
		return "ipsec-any"
	}
	return itoa(uint64(p))
}

// ParseProto parses a protocol name as ip does (String's names, also
// "ipcomp"), or a number.
func ParseProto(s string) (Proto, error) {
	switch s {
	case "esp":
		return ProtoESP, nil
	case "ah":
		return ProtoAH, nil
	case "comp", "ipcomp":
		return ProtoComp, nil
	case "route2":
		return ProtoRoute2, nil
	case "hao":
		return ProtoHAO, nil
	case "ipsec-any":
		return ProtoAny, nil
	}
	n, err := strconv.ParseUint(s, 0, 8)
	if err != nil {
		return 0, errInvalid("protocol", strconv.Quote(s))
	}
	return Proto(n), nil
}

// A Mode is a state's or template's mode.
type Mode uint8

// Modes.
const (
	ModeTransport Mode = 0
	ModeTunnel    Mode = 1
	ModeRO        Mode = 2 // route optimization (Mobile IPv6)
	ModeInTrigger Mode = 3
	ModeBEET      Mode = 4 // bound end-to-end tunnel
)

// String names the mode as ip does, or gives its number.
func (m Mode) String() string {
	switch m {
	case ModeTransport:
		return "transport"
	case ModeTunnel:
		return "tunnel"
	case ModeRO:
		return "ro"
	case ModeInTrigger:
		return "in_trigger"
	case ModeBEET:
		return "beet"
	}
	return itoa(uint64(m))
}

// ParseMode parses a mode name as ip does, or a number.
func ParseMode(s string) (Mode, error) {
	for m := ModeTransport; m <= ModeBEET; m++ {
		if m.String() == s {
			return m, nil
		}
	}
	n, err := strconv.ParseUint(s, 0, 8)
	if err != nil {
		return 0, errInvalid("mode", strconv.Quote(s))
	}
	return Mode(n), nil
}

// StateFlags are a state's flags (xfrm_usersa_info.flags).
type StateFlags uint8

// State flags.
const (
	StateNoECN      StateFlags = 1
	StateDecapDSCP  StateFlags = 2
	StateNoPMTUDisc StateFlags = 4
	StateWildRecv   StateFlags = 8
	StateICMP       StateFlags = 16
	StateAFUnspec   StateFlags = 32
	StateAlign4     StateFlags = 64
	StateESN        StateFlags = 128
)

// Names lists the flags as ip names them, leftover bits as hex.
func (f StateFlags) Names() []string {
	return flagNames(uint64(f), 8, func(bit uint64) string {
		switch StateFlags(bit) {
		case StateNoECN:
			return "noecn"
		case StateDecapDSCP:
			return "decap-dscp"
		case StateNoPMTUDisc:
			return "nopmtudisc"
		case StateWildRecv:
			return "wildrecv"
		case StateICMP:
			return "icmp"
		case StateAFUnspec:
			return "af-unspec"
		case StateAlign4:
			return "align4"
		case StateESN:
			return "esn"
		}
		return ""
	})
}

// ExtraFlags are a state's extra flags (XFRMA_SA_EXTRA_FLAGS).
type ExtraFlags uint32

// Extra flags.
const (
	ExtraDontEncapDSCP ExtraFlags = 1
	ExtraOSeqMayWrap   ExtraFlags = 2
)

// Names lists the flags as ip names them, leftover bits as hex.
func (f ExtraFlags) Names() []string {
	return flagNames(uint64(f), 32, func(bit uint64) string {
		switch ExtraFlags(bit) {
		case ExtraDontEncapDSCP:
			return "dont-encap-dscp"
		case ExtraOSeqMayWrap:
			return "oseq-may-wrap"
		}
		return ""
	})
}

// PolicyFlags are a policy's flags (xfrm_userpolicy_info.flags).
type PolicyFlags uint8

// Policy flags.
const (
	PolicyLocalOK PolicyFlags = 1
	PolicyICMP    PolicyFlags = 2
)

// Names lists the flags as ip names them, leftover bits as hex.
func (f PolicyFlags) Names() []string {
	return flagNames(uint64(f), 8, func(bit uint64) string {
		switch PolicyFlags(bit) {
		case PolicyLocalOK:
			return "localok"
		case PolicyICMP:
			return "icmp"
		}
		return ""
	})
}

// flagNames names the set bits of v (of width bits) with name; the bits
// name leaves unnamed are given last, together, as hex.
func flagNames(v uint64, width int, name func(uint64) string) []string {
	out := []string{}
	var rest uint64
	for i := range width {
		bit := uint64(1) << i
		if v&bit == 0 {
			continue
		}
		if n := name(bit); n != "" {
			out = append(out, n)
		} else {
			rest |= bit
		}
	}
	if rest != 0 {
		out = append(out, strconv.FormatUint(rest, 16))
	}
	return out
}

// A Dir is a policy's direction.
type Dir uint8

// Directions. A socket policy's direction is one of these plus
// DirSocket.
const (
	DirIn     Dir = 0
	DirOut    Dir = 1
	DirFwd    Dir = 2
	DirSocket Dir = 3 // added to the direction of a per-socket policy
)

// String names the direction as ip does (in, out, fwd), or gives its number.
func (d Dir) String() string {
	switch d % DirSocket {
	case DirIn:
		return "in"
	case DirOut:
		return "out"
	}
	if d < 2*DirSocket {
		return "fwd"
	}
	return itoa(uint64(d))
}

// An Action is what a policy does with the traffic it selects.
type Action uint8

// Actions.
const (
	ActionAllow Action = 0
	ActionBlock Action = 1
)

// String names the action as ip does.
func (a Action) String() string {
	switch a {
	case ActionAllow:
		return "allow"
	case ActionBlock:
		return "block"
	}
	return itoa(uint64(a))
}

// A Share says with whom a policy or template's states are shared.
type Share uint8

// Share values.
const (
	ShareAny     Share = 0
	ShareSession Share = 1
	ShareUser    Share = 2
	ShareUnique  Share = 3
)

// String names the value as ip does.
func (s Share) String() string {
	switch s {
	case ShareAny:
		return "any"
	case ShareSession:
		return "session"
	case ShareUser:
		return "user"
	case ShareUnique:
		return "unique"
	}
	return itoa(uint64(s))
}

// A PolicyType is a policy's type (ip's ptype).
type PolicyType uint8

// Policy types.
const (
	PolicyMain PolicyType = 0
	PolicySub  PolicyType = 1
)

// String names the type as ip does.
func (t PolicyType) String() string {
	switch t {
	case PolicyMain:
		return "main"
	case PolicySub:
		return "sub"
	}
	return itoa(uint64(t))
}

// An SADir is a state's direction (XFRMA_SA_DIR, Linux 6.10 and later).
type SADir uint8

// State directions.
const (
	SADirNone SADir = 0
	SADirIn   SADir = 1
	SADirOut  SADir = 2
)

// String names the direction as ip does.
func (d SADir) String() string {
	switch d {
	case SADirIn:
		return "in"
	case SADirOut:
		return "out"
	}
	return itoa(uint64(d))
}

// An EncapType is a NAT traversal encapsulation's type.
type EncapType uint16

// Encapsulation types.
const (
	EncapESPInUDPNonIKE EncapType = 1
	EncapESPInUDP       EncapType = 2
	EncapESPInTCP       EncapType = 7
)

// String names the type as ip does.
func (t EncapType) String() string {
	switch t {
	case EncapESPInUDPNonIKE:
		return "espinudp-nonike"
	case EncapESPInUDP:
		return "espinudp"
	case EncapESPInTCP:
		return "espintcp"
	}
	return itoa(uint64(t))
}

func itoa(v uint64) string { return strconv.FormatUint(v, 10) }

// hexBytes prints b as "0x" and its bytes in hex.
func hexBytes(b []byte) string {
	var sb strings.Builder
	sb.WriteString("0x")
	for _, c := range b {
		sb.WriteString(strconv.FormatUint(uint64(c)|0x100, 16)[1:])
	}
	return sb.String()
}
