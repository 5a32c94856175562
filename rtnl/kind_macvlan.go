package rtnl

import (
	"fmt"
	"net"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// Macvlan flags (MACVLAN_FLAG_*, include/uapi/linux/if_link.h).
const (
	macvlanFlagNoPromisc = 1
	macvlanFlagNoDst     = 2
)

// Macvlan is the data of a macvlan or macvtap device: a link with its own
// MAC address on top of a lower device (the Link's ParentIndex, ip's
// `link DEV`). Its fields correspond to the options of
// `ip link add NAME link DEV type macvlan …` (or `type macvtap …`):
//
//	mode MODE                        Mode
//	nopromisc, flag nopromisc        NoPromisc
//	nodst, flag nodst                NoDst
//	bcqueuelen N                     BcQueueLen
//	macaddr add|del|set|flush MAC…   MACAddrMode and MACAddrs
//
// One type serves both kinds: Tap false is a "macvlan", Tap true a
// "macvtap", whose settings are the same. [LinkData.LinkKind] returns the
// kind accordingly, and a Macvlan read from the kernel has Tap set for a
// macvtap.
//
// Nil pointer fields are not sent. The kernel reports Mode, the flags,
// BcQueueLen, BcQueueLenUsed and MACAddrCount of every device, and MACAddrs
// when it is in source mode and has addresses.
//
// The source addresses of a device in source mode are changed with
// [Conn.SetLink] (or given at creation) by setting MACAddrMode:
//
//	MACAddrAdd    MACAddrs holds one address to add (macaddr add MAC)
//	MACAddrDel    MACAddrs holds one address to remove (macaddr del MAC)
//	MACAddrSet    MACAddrs replaces the list (macaddr set MAC…), which an
//	              empty MACAddrs empties
//	MACAddrFlush  empties the list (macaddr flush); MACAddrs must be empty
//
// MACAddrs without MACAddrMode is refused (a Macvlan read back holds the
// current list in MACAddrs: set MACAddrMode to MACAddrSet to send it again).
type Macvlan struct {
	// Tap makes the device a macvtap (kind "macvtap"), which also gives
	// user space a character device to send and receive its packets.
	Tap bool
	// Mode is how the device shares the lower device with its siblings.
	// The kernel's default is MacvlanVEPA.
	Mode *MacvlanMode
	// NoPromisc keeps a passthru device from putting the lower device in
	// promiscuous mode (ip's nopromisc, valid in passthru mode only).
	// NoDst skips the destination lookup of a source-mode device (nodst).
	// The two are one attribute: setting either sends both, a nil one as
	// false, so changing one with SetLink clears the other unless it is
	// given too — as with `ip link set … type macvlan nodst`.
	NoPromisc, NoDst *bool
	// BcQueueLen is the length of the queue for broadcast and multicast
	// packets the device asks for (bcqueuelen).
	BcQueueLen *uint32
	// BcQueueLenUsed is the length in use: the largest any device on the
	// lower device asked for. It is read-only and never sent.
	BcQueueLenUsed *uint32
	// BcCutoff is the number of devices on the lower device from which
	// multicast is delivered from a queue rather than directly
	// (IFLA_MACVLAN_BC_CUTOFF, Linux 6.4 and later; iproute2 6.1 neither
	// sets nor prints it). The kernel reports it when it is not 1.
	BcCutoff *int32
	// MACAddrMode says what to do with MACAddrs when the device is
	// created or changed; see the type's documentation. It is never read
	// back.
	MACAddrMode *MacvlanMACAddrMode
	// MACAddrs are the source addresses of a source-mode device: read back,
	// the current list (newest first); sent, the operands of MACAddrMode.
	// Each is 6 bytes.
	MACAddrs []net.HardwareAddr
	// MACAddrCount is the number of source addresses. It is read-only
	// and never sent.
	MACAddrCount *uint32
}

// MacvlanMode is the mode of a macvlan or macvtap device
// (MACVLAN_MODE_*).
type MacvlanMode uint32

// Macvlan modes.
const (
	// MacvlanPrivate: no traffic between devices on the same lower device
	// (mode private).
	MacvlanPrivate MacvlanMode = 1
	// MacvlanVEPA: traffic between devices goes through the external
	// switch (mode vepa).
	MacvlanVEPA MacvlanMode = 2
	// MacvlanBridge: devices on the same lower device reach each other
	// directly (mode bridge).
	MacvlanBridge MacvlanMode = 4
	// MacvlanPassthru: the single device takes over the lower device
	// (mode passthru). It cannot be set or left with SetLink.
	MacvlanPassthru MacvlanMode = 8
	// MacvlanSource: the device receives the packets whose source address
	// is in its list, MACAddrs (mode source).
	MacvlanSource MacvlanMode = 16
)

// String returns the mode as ip names it, such as "bridge", or "unknown".
func (m MacvlanMode) String() string {
	switch m {
	case MacvlanPrivate:
		return "private"
	case MacvlanVEPA:
		return "vepa"
	case MacvlanBridge:
		return "bridge"
	case MacvlanPassthru:
		return "passthru"
	case MacvlanSource:
		return "source"
	}
	return "unknown"
}

// MacvlanMACAddrMode is an operation on the source addresses of a
// source-mode macvlan (MACVLAN_MACADDR_*).
type MacvlanMACAddrMode uint32

// Operations on source addresses.
const (
	MACAddrAdd   MacvlanMACAddrMode = 0
	MACAddrDel   MacvlanMACAddrMode = 1
	MACAddrFlush MacvlanMACAddrMode = 2
	MACAddrSet   MacvlanMACAddrMode = 3
)

// String returns the operation as ip names it: "add", "del", "flush" or
// "set".
func (m MacvlanMACAddrMode) String() string {
	switch m {
	case MACAddrAdd:
		return "add"
	case MACAddrDel:
		return "del"
	case MACAddrFlush:
		return "flush"
	case MACAddrSet:
		return "set"
	}
	return strconv.FormatUint(uint64(m), 10)
}

// LinkKind returns "macvtap" when Tap is set, else "macvlan".
func (m *Macvlan) LinkKind() string {
	if m.Tap {
		return "macvtap"
	}
	return "macvlan"
}

func (m *Macvlan) validate() error {
	kind := m.LinkKind()
	if m.Mode != nil && m.Mode.String() == "unknown" {
		return errInvalid(kind+" mode", fmt.Sprintf("%d is not private, vepa, bridge, passthru or source", *m.Mode))
	}
	if m.NoPromisc != nil && *m.NoPromisc && m.Mode != nil && *m.Mode != MacvlanPassthru {
		return errInvalid(kind+" flags", "nopromisc is valid in passthru mode only")
	}
	for _, a := range m.MACAddrs {
		if len(a) != 6 {
			return errInvalid(kind+" source address", fmt.Sprintf("%q is %d bytes, want 6", a.String(), len(a)))
		}
	}
	if m.MACAddrMode == nil {
		if len(m.MACAddrs) != 0 {
			return errInvalid(kind+" source addresses", "MACAddrs without MACAddrMode: set it to MACAddrSet, MACAddrAdd or MACAddrDel")
		}
		return nil
	}
	if m.Mode != nil && *m.Mode != MacvlanSource {
		return errInvalid(kind+" source addresses", fmt.Sprintf("they need mode source, not %s", m.Mode))
	}
	switch op := *m.MACAddrMode; op {
	case MACAddrAdd, MACAddrDel:
		if len(m.MACAddrs) != 1 {
			return errInvalid(kind+" source addresses", fmt.Sprintf("%s takes one address, not %d", op, len(m.MACAddrs)))
		}
	case MACAddrFlush:
		if len(m.MACAddrs) != 0 {
			return errInvalid(kind+" source addresses", fmt.Sprintf("flush takes no address, not %d", len(m.MACAddrs)))
		}
	case MACAddrSet:
	default:
		return errInvalid(kind+" source address operation", fmt.Sprintf("%d is not add, del, flush or set", op))
	}
	return nil
}

func (m *Macvlan) encode(w *writer) error {
	if err := m.validate(); err != nil {
		return err
	}
	// ip sends the source address operation and bcqueuelen as it parses
	// them, then the mode and the flags.
	if m.MACAddrMode != nil {
		w.Uint32(unix.IFLA_MACVLAN_MACADDR_MODE, uint32(*m.MACAddrMode))
		switch *m.MACAddrMode {
		case MACAddrAdd, MACAddrDel:
			w.HardwareAddr(unix.IFLA_MACVLAN_MACADDR, m.MACAddrs[0])
		case MACAddrSet:
			n := w.Nest(unix.IFLA_MACVLAN_MACADDR_DATA)
			for _, a := range m.MACAddrs {
				w.HardwareAddr(unix.IFLA_MACVLAN_MACADDR, a)
			}
			w.End(n)
		}
	}
	putUint32(w, unix.IFLA_MACVLAN_BC_QUEUE_LEN, m.BcQueueLen)
	putInt32(w, unix.IFLA_MACVLAN_BC_CUTOFF, m.BcCutoff)
	putUint32(w, unix.IFLA_MACVLAN_MODE, m.Mode)
	if m.NoPromisc != nil || m.NoDst != nil {
		var flags uint16
		if m.NoPromisc != nil && *m.NoPromisc {
			flags |= macvlanFlagNoPromisc
		}
		if m.NoDst != nil && *m.NoDst {
			flags |= macvlanFlagNoDst
		}
		w.Uint16(unix.IFLA_MACVLAN_FLAGS, flags)
	}
	return nil
}

// macvlanValues backs the pointer fields of one decoded Macvlan.
type macvlanValues struct {
	mode               MacvlanMode
	macMode            MacvlanMACAddrMode
	bcQueueLen, bcUsed uint32
	count              uint32
	cutoff             int32
	noPromisc, noDst   bool
}

func (m *Macvlan) decode(d attrs.Decoder) error {
	vals := new(macvlanValues)
	var data []byte
	haveData := false
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_MACVLAN_MODE:
			m.Mode = uint32Field(&d, &vals.mode)
		case unix.IFLA_MACVLAN_FLAGS:
			flags := d.Uint16()
			vals.noPromisc = flags&macvlanFlagNoPromisc != 0
			vals.noDst = flags&macvlanFlagNoDst != 0
			m.NoPromisc, m.NoDst = &vals.noPromisc, &vals.noDst
		case unix.IFLA_MACVLAN_MACADDR_COUNT:
			m.MACAddrCount = uint32Field(&d, &vals.count)
		case unix.IFLA_MACVLAN_MACADDR_DATA:
			data, haveData = d.Bytes(), true
		case unix.IFLA_MACVLAN_BC_QUEUE_LEN:
			m.BcQueueLen = uint32Field(&d, &vals.bcQueueLen)
		case unix.IFLA_MACVLAN_BC_QUEUE_LEN_USED:
			m.BcQueueLenUsed = uint32Field(&d, &vals.bcUsed)
		case unix.IFLA_MACVLAN_BC_CUTOFF:
			m.BcCutoff = int32Field(&d, &vals.cutoff)
		case unix.IFLA_MACVLAN_MACADDR_MODE:
			// Requests carry an operation; the kernel reports none.
			m.MACAddrMode = uint32Field(&d, &vals.macMode)
		case unix.IFLA_MACVLAN_MACADDR:
			// A request's single operand.
			if d.Len() != 6 {
				return fmt.Errorf("%s: IFLA_MACVLAN_MACADDR is %d bytes, want 6", m.LinkKind(), d.Len())
			}
			m.MACAddrs = []net.HardwareAddr{d.HardwareAddr()}
		}
	}
	if err := d.Err(); err != nil {
		return err
	}
	if haveData {
		addrs, err := decodeMacvlanAddrs(data, m.LinkKind())
		if err != nil {
			return err
		}
		m.MACAddrs = addrs
	}
	return nil
}

