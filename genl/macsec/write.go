package macsec

import (
	"context"
	"fmt"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/internal/beattr"
	"github.com/nlkit/nlkit/rtnl"
)

// An SAConfig describes a secure association to add or update, as the
// arguments of `ip macsec add|set DEV {tx|rx SCI} sa AN ...` do. Unset
// fields (0, nil) are not sent.
type SAConfig struct {
	// AN is the association number, 0 to 3.
	AN uint8
	// PN is the packet number (`pn`, or `xpn` with XPN); required when
	// adding.
	PN uint64
	// XPN sends PN as a 64-bit extended packet number, with SSCI and Salt,
	// for the XPN cipher suites.
	XPN bool
	// SSCI is the short SCI (`ssci`) and Salt the 12-byte salt (`salt`) of
	// an XPN SA.
	SSCI *uint32
	Salt []byte
	// KeyID (up to 16 bytes) and Key are the SA's key (`key KEYID KEY`);
	// required when adding, refused when updating.
	KeyID []byte
	Key   []byte
	// Active turns the SA on or off (`on`, `off`).
	Active *bool
}

// check refuses an SA ip would refuse, for adding or for updating.
func (sa SAConfig) check(adding bool) error {
	switch {
	case sa.AN > 3:
		return genl.Invalid("macsec association number", fmt.Sprint(sa.AN))
	case adding && len(sa.Key) == 0:
		return genl.Invalid("macsec SA", "an SA is added with a key")
	case adding && sa.PN == 0:
		return genl.Invalid("macsec SA", "an SA is added with a packet number that is not 0")
	case !adding && len(sa.Key) != 0:
		return genl.Invalid("macsec SA", "the key of an SA does not change")
	case !sa.XPN && sa.PN > 0xffffffff:
		return genl.Invalid("macsec packet number", "above 32 bits without XPN")
	case len(sa.KeyID) > keyIDLen:
		return genl.Invalid("macsec key id", fmt.Sprintf("%d bytes, more than %d", len(sa.KeyID), keyIDLen))
	case len(sa.Key) > maxKeyLen:
		return genl.Invalid("macsec key", fmt.Sprintf("%d bytes, more than %d", len(sa.Key), maxKeyLen))
	case sa.Salt != nil && len(sa.Salt) != saltLen:
		return genl.Invalid("macsec salt", fmt.Sprintf("%d bytes, want %d", len(sa.Salt), saltLen))
	case !sa.XPN && (sa.Salt != nil || sa.SSCI != nil):
		return genl.Invalid("macsec SA", "salt and SSCI go with XPN")
	}
	return nil
}

// encode appends MACSEC_ATTR_SA_CONFIG as ip does; a deletion sends only
// the association number.
func (sa SAConfig) encode(enc *attrs.Encoder, deleting bool) {
	n := enc.Nest(attrSAConfig)
	enc.Uint8(saAttrAN, sa.AN)
	if !deleting {
		if sa.XPN {
			if sa.PN != 0 {
				enc.Uint64(saAttrPN, sa.PN)
			}
			if sa.Salt != nil {
				enc.Raw(saAttrSalt, sa.Salt)
			}
			if sa.SSCI != nil {
				beattr.PutUint32(enc, saAttrSSCI, *sa.SSCI)
			}
		} else if sa.PN != 0 {
			enc.Uint32(saAttrPN, uint32(sa.PN))
		}
		if len(sa.Key) > 0 {
			var id [keyIDLen]byte
			copy(id[:], sa.KeyID)
			enc.Raw(saAttrKeyID, id[:])
			enc.Raw(saAttrKey, sa.Key)
		}
		if sa.Active != nil {
			v := uint8(0)
			if *sa.Active {
				v = 1
			}
			enc.Uint8(saAttrActive, v)
		}
	}
	enc.End(n)
}

// encodeRxSC appends MACSEC_ATTR_RXSC_CONFIG as ip does.
func encodeRxSC(enc *attrs.Encoder, sci uint64, active *bool) {
	n := enc.Nest(attrRxSCConfig)
	beattr.PutUint64(enc, rxscAttrSCI, sci)
	if active != nil {
		v := uint8(0)
		if *active {
			v = 1
		}
		enc.Uint8(rxscAttrActive, v)
	}
	enc.End(n)
}

// execute sends a command about the link with the attributes fn appends.
func execute(ctx context.Context, c *genl.Conn, op string, cmd uint8, link int32, fn func(*attrs.Encoder)) error {
	r, err := request(op, cmd, link, fn)
	if err != nil {
		return err
	}
	return c.Execute(ctx, r, nil)
}

// request builds a command about the link with the attributes fn appends,
// as ip builds it.
func request(op string, cmd uint8, link int32, fn func(*attrs.Encoder)) (genl.Request, error) {
	if link <= 0 {
		return genl.Request{}, genl.Invalid("macsec link index", fmt.Sprint(link))
	}
	var enc attrs.Encoder
	enc.Uint32(attrIfIndex, uint32(link))
	fn(&enc)
	return genl.Request{Op: fmt.Sprintf("macsec: %s on link %d", op, link), Family: familyName,
		Command: cmd, Version: version, Data: enc.Bytes()}, enc.Err()
}

