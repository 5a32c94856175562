package macsec

import (
	"context"
	"encoding/hex"
	"fmt"
	"iter"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/named"
	"github.com/nlkit/nlkit/internal/beattr"
	"github.com/nlkit/nlkit/internal/jsonw"
	"github.com/nlkit/nlkit/internal/linknames"
	"github.com/nlkit/nlkit/rtnl"
)

// A SecY is the MACsec state of one link: its settings, its transmit SC
// and SAs, and its receive SCs, as one entry of `ip macsec show`.
type SecY struct {
	// LinkIndex and LinkName are the MACsec link.
	LinkIndex int32
	LinkName  string
	// SCI is the transmit SC's identifier, as ip prints it.
	SCI uint64
	// EncodingSA is the transmit SA in use.
	EncodingSA uint8
	// Window is the replay protection window, when the kernel reports it
	// (with replay protection on).
	Window *uint32
	// CipherSuite is the cipher suite.
	CipherSuite rtnl.MacsecCipher
	// ICVLen is the length of the integrity check value.
	ICVLen uint8
	// Protect, Replay, Oper, Encrypt, IncludeSCI, EndStation and SCB are
	// the SecY's switches; Oper says whether it is operational.
	Protect, Replay, Oper, Encrypt, IncludeSCI, EndStation, SCB bool
	// Validate is how received frames are validated.
	Validate rtnl.MacsecValidation
	// Stats are the SecY's counters and TxSCStats its transmit SC's.
	Stats     []Counter
	TxSCStats []Counter
	// TxSAs are the transmit SAs and RxSCs the receive SCs.
	TxSAs []SA
	RxSCs []RxSC
	// Offload is where MACsec runs, from kernels that report it.
	Offload *rtnl.MacsecOffload
}

// An RxSC is a receive secure channel.
type RxSC struct {
	// SCI is the channel's identifier, as ip prints it.
	SCI uint64
	// Active says whether the channel is in use.
	Active bool
	// Stats are the channel's counters.
	Stats []Counter
	// SAs are the channel's receive SAs.
	SAs []SA
}

// An SA is a secure association, of the transmit SC or of a receive SC, as
// the kernel reports it: its key is never reported, only the key's
// identifier.
type SA struct {
	// AN is the association number, 0 to 3.
	AN uint8
	// PN is the next packet number (transmit) or the lowest acceptable
	// one (receive).
	PN uint64
	// SSCI is the short SCI of an XPN cipher suite's SA.
	SSCI *uint32
	// Active says whether the SA is in use.
	Active bool
	// KeyID is the key's identifier.
	KeyID []byte
	// Stats are the SA's counters.
	Stats []Counter
}

// isXPN reports whether the cipher suite uses extended packet numbers.
func isXPN(c rtnl.MacsecCipher) bool {
	return c == rtnl.MacsecGCMAESXPN128 || c == rtnl.MacsecGCMAESXPN256
}

// MarshalJSON encodes the SecY as one element of `ip -j -s macsec show`
// (iproute2 6.1). ip 6.1 prints "sc" and "sa" from the encoding SA (true
// when it is not 0): so does this.
func (s SecY) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.Uint("ifindex", uint64(uint32(s.LinkIndex)))
	name := s.LinkName
	if name == "" {
		name = linknames.Names(nil).Name(s.LinkIndex)
	}
	w.String("ifname", name)
	w.Bool("protect", s.Protect)
	w.String("validate", s.Validate.String())
	w.Bool("sc", s.EncodingSA != 0)
	w.Bool("sa", s.EncodingSA != 0)
	w.Bool("encrypt", s.Encrypt)
	w.Bool("send_sci", s.IncludeSCI)
	w.Bool("end_station", s.EndStation)
	w.Bool("scb", s.SCB)
	w.Bool("replay", s.Replay)
	if s.Window != nil {
		w.Uint("window", uint64(*s.Window))
	}
	w.String("cipher_suite", s.CipherSuite.String())
	w.Uint("icv_length", uint64(s.ICVLen))
	w.String("sci", jsonw.PrintfHex(s.SCI))
	w.Uint("encoding_sa", uint64(s.EncodingSA))
	writeCounters(&w, secyStats, s.Stats)
	writeCounters(&w, txscStats, s.TxSCStats)
	xpn := isXPN(s.CipherSuite)
	writeSAs(&w, s.TxSAs, xpn, txsaStats)
	w.OpenArray("rx_sc")
	for _, sc := range s.RxSCs {
		w.Open("")
		w.String("sci", jsonw.PrintfHex(sc.SCI))
		w.Bool("active", sc.Active)
		writeCounters(&w, rxscStats, sc.Stats)
		writeSAs(&w, sc.SAs, xpn, rxsaStats)
		w.Close()
	}
	w.CloseArray()
	if s.Offload != nil {
		w.String("offload", s.Offload.String())
	}
	w.Close()
	return w.Bytes(), nil
}

