package rtnl

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
)

// bondMaxTargets is BOND_MAX_ARP_TARGETS (and BOND_MAX_NS_TARGETS): the
// most ARP or NS targets a bond has.
const bondMaxTargets = 16

// bondName returns the name of v, names[v], or "UNKNOWN" as ip prints a
// value it has no name for.
func bondName(v uint32, names ...string) string {
	if int64(v) < int64(len(names)) {
		return names[v]
	}
	return "UNKNOWN"
}

// BondMode is a bonding mode (`mode`, IFLA_BOND_MODE).
type BondMode uint8

// Bonding modes.
const (
	BondBalanceRR BondMode = iota
	BondActiveBackup
	BondBalanceXOR
	BondBroadcast
	Bond8023AD
	BondBalanceTLB
	BondBalanceALB
)

// String returns the mode as ip names it, such as "active-backup".
func (m BondMode) String() string {
	return bondName(uint32(m), "balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb")
}

// BondARPValidate says which ARP probes and replies a bond validates
// (`arp_validate`, IFLA_BOND_ARP_VALIDATE).
type BondARPValidate uint32

// ARP validation settings.
const (
	BondARPValidateNone BondARPValidate = iota
	BondARPValidateActive
	BondARPValidateBackup
	BondARPValidateAll
	BondARPValidateFilter
	BondARPValidateFilterActive
	BondARPValidateFilterBackup
)

// String returns the setting as ip names it, such as "filter_active".
func (v BondARPValidate) String() string {
	return bondName(uint32(v), "none", "active", "backup", "all", "filter", "filter_active", "filter_backup")
}

// BondARPAllTargets says whether any or all ARP targets must answer for a
// port to be up (`arp_all_targets`, IFLA_BOND_ARP_ALL_TARGETS).
type BondARPAllTargets uint32

// ARP target settings.
const (
	BondARPAllTargetsAny BondARPAllTargets = iota
	BondARPAllTargetsAll
)

// String returns "any" or "all".
func (v BondARPAllTargets) String() string { return bondName(uint32(v), "any", "all") }

// BondPrimaryReselect says when the primary port becomes active again
// (`primary_reselect`, IFLA_BOND_PRIMARY_RESELECT).
type BondPrimaryReselect uint8

// Primary reselection policies.
const (
	BondPrimaryReselectAlways BondPrimaryReselect = iota
	BondPrimaryReselectBetter
	BondPrimaryReselectFailure
)

// String returns "always", "better" or "failure".
func (v BondPrimaryReselect) String() string {
	return bondName(uint32(v), "always", "better", "failure")
}

// BondFailOverMAC says how an active-backup bond sets its ports' MAC
// addresses (`fail_over_mac`, IFLA_BOND_FAIL_OVER_MAC).
type BondFailOverMAC uint8

// Fail-over MAC policies.
const (
	BondFailOverMACNone BondFailOverMAC = iota
	BondFailOverMACActive
	BondFailOverMACFollow
)

// String returns "none", "active" or "follow".
func (v BondFailOverMAC) String() string {
	return bondName(uint32(v), "none", "active", "follow")
}

// BondXmitHashPolicy is the transmit hash policy of the balance-xor,
// 802.3ad and tlb modes (`xmit_hash_policy`, IFLA_BOND_XMIT_HASH_POLICY).
type BondXmitHashPolicy uint8

// Transmit hash policies.
const (
	BondXmitHashLayer2 BondXmitHashPolicy = iota
	BondXmitHashLayer34
	BondXmitHashLayer23
	BondXmitHashEncap23
	BondXmitHashEncap34
	BondXmitHashVlanSrcMAC
)

// String returns the policy as ip names it, such as "layer3+4".
func (v BondXmitHashPolicy) String() string {
	return bondName(uint32(v), "layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac")
}

// BondLACPRate is the rate of the LACPDUs an 802.3ad bond asks its partner
// for (`lacp_rate`, IFLA_BOND_AD_LACP_RATE).
type BondLACPRate uint8

// LACP rates.
const (
	BondLACPRateSlow BondLACPRate = iota // every 30 seconds
	BondLACPRateFast                     // every second
)

// String returns "slow" or "fast".
func (v BondLACPRate) String() string { return bondName(uint32(v), "slow", "fast") }

// BondADSelect is the 802.3ad aggregator selection logic (`ad_select`,
// IFLA_BOND_AD_SELECT).
type BondADSelect uint8

// Aggregator selection policies.
const (
	BondADSelectStable BondADSelect = iota
	BondADSelectBandwidth
	BondADSelectCount
)

// String returns "stable", "bandwidth" or "count".
func (v BondADSelect) String() string {
	return bondName(uint32(v), "stable", "bandwidth", "count")
}

