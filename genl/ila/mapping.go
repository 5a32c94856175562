package ila

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/named"
	"github.com/nlkit/nlkit/internal/jsonw"
	"github.com/nlkit/nlkit/internal/linknames"
)

// A Locator is a 64-bit ILA locator (or the locator a translation
// matches): the high half of an IPv6 address, in network order.
type Locator [8]byte

// String writes the locator as ip does: four groups of hexadecimal
// digits, "2001:db8:1:2", with no group left out.
func (l Locator) String() string {
	var b strings.Builder
	for i := 0; i < 8; i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(strconv.FormatUint(uint64(l[i])<<8|uint64(l[i+1]), 16))
	}
	return b.String()
}

// ParseLocator reads a locator as ip does: one to four groups of at most
// four hexadecimal digits, separated by colons; missing groups are zero.
func ParseLocator(s string) (Locator, error) {
	var l Locator
	groups := strings.Split(s, ":")
	if len(groups) > 4 {
		return l, genl.Invalid("ila locator", fmt.Sprintf("%q: more than four groups", s))
	}
	for i, g := range groups {
		n, err := strconv.ParseUint(g, 16, 16)
		if err != nil {
			return l, genl.Invalid("ila locator", fmt.Sprintf("%q: group %q is not 1 to 4 hexadecimal digits", s, g))
		}
		l[2*i], l[2*i+1] = byte(n>>8), byte(n)
	}
	return l, nil
}

// A CsumMode is how a translation keeps transport checksums right
// (ILA_CSUM_*).
type CsumMode uint8

// The checksum modes.
const (
	CsumAdjustTransport CsumMode = 0 // adj-transport: fix the transport checksum
	CsumNeutralMap      CsumMode = 1 // neutral-map: a checksum-neutral mapping
	CsumNoAction        CsumMode = 2 // no-action: leave checksums alone
	CsumNeutralMapAuto  CsumMode = 3 // neutral-map-auto
)

// String returns ip's name of the mode, or "unknown".
func (m CsumMode) String() string {
	switch m {
	case CsumAdjustTransport:
		return "adj-transport"
	case CsumNeutralMap:
		return "neutral-map"
	case CsumNoAction:
		return "no-action"
	case CsumNeutralMapAuto:
		return "neutral-map-auto"
	}
	return "unknown"
}

// An IdentType is the type of the identifiers a translation handles
// (ILA_ATYPE_*).
type IdentType uint8

// The identifier types ip knows.
const (
	IdentIID          IdentType = 0
	IdentLUID         IdentType = 1 // luid: locally unique identifiers
	IdentVirtV4       IdentType = 2
	IdentVirtUniV6    IdentType = 3
	IdentVirtMultiV6  IdentType = 4
	IdentNonlocalAddr IdentType = 5
	IdentUseFormat    IdentType = 32 // use-format: the type is in the identifier
)

// String returns ip's name of the type, or "unknown".
func (t IdentType) String() string {
	switch t {
	case IdentIID:
		return "iid"
	case IdentLUID:
		return "luid"
	case IdentVirtV4:
		return "virt-v4"
	case IdentVirtUniV6:
		return "virt-uni-v6"
	case IdentVirtMultiV6:
		return "virt-multi-v6"
	case IdentNonlocalAddr:
		return "nonlocal-addr"
	case IdentUseFormat:
		return "use-format"
	}
	return "unknown"
}

// A Mapping is an ILA translation of the receive path: packets to an
// address whose high half is LocatorMatch get Locator there instead. It is
// what a line of `ip ila list` shows. The optional values are nil when
// unset.
type Mapping struct {
	// LocatorMatch is the locator the translation applies to.
	LocatorMatch Locator
	// Locator is the locator it writes.
	Locator Locator
	// LinkIndex limits the translation to packets received on a link; 0
	// is any link. Nil when the kernel did not send it.
	LinkIndex *int32
	// LinkName is the name of that link, filled in by the lists.
	LinkName string
	// CsumMode is how checksums are kept right.
	CsumMode *CsumMode
	// IdentType is the type of the identifiers.
	IdentType *IdentType
}

// MarshalJSON encodes the mapping as one element of `ip -j ila list`
// (iproute2 6.1): "locator_match", "locator", "interface" ("*" for any
// link), "csum_mode" and "ident_type".
func (m Mapping) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.String("locator_match", m.LocatorMatch.String())
	w.String("locator", m.Locator.String())
	if m.LinkIndex != nil {
		name := m.LinkName
		switch {
		case *m.LinkIndex == 0:
			name = "*"
		case name == "":
			name = linknames.Names(nil).Name(*m.LinkIndex)
		}
		w.String("interface", name)
	}
	if m.CsumMode != nil {
		w.String("csum_mode", m.CsumMode.String())
	}
	if m.IdentType != nil {
		w.String("ident_type", m.IdentType.String())
	}
	w.Close()
	return w.Bytes(), nil
}