// writeSAs writes "sa_list" as ip does: the packet number cut to 32 bits,
// as ip prints it, and the SSCI of XPN suites.
func writeSAs(w *jsonw.Writer, sas []SA, xpn bool, kind statsKind) {
	w.OpenArray("sa_list")
	for _, sa := range sas {
		w.Open("")
		w.Uint("an", uint64(sa.AN))
		w.Uint("pn", uint64(uint32(sa.PN)))
		if xpn {
			var ssci uint32
			if sa.SSCI != nil {
				ssci = *sa.SSCI
			}
			w.String("ssci", jsonw.PrintfHex(uint64(ssci)))
		}
		w.Bool("active", sa.Active)
		w.String("key", hex.EncodeToString(sa.KeyID))
		writeCounters(w, kind, sa.Stats)
		w.Close()
	}
	w.CloseArray()
}

// listRequest is the request that dumps the SecYs.
func listRequest() genl.Request {
	return genl.Request{Op: "macsec: dump", Family: familyName, Command: cmdGetTxSC, Version: version}
}

// List returns the MACsec state of every MACsec link, as `ip macsec show`
// does, with the link names filled in. A kernel without MACsec gives an
// error matching [genl.ErrNotSupported].
func List(ctx context.Context, c *genl.Conn) ([]SecY, error) {
	return named.Collect(ctx, c, listRequest(), decodeSecYMessage, nameLink)
}

// ListSeq streams the MACsec state of the MACsec links as the kernel's
// reply arrives; see [List].
func ListSeq(ctx context.Context, c *genl.Conn) iter.Seq2[SecY, error] {
	return named.Stream(ctx, c, listRequest(), decodeSecYMessage, nameLink)
}

// nameLink fills in the name of the SecY\'s link.
func nameLink(s *SecY, names linknames.Names) {
	s.LinkName = names.Name(s.LinkIndex)
}

// decodeSecYMessage decodes a MACSEC_CMD_GET_TXSC message.
func decodeSecYMessage(m genl.Message) (SecY, bool, error) {
	return genl.DecodeCommand(m, cmdGetTxSC, decodeSecY)
}

// sci decodes a u64 SCI attribute: in network byte order, as ip prints it.
func sci(d *attrs.Decoder) uint64 { return beattr.Uint64(d) }

// decodeSecY decodes a SecY dump message's attributes.
func decodeSecY(b []byte) (SecY, error) {
	var s SecY
	var err error
	hasIndex, hasSecY := false, false
	d := attrs.NewDecoder(b)
	for d.Next() && err == nil {
		switch d.Type() {
		case attrIfIndex:
			s.LinkIndex, hasIndex = d.Int32(), true
		case attrSecY:
			hasSecY = true
			err = decodeSecYAttrs(d.Nested(), &s)
		case attrTxSCStats:
			s.TxSCStats, err = decodeCounters(d.Nested())
		case attrSecYStats:
			s.Stats, err = decodeCounters(d.Nested())
		case attrTxSAList:
			s.TxSAs, err = decodeSAList(d.Nested())
		case attrRxSCList:
			s.RxSCs, err = decodeRxSCList(d.Nested())
		case attrOffload:
			od := d.Nested()
			for od.Next() {
				if od.Type() == offloadAttrType {
					v := rtnl.MacsecOffload(od.Uint8())
					s.Offload = &v
				}
			}
			err = od.Err()
		}
	}
	if err != nil {
		return s, fmt.Errorf("macsec: %w", err)
	}
	if err := d.Err(); err != nil {
		return s, fmt.Errorf("macsec: %w", err)
	}
	if !hasIndex || !hasSecY {
		return s, fmt.Errorf("macsec: a dump message without MACSEC_ATTR_IFINDEX or MACSEC_ATTR_SECY")
	}
	return s, nil
}