// Bond is the data of a bonding device ("bond", IFLA_BOND_*), as
// `ip link add NAME type bond …` sets it and `ip -d link show` reports it.
// Nil fields are not sent, or were not reported. Enslave links with
// [Conn.SetLink] and a MasterIndex; their port data is a [*BondPort].
//
// Times are in milliseconds unless stated otherwise. To change settings of
// an existing bond (`ip link set dev NAME type bond …`), send a Bond with
// only those fields set; the kernel refuses some changes while the bond is
// up or has ports (the mode, for one).
type Bond struct {
	// Mode is the bonding mode (`mode`).
	Mode *BondMode
	// ActiveSlaveIndex is the index of the active port of an active-backup
	// bond (`active_slave DEV`); a pointer to 0 clears it
	// (`clear_active_slave`). The kernel reports it only when there is one.
	ActiveSlaveIndex *int32
	// ActiveSlave is the active port's name, filled in by Links and the
	// LinkBy functions.
	ActiveSlave string
	// MIIMon is the MII link monitoring interval (`miimon`); 0 disables it.
	MIIMon *uint32
	// UpDelay, DownDelay and PeerNotifyDelay delay enabling a port after
	// its link comes up, disabling it after its link goes down, and peer
	// notifications after a failover (`updelay`, `downdelay`,
	// `peer_notify_delay`): multiples of MIIMon.
	UpDelay, DownDelay, PeerNotifyDelay *uint32
	// UseCarrier makes MII monitoring use the carrier state rather than
	// MII or ethtool ioctls (`use_carrier 0|1`).
	UseCarrier *bool
	// ARPInterval is the ARP link monitoring interval (`arp_interval`); 0
	// disables it.
	ARPInterval *uint32
	// ARPMissedMax is the number of ARP monitor intervals a port may miss
	// before it is considered down (`arp_missed_max`, Linux 5.19 and
	// later).
	ARPMissedMax *uint8
	// ARPIPTargets are the IPv4 addresses ARP monitoring probes
	// (`arp_ip_target A,B,…`), at most 16. A non-nil empty slice clears
	// them (`arp_ip_target` with no list).
	ARPIPTargets []netip.Addr
	// NSIP6Targets are the IPv6 addresses neighbour solicitation
	// monitoring probes (`ns_ip6_target A,B,…`, Linux 5.19 and later), at
	// most 16; a non-nil empty slice clears them.
	NSIP6Targets []netip.Addr
	// ARPValidate chooses the ARP traffic validated (`arp_validate`).
	ARPValidate *BondARPValidate
	// ARPAllTargets says whether any or all targets must answer
	// (`arp_all_targets`).
	ARPAllTargets *BondARPAllTargets
	// PrimaryIndex is the index of the preferred port (`primary DEV`); the
	// kernel reports it only when there is one.
	PrimaryIndex *int32
	// Primary is the preferred port's name, filled in like ActiveSlave.
	Primary string
	// PrimaryReselect says when the primary becomes active again
	// (`primary_reselect`).
	PrimaryReselect *BondPrimaryReselect
	// FailOverMAC is the fail-over MAC policy (`fail_over_mac`).
	FailOverMAC *BondFailOverMAC
	// XmitHashPolicy is the transmit hash policy (`xmit_hash_policy`).
	XmitHashPolicy *BondXmitHashPolicy
	// ResendIGMP is the number of IGMP membership reports sent after a
	// failover (`resend_igmp`).
	ResendIGMP *uint32
	// NumPeerNotif is the number of peer notifications (gratuitous ARPs
	// and unsolicited IPv6 neighbour advertisements) sent after a failover
	// (`num_grat_arp`, `num_unsol_na`).
	NumPeerNotif *uint8
	// AllSlavesActive delivers duplicate frames received on inactive
	// ports (`all_slaves_active 0|1`).
	AllSlavesActive *bool
	// MinLinks is the number of ports that must be up for the bond to
	// have carrier (`min_links`).
	MinLinks *uint32
	// LPInterval is the interval, in seconds, between the learning packets
	// of the tlb and alb modes (`lp_interval`).
	LPInterval *uint32
	// PacketsPerSlave is the number of packets a balance-rr bond sends
	// through a port before moving to the next (`packets_per_slave`); 0
	// picks a random port.
	PacketsPerSlave *uint32
	// LACPActive makes an 802.3ad bond send LACPDUs itself rather than
	// only answer them (`lacp_active on|off`, Linux 5.15 and later).
	LACPActive *bool
	// LACPRate is the LACPDU rate asked of the partner (`lacp_rate`).
	LACPRate *BondLACPRate
	// ADSelect is the aggregator selection logic (`ad_select`).
	ADSelect *BondADSelect
	// ADActorSysPrio is the 802.3ad system priority (`ad_actor_sys_prio`).
	ADActorSysPrio *uint16
	// ADUserPortKey is the user part of the 802.3ad port key
	// (`ad_user_port_key`).
	ADUserPortKey *uint16
	// ADActorSystem is the 802.3ad system MAC address
	// (`ad_actor_system`).
	ADActorSystem net.HardwareAddr
	// TLBDynamicLB shuffles flows between ports by load in the tlb mode
	// (`tlb_dynamic_lb 0|1`).
	TLBDynamicLB *bool
	// CoupledControl couples the collecting and distributing states of
	// 802.3ad ports (Linux 6.9 and later; iproute2 6.1 neither sets nor
	// prints it).
	CoupledControl *bool
	// ADInfo describes the active 802.3ad aggregator; reported only, in
	// 802.3ad mode, and ignored when creating or changing a bond.
	ADInfo *BondADInfo

	v bondValues
}