// listRequest is the request that dumps the mappings.
func listRequest() genl.Request {
	return genl.Request{Op: "ila: dump", Family: familyName, Command: cmdGet, Version: version}
}

// Mappings returns the translations, as `ip ila list` does, with their
// link names filled in. A kernel without ILA gives an error matching
// [genl.ErrNotSupported].
func Mappings(ctx context.Context, c *genl.Conn) ([]Mapping, error) {
	return named.Collect(ctx, c, listRequest(), decodeMappingMessage, nameLink)
}

// MappingsSeq streams the translations as the kernel's reply arrives; see
// [Mappings].
func MappingsSeq(ctx context.Context, c *genl.Conn) iter.Seq2[Mapping, error] {
	return named.Stream(ctx, c, listRequest(), decodeMappingMessage, nameLink)
}

// nameLink fills in the name of the mapping's link.
func nameLink(m *Mapping, names linknames.Names) {
	if m.LinkIndex != nil && *m.LinkIndex != 0 {
		m.LinkName = names.Name(*m.LinkIndex)
	}
}

// Add adds the translation, as `ip ila add loc_match MATCH loc LOCATOR
// [dev NAME] [csum-mode MODE] [ident-type TYPE]` does; m.LinkName is
// ignored. An existing translation gives an error matching
// [genl.ErrExist].
func Add(ctx context.Context, c *genl.Conn, m Mapping) error {
	return execute(ctx, c, "add", cmdAdd, m, true)
}

// Delete deletes the translation of m.LocatorMatch (and m.LinkIndex when
// set), as `ip ila del loc_match MATCH [dev NAME]` does. The kernel
// answers the deletion of a missing translation with success.
func Delete(ctx context.Context, c *genl.Conn, m Mapping) error {
	return execute(ctx, c, "delete", cmdDel, m, false)
}

// execute checks m and sends the command for it.
func execute(ctx context.Context, c *genl.Conn, verb string, cmd uint8, m Mapping, withLocator bool) error {
	data, err := encodeMapping(m, withLocator)
	if err != nil {
		return err
	}
	return c.Execute(ctx, genl.Request{Op: fmt.Sprintf("ila: %s mapping of %s", verb, m.LocatorMatch), Family: familyName,
		Command: cmd, Version: version, Data: data}, nil)
}

// encodeMapping encodes a mapping's attributes in the order ip sends
// them; the locator only when withLocator.
func encodeMapping(m Mapping, withLocator bool) ([]byte, error) {
	if m.LinkIndex != nil && *m.LinkIndex < 0 {
		return nil, genl.Invalid("ila link index", fmt.Sprint(*m.LinkIndex))
	}
	var enc attrs.Encoder
	enc.Raw(attrLocatorMatch, m.LocatorMatch[:])
	if withLocator {
		enc.Raw(attrLocator, m.Locator[:])
	}
	if m.LinkIndex != nil && *m.LinkIndex != 0 {
		enc.Int32(attrIfIndex, *m.LinkIndex)
	}
	if m.CsumMode != nil {
		enc.Uint8(attrCsumMode, uint8(*m.CsumMode))
	}
	if m.IdentType != nil {
		enc.Uint8(attrIdentType, uint8(*m.IdentType))
	}
	return enc.Bytes(), enc.Err()
}

// decodeMappingMessage decodes an ILA_CMD_GET message.
func decodeMappingMessage(m genl.Message) (Mapping, bool, error) {
	return genl.DecodeCommand(m, cmdGet, decodeMapping)
}

// decodeMapping decodes a mapping's attributes.
func decodeMapping(b []byte) (Mapping, error) {
	var m Mapping
	d := attrs.NewDecoder(b)
	for d.Next() {
		switch d.Type() {
		case attrLocatorMatch, attrLocator:
			v := d.Bytes()
			if len(v) != 8 {
				return m, fmt.Errorf("ila mapping: locator of %d bytes, want 8", len(v))
			}
			if d.Type() == attrLocator {
				copy(m.Locator[:], v)
			} else {
				copy(m.LocatorMatch[:], v)
			}
		case attrIfIndex:
			v := d.Int32()
			m.LinkIndex = &v
		case attrCsumMode:
			v := CsumMode(d.Uint8())
			m.CsumMode = &v
		case attrIdentType:
			v := IdentType(d.Uint8())
			m.IdentType = &v
		}
	}
	if err := d.Err(); err != nil {
		return m, fmt.Errorf("ila mapping: %w", err)
	}
	return m, nil
}
