package rtnl

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// Kernel values that golang.org/x/sys/unix does not define
// (<linux/if_bridge.h>).
const (
	// brBoolOptNoLLLearn is BR_BOOLOPT_NO_LL_LEARN, a bit of struct
	// br_boolopt_multi.
	brBoolOptNoLLLearn = 0
	// brBoolOptMcastVlanSnooping is BR_BOOLOPT_MCAST_VLAN_SNOOPING.
	brBoolOptMcastVlanSnooping = 1
	// brBoolOptMSTEnable is BR_BOOLOPT_MST_ENABLE.
	brBoolOptMSTEnable = 2

	// bridgeQuerierIPAddress and the following are the attributes of
	// IFLA_BR_MCAST_QUERIER_STATE: BRIDGE_QUERIER_IP_ADDRESS,
	// BRIDGE_QUERIER_IP_PORT, BRIDGE_QUERIER_IP_OTHER_TIMER,
	// BRIDGE_QUERIER_IPV6_ADDRESS, BRIDGE_QUERIER_IPV6_PORT and
	// BRIDGE_QUERIER_IPV6_OTHER_TIMER.
	bridgeQuerierIPAddress      = 1
	bridgeQuerierIPPort         = 2
	bridgeQuerierIPOtherTimer   = 3
	bridgeQuerierIPv6Address    = 5
	bridgeQuerierIPv6Port       = 6
	bridgeQuerierIPv6OtherTimer = 7
)

// Kernel limits that requests are checked against, and structure sizes,
// from the kernel's bridge code (net/bridge/br_private.h) and headers.
const (
	bridgeGroupFwdRestricted     = 0x0007 // BR_GROUPFWD_RESTRICTED: STP, MAC pause, LACP
	bridgePortGroupFwdRestricted = 0x0002 // BR_GROUPFWD_MACPAUSE
	bridgeMaxPortPriority        = 63     // BR_MAX_PORT_PRIORITY
	bridgeMaxPathCost            = 65535  // BR_MAX_PATH_COST
	bridgeVlanVIDMask            = 0x0fff // VLAN_VID_MASK
	bridgeEthP8021Q              = 0x8100 // ETH_P_8021Q
	bridgeEthP8021AD             = 0x88a8 // ETH_P_8021AD
	bridgeBoolOptMultiLen        = 8      // sizeof(struct br_boolopt_multi)
	bridgeIDLen                  = 8      // sizeof(struct ifla_bridge_id)
)

// A BridgeID is an STP bridge identifier (struct ifla_bridge_id): the
// bridge priority and a MAC address.
type BridgeID struct {
	// Priority is the bridge priority.
	Priority uint16
	// Address is the bridge's MAC address.
	Address [6]byte
}

// String formats the identifier as ip does: four hexadecimal digits of
// priority, a dot, and the address without zero padding, as in
// "8000.2:0:0:0:0:10".
func (id BridgeID) String() string {
	b := make([]byte, 0, 24)
	b = append(b, hex2(uint8(id.Priority>>8))...)
	b = append(b, hex2(uint8(id.Priority))...)
	b = append(b, '.')
	for i, x := range id.Address {
		if i > 0 {
			b = append(b, ':')
		}
		b = strconv.AppendUint(b, uint64(x), 16)
	}
	return string(b)
}

// decodeBridgeID reads a struct ifla_bridge_id.
func decodeBridgeID(d *attrs.Decoder, id *BridgeID) *BridgeID {
	p := d.Bytes()
	if len(p) != bridgeIDLen {
		// Let the decoder record the error.
		d.Uint64()
		return nil
	}
	id.Priority = uint16(p[0])<<8 | uint16(p[1])
	copy(id.Address[:], p[2:])
	return id
}

// BridgeQuerier is what a bridge knows of the multicast querier of one IP
// version (IFLA_BR_MCAST_QUERIER_STATE, Linux 5.15 and later). iproute2 6.1
// does not print it.
type BridgeQuerier struct {
	// Address is the querier's address: the bridge's own when it is the
	// querier, another router's when one was heard.
	Address netip.Addr
	// PortIndex is the index of the port another querier was heard on,
	// or 0.
	PortIndex int32
	// OtherTimer is the time left, in centiseconds, before another
	// querier is considered gone; 0 when none was heard.
	OtherTimer uint64
}