// BondADInfo describes the active aggregator of an 802.3ad bond
// (IFLA_BOND_AD_INFO).
type BondADInfo struct {
	// Aggregator is the aggregator's id.
	Aggregator uint16
	// NumPorts is the number of ports in the aggregator.
	NumPorts uint16
	// ActorKey and PartnerKey are the actor's and the partner's keys.
	ActorKey, PartnerKey uint16
	// PartnerMAC is the partner's system MAC address.
	PartnerMAC net.HardwareAddr

	present uint8 // bits 1<<IFLA_BOND_AD_INFO_* of the attributes sent
}

// bondValues backs the pointer fields of a decoded Bond.
type bondValues struct {
	mode                                       BondMode
	activeSlave, primary                       int32
	miimon, updelay, downdelay, peerNotifDelay uint32
	arpInterval, resendIGMP, minLinks          uint32
	lpInterval, packetsPerSlave                uint32
	useCarrier, allSlavesActive, lacpActive    bool
	tlbDynamicLB, coupledControl               bool
	missedMax, numPeerNotif                    uint8
	arpValidate                                BondARPValidate
	arpAllTargets                              BondARPAllTargets
	primaryReselect                            BondPrimaryReselect
	failOverMAC                                BondFailOverMAC
	xmitHashPolicy                             BondXmitHashPolicy
	lacpRate                                   BondLACPRate
	adSelect                                   BondADSelect
	adActorSysPrio, adUserPortKey              uint16
	adInfo                                     BondADInfo
}

// LinkKind returns "bond".
func (*Bond) LinkKind() string { return "bond" }

func bondFlag(v bool) uint8 {
	if v {
		return 1
	}
	return 0
}

func (b *Bond) validate() error {
	switch {
	case b.Mode != nil && *b.Mode > BondBalanceALB:
		return errInvalid("bond mode", strconv.Itoa(int(*b.Mode)))
	case b.ActiveSlaveIndex != nil && *b.ActiveSlaveIndex < 0:
		return errInvalid("bond active slave", strconv.Itoa(int(*b.ActiveSlaveIndex)))
	case b.PrimaryIndex != nil && *b.PrimaryIndex <= 0:
		return errInvalid("bond primary", strconv.Itoa(int(*b.PrimaryIndex)))
	case b.ARPValidate != nil && *b.ARPValidate > BondARPValidateFilterBackup:
		return errInvalid("bond arp_validate", strconv.Itoa(int(*b.ARPValidate)))
	case b.ARPAllTargets != nil && *b.ARPAllTargets > BondARPAllTargetsAll:
		return errInvalid("bond arp_all_targets", strconv.Itoa(int(*b.ARPAllTargets)))
	case b.PrimaryReselect != nil && *b.PrimaryReselect > BondPrimaryReselectFailure:
		return errInvalid("bond primary_reselect", strconv.Itoa(int(*b.PrimaryReselect)))
	case b.FailOverMAC != nil && *b.FailOverMAC > BondFailOverMACFollow:
		return errInvalid("bond fail_over_mac", strconv.Itoa(int(*b.FailOverMAC)))
	case b.XmitHashPolicy != nil && *b.XmitHashPolicy > BondXmitHashVlanSrcMAC:
		return errInvalid("bond xmit_hash_policy", strconv.Itoa(int(*b.XmitHashPolicy)))
	case b.LACPRate != nil && *b.LACPRate > BondLACPRateFast:
		return errInvalid("bond lacp_rate", strconv.Itoa(int(*b.LACPRate)))
	case b.ADSelect != nil && *b.ADSelect > BondADSelectCount:
		return errInvalid("bond ad_select", strconv.Itoa(int(*b.ADSelect)))
	case b.ADActorSystem != nil && len(b.ADActorSystem) != 6:
		return errInvalid("bond ad_actor_system", fmt.Sprintf("%v is not a 6-byte MAC address", b.ADActorSystem))
	case len(b.ARPIPTargets) > bondMaxTargets:
		return errInvalid("bond arp_ip_target", fmt.Sprintf("%d targets, at most %d", len(b.ARPIPTargets), bondMaxTargets))
	case len(b.NSIP6Targets) > bondMaxTargets:
		return errInvalid("bond ns_ip6_target", fmt.Sprintf("%d targets, at most %d", len(b.NSIP6Targets), bondMaxTargets))
	}
	for _, a := range b.ARPIPTargets {
		if !a.Is4() {
			return errInvalid("bond arp_ip_target", fmt.Sprintf("%v is not an IPv4 address", a))
		}
	}
	for _, a := range b.NSIP6Targets {
		if !a.Is6() || a.Is4In6() {
			return errInvalid("bond ns_ip6_target", fmt.Sprintf("%v is not an IPv6 address", a))
		}
	}
	return nil
}

