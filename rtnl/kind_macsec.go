package rtnl

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/beattr"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// Macsec is the data of a MACsec link ("macsec", IFLA_MACSEC_*): `ip link
// add link DEV NAME type macsec [port PORT | sci SCI] [cipher SUITE]
// [icvlen LEN] [encrypt on|off] [send_sci on|off] [end_station on|off]
// [scb on|off] [protect on|off] [replay on|off window WIN] [validate
// MODE] [encodingsa SA] [offload MODE]`. Its secure channels and
// associations are configured over generic netlink (package genl/macsec).
// Nil fields are left to the kernel's defaults.
type Macsec struct {
	// SCI is the secure channel identifier (`sci`), as ip prints it: the
	// MAC address in the high 48 bits and the port in the low 16. The
	// kernel makes one of the link's address and Port when it is nil.
	SCI *uint64
	// Port is the port of the SCI (`port`), when SCI is nil. The kernel
	// does not report it: it is part of the SCI.
	Port *uint16
	// CipherSuite is the cipher suite (`cipher`).
	CipherSuite *MacsecCipher
	// ICVLen is the length of the integrity check value (`icvlen`).
	ICVLen *uint8
	// EncodingSA is the transmit association in use (`encodingsa`).
	EncodingSA *uint8
	// Encrypt, Protect, IncludeSCI (`send_sci`), EndStation
	// (`end_station`), SCB and ReplayProtect (`replay`) are the link's
	// switches.
	Encrypt       *bool
	Protect       *bool
	IncludeSCI    *bool
	EndStation    *bool
	SCB           *bool
	ReplayProtect *bool
	// Window is the replay protection window (`window`), which goes with
	// ReplayProtect; with replay protection off, ip sends 0xffffffff.
	Window *uint32
	// Validation is how received frames are validated (`validate`).
	Validation *MacsecValidation
	// Offload is where MACsec runs (`offload`).
	Offload *MacsecOffload
}

// A MacsecCipher is a MACsec cipher suite identifier (MACSEC_CIPHER_ID_*).
type MacsecCipher uint64

// The cipher suites ip knows.
const (
	MacsecGCMAES128    MacsecCipher = 0x0080C20001000001
	MacsecGCMAES256    MacsecCipher = 0x0080C20001000002
	MacsecGCMAESXPN128 MacsecCipher = 0x0080C20001000003
	MacsecGCMAESXPN256 MacsecCipher = 0x0080C20001000004
	// MacsecDefaultCipher is the identifier older kernels and ip's
	// `cipher default` use for GCM-AES-128.
	MacsecDefaultCipher MacsecCipher = 0x0080020001000001
)

// String returns the name ip prints, such as "GCM-AES-128", or
// "(unknown)".
func (c MacsecCipher) String() string {
	switch c {
	case MacsecGCMAES128, MacsecDefaultCipher:
		return "GCM-AES-128"
	case MacsecGCMAES256:
		return "GCM-AES-256"
	case MacsecGCMAESXPN128:
		return "GCM-AES-XPN-128"
	case MacsecGCMAESXPN256:
		return "GCM-AES-XPN-256"
	}
	return "(unknown)"
}

// A MacsecValidation is how a MACsec link validates received frames
// (MACSEC_VALIDATE_*).
type MacsecValidation uint8

// The validation modes.
const (
	MacsecValidateDisabled MacsecValidation = 0
	MacsecValidateCheck    MacsecValidation = 1
	MacsecValidateStrict   MacsecValidation = 2
)

// String returns the name ip prints: "disabled", "check", "strict", or
// "(unknown)".
func (v MacsecValidation) String() string {
	switch v {
	case MacsecValidateDisabled:
		return "disabled"
	case MacsecValidateCheck:
		return "check"
	case MacsecValidateStrict:
		return "strict"
	}
	return "(unknown)"
}

// A MacsecOffload is where a MACsec link's work is done
// (MACSEC_OFFLOAD_*).
type MacsecOffload uint8

// The offload modes.
const (
	MacsecOffloadOff MacsecOffload = 0
	MacsecOffloadPHY MacsecOffload = 1
	MacsecOffloadMAC MacsecOffload = 2
)

// String returns the name ip prints: "off", "phy", "mac", or "(unknown)".
func (o MacsecOffload) String() string {
	switch o {
	case MacsecOffloadOff:
		return "off"
	case MacsecOffloadPHY:
		return "phy"
	case MacsecOffloadMAC:
		return "mac"
	}
	return "(unknown)"
}

// LinkKind returns "macsec".
func (*Macsec) LinkKind() string { return "macsec" }

