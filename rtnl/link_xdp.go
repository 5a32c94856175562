package rtnl

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// XDPMode is the mode of an XDP program attachment (XDP_FLAGS_*_MODE), as
// ip's `xdp`, `xdpgeneric`, `xdpdrv` and `xdpoffload` choose it.
type XDPMode uint32

// XDP attachment modes.
const (
	XDPModeAny     XDPMode = 0                       // xdp: the driver's mode if it has one, else generic
	XDPModeGeneric XDPMode = unix.XDP_FLAGS_SKB_MODE // xdpgeneric
	XDPModeDriver  XDPMode = unix.XDP_FLAGS_DRV_MODE // xdpdrv
	XDPModeOffload XDPMode = unix.XDP_FLAGS_HW_MODE  // xdpoffload
)

// encodeXDPDetach appends IFLA_XDP removing the program attached in mode
// (`ip link set DEV xdp off`): file descriptor -1, and the mode's flag
// unless it is XDPModeAny. Like ip without -force, it asks the kernel to
// change nothing if another program is attached in the meantime.
func encodeXDPDetach(w *writer, mode XDPMode) {
	n := w.Nest(unix.IFLA_XDP)
	w.Int32(unix.IFLA_XDP_FD, -1)
	w.Uint32(unix.IFLA_XDP_FLAGS, unix.XDP_FLAGS_UPDATE_IF_NOEXIST|uint32(mode))
	w.End(n)
}

// String returns the ip keyword of the mode: "xdp", "xdpgeneric", "xdpdrv"
// or "xdpoffload".
func (m XDPMode) String() string {
	switch m {
	case XDPModeAny:
		return "xdp"
	case XDPModeGeneric:
		return "xdpgeneric"
	case XDPModeDriver:
		return "xdpdrv"
	case XDPModeOffload:
		return "xdpoffload"
	}
	return fmt.Sprintf("xdp mode %#x", uint32(m))
}