// encode appends the settings in the order of their attribute numbers, the
// order the kernel reports them in; ip sends them in the order of its
// arguments.
func (b *Bond) encode(w *writer) error {
	if err := b.validate(); err != nil {
		return err
	}
	if b.Mode != nil {
		w.Uint8(unix.IFLA_BOND_MODE, uint8(*b.Mode))
	}
	if b.ActiveSlaveIndex != nil {
		w.Int32(unix.IFLA_BOND_ACTIVE_SLAVE, *b.ActiveSlaveIndex)
	}
	putUint32(w, unix.IFLA_BOND_MIIMON, b.MIIMon)
	putUint32(w, unix.IFLA_BOND_UPDELAY, b.UpDelay)
	putUint32(w, unix.IFLA_BOND_DOWNDELAY, b.DownDelay)
	putBool(w, unix.IFLA_BOND_USE_CARRIER, b.UseCarrier)
	putUint32(w, unix.IFLA_BOND_ARP_INTERVAL, b.ARPInterval)
	if b.ARPIPTargets != nil {
		n := w.Nest(unix.IFLA_BOND_ARP_IP_TARGET)
		for i, a := range b.ARPIPTargets {
			w.Addr(uint16(i), a)
		}
		w.End(n)
	}
	if b.ARPValidate != nil {
		w.Uint32(unix.IFLA_BOND_ARP_VALIDATE, uint32(*b.ARPValidate))
	}
	if b.ARPAllTargets != nil {
		w.Uint32(unix.IFLA_BOND_ARP_ALL_TARGETS, uint32(*b.ARPAllTargets))
	}
	if b.PrimaryIndex != nil {
		w.Int32(unix.IFLA_BOND_PRIMARY, *b.PrimaryIndex)
	}
	if b.PrimaryReselect != nil {
		w.Uint8(unix.IFLA_BOND_PRIMARY_RESELECT, uint8(*b.PrimaryReselect))
	}
	if b.FailOverMAC != nil {
		w.Uint8(unix.IFLA_BOND_FAIL_OVER_MAC, uint8(*b.FailOverMAC))
	}
	if b.XmitHashPolicy != nil {
		w.Uint8(unix.IFLA_BOND_XMIT_HASH_POLICY, uint8(*b.XmitHashPolicy))
	}
	putUint32(w, unix.IFLA_BOND_RESEND_IGMP, b.ResendIGMP)
	if b.NumPeerNotif != nil {
		w.Uint8(unix.IFLA_BOND_NUM_PEER_NOTIF, *b.NumPeerNotif)
	}
	putBool(w, unix.IFLA_BOND_ALL_SLAVES_ACTIVE, b.AllSlavesActive)
	putUint32(w, unix.IFLA_BOND_MIN_LINKS, b.MinLinks)
	putUint32(w, unix.IFLA_BOND_LP_INTERVAL, b.LPInterval)
	putUint32(w, unix.IFLA_BOND_PACKETS_PER_SLAVE, b.PacketsPerSlave)
	if b.LACPRate != nil {
		w.Uint8(unix.IFLA_BOND_AD_LACP_RATE, uint8(*b.LACPRate))
	}
	if b.ADSelect != nil {
		w.Uint8(unix.IFLA_BOND_AD_SELECT, uint8(*b.ADSelect))
	}
	if b.ADActorSysPrio != nil {
		w.Uint16(unix.IFLA_BOND_AD_ACTOR_SYS_PRIO, *b.ADActorSysPrio)
	}
	if b.ADUserPortKey != nil {
		w.Uint16(unix.IFLA_BOND_AD_USER_PORT_KEY, *b.ADUserPortKey)
	}
	if b.ADActorSystem != nil {
		w.HardwareAddr(unix.IFLA_BOND_AD_ACTOR_SYSTEM, b.ADActorSystem)
	}
	putBool(w, unix.IFLA_BOND_TLB_DYNAMIC_LB, b.TLBDynamicLB)
	putUint32(w, unix.IFLA_BOND_PEER_NOTIF_DELAY, b.PeerNotifyDelay)
	putBool(w, unix.IFLA_BOND_AD_LACP_ACTIVE, b.LACPActive)
	if b.ARPMissedMax != nil {
		w.Uint8(unix.IFLA_BOND_MISSED_MAX, *b.ARPMissedMax)
	}
	if b.NSIP6Targets != nil {
		n := w.Nest(unix.IFLA_BOND_NS_IP6_TARGET)
		for i, a := range b.NSIP6Targets {
			w.Addr(uint16(i), a)
		}
		w.End(n)
	}
	putBool(w, unix.IFLA_BOND_COUPLED_CONTROL, b.CoupledControl)
	return nil
}