// AddTxSA adds a transmit SA to the MACsec link, as `ip macsec add DEV tx
// sa AN pn PN [on|off] key KEYID KEY` does.
func AddTxSA(ctx context.Context, c *genl.Conn, link int32, sa SAConfig) error {
	if err := sa.check(true); err != nil {
		return err
	}
	return execute(ctx, c, fmt.Sprintf("add tx sa %d", sa.AN), cmdAddTxSA, link, func(e *attrs.Encoder) { sa.encode(e, false) })
}

// UpdateTxSA changes the packet number or the state of a transmit SA, as
// `ip macsec set DEV tx sa AN [pn PN] [on|off]` does.
func UpdateTxSA(ctx context.Context, c *genl.Conn, link int32, sa SAConfig) error {
	if err := sa.check(false); err != nil {
		return err
	}
	return execute(ctx, c, fmt.Sprintf("set tx sa %d", sa.AN), cmdUpdTxSA, link, func(e *attrs.Encoder) { sa.encode(e, false) })
}

// DeleteTxSA deletes a transmit SA, as `ip macsec del DEV tx sa AN` does.
func DeleteTxSA(ctx context.Context, c *genl.Conn, link int32, an uint8) error {
	sa := SAConfig{AN: an}
	if err := sa.check(false); err != nil {
		return err
	}
	return execute(ctx, c, fmt.Sprintf("delete tx sa %d", an), cmdDelTxSA, link, func(e *attrs.Encoder) { sa.encode(e, true) })
}

// AddRxSC adds a receive SC, as `ip macsec add DEV rx sci SCI [on|off]`
// does; a nil active leaves the kernel's default (on).
func AddRxSC(ctx context.Context, c *genl.Conn, link int32, sci uint64, active *bool) error {
	return execute(ctx, c, fmt.Sprintf("add rx sc %016x", sci), cmdAddRxSC, link, func(e *attrs.Encoder) { encodeRxSC(e, sci, active) })
}

// UpdateRxSC turns a receive SC on or off, as `ip macsec set DEV rx sci SCI
// [on|off]` does; a nil active changes nothing, but the kernel still checks
// that the SC exists.
func UpdateRxSC(ctx context.Context, c *genl.Conn, link int32, sci uint64, active *bool) error {
	return execute(ctx, c, fmt.Sprintf("set rx sc %016x", sci), cmdUpdRxSC, link, func(e *attrs.Encoder) { encodeRxSC(e, sci, active) })
}

// DeleteRxSC deletes a receive SC, as `ip macsec del DEV rx sci SCI` does.
func DeleteRxSC(ctx context.Context, c *genl.Conn, link int32, sci uint64) error {
	return execute(ctx, c, fmt.Sprintf("delete rx sc %016x", sci), cmdDelRxSC, link, func(e *attrs.Encoder) { encodeRxSC(e, sci, nil) })
}

// AddRxSA adds an SA to a receive SC, as `ip macsec add DEV rx sci SCI sa
// AN pn PN [on|off] key KEYID KEY` does.
func AddRxSA(ctx context.Context, c *genl.Conn, link int32, sci uint64, sa SAConfig) error {
	if err := sa.check(true); err != nil {
		return err
	}
	return execute(ctx, c, fmt.Sprintf("add rx sa %d of sc %016x", sa.AN, sci), cmdAddRxSA, link, func(e *attrs.Encoder) {
		encodeRxSC(e, sci, nil)
		sa.encode(e, false)
	})
}

// UpdateRxSA changes the packet number or the state of a receive SA, as
// `ip macsec set DEV rx sci SCI sa AN [pn PN] [on|off]` does.
func UpdateRxSA(ctx context.Context, c *genl.Conn, link int32, sci uint64, sa SAConfig) error {
	if err := sa.check(false); err != nil {
		return err
	}
	return execute(ctx, c, fmt.Sprintf("set rx sa %d of sc %016x", sa.AN, sci), cmdUpdRxSA, link, func(e *attrs.Encoder) {
		encodeRxSC(e, sci, nil)
		sa.encode(e, false)
	})
}

// DeleteRxSA deletes a receive SA, as `ip macsec del DEV rx sci SCI sa AN`
// does.
func DeleteRxSA(ctx context.Context, c *genl.Conn, link int32, sci uint64, an uint8) error {
	sa := SAConfig{AN: an}
	if err := sa.check(false); err != nil {
		return err
	}
	return execute(ctx, c, fmt.Sprintf("delete rx sa %d of sc %016x", an, sci), cmdDelRxSA, link, func(e *attrs.Encoder) {
		encodeRxSC(e, sci, nil)
		sa.encode(e, true)
	})
}

// SetOffload sets where the link's MACsec runs, as `ip macsec offload DEV
// {off|phy|mac}` does. A device that cannot offload gives an error matching
// [genl.ErrNotSupported].
func SetOffload(ctx context.Context, c *genl.Conn, link int32, mode rtnl.MacsecOffload) error {
	if mode > rtnl.MacsecOffloadMAC {
		return genl.Invalid("macsec offload", fmt.Sprint(uint8(mode)))
	}
	return execute(ctx, c, "offload "+mode.String(), cmdUpdOffload, link, func(e *attrs.Encoder) {
		n := e.Nest(attrOffload)
		e.Uint8(offloadAttrType, uint8(mode))
		e.End(n)
	})
}
