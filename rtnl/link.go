package rtnl

import (
	"net"
	"strconv"

	"golang.org/x/sys/unix"
)

// A Link is a network interface: what `ip -d -s link show` reports of it.
//
// Its JSON (see [Link.MarshalJSON]) is what `ip -j -d -s link show` prints for
// the same device. Pointer fields hold attributes that the kernel may leave
// out, or for which zero is a meaningful value; they are nil when the kernel
// did not send the attribute.
type Link struct {
	// Index is the interface index (ifindex).
	Index int32
	// Name is the interface name (ifname).
	Name string
	// Type is the link-layer type (ARPHRD_*).
	Type LinkType
	// Flags are the interface flags (IFF_*).
	Flags LinkFlags

	// ParentIndex is the index of the link this one is stacked on or paired
	// with (IFLA_LINK): a veth's peer, a macvlan's lower device. It is in the
	// namespace LinkNetNSID names when that is set, else in this one. A
	// pointer to 0 means the link has no parent (a tunnel's "@NONE").
	ParentIndex *int32
	// ParentName is the name of the parent when it is in this namespace.
	// Links and the LinkBy functions fill it in; a streamed Link has it
	// empty.
	ParentName string
	// ParentDown reports that the parent, in this namespace, is down: ip's
	// M-DOWN flag. It is filled in with ParentName.
	ParentDown bool
	// LinkNetNSID is the namespace id, as this namespace knows it, of the
	// namespace the parent is in, when that is another namespace.
	LinkNetNSID *int32

	// MTU is the maximum transmission unit.
	MTU uint32
	// Qdisc is the name of the root queueing discipline.
	Qdisc string
	// MasterIndex is the index of the master device (a bridge, a bond, a
	// VRF), or 0.
	MasterIndex int32
	// Master is the master's name; filled in like ParentName.
	Master string
	// OperState is the RFC 2863 operational state.
	OperState OperState
	// LinkMode is the link mode: 0 default, 1 dormant.
	LinkMode uint8
	// Group is the interface group; 0 is "default".
	Group uint32
	// TxQueueLen is the transmit queue length (qlen).
	TxQueueLen uint32
	// Event is the event a notification reports (IFLA_EVENT), or 0.
	Event LinkEvent

	// Address is the link-layer address.
	Address net.HardwareAddr
	// Broadcast is the link-layer broadcast address, or the peer's address
	// on a point-to-point link.
	Broadcast net.HardwareAddr
	// PermAddress is the permanent (burnt-in) hardware address.
	PermAddress net.HardwareAddr

	// ProtoDown reports the link held down by a protocol (protodown on).
	ProtoDown bool
	// ProtoDownReason holds the protodown reason bits.
	ProtoDownReason uint32

	// Promiscuity counts the users of promiscuous mode.
	Promiscuity *uint32
	// Allmulti counts the users of all-multicast mode (Linux 6.6 and later).
	Allmulti *uint32
	// MinMTU and MaxMTU bound the MTU the device accepts.
	MinMTU, MaxMTU *uint32
	// Info is the link kind and its kind-specific data (IFLA_LINKINFO).
	Info *LinkInfo
	// AddrGenMode is the IPv6 address generation mode, when IPv6 is enabled
	// on the link.
	AddrGenMode *AddrGenMode
	// NumTxQueues and NumRxQueues are the numbers of transmit and receive
	// queues.
	NumTxQueues, NumRxQueues *uint32
	// GSOMaxSize, GSOMaxSegs, TSOMaxSize, TSOMaxSegs and GROMaxSize are the
	// segmentation offload limits.
	GSOMaxSize, GSOMaxSegs, TSOMaxSize, TSOMaxSegs, GROMaxSize *uint32
	// GSOIPv4MaxSize and GROIPv4MaxSize are the IPv4 offload limits (Linux
	// 6.3 and later). iproute2 6.1 does not print them.
	GSOIPv4MaxSize, GROIPv4MaxSize *uint32
	// PhysPortName, PhysPortID and PhysSwitchID identify a switch port.
	PhysPortName string
	PhysPortID   []byte
	PhysSwitchID []byte
	// ParentBus and ParentDev name the bus and the device the link belongs
	// to, such as "pci" and "0000:00:03.0".
	ParentBus, ParentDev string
	// Alias is the interface alias (ifalias).
	Alias string
	// Stats holds the interface counters; nil when the kernel sent none.
	Stats *LinkStats
	// CarrierChanges counts carrier changes; nil when the kernel did not
	// say.
	CarrierChanges *uint32
	// AltNames are the alternative names of the link.
	AltNames []string
}

// LinkStats are the counters of a link (struct rtnl_link_stats64).
type LinkStats struct {
	RxPackets, TxPackets                                     uint64
	RxBytes, TxBytes                                         uint64
	RxErrors, TxErrors                                       uint64
	RxDropped, TxDropped                                     uint64
	Multicast, Collisions                                    uint64
	RxLengthErrors, RxOverErrors, RxCRCErrors                uint64
	RxFrameErrors, RxFIFOErrors, RxMissedErrors              uint64
	TxAbortedErrors, TxCarrierErrors, TxFIFOErrors           uint64
	TxHeartbeatErrors, TxWindowErrors                        uint64
	RxCompressed, TxCompressed, RxNoHandler, RxOtherhostDrop uint64

	// Only32Bit reports counters from the kernel's 32-bit IFLA_STATS,
	// because it sent no IFLA_STATS64.
	Only32Bit bool
}