func (b *Bond) decode(d attrs.Decoder) error {
	v := &b.v
	flag := func(p *bool) *bool { *p = d.Uint8() != 0; return p }
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_BOND_MODE:
			v.mode = BondMode(d.Uint8())
			b.Mode = &v.mode
		case unix.IFLA_BOND_ACTIVE_SLAVE:
			v.activeSlave = d.Int32()
			b.ActiveSlaveIndex = &v.activeSlave
		case unix.IFLA_BOND_MIIMON:
			b.MIIMon = uint32Field(&d, &v.miimon)
		case unix.IFLA_BOND_UPDELAY:
			b.UpDelay = uint32Field(&d, &v.updelay)
		case unix.IFLA_BOND_DOWNDELAY:
			b.DownDelay = uint32Field(&d, &v.downdelay)
		case unix.IFLA_BOND_PEER_NOTIF_DELAY:
			b.PeerNotifyDelay = uint32Field(&d, &v.peerNotifDelay)
		case unix.IFLA_BOND_USE_CARRIER:
			b.UseCarrier = flag(&v.useCarrier)
		case unix.IFLA_BOND_ARP_INTERVAL:
			b.ARPInterval = uint32Field(&d, &v.arpInterval)
		case unix.IFLA_BOND_MISSED_MAX:
			b.ARPMissedMax = uint8Field(&d, &v.missedMax)
		case unix.IFLA_BOND_ARP_IP_TARGET:
			targets, err := decodeBondTargets(d.Nested(), 4)
			if err != nil {
				return err
			}
			b.ARPIPTargets = targets
		case unix.IFLA_BOND_NS_IP6_TARGET:
			targets, err := decodeBondTargets(d.Nested(), 16)
			if err != nil {
				return err
			}
			b.NSIP6Targets = targets
		case unix.IFLA_BOND_ARP_VALIDATE:
			v.arpValidate = BondARPValidate(d.Uint32())
			b.ARPValidate = &v.arpValidate
		case unix.IFLA_BOND_ARP_ALL_TARGETS:
			v.arpAllTargets = BondARPAllTargets(d.Uint32())
			b.ARPAllTargets = &v.arpAllTargets
		case unix.IFLA_BOND_PRIMARY:
			v.primary = d.Int32()
			b.PrimaryIndex = &v.primary
		case unix.IFLA_BOND_PRIMARY_RESELECT:
			v.primaryReselect = BondPrimaryReselect(d.Uint8())
			b.PrimaryReselect = &v.primaryReselect
		case unix.IFLA_BOND_FAIL_OVER_MAC:
			v.failOverMAC = BondFailOverMAC(d.Uint8())
			b.FailOverMAC = &v.failOverMAC
		case unix.IFLA_BOND_XMIT_HASH_POLICY:
			v.xmitHashPolicy = BondXmitHashPolicy(d.Uint8())
			b.XmitHashPolicy = &v.xmitHashPolicy
		case unix.IFLA_BOND_RESEND_IGMP:
			b.ResendIGMP = uint32Field(&d, &v.resendIGMP)
		case unix.IFLA_BOND_NUM_PEER_NOTIF:
			b.NumPeerNotif = uint8Field(&d, &v.numPeerNotif)
		case unix.IFLA_BOND_ALL_SLAVES_ACTIVE:
			b.AllSlavesActive = flag(&v.allSlavesActive)
		case unix.IFLA_BOND_MIN_LINKS:
			b.MinLinks = uint32Field(&d, &v.minLinks)
		case unix.IFLA_BOND_LP_INTERVAL:
			b.LPInterval = uint32Field(&d, &v.lpInterval)
		case unix.IFLA_BOND_PACKETS_PER_SLAVE:
			b.PacketsPerSlave = uint32Field(&d, &v.packetsPerSlave)
		case unix.IFLA_BOND_AD_LACP_ACTIVE:
			b.LACPActive = flag(&v.lacpActive)
		case unix.IFLA_BOND_AD_LACP_RATE:
			v.lacpRate = BondLACPRate(d.Uint8())
			b.LACPRate = &v.lacpRate
		case unix.IFLA_BOND_AD_SELECT:
			v.adSelect = BondADSelect(d.Uint8())
			b.ADSelect = &v.adSelect
		case unix.IFLA_BOND_AD_INFO:
			if err := v.adInfo.decode(d.Nested()); err != nil {
				return err
			}
			b.ADInfo = &v.adInfo
		case unix.IFLA_BOND_AD_ACTOR_SYS_PRIO:
			v.adActorSysPrio = d.Uint16()
			b.ADActorSysPrio = &v.adActorSysPrio
		case unix.IFLA_BOND_AD_USER_PORT_KEY:
			v.adUserPortKey = d.Uint16()
			b.ADUserPortKey = &v.adUserPortKey
		case unix.IFLA_BOND_AD_ACTOR_SYSTEM:
			b.ADActorSystem = d.HardwareAddr()
			if b.ADActorSystem == nil {
				b.ADActorSystem = net.HardwareAddr{}
			}
		case unix.IFLA_BOND_TLB_DYNAMIC_LB:
			b.TLBDynamicLB = flag(&v.tlbDynamicLB)
		case unix.IFLA_BOND_COUPLED_CONTROL:
			b.CoupledControl = flag(&v.coupledControl)
		}
	}
	return d.Err()
}