// Bridge is the data of a bridge ("bridge"): its STP, FDB, VLAN, multicast
// and netfilter settings (IFLA_BR_*), as set by
// `ip link add NAME type bridge …` and `ip link set dev NAME type bridge …`.
//
// Nil fields are left out of a request, so that a change touches only the
// fields it sets; a bridge read back has every field the kernel reports.
// Times are in centiseconds (USER_HZ clock ticks), as the kernel and ip
// give them: a ForwardDelay of 1500 is 15 seconds.
//
// The fields from BridgeID on are read-only: AddLink and SetLink ignore
// them. Fields marked with a kernel version are not known to iproute2 6.1;
// older kernels ignore them when set.
type Bridge struct {
	// ForwardDelay is the STP forwarding delay (forward_delay).
	ForwardDelay *uint32
	// HelloTime is the STP hello interval (hello_time).
	HelloTime *uint32
	// MaxAge is the STP maximum message age (max_age).
	MaxAge *uint32
	// AgeingTime is how long learned addresses are kept (ageing_time).
	AgeingTime *uint32
	// STPState is 0 for STP off, 1 for STP on (kernel STP, or user space
	// STP when a helper takes over, reported as 2) (stp_state).
	STPState *uint32
	// Priority is the bridge priority (priority).
	Priority *uint16
	// VlanFiltering turns VLAN filtering on (vlan_filtering). Kernels
	// built without CONFIG_BRIDGE_VLAN_FILTERING refuse this and the other
	// VLAN settings with an error matching ErrNotSupported.
	VlanFiltering *bool
	// VlanProtocol is the VLAN protocol filtered on, ETH_P_8021Q (0x8100)
	// or ETH_P_8021AD (0x88a8), in host byte order (vlan_protocol
	// 802.1Q|802.1ad).
	VlanProtocol *uint16
	// VlanDefaultPVID is the PVID of new ports, 0 for none
	// (vlan_default_pvid).
	VlanDefaultPVID *uint16
	// VlanStatsEnabled turns per-VLAN statistics on (vlan_stats_enabled).
	VlanStatsEnabled *bool
	// VlanStatsPerPort keeps the VLAN statistics per port
	// (vlan_stats_per_port).
	VlanStatsPerPort *bool
	// GroupFwdMask is the bitmask of link-local group addresses
	// 01:80:c2:00:00:0X forwarded (group_fwd_mask). Bits 0 to 2 (STP, MAC
	// pause, LACP) cannot be set.
	GroupFwdMask *uint16
	// GroupAddress is the STP group address, 01:80:c2:00:00:0X
	// (group_address).
	GroupAddress net.HardwareAddr
	// FDBFlush, when true, flushes the dynamic FDB entries (fdb_flush). It
	// is an action, never reported back.
	FDBFlush bool
	// NoLinkLocalLearn turns learning from link-local frames off
	// (no_linklocal_learn; a bit of IFLA_BR_MULTI_BOOLOPT).
	NoLinkLocalLearn *bool
	// McastVlanSnooping turns per-VLAN multicast snooping on
	// (mcast_vlan_snooping; IFLA_BR_MULTI_BOOLOPT).
	McastVlanSnooping *bool
	// MSTEnabled turns multiple spanning trees on (IFLA_BR_MULTI_BOOLOPT,
	// Linux 5.18 and later).
	MSTEnabled *bool
	// McastSnooping turns IGMP/MLD snooping on (mcast_snooping).
	McastSnooping *bool
	// McastRouter is 0 for no multicast router port, 1 to learn it from
	// queries, 2 to act as one permanently (mcast_router).
	McastRouter *uint8
	// McastQueryUseIfaddr uses the bridge's address as the source of its
	// queries (mcast_query_use_ifaddr).
	McastQueryUseIfaddr *bool
	// McastQuerier makes the bridge a multicast querier (mcast_querier).
	McastQuerier *bool
	// McastHashElasticity is deprecated; the kernel always reports 16
	// (mcast_hash_elasticity).
	McastHashElasticity *uint32
	// McastHashMax is the size of the multicast group table
	// (mcast_hash_max).
	McastHashMax *uint32
	// McastLastMemberCount is the number of last-member queries
	// (mcast_last_member_count).
	McastLastMemberCount *uint32
	// McastStartupQueryCount is the number of startup queries
	// (mcast_startup_query_count).
	McastStartupQueryCount *uint32
	// McastLastMemberInterval (mcast_last_member_interval),
	// McastMembershipInterval (mcast_membership_interval),
	// McastQuerierInterval (mcast_querier_interval), McastQueryInterval
	// (mcast_query_interval), McastQueryResponseInterval
	// (mcast_query_response_interval) and McastStartupQueryInterval
	// (mcast_startup_query_interval) are the multicast timers, in
	// centiseconds.
	McastLastMemberInterval    *uint64
	McastMembershipInterval    *uint64
	McastQuerierInterval       *uint64
	McastQueryInterval         *uint64
	McastQueryResponseInterval *uint64
	McastStartupQueryInterval  *uint64
	// McastStatsEnabled turns multicast statistics on
	// (mcast_stats_enabled).
	McastStatsEnabled *bool
	// McastIGMPVersion is the IGMP version, 2 or 3 (mcast_igmp_version).
	McastIGMPVersion *uint8
	// McastMLDVersion is the MLD version, 1 or 2 (mcast_mld_version).
	McastMLDVersion *uint8
	// NFCallIPTables, NFCallIP6Tables and NFCallARPTables pass bridged
	// traffic through iptables, ip6tables and arptables (nf_call_iptables,
	// nf_call_ip6tables, nf_call_arptables).
	NFCallIPTables  *bool
	NFCallIP6Tables *bool
	NFCallARPTables *bool
	// FDBMaxLearned limits the number of learned FDB entries, 0 for no
	// limit (Linux 6.7 and later).
	FDBMaxLearned *uint32

	// BridgeID is the bridge's own STP identifier (read-only).
	BridgeID *BridgeID
	// RootID is the identifier of the STP root bridge (read-only).
	// iproute2 6.1 prints BridgeID in its place (a bug fixed in 6.5);
	// the JSON does the same.
	RootID *BridgeID
	// RootPort is the port number of the port towards the root, 0 when the
	// bridge is the root (read-only).
	RootPort *uint16
	// RootPathCost is the path cost to the root (read-only).
	RootPathCost *uint32
	// TopologyChange and TopologyChangeDetected are the STP topology
	// change flags (read-only).
	TopologyChange         *bool
	TopologyChangeDetected *bool
	// HelloTimer, TCNTimer, TopologyChangeTimer and GCTimer are the time
	// left on the bridge's timers, in centiseconds (read-only).
	HelloTimer          *uint64
	TCNTimer            *uint64
	TopologyChangeTimer *uint64
	GCTimer             *uint64
	// FDBLearned counts the learned FDB entries (read-only; Linux 6.7 and
	// later).
	FDBLearned *uint32
	// McastQuerierIPv4 and McastQuerierIPv6 describe the current IGMP and
	// MLD queriers, when there are any (read-only; Linux 5.15 and later).
	McastQuerierIPv4 *BridgeQuerier
	McastQuerierIPv6 *BridgeQuerier
}

// bridgeValues backs the pointer fields of one decoded Bridge.
type bridgeValues struct {
	forwardDelay, helloTime, maxAge, ageingTime, stpState        uint32
	priority, vlanProtocol, vlanDefaultPVID, groupFwdMask        uint16
	rootPort                                                     uint16
	vlanFiltering, vlanStatsEnabled, vlanStatsPerPort            bool
	noLLLearn, mcastVlanSnooping, mstEnabled                     bool
	mcastSnooping, mcastQueryUseIfaddr, mcastQuerier, mcastStats bool
	nfIPTables, nfIP6Tables, nfARPTables                         bool
	topologyChange, topologyChangeDetected                       bool
	mcastRouter, igmpVersion, mldVersion                         uint8
	hashElasticity, hashMax, lastMemberCount, startupQueryCount  uint32
	fdbMaxLearned, fdbLearned, rootPathCost                      uint32
	lastMemberIntvl, membershipIntvl, querierIntvl, queryIntvl   uint64
	queryResponseIntvl, startupQueryIntvl                        uint64
	helloTimer, tcnTimer, topologyChangeTimer, gcTimer           uint64
	bridgeID, rootID                                             BridgeID
	querier4, querier6                                           BridgeQuerier
	groupAddress                                                 [6]byte
}

// LinkKind returns "bridge".
func (*Bridge) LinkKind() string { return "bridge" }

func (b *Bridge) validate() error {
	if a := b.GroupAddress; a != nil {
		if len(a) != 6 || a[0] != 0x01 || a[1] != 0x80 || a[2] != 0xc2 || a[3] != 0 || a[4] != 0 || a[5]&0xf0 != 0 {
			return errInvalid("bridge group address", fmt.Sprintf("%v is not a link-local group address 01:80:c2:00:00:0X", a))
		}
		if a[5] >= 1 && a[5] <= 3 {
			return errInvalid("bridge group address", fmt.Sprintf("%v is reserved (MAC pause, slow protocols, 802.1X)", a))
		}
	}
	if m := b.GroupFwdMask; m != nil && *m&bridgeGroupFwdRestricted != 0 {
		return errInvalid("bridge group_fwd_mask", fmt.Sprintf("%#x: bits 0 to 2 (STP, MAC pause, LACP) cannot be forwarded", *m))
	}
	if p := b.VlanProtocol; p != nil && *p != bridgeEthP8021Q && *p != bridgeEthP8021AD {
		return errInvalid("bridge VLAN protocol", fmt.Sprintf("%#04x: want 0x8100 (802.1Q) or 0x88a8 (802.1ad)", *p))
	}
	if p := b.VlanDefaultPVID; p != nil && *p >= bridgeVlanVIDMask {
		return errInvalid("bridge default PVID", fmt.Sprintf("%d: want 0 to 4094", *p))
	}
	if r := b.McastRouter; r != nil && *r > 2 {
		return errInvalid("bridge mcast_router", fmt.Sprintf("%d: want 0, 1 or 2", *r))
	}
	if v := b.McastIGMPVersion; v != nil && *v != 2 && *v != 3 {
		return errInvalid("bridge IGMP version", fmt.Sprintf("%d: want 2 or 3", *v))
	}
	if v := b.McastMLDVersion; v != nil && *v != 1 && *v != 2 {
		return errInvalid("bridge MLD version", fmt.Sprintf("%d: want 1 or 2", *v))
	}
	return nil
}