// decodeSecYAttrs decodes MACSEC_ATTR_SECY.
func decodeSecYAttrs(d attrs.Decoder, s *SecY) error {
	for d.Next() {
		switch d.Type() {
		case secyAttrSCI:
			s.SCI = sci(&d)
		case secyAttrEncodingSA:
			s.EncodingSA = d.Uint8()
		case secyAttrWindow:
			v := d.Uint32()
			s.Window = &v
		case secyAttrCipherSuite:
			s.CipherSuite = rtnl.MacsecCipher(d.Uint64())
		case secyAttrICVLen:
			s.ICVLen = d.Uint8()
		case secyAttrProtect:
			s.Protect = d.Uint8() != 0
		case secyAttrReplay:
			s.Replay = d.Uint8() != 0
		case secyAttrOper:
			s.Oper = d.Uint8() != 0
		case secyAttrValidate:
			s.Validate = rtnl.MacsecValidation(d.Uint8())
		case secyAttrEncrypt:
			s.Encrypt = d.Uint8() != 0
		case secyAttrIncSCI:
			s.IncludeSCI = d.Uint8() != 0
		case secyAttrES:
			s.EndStation = d.Uint8() != 0
		case secyAttrSCB:
			s.SCB = d.Uint8() != 0
		}
	}
	if err := d.Err(); err != nil {
		return fmt.Errorf("MACSEC_ATTR_SECY: %w", err)
	}
	return nil
}

// decodeRxSCList decodes MACSEC_ATTR_RXSC_LIST.
func decodeRxSCList(d attrs.Decoder) ([]RxSC, error) {
	var scs []RxSC
	for d.Next() {
		var sc RxSC
		var err error
		scd := d.Nested()
		for scd.Next() && err == nil {
			switch scd.Type() {
			case rxscAttrSCI:
				sc.SCI = sci(&scd)
			case rxscAttrActive:
				sc.Active = scd.Uint8() != 0
			case rxscAttrStats:
				sc.Stats, err = decodeCounters(scd.Nested())
			case rxscAttrSAList:
				sc.SAs, err = decodeSAList(scd.Nested())
			}
		}
		if err == nil {
			err = scd.Err()
		}
		if err != nil {
			return scs, fmt.Errorf("MACSEC_ATTR_RXSC_LIST: %w", err)
		}
		scs = append(scs, sc)
	}
	return scs, d.Err()
}

// decodeSAList decodes a list of SAs.
func decodeSAList(d attrs.Decoder) ([]SA, error) {
	var sas []SA
	for d.Next() {
		var sa SA
		var err error
		sad := d.Nested()
		for sad.Next() && err == nil {
			switch sad.Type() {
			case saAttrAN:
				sa.AN = sad.Uint8()
			case saAttrActive:
				sa.Active = sad.Uint8() != 0
			case saAttrPN:
				if sad.Len() == 8 {
					sa.PN = sad.Uint64()
				} else {
					sa.PN = uint64(sad.Uint32())
				}
			case saAttrSSCI:
				if v := beattr.Uint32(&sad); sad.Len() == 4 {
					sa.SSCI = &v
				}
			case saAttrKeyID:
				sa.KeyID = append([]byte{}, sad.Bytes()...)
			case saAttrStats:
				sa.Stats, err = decodeCounters(sad.Nested())
			}
		}
		if err == nil {
			err = sad.Err()
		}
		if err != nil {
			return sas, fmt.Errorf("SA list: %w", err)
		}
		sas = append(sas, sa)
	}
	return sas, d.Err()
}