// decodeBondTargets reads the targets of IFLA_BOND_ARP_IP_TARGET or
// IFLA_BOND_NS_IP6_TARGET: addresses of size bytes, in attributes numbered
// from 0. Like ip, it keeps those numbered below 16.
func decodeBondTargets(d attrs.Decoder, size int) ([]netip.Addr, error) {
	targets := make([]netip.Addr, 0, 2)
	for d.Next() {
		if d.Type() >= bondMaxTargets {
			continue
		}
		if d.Len() != size {
			return nil, &attrs.Error{Offset: d.Offset(), Type: d.Type(), Reason: fmt.Sprintf("bond target is %d bytes, want %d", d.Len(), size)}
		}
		targets = append(targets, d.Addr())
	}
	return targets, d.Err()
}

func (a *BondADInfo) decode(d attrs.Decoder) error {
	for d.Next() {
		switch t := d.Type(); t {
		case unix.IFLA_BOND_AD_INFO_AGGREGATOR:
			a.Aggregator = d.Uint16()
		case unix.IFLA_BOND_AD_INFO_NUM_PORTS:
			a.NumPorts = d.Uint16()
		case unix.IFLA_BOND_AD_INFO_ACTOR_KEY:
			a.ActorKey = d.Uint16()
		case unix.IFLA_BOND_AD_INFO_PARTNER_KEY:
			a.PartnerKey = d.Uint16()
		case unix.IFLA_BOND_AD_INFO_PARTNER_MAC:
			if d.Len() != 6 {
				return &attrs.Error{Offset: d.Offset(), Type: t, Reason: fmt.Sprintf("partner MAC is %d bytes, want 6", d.Len())}
			}
			a.PartnerMAC = d.HardwareAddr()
		default:
			continue
		}
		a.present |= 1 << d.Type()
	}
	return d.Err()
}

func (b *Bond) resolveRefs(name func(int32) string) {
	if b.ActiveSlaveIndex != nil && *b.ActiveSlaveIndex != 0 {
		b.ActiveSlave = name(*b.ActiveSlaveIndex)
	}
	if b.PrimaryIndex != nil && *b.PrimaryIndex != 0 {
		b.Primary = name(*b.PrimaryIndex)
	}
}

func bondJSONFlag(w *jsonw.Writer, key string, v *bool) {
	if v != nil {
		w.Uint(key, uint64(bondFlag(*v)))
	}
}

func bondJSONU8(w *jsonw.Writer, key string, v *uint8) {
	if v != nil {
		w.Uint(key, uint64(*v))
	}
}

func bondJSONU16(w *jsonw.Writer, key string, v *uint16) {
	if v != nil {
		w.Uint(key, uint64(*v))
	}
}

