package rtnl

import (
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// Vrf is the data of a VRF device ("vrf", IFLA_VRF_*): `ip link add NAME
// type vrf table TABLE`. Enslave links to it with SetLink and MasterIndex;
// their port data is a [*VrfPort].
type Vrf struct {
	// Table is the routing table the VRF uses (`table`); required, and not
	// 0. The kernel does not change it once the VRF exists.
	Table uint32

	hasTable bool // the kernel sent IFLA_VRF_TABLE
}

// LinkKind returns "vrf".
func (*Vrf) LinkKind() string { return "vrf" }

func (v *Vrf) encode(w *writer) error {
	if v.Table == 0 {
		return errInvalid("vrf table", "0: a VRF needs a routing table")
	}
	w.Uint32(unix.IFLA_VRF_TABLE, v.Table)
	return nil
}

func (v *Vrf) decode(d attrs.Decoder) error {
	for d.Next() {
		if d.Type() == unix.IFLA_VRF_TABLE {
			v.Table, v.hasTable = d.Uint32(), true
		}
	}
	return d.Err()
}

// writeJSON prints the table when the kernel sent it (or, for a Vrf built
// rather than decoded, when it is set).
func (v *Vrf) writeJSON(w *jsonw.Writer) {
	if v.hasTable || v.Table != 0 {
		w.Uint("table", uint64(v.Table))
	}
}

// VrfPort is the data of a link enslaved to a VRF (info_slave_kind "vrf",
// IFLA_VRF_PORT_*). It is read-only: the kernel has no port settings for
// VRFs.
type VrfPort struct {
	// Table is the routing table of the VRF.
	Table uint32

	hasTable bool // the kernel sent IFLA_VRF_PORT_TABLE
}

// LinkKind returns "vrf", the master's kind.
func (*VrfPort) LinkKind() string { return "vrf" }

func (p *VrfPort) encode(*writer) error {
	return errInvalid("vrf port", "a VRF port has no settings: its table is the VRF's")
}

func (p *VrfPort) decode(d attrs.Decoder) error {
	for d.Next() {
		if d.Type() == unix.IFLA_VRF_PORT_TABLE {
			p.Table, p.hasTable = d.Uint32(), true
		}
	}
	return d.Err()
}

func (p *VrfPort) writeJSON(w *jsonw.Writer) {
	if p.hasTable || p.Table != 0 {
		w.Uint("table", uint64(p.Table))
	}
}
