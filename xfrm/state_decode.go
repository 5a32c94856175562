package xfrm

import (
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/josharian/native"

	"github.com/nlkit/nlkit/attrs"
)

// decodeState decodes the payload of an XFRM_MSG_NEWSA (struct
// xfrm_usersa_info and its attributes).
func decodeState(b []byte) (State, error) {
	if len(b) < sizeUserSAInfo {
		return State{}, errShort("state", len(b), sizeUserSAInfo)
	}
	s := getUserSAInfo(b)
	return s, s.decodeAttrs(b[sizeUserSAInfo:])
}

// getUserSAInfo decodes struct xfrm_usersa_info.
func getUserSAInfo(b []byte) State {
	family := native.Endian.Uint16(b[212:])
	sel := getSelector(b[0:])
	if sel.Family == 0 && !allZero(b[:sizeSelector]) {
		// A selector of no family, as the kernel gives larval states, has
		// the state's: ip prints its addresses so.
		sel.Dst = makePrefix(getAddr(b[0:], family), int(b[42]))
		sel.Src = makePrefix(getAddr(b[16:], family), int(b[43]))
	}
	return State{
		Selector:     sel,
		Dst:          getAddr(b[56:], family),
		SPI:          binary.BigEndian.Uint32(b[72:]),
		Proto:        Proto(b[76]),
		Src:          getAddr(b[80:], family),
		Lifetime:     getLifetimeConfig(b[96:]),
		Current:      getLifetimeCurrent(b[160:]),
		Stats:        getStats(b[192:]),
		Seq:          native.Endian.Uint32(b[204:]),
		ReqID:        native.Endian.Uint32(b[208:]),
		Mode:         Mode(b[214]),
		ReplayWindow: b[215],
		Flags:        StateFlags(b[216]),
	}
}

// decodeAttrs decodes a state's attributes.
func (s *State) decodeAttrs(b []byte) error {
	family := familyOf(s.Dst)
	d := attrs.NewDecoder(b)
	for d.Next() {
		var err error
		v := d.Bytes()
		switch d.Type() {
		case attrAlgCrypt:
			s.Enc, _, err = getAlgorithm(v, false)
		case attrAlgAuth:
			s.Auth, _, err = getAlgorithm(v, false)
		case attrAlgAuthTrunc:
			s.AuthTrunc, _, err = getAlgorithm(v, true)
			if err == nil {
				s.AuthTrunc.TruncLen = native.Endian.Uint32(v[68:])
			}
		case attrAlgAEAD:
			s.AEAD, _, err = getAlgorithm(v, true)
			if err == nil {
				s.AEAD.ICVLen = native.Endian.Uint32(v[68:])
			}
		case attrAlgComp:
			s.Comp, _, err = getAlgorithm(v, false)
		case attrEncap:
			s.Encap, err = getEncap(v, family)
		case attrCoAddr:
			if len(v) < 16 {
				err = errShort("care-of address", len(v), 16)
			} else {
				s.CareOf = getAddr(v, family)
			}
		case attrMark:
			s.Mark, err = getMark(v)
		case attrSetMark:
			s.OutputMark.Value = d.Uint32()
		case attrSetMarkMask:
			s.OutputMark.Mask = d.Uint32()
		case attrIfID:
			s.IfID = d.Uint32()
		case attrTFCPad:
			s.TFCPad = d.Uint32()
		case attrSAExtraFlags:
			s.ExtraFlags = ExtraFlags(d.Uint32())
		case attrSADir:
			s.Dir = SADir(d.Uint8())
		case attrSAPCPU:
			cpu := d.Uint32()
			s.PCPUNum = &cpu
		case attrLastUsed:
			s.LastUsed = d.Uint64()
		case attrReplayVal:
			if len(v) < 12 {
				err = errShort("replay state", len(v), 12)
			} else {
				s.Replay = &Replay{OSeq: native.Endian.Uint32(v), Seq: native.Endian.Uint32(v[4:]), Bitmap: native.Endian.Uint32(v[8:])}
			}
		case attrReplayESNVal:
			s.ReplayESN, err = getReplayESN(v)
		case attrOffloadDev:
			if len(v) < 5 {
				err = errShort("offload", len(v), 5)
			} else {
				s.Offload = &Offload{LinkIndex: int32(native.Endian.Uint32(v)), Flags: v[4]}
			}
		case attrSecCtx:
			s.SecurityContext, err = getSecCtx(v)
		}
		if err != nil {
			return err
		}
	}
	if s.AuthTrunc != nil {
		// The kernel reports an authentication algorithm both ways; the
		// truncated form says all.
		s.Auth = nil
	}
	return d.Err()
}

func getEncap(v []byte, family uint16) (*Encap, error) {
	if len(v) < sizeEncapTmpl {
		return nil, errShort("encapsulation", len(v), sizeEncapTmpl)
	}
	return &Encap{
		Type:         EncapType(native.Endian.Uint16(v)),
		SrcPort:      binary.BigEndian.Uint16(v[2:]),
		DstPort:      binary.BigEndian.Uint16(v[4:]),
		OriginalAddr: getAddr(v[8:], family),
	}, nil
}

func getMark(v []byte) (Mark, error) {
	if len(v) < 8 {
		return Mark{}, errShort("mark", len(v), 8)
	}
	return Mark{Value: native.Endian.Uint32(v), Mask: native.Endian.Uint32(v[4:])}, nil
}

func getReplayESN(v []byte) (*ReplayESN, error) {
	if len(v) < sizeReplayESN {
		return nil, errShort("ESN replay state", len(v), sizeReplayESN)
	}
	u := func(i int) uint32 { return native.Endian.Uint32(v[4*i:]) }
	n := int(u(0))
	if n > (len(v)-sizeReplayESN)/4 {
		return nil, fmt.Errorf("xfrm: ESN replay state: bitmap of %d words, %d bytes received", n, len(v)-sizeReplayESN)
	}
	r := &ReplayESN{OSeq: u(1), Seq: u(2), OSeqHi: u(3), SeqHi: u(4), ReplayWindow: u(5), Bitmap: make([]uint32, n)}
	for i := range n {
		r.Bitmap[i] = u(6 + i)
	}
	return r, nil
}

// getSecCtx decodes struct xfrm_user_sec_ctx and its context string.
func getSecCtx(v []byte) (string, error) {
	if len(v) < 8 {
		return "", errShort("security context", len(v), 8)
	}
	n := int(native.Endian.Uint16(v[6:]))
	if n > len(v)-8 {
		return "", fmt.Errorf("xfrm: security context of %d bytes, %d received", n, len(v)-8)
	}
	return strings.TrimSuffix(string(v[8:8+n]), "\x00"), nil
}

// allZero reports whether every byte of b is zero.
func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