// encode appends the settings in the order ip's option parser handles
// them, the boolean options (IFLA_BR_MULTI_BOOLOPT) last as ip sends them.
func (b *Bridge) encode(w *writer) error {
	if err := b.validate(); err != nil {
		return err
	}
	putUint32(w, unix.IFLA_BR_FORWARD_DELAY, b.ForwardDelay)
	putUint32(w, unix.IFLA_BR_HELLO_TIME, b.HelloTime)
	putUint32(w, unix.IFLA_BR_MAX_AGE, b.MaxAge)
	putUint32(w, unix.IFLA_BR_AGEING_TIME, b.AgeingTime)
	putUint32(w, unix.IFLA_BR_STP_STATE, b.STPState)
	putUint16(w, unix.IFLA_BR_PRIORITY, b.Priority)
	putBool(w, unix.IFLA_BR_VLAN_FILTERING, b.VlanFiltering)
	putPort(w, unix.IFLA_BR_VLAN_PROTOCOL, b.VlanProtocol)
	putUint16(w, unix.IFLA_BR_GROUP_FWD_MASK, b.GroupFwdMask)
	if b.GroupAddress != nil {
		w.HardwareAddr(unix.IFLA_BR_GROUP_ADDR, b.GroupAddress)
	}
	putFlag(w, unix.IFLA_BR_FDB_FLUSH, b.FDBFlush)
	putUint16(w, unix.IFLA_BR_VLAN_DEFAULT_PVID, b.VlanDefaultPVID)
	putBool(w, unix.IFLA_BR_VLAN_STATS_ENABLED, b.VlanStatsEnabled)
	putBool(w, unix.IFLA_BR_VLAN_STATS_PER_PORT, b.VlanStatsPerPort)
	putUint8(w, unix.IFLA_BR_MCAST_ROUTER, b.McastRouter)
	putBool(w, unix.IFLA_BR_MCAST_SNOOPING, b.McastSnooping)
	putBool(w, unix.IFLA_BR_MCAST_QUERY_USE_IFADDR, b.McastQueryUseIfaddr)
	putBool(w, unix.IFLA_BR_MCAST_QUERIER, b.McastQuerier)
	putUint32(w, unix.IFLA_BR_MCAST_HASH_ELASTICITY, b.McastHashElasticity)
	putUint32(w, unix.IFLA_BR_MCAST_HASH_MAX, b.McastHashMax)
	putUint32(w, unix.IFLA_BR_MCAST_LAST_MEMBER_CNT, b.McastLastMemberCount)
	putUint32(w, unix.IFLA_BR_MCAST_STARTUP_QUERY_CNT, b.McastStartupQueryCount)
	putUint64(w, unix.IFLA_BR_MCAST_LAST_MEMBER_INTVL, b.McastLastMemberInterval)
	putUint64(w, unix.IFLA_BR_MCAST_MEMBERSHIP_INTVL, b.McastMembershipInterval)
	putUint64(w, unix.IFLA_BR_MCAST_QUERIER_INTVL, b.McastQuerierInterval)
	putUint64(w, unix.IFLA_BR_MCAST_QUERY_INTVL, b.McastQueryInterval)
	putUint64(w, unix.IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, b.McastQueryResponseInterval)
	putUint64(w, unix.IFLA_BR_MCAST_STARTUP_QUERY_INTVL, b.McastStartupQueryInterval)
	putBool(w, unix.IFLA_BR_MCAST_STATS_ENABLED, b.McastStatsEnabled)
	putUint8(w, unix.IFLA_BR_MCAST_IGMP_VERSION, b.McastIGMPVersion)
	putUint8(w, unix.IFLA_BR_MCAST_MLD_VERSION, b.McastMLDVersion)
	putBool(w, unix.IFLA_BR_NF_CALL_IPTABLES, b.NFCallIPTables)
	putBool(w, unix.IFLA_BR_NF_CALL_IP6TABLES, b.NFCallIP6Tables)
	putBool(w, unix.IFLA_BR_NF_CALL_ARPTABLES, b.NFCallARPTables)
	putUint32(w, unix.IFLA_BR_FDB_MAX_LEARNED, b.FDBMaxLearned)

	var val, mask uint32
	for _, o := range [...]struct {
		v   *bool
		bit uint
	}{
		{b.NoLinkLocalLearn, brBoolOptNoLLLearn},
		{b.McastVlanSnooping, brBoolOptMcastVlanSnooping},
		{b.MSTEnabled, brBoolOptMSTEnable},
	} {
		if o.v != nil {
			mask |= 1 << o.bit
			if *o.v {
				val |= 1 << o.bit
			}
		}
	}
	if mask != 0 {
		var bm [bridgeBoolOptMultiLen]byte
		native.Endian.PutUint32(bm[0:], val)
		native.Endian.PutUint32(bm[4:], mask)
		w.Raw(unix.IFLA_BR_MULTI_BOOLOPT, bm[:])
	}
	return nil
}

