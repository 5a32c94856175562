package rtnl

import (
	"fmt"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// Ipvlan is the data of an ipvlan or ipvtap device: a link sharing the MAC
// address of its lower device (the Link's ParentIndex, ip's `link DEV`).
// Its fields correspond to the options of
// `ip link add NAME link DEV type ipvlan [mode MODE] [bridge|private|vepa]`
// (or `type ipvtap …`).
//
// One type serves both kinds: Tap false is an "ipvlan", Tap true an
// "ipvtap", whose settings are the same. [LinkData.LinkKind] returns the
// kind accordingly, and an Ipvlan read from the kernel has Tap set for an
// ipvtap.
//
// Nil fields are not sent; the kernel's defaults are mode l3 and bridge.
// (ip always sends the flags, bridge when none is given.) The kernel reports
// both; [Conn.SetLink] can change both.
type Ipvlan struct {
	// Tap makes the device an ipvtap (kind "ipvtap"), which also gives
	// user space a character device to send and receive its packets.
	Tap bool
	// Mode is the layer the device works at.
	Mode *IpvlanMode
	// Flags say how devices on the same lower device reach each other:
	// IpvlanBridge, IpvlanPrivate or IpvlanVEPA.
	Flags *IpvlanFlags
}

// IpvlanMode is the mode of an ipvlan device (IPVLAN_MODE_*).
type IpvlanMode uint16

// Ipvlan modes.
const (
	// IpvlanL2 works at layer 2: the lower device's neighbours are the
	// device's (mode l2).
	IpvlanL2 IpvlanMode = 0
	// IpvlanL3 routes at layer 3 in the device's namespace (mode l3).
	IpvlanL3 IpvlanMode = 1
	// IpvlanL3S is IpvlanL3 with netfilter hooks, in the lower device's
	// namespace (mode l3s).
	IpvlanL3S IpvlanMode = 2
)

// String returns the mode as ip names it: "l2", "l3", "l3s", or "unknown".
func (m IpvlanMode) String() string {
	switch m {
	case IpvlanL2:
		return "l2"
	case IpvlanL3:
		return "l3"
	case IpvlanL3S:
		return "l3s"
	}
	return "unknown"
}

// IpvlanFlags are the flags of an ipvlan device (IPVLAN_F_*). ip offers
// them as a choice of three: bridge (no flag), private or vepa.
type IpvlanFlags uint16

// Ipvlan flag settings.
const (
	// IpvlanBridge: devices on the same lower device reach each other
	// directly (bridge), the default.
	IpvlanBridge IpvlanFlags = 0
	// IpvlanPrivate: they do not reach each other (private).
	IpvlanPrivate IpvlanFlags = 1
	// IpvlanVEPA: their traffic goes through the external switch (vepa).
	IpvlanVEPA IpvlanFlags = 2
)

// String returns the setting as ip prints it: "private" when that flag is
// set, else "vepa" when that one is, else "bridge".
func (f IpvlanFlags) String() string {
	switch {
	case f&IpvlanPrivate != 0:
		return "private"
	case f&IpvlanVEPA != 0:
		return "vepa"
	}
	return "bridge"
}

// LinkKind returns "ipvtap" when Tap is set, else "ipvlan".
func (v *Ipvlan) LinkKind() string {
	if v.Tap {
		return "ipvtap"
	}
	return "ipvlan"
}

func (v *Ipvlan) encode(w *writer) error {
	kind := v.LinkKind()
	if v.Mode != nil && *v.Mode > IpvlanL3S {
		return errInvalid(kind+" mode", fmt.Sprintf("%d is not l2 (0), l3 (1) or l3s (2)", *v.Mode))
	}
	if v.Flags != nil {
		switch f := *v.Flags; {
		case f&^(IpvlanPrivate|IpvlanVEPA) != 0:
			return errInvalid(kind+" flags", "unknown flags 0x"+strconv.FormatUint(uint64(f&^(IpvlanPrivate|IpvlanVEPA)), 16))
		case f == IpvlanPrivate|IpvlanVEPA:
			return errInvalid(kind+" flags", "private and vepa exclude each other")
		}
	}
	putUint16(w, unix.IFLA_IPVLAN_MODE, v.Mode)
	putUint16(w, unix.IFLA_IPVLAN_FLAGS, v.Flags)
	return nil
}

// ipvlanValues backs the pointer fields of one decoded Ipvlan.
type ipvlanValues struct {
	mode  IpvlanMode
	flags IpvlanFlags
}

func (v *Ipvlan) decode(d attrs.Decoder) error {
	vals := new(ipvlanValues)
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_IPVLAN_MODE:
			v.Mode = uint16Field(&d, &vals.mode)
		case unix.IFLA_IPVLAN_FLAGS:
			v.Flags = uint16Field(&d, &vals.flags)
		}
	}
	return d.Err()
}

// writeJSON writes info_data as iproute2 6.1's ipvlan_print_opt does.
func (v *Ipvlan) writeJSON(w *jsonw.Writer) {
	if v.Mode != nil {
		w.String("mode", v.Mode.String())
	}
	if v.Flags != nil {
		w.Bool(v.Flags.String(), true)
	}
}