func (m *Macsec) encode(w *writer) error {
	switch {
	case m.SCI != nil && m.Port != nil:
		return errInvalid("macsec sci", "give the SCI or its port, not both")
	case m.Port != nil && *m.Port == 0:
		return errInvalid("macsec port", "0")
	case m.Window != nil && m.ReplayProtect == nil:
		return errInvalid("macsec window", "a window goes with ReplayProtect")
	case isTrue(m.IncludeSCI) && (isTrue(m.EndStation) || isTrue(m.SCB)), isTrue(m.EndStation) && isTrue(m.SCB):
		return errInvalid("macsec flags", "send_sci, end_station and scb exclude each other")
	case m.EncodingSA != nil && *m.EncodingSA > 3:
		return errInvalid("macsec encoding SA", fmt.Sprint(*m.EncodingSA))
	}
	if m.SCI != nil {
		beattr.PutUint64(&w.Encoder, unix.IFLA_MACSEC_SCI, *m.SCI)
	}
	putPort(w, unix.IFLA_MACSEC_PORT, m.Port)
	putBool(w, unix.IFLA_MACSEC_ENCRYPT, m.Encrypt)
	putBool(w, unix.IFLA_MACSEC_INC_SCI, m.IncludeSCI)
	putBool(w, unix.IFLA_MACSEC_ES, m.EndStation)
	putBool(w, unix.IFLA_MACSEC_SCB, m.SCB)
	putBool(w, unix.IFLA_MACSEC_PROTECT, m.Protect)
	putUint8(w, unix.IFLA_MACSEC_VALIDATION, m.Validation)
	putUint8(w, unix.IFLA_MACSEC_OFFLOAD, m.Offload)
	putUint64(w, unix.IFLA_MACSEC_CIPHER_SUITE, m.CipherSuite)
	putUint8(w, unix.IFLA_MACSEC_ICV_LEN, m.ICVLen)
	if m.ReplayProtect != nil {
		var window uint32
		if m.Window != nil {
			window = *m.Window
		}
		w.Uint32(unix.IFLA_MACSEC_WINDOW, window)
	}
	putBool(w, unix.IFLA_MACSEC_REPLAY_PROTECT, m.ReplayProtect)
	putUint8(w, unix.IFLA_MACSEC_ENCODING_SA, m.EncodingSA)
	return nil
}

// isTrue reports whether p is set and true.
func isTrue(p *bool) bool { return p != nil && *p }

func (m *Macsec) decode(d attrs.Decoder) error {
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_MACSEC_SCI:
			if v := beattr.Uint64(&d); d.Len() == 8 {
				m.SCI = &v
			}
		case unix.IFLA_MACSEC_PORT:
			m.Port = portField(&d, m.Port)
		case unix.IFLA_MACSEC_CIPHER_SUITE:
			m.CipherSuite = uint64Field(&d, new(MacsecCipher))
		case unix.IFLA_MACSEC_ICV_LEN:
			m.ICVLen = uint8Field(&d, new(uint8))
		case unix.IFLA_MACSEC_ENCODING_SA:
			m.EncodingSA = uint8Field(&d, new(uint8))
		case unix.IFLA_MACSEC_ENCRYPT:
			m.Encrypt = boolField(&d, new(bool))
		case unix.IFLA_MACSEC_PROTECT:
			m.Protect = boolField(&d, new(bool))
		case unix.IFLA_MACSEC_INC_SCI:
			m.IncludeSCI = boolField(&d, new(bool))
		case unix.IFLA_MACSEC_ES:
			m.EndStation = boolField(&d, new(bool))
		case unix.IFLA_MACSEC_SCB:
			m.SCB = boolField(&d, new(bool))
		case unix.IFLA_MACSEC_REPLAY_PROTECT:
			m.ReplayProtect = boolField(&d, new(bool))
		case unix.IFLA_MACSEC_WINDOW:
			m.Window = uint32Field(&d, new(uint32))
		case unix.IFLA_MACSEC_VALIDATION:
			m.Validation = uint8Field(&d, new(MacsecValidation))
		case unix.IFLA_MACSEC_OFFLOAD:
			m.Offload = uint8Field(&d, new(MacsecOffload))
		}
	}
	return d.Err()
}

// writeJSON prints the members of ip's info_data for macsec, in its order:
// "sci", "protect", "cipher_suite", "icv_len", "encoding_sa",
// "validation", "offload", "encrypt", "inc_sci", "es", "scb",
// "replay_protect" and "window".
func (m *Macsec) writeJSON(w *jsonw.Writer) {
	if m.SCI != nil {
		w.String("sci", fmt.Sprintf("%016x", *m.SCI))
	}
	writeJSONBool(w, "protect", m.Protect)
	if m.CipherSuite != nil {
		w.String("cipher_suite", m.CipherSuite.String())
	}
	if m.ICVLen != nil {
		w.Uint("icv_len", uint64(*m.ICVLen))
	}
	if m.EncodingSA != nil {
		w.Uint("encoding_sa", uint64(*m.EncodingSA))
	}
	if m.Validation != nil {
		w.String("validation", m.Validation.String())
	}
	if m.Offload != nil {
		w.String("offload", m.Offload.String())
	}
	writeJSONBool(w, "encrypt", m.Encrypt)
	writeJSONBool(w, "inc_sci", m.IncludeSCI)
	writeJSONBool(w, "es", m.EndStation)
	writeJSONBool(w, "scb", m.SCB)
	writeJSONBool(w, "replay_protect", m.ReplayProtect)
	if m.Window != nil {
		w.Int("window", int64(int32(*m.Window)))
	}
}