func (b *Bridge) decode(d attrs.Decoder) error {
	v := new(bridgeValues)
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_BR_FORWARD_DELAY:
			b.ForwardDelay = uint32Field(&d, &v.forwardDelay)
		case unix.IFLA_BR_HELLO_TIME:
			b.HelloTime = uint32Field(&d, &v.helloTime)
		case unix.IFLA_BR_MAX_AGE:
			b.MaxAge = uint32Field(&d, &v.maxAge)
		case unix.IFLA_BR_AGEING_TIME:
			b.AgeingTime = uint32Field(&d, &v.ageingTime)
		case unix.IFLA_BR_STP_STATE:
			b.STPState = uint32Field(&d, &v.stpState)
		case unix.IFLA_BR_PRIORITY:
			b.Priority = uint16Field(&d, &v.priority)
		case unix.IFLA_BR_VLAN_FILTERING:
			b.VlanFiltering = boolField(&d, &v.vlanFiltering)
		case unix.IFLA_BR_VLAN_PROTOCOL:
			b.VlanProtocol = portField(&d, &v.vlanProtocol)
		case unix.IFLA_BR_GROUP_FWD_MASK:
			b.GroupFwdMask = uint16Field(&d, &v.groupFwdMask)
		case unix.IFLA_BR_ROOT_ID:
			b.RootID = decodeBridgeID(&d, &v.rootID)
		case unix.IFLA_BR_BRIDGE_ID:
			b.BridgeID = decodeBridgeID(&d, &v.bridgeID)
		case unix.IFLA_BR_ROOT_PORT:
			b.RootPort = uint16Field(&d, &v.rootPort)
		case unix.IFLA_BR_ROOT_PATH_COST:
			b.RootPathCost = uint32Field(&d, &v.rootPathCost)
		case unix.IFLA_BR_TOPOLOGY_CHANGE:
			b.TopologyChange = boolField(&d, &v.topologyChange)
		case unix.IFLA_BR_TOPOLOGY_CHANGE_DETECTED:
			b.TopologyChangeDetected = boolField(&d, &v.topologyChangeDetected)
		case unix.IFLA_BR_HELLO_TIMER:
			b.HelloTimer = uint64Field(&d, &v.helloTimer)
		case unix.IFLA_BR_TCN_TIMER:
			b.TCNTimer = uint64Field(&d, &v.tcnTimer)
		case unix.IFLA_BR_TOPOLOGY_CHANGE_TIMER:
			b.TopologyChangeTimer = uint64Field(&d, &v.topologyChangeTimer)
		case unix.IFLA_BR_GC_TIMER:
			b.GCTimer = uint64Field(&d, &v.gcTimer)
		case unix.IFLA_BR_GROUP_ADDR:
			if p := d.Bytes(); len(p) == len(v.groupAddress) {
				copy(v.groupAddress[:], p)
				b.GroupAddress = v.groupAddress[:]
			} else {
				b.GroupAddress = d.HardwareAddr()
			}
		case unix.IFLA_BR_MCAST_ROUTER:
			b.McastRouter = uint8Field(&d, &v.mcastRouter)
		case unix.IFLA_BR_MCAST_SNOOPING:
			b.McastSnooping = boolField(&d, &v.mcastSnooping)
		case unix.IFLA_BR_MCAST_QUERY_USE_IFADDR:
			b.McastQueryUseIfaddr = boolField(&d, &v.mcastQueryUseIfaddr)
		case unix.IFLA_BR_MCAST_QUERIER:
			b.McastQuerier = boolField(&d, &v.mcastQuerier)
		case unix.IFLA_BR_MCAST_HASH_ELASTICITY:
			b.McastHashElasticity = uint32Field(&d, &v.hashElasticity)
		case unix.IFLA_BR_MCAST_HASH_MAX:
			b.McastHashMax = uint32Field(&d, &v.hashMax)
		case unix.IFLA_BR_MCAST_LAST_MEMBER_CNT:
			b.McastLastMemberCount = uint32Field(&d, &v.lastMemberCount)
		case unix.IFLA_BR_MCAST_STARTUP_QUERY_CNT:
			b.McastStartupQueryCount = uint32Field(&d, &v.startupQueryCount)
		case unix.IFLA_BR_MCAST_LAST_MEMBER_INTVL:
			b.McastLastMemberInterval = uint64Field(&d, &v.lastMemberIntvl)
		case unix.IFLA_BR_MCAST_MEMBERSHIP_INTVL:
			b.McastMembershipInterval = uint64Field(&d, &v.membershipIntvl)
		case unix.IFLA_BR_MCAST_QUERIER_INTVL:
			b.McastQuerierInterval = uint64Field(&d, &v.querierIntvl)
		case unix.IFLA_BR_MCAST_QUERY_INTVL:
			b.McastQueryInterval = uint64Field(&d, &v.queryIntvl)
		case unix.IFLA_BR_MCAST_QUERY_RESPONSE_INTVL:
			b.McastQueryResponseInterval = uint64Field(&d, &v.queryResponseIntvl)
		case unix.IFLA_BR_MCAST_STARTUP_QUERY_INTVL:
			b.McastStartupQueryInterval = uint64Field(&d, &v.startupQueryIntvl)
		case unix.IFLA_BR_NF_CALL_IPTABLES:
			b.NFCallIPTables = boolField(&d, &v.nfIPTables)
		case unix.IFLA_BR_NF_CALL_IP6TABLES:
			b.NFCallIP6Tables = boolField(&d, &v.nfIP6Tables)
		case unix.IFLA_BR_NF_CALL_ARPTABLES:
			b.NFCallARPTables = boolField(&d, &v.nfARPTables)
		case unix.IFLA_BR_VLAN_DEFAULT_PVID:
			b.VlanDefaultPVID = uint16Field(&d, &v.vlanDefaultPVID)
		case unix.IFLA_BR_VLAN_STATS_ENABLED:
			b.VlanStatsEnabled = boolField(&d, &v.vlanStatsEnabled)
		case unix.IFLA_BR_MCAST_STATS_ENABLED:
			b.McastStatsEnabled = boolField(&d, &v.mcastStats)
		case unix.IFLA_BR_MCAST_IGMP_VERSION:
			b.McastIGMPVersion = uint8Field(&d, &v.igmpVersion)
		case unix.IFLA_BR_MCAST_MLD_VERSION:
			b.McastMLDVersion = uint8Field(&d, &v.mldVersion)
		case unix.IFLA_BR_VLAN_STATS_PER_PORT:
			b.VlanStatsPerPort = boolField(&d, &v.vlanStatsPerPort)
		case unix.IFLA_BR_MULTI_BOOLOPT:
			p := d.Bytes()
			if len(p) != bridgeBoolOptMultiLen {
				d.Uint64() // records the error
				break
			}
			val, mask := native.Endian.Uint32(p), native.Endian.Uint32(p[4:])
			opt := func(bit uint, dst *bool) *bool {
				if mask&(1<<bit) == 0 {
					return nil
				}
				*dst = val&(1<<bit) != 0
				return dst
			}
			b.NoLinkLocalLearn = opt(brBoolOptNoLLLearn, &v.noLLLearn)
			b.McastVlanSnooping = opt(brBoolOptMcastVlanSnooping, &v.mcastVlanSnooping)
			b.MSTEnabled = opt(brBoolOptMSTEnable, &v.mstEnabled)
		case unix.IFLA_BR_MCAST_QUERIER_STATE:
			if err := decodeBridgeQuerierState(d.Nested(), b, v); err != nil {
				return err
			}
		case unix.IFLA_BR_FDB_N_LEARNED:
			b.FDBLearned = uint32Field(&d, &v.fdbLearned)
		case unix.IFLA_BR_FDB_MAX_LEARNED:
			b.FDBMaxLearned = uint32Field(&d, &v.fdbMaxLearned)
		}
	}
	return d.Err()
}