// decodeMacvlanAddrs decodes IFLA_MACVLAN_MACADDR_DATA: the addresses are
// copied into one allocation. The result is non-nil, even when empty.
func decodeMacvlanAddrs(data []byte, kind string) ([]net.HardwareAddr, error) {
	n := 0
	d := attrs.NewDecoder(data)
	for d.Next() {
		if d.Type() != unix.IFLA_MACVLAN_MACADDR {
			continue
		}
		if d.Len() != 6 {
			return nil, fmt.Errorf("%s: source address of %d bytes, want 6", kind, d.Len())
		}
		n++
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	addrs := make([]net.HardwareAddr, 0, n)
	buf := make([]byte, 0, 6*n)
	for d := attrs.NewDecoder(data); d.Next(); {
		if d.Type() == unix.IFLA_MACVLAN_MACADDR {
			buf = append(buf, d.Bytes()...)
			addrs = append(addrs, buf[len(buf)-6:len(buf):len(buf)])
		}
	}
	return addrs, nil
}

// writeJSON writes info_data as iproute2 6.1's macvlan_print_opt does.
func (m *Macvlan) writeJSON(w *jsonw.Writer) {
	if m.Mode == nil {
		return
	}
	w.String("mode", m.Mode.String())
	writeJSONTrue(w, "nopromisc", m.NoPromisc)
	writeJSONTrue(w, "nodst", m.NoDst)
	writeJSONUint(w, "bcqueuelen", m.BcQueueLen)
	writeJSONUint(w, "usedbcqueuelen", m.BcQueueLenUsed)
	if *m.Mode != MacvlanSource || m.MACAddrCount == nil {
		return
	}
	// ip prints the count with %d.
	w.Int("macaddr_count", int64(int32(*m.MACAddrCount)))
	if m.MACAddrs == nil {
		return
	}
	w.OpenArray("macaddr_data")
	for _, a := range m.MACAddrs {
		if len(a) >= 6 {
			w.String("", a[:6].String())
		}
	}
	w.CloseArray()
}
