package rtnl

import (
	"fmt"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// The NHA_* attributes and nested attributes that x/sys/unix lacks.
const (
	nhaFDB       = 11 // NHA_FDB
	nhaResGroup  = 12 // NHA_RES_GROUP
	nhaResBucket = 13 // NHA_RES_BUCKET

	nhaResGroupBuckets         = 1 // NHA_RES_GROUP_BUCKETS
	nhaResGroupIdleTimer       = 2 // NHA_RES_GROUP_IDLE_TIMER
	nhaResGroupUnbalancedTimer = 3 // NHA_RES_GROUP_UNBALANCED_TIMER
	nhaResGroupUnbalancedTime  = 4 // NHA_RES_GROUP_UNBALANCED_TIME

	nhaResBucketIndex    = 1 // NHA_RES_BUCKET_INDEX
	nhaResBucketIdleTime = 2 // NHA_RES_BUCKET_IDLE_TIME
	nhaResBucketNHID     = 3 // NHA_RES_BUCKET_NH_ID
)

// nhMsgLen is the size of struct nhmsg, and nexthopGrpLen that of struct
// nexthop_grp.
const (
	nhMsgLen      = 8
	nexthopGrpLen = 8
)

// decodeNexthop decodes the payload of an RTM_NEWNEXTHOP or
// RTM_DELNEXTHOP message: a struct nhmsg and the NHA_* attributes.
func decodeNexthop(b []byte) (Nexthop, error) {
	var n Nexthop
	if len(b) < nhMsgLen {
		return n, fmt.Errorf("nexthop message is %d bytes, shorter than nhmsg", len(b))
	}
	n.Family = b[0]
	n.Scope = Scope(b[1])
	n.Protocol = Protocol(b[2])
	n.Flags = RouteFlags(native.Endian.Uint32(b[4:]))
	enc := nexthopEncapAttrs()
	d := attrs.NewDecoder(b[nhMsgLen:])
	for d.Next() {
		if enc.take(&d) {
			continue
		}
		switch d.Type() {
		case unix.NHA_ID:
			n.ID = d.Uint32()
		case unix.NHA_GROUP:
			g, err := decodeNexthopGroup(d.Bytes())
			if err != nil {
				return n, err
			}
			n.Group = g
		case unix.NHA_GROUP_TYPE:
			n.GroupType = NexthopGroupType(d.Uint16())
		case nhaResGroup:
			r, err := decodeNexthopResilient(d.Nested())
			if err != nil {
				return n, err
			}
			n.Resilient = r
		case unix.NHA_GATEWAY:
			n.Gateway = d.Addr()
		case unix.NHA_OIF:
			n.LinkIndex = d.Int32()
		case unix.NHA_BLACKHOLE:
			n.Blackhole = true
		case nhaFDB:
			n.FDB = true
		}
	}
	if err := d.Err(); err != nil {
		return n, err
	}
	e, err := enc.decode()
	n.Encap = e
	return n, err
}

// decodeNexthopGroup decodes the array of struct nexthop_grp of NHA_GROUP.
func decodeNexthopGroup(b []byte) ([]NexthopGroupMember, error) {
	if len(b) == 0 || len(b)%nexthopGrpLen != 0 {
		return nil, fmt.Errorf("NHA_GROUP is %d bytes, not a multiple of %d", len(b), nexthopGrpLen)
	}
	g := make([]NexthopGroupMember, len(b)/nexthopGrpLen)
	for i := range g {
		e := b[i*nexthopGrpLen:]
		// weight is the weight less one, weight_high its high 8 bits.
		g[i] = NexthopGroupMember{ID: native.Endian.Uint32(e), Weight: (uint16(e[5])<<8 | uint16(e[4])) + 1}
	}
	return g, nil
}

// decodeNexthopResilient decodes the attributes nested in NHA_RES_GROUP.
func decodeNexthopResilient(d attrs.Decoder) (*NexthopResilient, error) {
	r := new(NexthopResilient)
	for d.Next() {
		switch d.Type() {
		case nhaResGroupBuckets:
			r.Buckets = d.Uint16()
		case nhaResGroupIdleTimer:
			r.IdleTimer = ticksDuration(uint64(d.Uint32()))
		case nhaResGroupUnbalancedTimer:
			r.UnbalancedTimer = ticksDuration(uint64(d.Uint32()))
		case nhaResGroupUnbalancedTime:
			r.UnbalancedTime = ticksDuration(d.Uint64())
		}
	}
	if err := d.Err(); err != nil {
		return nil, fmt.Errorf("NHA_RES_GROUP: %w", err)
	}
	return r, nil
}

// decodeNexthopMessage decodes a nexthop from a dump reply, skipping
// messages of other types.
func decodeNexthopMessage(m nlconn.Message) (Nexthop, bool, error) {
	if m.Type != unix.RTM_NEWNEXTHOP {
		return Nexthop{}, false, nil
	}
	n, err := decodeNexthop(m.Data)
	return n, err == nil, err
}