func decodeBridgeQuerierState(d attrs.Decoder, b *Bridge, v *bridgeValues) error {
	for d.Next() {
		switch d.Type() {
		case bridgeQuerierIPAddress:
			v.querier4.Address = d.Addr()
			b.McastQuerierIPv4 = &v.querier4
		case bridgeQuerierIPPort:
			v.querier4.PortIndex = d.Int32()
			b.McastQuerierIPv4 = &v.querier4
		case bridgeQuerierIPOtherTimer:
			v.querier4.OtherTimer = d.Uint64()
			b.McastQuerierIPv4 = &v.querier4
		case bridgeQuerierIPv6Address:
			v.querier6.Address = d.Addr()
			b.McastQuerierIPv6 = &v.querier6
		case bridgeQuerierIPv6Port:
			v.querier6.PortIndex = d.Int32()
			b.McastQuerierIPv6 = &v.querier6
		case bridgeQuerierIPv6OtherTimer:
			v.querier6.OtherTimer = d.Uint64()
			b.McastQuerierIPv6 = &v.querier6
		}
	}
	return d.Err()
}

// writeJSON writes the members of info_data as iproute2 6.1 prints them.
func (b *Bridge) writeJSON(w *jsonw.Writer) {
	writeJSONUint(w, "forward_delay", b.ForwardDelay)
	writeJSONUint(w, "hello_time", b.HelloTime)
	writeJSONUint(w, "max_age", b.MaxAge)
	writeJSONUint(w, "ageing_time", b.AgeingTime)
	writeJSONUint(w, "stp_state", b.STPState)
	writeJSONUint(w, "priority", b.Priority)
	brJSONBool01(w, "vlan_filtering", b.VlanFiltering)
	if b.VlanProtocol != nil {
		w.String("vlan_protocol", brVlanProtoName(*b.VlanProtocol))
	}
	if b.BridgeID != nil {
		w.String("bridge_id", b.BridgeID.String())
	}
	// iproute2 6.1 formats the bridge id under this key (fixed in 6.5);
	// without a bridge id it would crash, so nothing is printed then.
	if b.RootID != nil && b.BridgeID != nil {
		w.String("root_id", b.BridgeID.String())
	}
	writeJSONUint(w, "root_port", b.RootPort)
	writeJSONUint(w, "root_path_cost", b.RootPathCost)
	brJSONBool01(w, "topology_change", b.TopologyChange)
	brJSONBool01(w, "topology_change_detected", b.TopologyChangeDetected)
	brJSONTimer(w, "hello_timer", b.HelloTimer)
	brJSONTimer(w, "tcn_timer", b.TCNTimer)
	brJSONTimer(w, "topology_change_timer", b.TopologyChangeTimer)
	brJSONTimer(w, "gc_timer", b.GCTimer)
	writeJSONUint(w, "vlan_default_pvid", b.VlanDefaultPVID)
	brJSONBool01(w, "vlan_stats_enabled", b.VlanStatsEnabled)
	brJSONBool01(w, "vlan_stats_per_port", b.VlanStatsPerPort)
	writeJSONHex(w, "group_fwd_mask", b.GroupFwdMask)
	if b.GroupAddress != nil {
		w.String("group_addr", b.GroupAddress.String())
	}
	brJSONBool01(w, "mcast_snooping", b.McastSnooping)
	brJSONBool01(w, "no_linklocal_learn", b.NoLinkLocalLearn)
	brJSONBool01(w, "mcast_vlan_snooping", b.McastVlanSnooping)
	writeJSONUint(w, "mcast_router", b.McastRouter)
	brJSONBool01(w, "mcast_query_use_ifaddr", b.McastQueryUseIfaddr)
	brJSONBool01(w, "mcast_querier", b.McastQuerier)
	writeJSONUint(w, "mcast_hash_elasticity", b.McastHashElasticity)
	writeJSONUint(w, "mcast_hash_max", b.McastHashMax)
	writeJSONUint(w, "mcast_last_member_cnt", b.McastLastMemberCount)
	writeJSONUint(w, "mcast_startup_query_cnt", b.McastStartupQueryCount)
	writeJSONUint(w, "mcast_last_member_intvl", b.McastLastMemberInterval)
	writeJSONUint(w, "mcast_membership_intvl", b.McastMembershipInterval)
	writeJSONUint(w, "mcast_querier_intvl", b.McastQuerierInterval)
	writeJSONUint(w, "mcast_query_intvl", b.McastQueryInterval)
	writeJSONUint(w, "mcast_query_response_intvl", b.McastQueryResponseInterval)
	writeJSONUint(w, "mcast_startup_query_intvl", b.McastStartupQueryInterval)
	brJSONBool01(w, "mcast_stats_enabled", b.McastStatsEnabled)
	writeJSONUint(w, "mcast_igmp_version", b.McastIGMPVersion)
	writeJSONUint(w, "mcast_mld_version", b.McastMLDVersion)
	brJSONBool01(w, "nf_call_iptables", b.NFCallIPTables)
	brJSONBool01(w, "nf_call_ip6tables", b.NFCallIP6Tables)
	brJSONBool01(w, "nf_call_arptables", b.NFCallARPTables)
}

// brVlanProtoName names an ethernet protocol as ip's ll_proto_n2a
// does for the values a bridge takes, "[N]" for others.
func brVlanProtoName(p uint16) string {
	switch p {
	case bridgeEthP8021Q:
		return "802.1Q"
	case bridgeEthP8021AD:
		return "802.1ad"
	}
	return "[" + strconv.FormatUint(uint64(p), 10) + "]"
}

// brAppendTimer appends a timer in centiseconds as ip prints it,
// "%i.%.2i" of the seconds and hundredths after its conversion to a struct
// timeval: the seconds are truncated to a C int.
func brAppendTimer(b []byte, centis uint64) []byte {
	usec := centis * 10000 // wraps around as in C
	sec := usec / 1000000
	hundredths := (usec - sec*1000000) / 10000
	b = strconv.AppendInt(b, int64(int32(sec)), 10)
	b = append(b, '.', byte('0'+hundredths/10), byte('0'+hundredths%10))
	return b
}

func brJSONTimer(w *jsonw.Writer, key string, v *uint64) {
	if v != nil {
		var buf [24]byte
		w.Raw(key, brAppendTimer(buf[:0], *v))
	}
}

// brJSONBool01 writes a boolean as the number 0 or 1, as ip prints the
// bridge's on/off settings.
func brJSONBool01(w *jsonw.Writer, key string, v *bool) {
	if v != nil {
		var n uint64
		if *v {
			n = 1
		}
		w.Uint(key, n)
	}
}

// BridgePortState is the STP state of a bridge port (BR_STATE_*).
type BridgePortState uint8

// Bridge port states.
const (
	BridgePortDisabled BridgePortState = iota
	BridgePortListening
	BridgePortLearning
	BridgePortForwarding
	BridgePortBlocking
)

// name returns the state's name as ip prints it, and false for a state ip
// has no name for.
func (s BridgePortState) name() (string, bool) {
	switch s {
	case BridgePortDisabled:
		return "disabled", true
	case BridgePortListening:
		return "listening", true
	case BridgePortLearning:
		return "learning", true
	case BridgePortForwarding:
		return "forwarding", true
	case BridgePortBlocking:
		return "blocking", true
	}
	return "", false
}