// writeJSON writes info_data as ip 6.1 prints it (bond_print_opt): in its
// order, which is not the kernel's; ports by name; arp_validate "none" as
// null; flags as 0 or 1.
func (b *Bond) writeJSON(w *jsonw.Writer) {
	if b.Mode != nil {
		w.String("mode", b.Mode.String())
	}
	if b.ActiveSlaveIndex != nil && *b.ActiveSlaveIndex != 0 {
		w.String("active_slave", nameOrIndex(b.ActiveSlave, *b.ActiveSlaveIndex))
	}
	writeJSONUint(w, "miimon", b.MIIMon)
	writeJSONUint(w, "updelay", b.UpDelay)
	writeJSONUint(w, "downdelay", b.DownDelay)
	writeJSONUint(w, "peer_notify_delay", b.PeerNotifyDelay)
	bondJSONFlag(w, "use_carrier", b.UseCarrier)
	writeJSONUint(w, "arp_interval", b.ARPInterval)
	bondJSONU8(w, "arp_missed_max", b.ARPMissedMax)
	for _, t := range []struct {
		key     string
		targets []netip.Addr
	}{{"arp_ip_target", b.ARPIPTargets}, {"ns_ip6_target", b.NSIP6Targets}} {
		if len(t.targets) > 0 {
			w.OpenArray(t.key)
			for _, a := range t.targets {
				w.String("", a.String())
			}
			w.CloseArray()
		}
	}
	if b.ARPValidate != nil {
		if *b.ARPValidate == BondARPValidateNone {
			w.Null("arp_validate")
		} else {
			w.String("arp_validate", b.ARPValidate.String())
		}
	}
	if b.ARPAllTargets != nil {
		w.String("arp_all_targets", b.ARPAllTargets.String())
	}
	if b.PrimaryIndex != nil && *b.PrimaryIndex != 0 {
		w.String("primary", nameOrIndex(b.Primary, *b.PrimaryIndex))
	}
	if b.PrimaryReselect != nil {
		w.String("primary_reselect", b.PrimaryReselect.String())
	}
	if b.FailOverMAC != nil {
		w.String("fail_over_mac", b.FailOverMAC.String())
	}
	if b.XmitHashPolicy != nil {
		w.String("xmit_hash_policy", b.XmitHashPolicy.String())
	}
	writeJSONUint(w, "resend_igmp", b.ResendIGMP)
	bondJSONU8(w, "num_peer_notif", b.NumPeerNotif)
	bondJSONFlag(w, "all_slaves_active", b.AllSlavesActive)
	writeJSONUint(w, "min_links", b.MinLinks)
	writeJSONUint(w, "lp_interval", b.LPInterval)
	writeJSONUint(w, "packets_per_slave", b.PacketsPerSlave)
	if b.LACPActive != nil {
		w.String("ad_lacp_active", bondName(uint32(bondFlag(*b.LACPActive)), "off", "on"))
	}
	if b.LACPRate != nil {
		w.String("ad_lacp_rate", b.LACPRate.String())
	}
	if b.ADSelect != nil {
		w.String("ad_select", b.ADSelect.String())
	}
	if a := b.ADInfo; a != nil {
		w.Open("ad_info")
		if a.present&(1<<unix.IFLA_BOND_AD_INFO_AGGREGATOR) != 0 {
			w.Int("aggregator", int64(a.Aggregator))
		}
		if a.present&(1<<unix.IFLA_BOND_AD_INFO_NUM_PORTS) != 0 {
			w.Int("num_ports", int64(a.NumPorts))
		}
		if a.present&(1<<unix.IFLA_BOND_AD_INFO_ACTOR_KEY) != 0 {
			w.Int("actor_key", int64(a.ActorKey))
		}
		if a.present&(1<<unix.IFLA_BOND_AD_INFO_PARTNER_KEY) != 0 {
			w.Int("partner_key", int64(a.PartnerKey))
		}
		if a.PartnerMAC != nil {
			w.String("partner_mac", LinkType(0).FormatAddress(a.PartnerMAC))
		}
		w.Close()
	}
	bondJSONU16(w, "ad_actor_sys_prio", b.ADActorSysPrio)
	bondJSONU16(w, "ad_user_port_key", b.ADUserPortKey)
	if b.ADActorSystem != nil {
		w.String("ad_actor_system", LinkType(unix.ARPHRD_ETHER).FormatAddress(b.ADActorSystem))
	}
	bondJSONFlag(w, "tlb_dynamic_lb", b.TLBDynamicLB)
}

// BondPortState is the state of a bond port (IFLA_BOND_SLAVE_STATE).
type BondPortState uint8

// Bond port states.
const (
	BondPortActive BondPortState = iota
	BondPortBackup
)

// String returns "ACTIVE" or "BACKUP".
func (s BondPortState) String() string {
	return bondName(uint32(s), "ACTIVE", "BACKUP")
}

// BondPortMIIStatus is the link state of a bond port as the bond sees it
// (IFLA_BOND_SLAVE_MII_STATUS).
type BondPortMIIStatus uint8

// Bond port link states.
const (
	BondPortMIIUp BondPortMIIStatus = iota
	BondPortMIIGoingDown
	BondPortMIIDown
	BondPortMIIGoingBack
)

// String returns "UP", "GOING_DOWN", "DOWN" or "GOING_BACK".
func (s BondPortMIIStatus) String() string {
	return bondName(uint32(s), "UP", "GOING_DOWN", "DOWN", "GOING_BACK")
}

