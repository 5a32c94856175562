package rtnl

import (
	"fmt"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// ifInfoMsgLen is the size of struct ifinfomsg.
const ifInfoMsgLen = unix.SizeofIfInfomsg

// linkValues holds the optional values of one decoded Link, so that a single
// allocation backs all of its pointer fields.
type linkValues struct {
	parent, netnsid                                       int32
	promiscuity, allmulti, minMTU, maxMTU                 uint32
	numTx, numRx, gsoSize, gsoSegs, tsoSize, tsoSegs, gro uint32
	gsoV4, groV4, carrierChanges                          uint32
	addrGenMode                                           AddrGenMode
	stats                                                 LinkStats
	info                                                  LinkInfo
}

// decodeLink decodes an RTM_NEWLINK or RTM_DELLINK payload (ifinfomsg and
// attributes). Strings and addresses are copied; l does not alias b.
func decodeLink(b []byte) (Link, error) {
	var l Link
	if len(b) < ifInfoMsgLen {
		return l, fmt.Errorf("link message too short: %d bytes", len(b))
	}
	l.Type = LinkType(native.Endian.Uint16(b[2:]))
	l.Index = int32(native.Endian.Uint32(b[4:]))
	l.Flags = LinkFlags(native.Endian.Uint32(b[8:]))

	v := new(linkValues)
	var addr, brd, perm []byte
	var stats64, stats32 []byte
	d := attrs.NewDecoder(b[ifInfoMsgLen:])
	for d.Next() {
		switch d.Type() {
		case unix.IFLA_IFNAME:
			l.Name = d.String()
		case unix.IFLA_ADDRESS:
			addr = d.Bytes()
		case unix.IFLA_BROADCAST:
			brd = d.Bytes()
		case unix.IFLA_PERM_ADDRESS:
			perm = d.Bytes()
		case unix.IFLA_MTU:
			l.MTU = d.Uint32()
		case unix.IFLA_LINK:
			l.ParentIndex = int32Field(&d, &v.parent)
		case unix.IFLA_LINK_NETNSID:
			l.LinkNetNSID = int32Field(&d, &v.netnsid)
		case unix.IFLA_QDISC:
			l.Qdisc = internQdisc(d.StringBytes())
		case unix.IFLA_MASTER:
			l.MasterIndex = d.Int32()
		case unix.IFLA_OPERSTATE:
			l.OperState = OperState(d.Uint8())
		case unix.IFLA_LINKMODE:
			l.LinkMode = d.Uint8()
		case unix.IFLA_GROUP:
			l.Group = d.Uint32()
		case unix.IFLA_TXQLEN:
			l.TxQueueLen = d.Uint32()
		case unix.IFLA_EVENT:
			l.Event = LinkEvent(d.Uint32())
		case unix.IFLA_PROTO_DOWN:
			l.ProtoDown = d.Uint8() != 0
		case unix.IFLA_PROTO_DOWN_REASON:
			l.ProtoDownReason = decodeProtoDownReason(d.Nested())
		case unix.IFLA_PROMISCUITY:
			l.Promiscuity = uint32Field(&d, &v.promiscuity)
		case unix.IFLA_ALLMULTI:
			l.Allmulti = uint32Field(&d, &v.allmulti)
		case unix.IFLA_MIN_MTU:
			l.MinMTU = uint32Field(&d, &v.minMTU)
		case unix.IFLA_MAX_MTU:
			l.MaxMTU = uint32Field(&d, &v.maxMTU)
		case unix.IFLA_LINKINFO:
			if err := decodeLinkInfo(d.Nested(), &v.info); err != nil {
				return l, err
			}
			l.Info = &v.info
		case unix.IFLA_AF_SPEC:
			if mode, ok := decodeAddrGenMode(d.Nested()); ok {
				v.addrGenMode = mode
				l.AddrGenMode = &v.addrGenMode
			}
		case unix.IFLA_NUM_TX_QUEUES:
			l.NumTxQueues = uint32Field(&d, &v.numTx)
		case unix.IFLA_NUM_RX_QUEUES:
			l.NumRxQueues = uint32Field(&d, &v.numRx)
		case unix.IFLA_GSO_MAX_SIZE:
			l.GSOMaxSize = uint32Field(&d, &v.gsoSize)
		case unix.IFLA_GSO_MAX_SEGS:
			l.GSOMaxSegs = uint32Field(&d, &v.gsoSegs)
		case unix.IFLA_TSO_MAX_SIZE:
			l.TSOMaxSize = uint32Field(&d, &v.tsoSize)
		case unix.IFLA_TSO_MAX_SEGS:
			l.TSOMaxSegs = uint32Field(&d, &v.tsoSegs)
		case unix.IFLA_GRO_MAX_SIZE:
			l.GROMaxSize = uint32Field(&d, &v.gro)
		case unix.IFLA_GSO_IPV4_MAX_SIZE:
			l.GSOIPv4MaxSize = uint32Field(&d, &v.gsoV4)
		case unix.IFLA_GRO_IPV4_MAX_SIZE:
			l.GROIPv4MaxSize = uint32Field(&d, &v.groV4)
		case unix.IFLA_PHYS_PORT_NAME:
			l.PhysPortName = d.String()
		case unix.IFLA_PHYS_PORT_ID:
			l.PhysPortID = append([]byte(nil), d.Bytes()...)
		case unix.IFLA_PHYS_SWITCH_ID:
			l.PhysSwitchID = append([]byte(nil), d.Bytes()...)
		case unix.IFLA_PARENT_DEV_BUS_NAME:
			l.ParentBus = d.String()
		case unix.IFLA_PARENT_DEV_NAME:
			l.ParentDev = d.String()
		case unix.IFLA_IFALIAS:
			l.Alias = d.String()
		case unix.IFLA_STATS64:
			stats64 = d.Bytes()
		case unix.IFLA_STATS:
			stats32 = d.Bytes()
		case unix.IFLA_CARRIER_CHANGES:
			l.CarrierChanges = uint32Field(&d, &v.carrierChanges)
		case unix.IFLA_PROP_LIST:
			l.AltNames = decodeAltNames(d.Nested())
		}
	}
	if err := d.Err(); err != nil {
		return l, err
	}
	switch {
	case stats64 != nil:
		decodeStats64(&v.stats, stats64)
		l.Stats = &v.stats
	case stats32 != nil:
		decodeStats32(&v.stats, stats32)
		l.Stats = &v.stats
	}
	l.Address, l.Broadcast, l.PermAddress = copyHardwareAddrs(addr, brd, perm)
	return l, nil
}

// copyHardwareAddrs copies the three addresses into one allocation.
func copyHardwareAddrs(a, b, c []byte) (x, y, z []byte) {
	n := len(a) + len(b) + len(c)
	if n == 0 {
		return nil, nil, nil
	}
	buf := make([]byte, 0, n)
	take := func(s []byte) []byte {
		if s == nil {
			return nil
		}
		start := len(buf)
		buf = append(buf, s...)
		return buf[start:len(buf):len(buf)]
	}
	return take(a), take(b), take(c)
}

// internQdisc returns the string for b, reusing a common qdisc name when b
// is one: a link decoder hands those out without allocating.
func internQdisc(b []byte) string {
	for _, q := range [...]string{"noqueue", "noop", "fq_codel", "pfifo_fast", "mq", "fq", "cake", "pfifo", "htb", "tbf", "sfq", "prio", "netem", "ingress", "clsact"} {
		if q == string(b) {
			return q
		}
	}
	return string(b)
}

func decodeProtoDownReason(d attrs.Decoder) uint32 {
	var reason uint32
	for d.Next() {
		if d.Type() == unix.IFLA_PROTO_DOWN_REASON_VALUE {
			reason = d.Uint32()
		}
	}
	return reason
}

// internKind returns the string for b, reusing a common link kind when b
// is one: those are decoded without allocating.
func internKind(b []byte) string {
	for _, k := range [...]string{
		"veth", "bridge", "vxlan", "macvlan", "macvtap", "tun", "vlan", "bond", "dummy", "ipvlan", "ipvtap",
		"geneve", "vrf", "gre", "gretap", "erspan", "ip6gre", "ip6gretap", "ip6erspan", "ipip", "sit",
		"ip6tnl", "vti", "vti6", "wireguard", "ifb", "netkit",
	} {
		if k == string(b) {
			return k
		}
	}
	return string(b)
}

// decodeAddrGenMode finds IFLA_INET6_ADDR_GEN_MODE in IFLA_AF_SPEC.
func decodeAddrGenMode(d attrs.Decoder) (AddrGenMode, bool) {
	for d.Next() {
		if d.Type() != unix.AF_INET6 {
			continue
		}
		for in6 := d.Nested(); in6.Next(); {
			if in6.Type() == unix.IFLA_INET6_ADDR_GEN_MODE {
				return AddrGenMode(in6.Uint8()), true
			}
		}
	}
	return 0, false
}

func decodeAltNames(d attrs.Decoder) []string {
	var names []string
	for d.Next() {
		if d.Type() == unix.IFLA_ALT_IFNAME {
			names = append(names, d.String())
		}
	}
	return names
}

// statsFields lists LinkStats' counters in the order of struct
// rtnl_link_stats64 (and of the 32-bit struct rtnl_link_stats).
func statsFields(s *LinkStats) [25]*uint64 {
	return [25]*uint64{
		&s.RxPackets, &s.TxPackets, &s.RxBytes, &s.TxBytes,
		&s.RxErrors, &s.TxErrors, &s.RxDropped, &s.TxDropped,
		&s.Multicast, &s.Collisions,
		&s.RxLengthErrors, &s.RxOverErrors, &s.RxCRCErrors, &s.RxFrameErrors,
		&s.RxFIFOErrors, &s.RxMissedErrors,
		&s.TxAbortedErrors, &s.TxCarrierErrors, &s.TxFIFOErrors,
		&s.TxHeartbeatErrors, &s.TxWindowErrors,
		&s.RxCompressed, &s.TxCompressed, &s.RxNoHandler, &s.RxOtherhostDrop,
	}
}

// decodeStats64 reads a struct rtnl_link_stats64 of any length the kernel
// sends: missing trailing counters stay zero, unknown ones are ignored.
func decodeStats64(s *LinkStats, b []byte) {
	for i, p := range statsFields(s) {
		if len(b) < (i+1)*8 {
			break
		}
		*p = native.Endian.Uint64(b[i*8:])
	}
}

// decodeStats32 reads the 32-bit struct rtnl_link_stats.
func decodeStats32(s *LinkStats, b []byte) {
	for i, p := range statsFields(s) {
		if len(b) < (i+1)*4 {
			break
		}
		*p = uint64(native.Endian.Uint32(b[i*4:]))
	}
	s.Only32Bit = true
}