// String returns the state's name as ip prints it, such as "forwarding",
// or its number for a state ip has no name for.
func (s BridgePortState) String() string {
	if n, ok := s.name(); ok {
		return n
	}
	return strconv.Itoa(int(s))
}

// BridgePort is the data of a link as a port of a bridge (info_slave_kind
// "bridge", IFLA_BRPORT_*), as `ip link set dev NAME type bridge_slave …`
// sets it. Change it with SetLink and LinkChange{Info: &LinkInfo{SlaveData:
// &BridgePort{…}}}. The kernel ignores port settings in a request that
// creates a link, even one that names a bridge as its master: set them once
// the link is a port.
//
// Nil fields are left out of a request; a port read back has every field
// the kernel reports. Times are in centiseconds (USER_HZ clock ticks). The
// fields from ID on are read-only: SetLink ignores them. Fields marked with
// a kernel version are not known to iproute2 6.1; older kernels ignore them
// when set.
type BridgePort struct {
	// State is the port's STP state (state). The kernel refuses changes
	// while kernel STP runs, and states other than disabled while the port
	// is down.
	State *BridgePortState
	// Priority is the port priority, 0 to 63 (priority).
	Priority *uint16
	// Cost is the STP path cost, 1 to 65535 (cost).
	Cost *uint32
	// Hairpin sends frames back out of the port they came in on
	// (hairpin; IFLA_BRPORT_MODE).
	Hairpin *bool
	// Guard blocks STP BPDUs received on the port (guard).
	Guard *bool
	// RootBlock keeps the port from becoming the root port (root_block;
	// IFLA_BRPORT_PROTECT).
	RootBlock *bool
	// FastLeave removes a multicast group as soon as a leave is received
	// (fastleave, mcast_fast_leave).
	FastLeave *bool
	// Learning learns source addresses on the port (learning).
	Learning *bool
	// UnicastFlood floods unknown unicast to the port (flood).
	UnicastFlood *bool
	// ProxyARP and ProxyARPWiFi answer ARP from the bridge's neighbour
	// table (proxy_arp, proxy_arp_wifi).
	ProxyARP     *bool
	ProxyARPWiFi *bool
	// McastRouter is 0 for never a multicast router port, 1 to learn it,
	// 2 for always, 3 for temporarily (mcast_router).
	McastRouter *uint8
	// McastFlood, BcastFlood and McastToUnicast control multicast and
	// broadcast flooding and multicast-to-unicast (mcast_flood,
	// bcast_flood, mcast_to_unicast).
	McastFlood     *bool
	BcastFlood     *bool
	McastToUnicast *bool
	// NeighSuppress suppresses ARP and ND on the port (neigh_suppress).
	NeighSuppress *bool
	// GroupFwdMask is the bitmask of link-local group addresses
	// 01:80:c2:00:00:0X forwarded by this port (group_fwd_mask). Bit 1
	// (MAC pause) cannot be set.
	GroupFwdMask *uint16
	// VlanTunnel turns VLAN-to-tunnel mapping on (vlan_tunnel).
	VlanTunnel *bool
	// Isolated keeps the port from talking to other isolated ports
	// (isolated).
	Isolated *bool
	// Locked only lets authenticated hosts talk through the port (locked).
	Locked *bool
	// BackupPortIndex is the index of the port traffic fails over to
	// (backup_port DEVICE); 0 removes it (nobackup_port).
	BackupPortIndex *int32
	// BackupPort is the backup port's name. Links and the LinkBy functions
	// fill it in; it is not sent.
	BackupPort string
	// FDBFlush, when true, flushes the port's dynamic FDB entries
	// (fdb_flush). It is an action, never reported back.
	FDBFlush bool
	// MAB turns MAC authentication bypass on (Linux 6.2 and later).
	MAB *bool
	// NeighVlanSuppress suppresses ARP and ND per VLAN (Linux 6.5 and
	// later).
	NeighVlanSuppress *bool
	// McastEHTHostsLimit limits the tracked hosts of IGMPv3/MLDv2 explicit
	// host tracking (Linux 5.11 and later).
	McastEHTHostsLimit *uint32
	// McastMaxGroups limits the multicast groups joined on the port, 0 for
	// no limit (Linux 6.3 and later).
	McastMaxGroups *uint32
	// BackupNHID is the FDB nexthop id attached to traffic redirected to
	// the backup port, 0 for none (Linux 6.6 and later).
	BackupNHID *uint32

	// ID is the STP port identifier, priority and number (read-only).
	ID *uint16
	// No is the port number (read-only).
	No *uint16
	// DesignatedPort and DesignatedCost are the port identifier and path
	// cost of the designated port (read-only).
	DesignatedPort *uint16
	DesignatedCost *uint16
	// DesignatedBridge is the identifier of the designated bridge
	// (IFLA_BRPORT_BRIDGE_ID, ip's "bridge_id"; read-only).
	DesignatedBridge *BridgeID
	// DesignatedRoot is the identifier of the root bridge
	// (IFLA_BRPORT_ROOT_ID, ip's "root_id"; read-only).
	DesignatedRoot *BridgeID
	// HoldTimer, MessageAgeTimer and ForwardDelayTimer are the time left
	// on the port's timers, in centiseconds (read-only).
	HoldTimer         *uint64
	MessageAgeTimer   *uint64
	ForwardDelayTimer *uint64
	// TopologyChangeAck and ConfigPending are STP flags (read-only).
	TopologyChangeAck *bool
	ConfigPending     *bool
	// MRPRingOpen and MRPInOpen report lost MRP ring and interconnect
	// continuity (read-only).
	MRPRingOpen *bool
	MRPInOpen   *bool
	// McastEHTHostsCount counts the hosts explicit host tracking follows
	// (read-only).
	McastEHTHostsCount *uint32
	// McastGroups counts the multicast groups joined on the port
	// (read-only; Linux 6.3 and later).
	McastGroups *uint32
}

// bridgePortValues backs the pointer fields of one decoded BridgePort.
type bridgePortValues struct {
	state                                                 BridgePortState
	mcastRouter                                           uint8
	priority, groupFwdMask, id, no, desPort, desCost      uint16
	cost, ehtLimit, ehtCount, maxGroups, groups, backupNH uint32
	backupPort                                            int32
	hairpin, guard, rootBlock, fastLeave, learning, flood bool
	proxyARP, proxyARPWiFi, mcastFlood, bcastFlood        bool
	mcastToUcast, neighSuppress, vlanTunnel, isolated     bool
	locked, mab, neighVlanSuppress, tcAck, configPending  bool
	mrpRingOpen, mrpInOpen                                bool
	holdTimer, messageAgeTimer, forwardDelayTimer         uint64
	designatedBridge, designatedRoot                      BridgeID
}

// LinkKind returns "bridge", the kind of the master.
func (*BridgePort) LinkKind() string { return "bridge" }