// BondPort is the data of a link enslaved to a bond (info_slave_kind
// "bond", IFLA_BOND_SLAVE_*). QueueID and Prio can be set (`ip link set dev
// DEV type bond_slave queue_id ID prio PRIO`) through LinkChange.Info's
// SlaveData; the other fields are reported only, and ignored when sent.
type BondPort struct {
	// State is the port's state in the bond.
	State *BondPortState
	// MIIStatus is the port's link state.
	MIIStatus *BondPortMIIStatus
	// LinkFailureCount counts the port's link failures.
	LinkFailureCount *uint32
	// PermHWAddr is the port's own MAC address, which the bond may have
	// replaced.
	PermHWAddr net.HardwareAddr
	// QueueID is the transmit queue the port is tied to (`queue_id`).
	QueueID *uint16
	// Prio is the port's priority for becoming active (`prio`, Linux 6.0
	// and later).
	Prio *int32
	// ADAggregatorID is the id of the 802.3ad aggregator the port is in.
	ADAggregatorID *uint16
	// ADActorOperPortState and ADPartnerOperPortState are the LACP port
	// states (LACP_STATE_* bits) of the port and of its partner.
	ADActorOperPortState, ADPartnerOperPortState *uint8

	v bondPortValues
}

type bondPortValues struct {
	state                    BondPortState
	mii                      BondPortMIIStatus
	failures                 uint32
	queueID, aggregatorID    uint16
	prio                     int32
	actorState, partnerState uint8
}

// LinkKind returns "bond", the master's kind.
func (*BondPort) LinkKind() string { return "bond" }

func (p *BondPort) encode(w *writer) error {
	if p.QueueID != nil {
		w.Uint16(unix.IFLA_BOND_SLAVE_QUEUE_ID, *p.QueueID)
	}
	if p.Prio != nil {
		w.Int32(unix.IFLA_BOND_SLAVE_PRIO, *p.Prio)
	}
	return nil
}

func (p *BondPort) decode(d attrs.Decoder) error {
	v := &p.v
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_BOND_SLAVE_STATE:
			v.state = BondPortState(d.Uint8())
			p.State = &v.state
		case unix.IFLA_BOND_SLAVE_MII_STATUS:
			v.mii = BondPortMIIStatus(d.Uint8())
			p.MIIStatus = &v.mii
		case unix.IFLA_BOND_SLAVE_LINK_FAILURE_COUNT:
			p.LinkFailureCount = uint32Field(&d, &v.failures)
		case unix.IFLA_BOND_SLAVE_PERM_HWADDR:
			p.PermHWAddr = d.HardwareAddr()
			if p.PermHWAddr == nil {
				p.PermHWAddr = net.HardwareAddr{}
			}
		case unix.IFLA_BOND_SLAVE_QUEUE_ID:
			v.queueID = d.Uint16()
			p.QueueID = &v.queueID
		case unix.IFLA_BOND_SLAVE_PRIO:
			v.prio = d.Int32()
			p.Prio = &v.prio
		case unix.IFLA_BOND_SLAVE_AD_AGGREGATOR_ID:
			v.aggregatorID = d.Uint16()
			p.ADAggregatorID = &v.aggregatorID
		case unix.IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE:
			v.actorState = d.Uint8()
			p.ADActorOperPortState = &v.actorState
		case unix.IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE:
			// The kernel sends a u16; ip reads its first byte.
			if d.Len() == 1 {
				v.partnerState = d.Uint8()
			} else {
				v.partnerState = uint8(d.Uint16())
			}
			p.ADPartnerOperPortState = &v.partnerState
		}
	}
	return d.Err()
}

func bondJSONLACPState(w *jsonw.Writer, key string, state *uint8) {
	if state == nil {
		return
	}
	w.Int(key, int64(*state))
	w.OpenArray(key + "_str")
	// The LACP_STATE_* bits, in ip's order.
	for bit, name := range [...]string{"active", "short_timeout", "aggregating", "in_sync", "collecting", "distributing", "defaulted", "expired"} {
		if *state&(1<<bit) != 0 {
			w.String("", name)
		}
	}
	w.CloseArray()
}

// writeJSON writes info_slave_data as ip 6.1 prints it
// (bond_slave_print_opt).
func (p *BondPort) writeJSON(w *jsonw.Writer) {
	if s := p.State; s != nil {
		if *s > BondPortBackup {
			w.Int("state_index", int64(*s))
		} else {
			w.String("state", s.String())
		}
	}
	if s := p.MIIStatus; s != nil {
		if *s > BondPortMIIGoingBack {
			w.Int("mii_status_index", int64(*s))
		} else {
			w.String("mii_status", s.String())
		}
	}
	if p.LinkFailureCount != nil {
		w.Int("link_failure_count", int64(int32(*p.LinkFailureCount)))
	}
	if p.PermHWAddr != nil {
		w.String("perm_hwaddr", LinkType(0).FormatAddress(p.PermHWAddr))
	}
	if p.QueueID != nil {
		w.Int("queue_id", int64(*p.QueueID))
	}
	if p.Prio != nil {
		w.Int("prio", int64(*p.Prio))
	}
	if p.ADAggregatorID != nil {
		w.Int("ad_aggregator_id", int64(*p.ADAggregatorID))
	}
	bondJSONLACPState(w, "ad_actor_oper_port_state", p.ADActorOperPortState)
	bondJSONLACPState(w, "ad_partner_oper_port_state", p.ADPartnerOperPortState)
}
