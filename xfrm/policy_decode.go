package xfrm

import (
	"encoding/binary"
	"net/netip"

	"github.com/josharian/native"

	"github.com/nlkit/nlkit/attrs"
)

// decodePolicy decodes the payload of an XFRM_MSG_NEWPOLICY (struct
// xfrm_userpolicy_info and its attributes).
func decodePolicy(b []byte) (Policy, error) {
	if len(b) < sizePolicyInfo {
		return Policy{}, errShort("policy", len(b), sizePolicyInfo)
	}
	p := getPolicyInfo(b)
	return p, p.decodeAttrs(b[sizePolicyInfo:])
}

// getPolicyInfo decodes struct xfrm_userpolicy_info.
func getPolicyInfo(b []byte) Policy {
	return Policy{
		Selector: getSelector(b),
		Lifetime: getLifetimeConfig(b[56:]),
		Current:  getLifetimeCurrent(b[120:]),
		Priority: native.Endian.Uint32(b[152:]),
		Index:    native.Endian.Uint32(b[156:]),
		Dir:      Dir(b[160]),
		Action:   Action(b[161]),
		Flags:    PolicyFlags(b[162]),
		Share:    Share(b[163]),
	}
}

func (p *Policy) decodeAttrs(b []byte) error {
	d := attrs.NewDecoder(b)
	for d.Next() {
		var err error
		v := d.Bytes()
		switch d.Type() {
		case attrTmpl:
			if len(v)%sizeUserTmpl != 0 {
				return errShort("templates", len(v)%sizeUserTmpl, sizeUserTmpl)
			}
			for ; len(v) > 0; v = v[sizeUserTmpl:] {
				p.Templates = append(p.Templates, getTemplate(v))
			}
		case attrPolicyType:
			if len(v) < 1 {
				return errShort("policy type", 0, 1)
			}
			p.Type = PolicyType(v[0])
		case attrMark:
			p.Mark, err = getMark(v)
		case attrIfID:
			p.IfID = d.Uint32()
		case attrSecCtx:
			p.SecurityContext, err = getSecCtx(v)
		}
		if err != nil {
			return err
		}
	}
	return d.Err()
}

// getTemplate decodes struct xfrm_user_tmpl.
func getTemplate(b []byte) Template {
	family := native.Endian.Uint16(b[24:])
	return Template{
		Dst:       specifiedOnly(getAddr(b[0:], family)),
		SPI:       binary.BigEndian.Uint32(b[16:]),
		Proto:     Proto(b[20]),
		Family:    family,
		Src:       specifiedOnly(getAddr(b[28:], family)),
		ReqID:     native.Endian.Uint32(b[44:]),
		Mode:      Mode(b[48]),
		Share:     Share(b[49]),
		Level:     TemplateLevel(b[50]),
		AuthAlgos: native.Endian.Uint32(b[52:]),
		EncAlgos:  native.Endian.Uint32(b[56:]),
		CompAlgos: native.Endian.Uint32(b[60:]),
	}
}

// specifiedOnly is a, or the zero Addr for an unspecified address: a
// template's "take it from the packet".
func specifiedOnly(a netip.Addr) netip.Addr {
	if a.IsUnspecified() {
		return netip.Addr{}
	}
	return a
}