func (p *BridgePort) validate() error {
	if s := p.State; s != nil && *s > BridgePortBlocking {
		return errInvalid("bridge port state", fmt.Sprintf("%d: want 0 (disabled) to 4 (blocking)", *s))
	}
	if v := p.Priority; v != nil && *v > bridgeMaxPortPriority {
		return errInvalid("bridge port priority", fmt.Sprintf("%d: want 0 to %d", *v, bridgeMaxPortPriority))
	}
	if v := p.Cost; v != nil && (*v < 1 || *v > bridgeMaxPathCost) {
		return errInvalid("bridge port cost", fmt.Sprintf("%d: want 1 to %d", *v, bridgeMaxPathCost))
	}
	if v := p.McastRouter; v != nil && *v > 3 {
		return errInvalid("bridge port mcast_router", fmt.Sprintf("%d: want 0 to 3", *v))
	}
	if m := p.GroupFwdMask; m != nil && *m&bridgePortGroupFwdRestricted != 0 {
		return errInvalid("bridge port group_fwd_mask", fmt.Sprintf("%#x: bit 1 (MAC pause) cannot be forwarded", *m))
	}
	if v := p.BackupPortIndex; v != nil && *v < 0 {
		return errInvalid("bridge backup port index", strconv.Itoa(int(*v)))
	}
	return nil
}

// encode appends the settings in the order ip's bridge_slave option parser
// handles them, then those ip 6.1 does not know in kernel order.
func (p *BridgePort) encode(w *writer) error {
	if err := p.validate(); err != nil {
		return err
	}
	putFlag(w, unix.IFLA_BRPORT_FLUSH, p.FDBFlush)
	putUint8(w, unix.IFLA_BRPORT_STATE, p.State)
	putUint16(w, unix.IFLA_BRPORT_PRIORITY, p.Priority)
	putUint32(w, unix.IFLA_BRPORT_COST, p.Cost)
	putBool(w, unix.IFLA_BRPORT_MODE, p.Hairpin)
	putBool(w, unix.IFLA_BRPORT_GUARD, p.Guard)
	putBool(w, unix.IFLA_BRPORT_PROTECT, p.RootBlock)
	putBool(w, unix.IFLA_BRPORT_FAST_LEAVE, p.FastLeave)
	putBool(w, unix.IFLA_BRPORT_LEARNING, p.Learning)
	putBool(w, unix.IFLA_BRPORT_UNICAST_FLOOD, p.UnicastFlood)
	putBool(w, unix.IFLA_BRPORT_MCAST_FLOOD, p.McastFlood)
	putBool(w, unix.IFLA_BRPORT_BCAST_FLOOD, p.BcastFlood)
	putBool(w, unix.IFLA_BRPORT_MCAST_TO_UCAST, p.McastToUnicast)
	putBool(w, unix.IFLA_BRPORT_PROXYARP, p.ProxyARP)
	putBool(w, unix.IFLA_BRPORT_PROXYARP_WIFI, p.ProxyARPWiFi)
	putUint8(w, unix.IFLA_BRPORT_MULTICAST_ROUTER, p.McastRouter)
	putBool(w, unix.IFLA_BRPORT_NEIGH_SUPPRESS, p.NeighSuppress)
	putUint16(w, unix.IFLA_BRPORT_GROUP_FWD_MASK, p.GroupFwdMask)
	putBool(w, unix.IFLA_BRPORT_VLAN_TUNNEL, p.VlanTunnel)
	putBool(w, unix.IFLA_BRPORT_ISOLATED, p.Isolated)
	putBool(w, unix.IFLA_BRPORT_LOCKED, p.Locked)
	putInt32(w, unix.IFLA_BRPORT_BACKUP_PORT, p.BackupPortIndex)
	putUint32(w, unix.IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT, p.McastEHTHostsLimit)
	putBool(w, unix.IFLA_BRPORT_MAB, p.MAB)
	putUint32(w, unix.IFLA_BRPORT_MCAST_MAX_GROUPS, p.McastMaxGroups)
	putBool(w, unix.IFLA_BRPORT_NEIGH_VLAN_SUPPRESS, p.NeighVlanSuppress)
	putUint32(w, unix.IFLA_BRPORT_BACKUP_NHID, p.BackupNHID)
	return nil
}

func (p *BridgePort) decode(d attrs.Decoder) error {
	v := new(bridgePortValues)
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_BRPORT_STATE:
			p.State = uint8Field(&d, &v.state)
		case unix.IFLA_BRPORT_PRIORITY:
			p.Priority = uint16Field(&d, &v.priority)
		case unix.IFLA_BRPORT_COST:
			p.Cost = uint32Field(&d, &v.cost)
		case unix.IFLA_BRPORT_MODE:
			p.Hairpin = boolField(&d, &v.hairpin)
		case unix.IFLA_BRPORT_GUARD:
			p.Guard = boolField(&d, &v.guard)
		case unix.IFLA_BRPORT_PROTECT:
			p.RootBlock = boolField(&d, &v.rootBlock)
		case unix.IFLA_BRPORT_FAST_LEAVE:
			p.FastLeave = boolField(&d, &v.fastLeave)
		case unix.IFLA_BRPORT_LEARNING:
			p.Learning = boolField(&d, &v.learning)
		case unix.IFLA_BRPORT_UNICAST_FLOOD:
			p.UnicastFlood = boolField(&d, &v.flood)
		case unix.IFLA_BRPORT_PROXYARP:
			p.ProxyARP = boolField(&d, &v.proxyARP)
		case unix.IFLA_BRPORT_PROXYARP_WIFI:
			p.ProxyARPWiFi = boolField(&d, &v.proxyARPWiFi)
		case unix.IFLA_BRPORT_ROOT_ID:
			p.DesignatedRoot = decodeBridgeID(&d, &v.designatedRoot)
		case unix.IFLA_BRPORT_BRIDGE_ID:
			p.DesignatedBridge = decodeBridgeID(&d, &v.designatedBridge)
		case unix.IFLA_BRPORT_DESIGNATED_PORT:
			p.DesignatedPort = uint16Field(&d, &v.desPort)
		case unix.IFLA_BRPORT_DESIGNATED_COST:
			p.DesignatedCost = uint16Field(&d, &v.desCost)
		case unix.IFLA_BRPORT_ID:
			p.ID = uint16Field(&d, &v.id)
		case unix.IFLA_BRPORT_NO:
			p.No = uint16Field(&d, &v.no)
		case unix.IFLA_BRPORT_TOPOLOGY_CHANGE_ACK:
			p.TopologyChangeAck = boolField(&d, &v.tcAck)
		case unix.IFLA_BRPORT_CONFIG_PENDING:
			p.ConfigPending = boolField(&d, &v.configPending)
		case unix.IFLA_BRPORT_MESSAGE_AGE_TIMER:
			p.MessageAgeTimer = uint64Field(&d, &v.messageAgeTimer)
		case unix.IFLA_BRPORT_FORWARD_DELAY_TIMER:
			p.ForwardDelayTimer = uint64Field(&d, &v.forwardDelayTimer)
		case unix.IFLA_BRPORT_HOLD_TIMER:
			p.HoldTimer = uint64Field(&d, &v.holdTimer)
		case unix.IFLA_BRPORT_MULTICAST_ROUTER:
			p.McastRouter = uint8Field(&d, &v.mcastRouter)
		case unix.IFLA_BRPORT_MCAST_FLOOD:
			p.McastFlood = boolField(&d, &v.mcastFlood)
		case unix.IFLA_BRPORT_MCAST_TO_UCAST:
			p.McastToUnicast = boolField(&d, &v.mcastToUcast)
		case unix.IFLA_BRPORT_VLAN_TUNNEL:
			p.VlanTunnel = boolField(&d, &v.vlanTunnel)
		case unix.IFLA_BRPORT_BCAST_FLOOD:
			p.BcastFlood = boolField(&d, &v.bcastFlood)
		case unix.IFLA_BRPORT_GROUP_FWD_MASK:
			p.GroupFwdMask = uint16Field(&d, &v.groupFwdMask)
		case unix.IFLA_BRPORT_NEIGH_SUPPRESS:
			p.NeighSuppress = boolField(&d, &v.neighSuppress)
		case unix.IFLA_BRPORT_ISOLATED:
			p.Isolated = boolField(&d, &v.isolated)
		case unix.IFLA_BRPORT_BACKUP_PORT:
			p.BackupPortIndex = int32Field(&d, &v.backupPort)
		case unix.IFLA_BRPORT_MRP_RING_OPEN:
			p.MRPRingOpen = boolField(&d, &v.mrpRingOpen)
		case unix.IFLA_BRPORT_MRP_IN_OPEN:
			p.MRPInOpen = boolField(&d, &v.mrpInOpen)
		case unix.IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT:
			p.McastEHTHostsLimit = uint32Field(&d, &v.ehtLimit)
		case unix.IFLA_BRPORT_MCAST_EHT_HOSTS_CNT:
			p.McastEHTHostsCount = uint32Field(&d, &v.ehtCount)
		case unix.IFLA_BRPORT_LOCKED:
			p.Locked = boolField(&d, &v.locked)
		case unix.IFLA_BRPORT_MAB:
			p.MAB = boolField(&d, &v.mab)
		case unix.IFLA_BRPORT_MCAST_N_GROUPS:
			p.McastGroups = uint32Field(&d, &v.groups)
		case unix.IFLA_BRPORT_MCAST_MAX_GROUPS:
			p.McastMaxGroups = uint32Field(&d, &v.maxGroups)
		case unix.IFLA_BRPORT_NEIGH_VLAN_SUPPRESS:
			p.NeighVlanSuppress = boolField(&d, &v.neighVlanSuppress)
		case unix.IFLA_BRPORT_BACKUP_NHID:
			p.BackupNHID = uint32Field(&d, &v.backupNH)
		}
	}
	return d.Err()
}

