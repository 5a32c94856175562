package rtnl

import (
	"fmt"
	"net/netip"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// IFLA_VTI_* (include/uapi/linux/if_tunnel.h); golang.org/x/sys/unix has
// none of them.
const (
	iflaVtiLink   = 1 // IFLA_VTI_LINK: u32
	iflaVtiIKey   = 2 // IFLA_VTI_IKEY: be32
	iflaVtiOKey   = 3 // IFLA_VTI_OKEY: be32
	iflaVtiLocal  = 4 // IFLA_VTI_LOCAL: in_addr or in6_addr
	iflaVtiRemote = 5 // IFLA_VTI_REMOTE
	iflaVtiFwMark = 6 // IFLA_VTI_FWMARK: u32
)

// Vti is the data of a virtual tunnel interface for IPsec: kinds "vti"
// (IPv4) and "vti6" (IPv6), which share the IFLA_VTI_* attributes. Its
// fields correspond to the options of `ip link add NAME type vti|vti6 …`:
//
//	remote ADDR    Remote
//	local ADDR     Local
//	key KEY        IKey and OKey
//	ikey KEY       IKey
//	okey KEY       OKey
//	dev PHYS_DEV   LinkIndex
//	fwmark MARK    FwMark
//
// The keys are the marks that select the IPsec policies of the tunnel's
// traffic. ip writes a key as a number or as a dotted quad: key 1 is
// 0.0.0.1.
//
// Nil pointer fields and zero addresses are not sent. The kernel rebuilds
// the whole configuration from a change request: to change a tunnel with
// [Conn.SetLink], send back all of its Data as read from the kernel, with
// the changes made.
type Vti struct {
	// Kind is "vti" or "vti6"; empty means "vti".
	Kind string
	// Local and Remote are the tunnel's endpoints: IPv4 addresses for vti,
	// IPv6 for vti6. The zero Addr is not sent.
	Local, Remote netip.Addr
	// IKey is the key (mark) of incoming packets, OKey that of outgoing
	// ones; ip's `key` sets both.
	IKey, OKey *uint32
	// LinkIndex is the index of the device the tunnel's packets go out of
	// (IFLA_VTI_LINK, ip's `dev`); 0 is none.
	LinkIndex *int32
	// LinkName is the name of the LinkIndex device, filled in by Links and
	// the LinkBy functions. It is never sent.
	LinkName string
	// FwMark is the firewall mark of the outer packets.
	FwMark *uint32
}

// LinkKind returns Kind, or "vti" when it is empty.
func (v *Vti) LinkKind() string {
	if v.Kind == "" {
		return "vti"
	}
	return v.Kind
}

func (v *Vti) encode(w *writer) error {
	kind := v.LinkKind()
	if kind != "vti" && kind != "vti6" {
		return errInvalid("vti kind", fmt.Sprintf("%q is not vti or vti6", kind))
	}
	v6 := kind == "vti6"
	if err := tnlCheckAddr(kind, "local", v.Local, v6); err != nil {
		return err
	}
	if err := tnlCheckAddr(kind, "remote", v.Remote, v6); err != nil {
		return err
	}
	// ip's order (vti_parse_opt).
	putBigEndian32(w, iflaVtiIKey, v.IKey)
	putBigEndian32(w, iflaVtiOKey, v.OKey)
	putAddr(w, iflaVtiLocal, v.Local)
	putAddr(w, iflaVtiRemote, v.Remote)
	putUint32(w, iflaVtiFwMark, v.FwMark)
	putInt32(w, iflaVtiLink, v.LinkIndex)
	return nil
}

// vtiValues backs the pointer fields of a decoded Vti.
type vtiValues struct {
	ikey, okey, fwmark uint32
	link               int32
}

func (v *Vti) decode(d attrs.Decoder) error {
	vals := new(vtiValues)
	for d.Next() {
		switch d.Type() {
		case iflaVtiLink:
			v.LinkIndex = int32Field(&d, &vals.link)
		case iflaVtiIKey:
			v.IKey = bigEndian32Field(&d, &vals.ikey)
		case iflaVtiOKey:
			v.OKey = bigEndian32Field(&d, &vals.okey)
		case iflaVtiLocal:
			v.Local = d.Addr()
		case iflaVtiRemote:
			v.Remote = d.Addr()
		case iflaVtiFwMark:
			v.FwMark = uint32Field(&d, &vals.fwmark)
		}
	}
	if err := d.Err(); err != nil {
		return fmt.Errorf("%s: %w", v.LinkKind(), err)
	}
	return nil
}

// resolveRefs fills in LinkName.
func (v *Vti) resolveRefs(name func(int32) string) {
	resolveLinkRef(&v.LinkName, v.LinkIndex, name)
}

// writeJSON writes info_data as iproute2 6.1's vti_print_opt and
// vti6_print_opt do.
func (v *Vti) writeJSON(w *jsonw.Writer) {
	v6 := v.LinkKind() == "vti6"
	w.String("remote", tnlEndpoint(v.Remote, v6))
	w.String("local", tnlEndpoint(v.Local, v6))
	writeJSONLink(w, v.LinkIndex, v.LinkName)
	if v.IKey != nil && *v.IKey != 0 {
		w.String("ikey", tnlKeyString(*v.IKey))
	}
	if v.OKey != nil && *v.OKey != 0 {
		w.String("okey", tnlKeyString(*v.OKey))
	}
	writeJSONNonZeroHex(w, "fwmark", v.FwMark)
}