// A flagName is a flag and the name ip prints for it.
type flagName[F ~uint32] struct {
	flag F
	name string
}

// LinkFlags are the interface flags (IFF_*) of a link.
type LinkFlags uint32

// Has reports whether every flag in f2 is set in f.
func (f LinkFlags) Has(f2 LinkFlags) bool { return f&f2 == f2 }

// linkFlagNames returns the flags ip prints, in its order, and their names.
func linkFlagNames() [18]flagName[LinkFlags] {
	return [...]flagName[LinkFlags]{
		{unix.IFF_LOOPBACK, "LOOPBACK"},
		{unix.IFF_BROADCAST, "BROADCAST"},
		{unix.IFF_POINTOPOINT, "POINTOPOINT"},
		{unix.IFF_MULTICAST, "MULTICAST"},
		{unix.IFF_NOARP, "NOARP"},
		{unix.IFF_ALLMULTI, "ALLMULTI"},
		{unix.IFF_PROMISC, "PROMISC"},
		{unix.IFF_MASTER, "MASTER"},
		{unix.IFF_SLAVE, "SLAVE"},
		{unix.IFF_DEBUG, "DEBUG"},
		{unix.IFF_DYNAMIC, "DYNAMIC"},
		{unix.IFF_AUTOMEDIA, "AUTOMEDIA"},
		{unix.IFF_PORTSEL, "PORTSEL"},
		{unix.IFF_NOTRAILERS, "NOTRAILERS"},
		{unix.IFF_UP, "UP"},
		{unix.IFF_LOWER_UP, "LOWER_UP"},
		{unix.IFF_DORMANT, "DORMANT"},
		{unix.IFF_ECHO, "ECHO"},
	}
}

// Names returns the flags as ip prints them: NO-CARRIER first when the link
// is up without carrier, then the set flags in ip's order, then any unnamed
// bits in hexadecimal. RUNNING is never listed.
func (f LinkFlags) Names() []string {
	var names []string
	if f&unix.IFF_UP != 0 && f&unix.IFF_RUNNING == 0 {
		names = append(names, "NO-CARRIER")
	}
	f &^= unix.IFF_RUNNING
	for _, n := range linkFlagNames() {
		if f&n.flag != 0 {
			f &^= n.flag
			names = append(names, n.name)
		}
	}
	if f != 0 {
		names = append(names, strconv.FormatUint(uint64(f), 16))
	}
	return names
}

// OperState is the RFC 2863 operational state of a link (IF_OPER_*).
type OperState uint8

// Operational states.
const (
	OperUnknown OperState = iota
	OperNotPresent
	OperDown
	OperLowerLayerDown
	OperTesting
	OperDormant
	OperUp
)

// name returns the state's name as ip prints it, and false for a state ip
// has no name for.
func (s OperState) name() (string, bool) {
	switch s {
	case OperUnknown:
		return "UNKNOWN", true
	case OperNotPresent:
		return "NOTPRESENT", true
	case OperDown:
		return "DOWN", true
	case OperLowerLayerDown:
		return "LOWERLAYERDOWN", true
	case OperTesting:
		return "TESTING", true
	case OperDormant:
		return "DORMANT", true
	case OperUp:
		return "UP", true
	}
	return "", false
}

// String returns the state's name as ip prints it, such as "UP", or its
// number for a state ip has no name for.
func (s OperState) String() string {
	if n, ok := s.name(); ok {
		return n
	}
	return strconv.Itoa(int(s))
}

// LinkEvent is the event a link notification reports (IFLA_EVENT_*).
type LinkEvent uint32

// name returns the event's name as ip prints it, and false for an event ip
// has no name for.
func (e LinkEvent) name() (string, bool) {
	switch e {
	case unix.IFLA_EVENT_NONE:
		return "NONE", true
	case unix.IFLA_EVENT_REBOOT:
		return "REBOOT", true
	case unix.IFLA_EVENT_FEATURES:
		return "FEATURE CHANGE", true
	case unix.IFLA_EVENT_BONDING_FAILOVER:
		return "BONDING FAILOVER", true
	case unix.IFLA_EVENT_NOTIFY_PEERS:
		return "NOTIFY PEERS", true
	case unix.IFLA_EVENT_IGMP_RESEND:
		return "RESEND IGMP", true
	case unix.IFLA_EVENT_BONDING_OPTIONS:
		return "BONDING OPTION", true
	}
	return "", false
}

// String returns the event's name as ip prints it, such as "REBOOT".
func (e LinkEvent) String() string {
	if n, ok := e.name(); ok {
		return n
	}
	return strconv.FormatUint(uint64(e), 10)
}

// AddrGenMode is how IPv6 link-local addresses are made for a link
// (IN6_ADDR_GEN_MODE_*).
type AddrGenMode uint8

// Address generation modes.
const (
	AddrGenModeEUI64 AddrGenMode = iota
	AddrGenModeNone
	AddrGenModeStableSecret
	AddrGenModeRandom
)

// String returns the mode as ip prints it, such as "eui64".
func (m AddrGenMode) String() string {
	switch m {
	case AddrGenModeEUI64:
		return "eui64"
	case AddrGenModeNone:
		return "none"
	case AddrGenModeStableSecret:
		return "stable_secret"
	case AddrGenModeRandom:
		return "random"
	}
	return "0x" + hex2(uint8(m))
}

func hex2(b uint8) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&0xf]})
}