// resolveRefs fills in BackupPort.
func (p *BridgePort) resolveRefs(name func(index int32) string) {
	resolveLinkRef(&p.BackupPort, p.BackupPortIndex, name)
}

// bridgeFwdMaskName names bit i of a port's group_fwd_mask as ip does, or
// returns "" for a bit ip has no name for.
func bridgeFwdMaskName(i int) string {
	switch i {
	case 0:
		return "stp"
	case 2:
		return "lacp"
	case 14:
		return "lldp"
	}
	return ""
}

// brFwdMaskString formats a group_fwd_mask as ip's group_fwd_mask_str: the
// names or "0x…" values of its bits, comma-separated, or "0x0".
func brFwdMaskString(mask uint16) string {
	if mask == 0 {
		return "0x0"
	}
	var b []byte
	for i := 0; mask != 0; i, mask = i+1, mask>>1 {
		if mask&1 == 0 {
			continue
		}
		if len(b) > 0 {
			b = append(b, ',')
		}
		if name := bridgeFwdMaskName(i); name != "" {
			b = append(b, name...)
		} else {
			b = append(b, "0x"...)
			b = strconv.AppendUint(b, 1<<i, 16)
		}
	}
	return string(b)
}

// writeJSON writes the members of info_slave_data as iproute2 6.1 prints
// them.
func (p *BridgePort) writeJSON(w *jsonw.Writer) {
	if p.State != nil {
		if name, ok := p.State.name(); ok {
			w.String("state", name)
		} else {
			w.Int("state_index", int64(*p.State))
		}
	}
	if p.Priority != nil {
		w.Int("priority", int64(*p.Priority))
	}
	if p.Cost != nil {
		w.Int("cost", int64(int32(*p.Cost)))
	}
	writeJSONBool(w, "hairpin", p.Hairpin)
	writeJSONBool(w, "guard", p.Guard)
	writeJSONBool(w, "root_block", p.RootBlock)
	writeJSONBool(w, "fastleave", p.FastLeave)
	writeJSONBool(w, "learning", p.Learning)
	writeJSONBool(w, "flood", p.UnicastFlood)
	writeJSONHex(w, "id", p.ID)
	writeJSONHex(w, "no", p.No)
	writeJSONUint(w, "designated_port", p.DesignatedPort)
	writeJSONUint(w, "designated_cost", p.DesignatedCost)
	if p.DesignatedBridge != nil {
		w.String("bridge_id", p.DesignatedBridge.String())
	}
	if p.DesignatedRoot != nil {
		w.String("root_id", p.DesignatedRoot.String())
	}
	brJSONTimer(w, "hold_timer", p.HoldTimer)
	brJSONTimer(w, "message_age_timer", p.MessageAgeTimer)
	brJSONTimer(w, "forward_delay_timer", p.ForwardDelayTimer)
	brJSONBool01(w, "topology_change_ack", p.TopologyChangeAck)
	brJSONBool01(w, "config_pending", p.ConfigPending)
	writeJSONBool(w, "proxy_arp", p.ProxyARP)
	writeJSONBool(w, "proxy_arp_wifi", p.ProxyARPWiFi)
	writeJSONUint(w, "multicast_router", p.McastRouter)
	writeJSONBool(w, "mcast_flood", p.McastFlood)
	writeJSONBool(w, "bcast_flood", p.BcastFlood)
	writeJSONBool(w, "mcast_to_unicast", p.McastToUnicast)
	writeJSONBool(w, "neigh_suppress", p.NeighSuppress)
	if p.GroupFwdMask != nil {
		w.String("group_fwd_mask", printfHex(*p.GroupFwdMask))
		w.String("group_fwd_mask_str", brFwdMaskString(*p.GroupFwdMask))
	}
	writeJSONBool(w, "vlan_tunnel", p.VlanTunnel)
	writeJSONBool(w, "isolated", p.Isolated)
	writeJSONBool(w, "locked", p.Locked)
	if p.BackupPortIndex != nil {
		if *p.BackupPortIndex == 0 {
			w.String("backup_port", "*")
		} else {
			w.String("backup_port", nameOrIndex(p.BackupPort, *p.BackupPortIndex))
		}
	}
}
