package rtnl

import (
	"fmt"
	"net"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// An ndHeader is a struct ndmsg, the header of neighbour and FDB messages.
type ndHeader struct {
	family uint8
	index  int32
	state  NeighState
	flags  NeighFlags
	typ    uint8
}

// maxLLAddrLen is the longest link-layer address the kernel has
// (MAX_ADDR_LEN).
const maxLLAddrLen = 32

// decodeNdMsg decodes the ndmsg at the start of an RTM_*NEIGH payload and
// returns a decoder of the attributes after it.
func decodeNdMsg(b []byte, what string) (ndHeader, attrs.Decoder, error) {
	if len(b) < ndmsgLen {
		return ndHeader{}, attrs.Decoder{}, fmt.Errorf("%s message too short: %d bytes", what, len(b))
	}
	h := ndHeader{
		family: b[0],
		index:  int32(native.Endian.Uint32(b[4:])),
		state:  NeighState(native.Endian.Uint16(b[8:])),
		flags:  NeighFlags(b[10]),
		typ:    b[11],
	}
	return h, attrs.NewDecoder(b[ndmsgLen:]), nil
}

// putNdMsg appends a struct ndmsg.
func putNdMsg(w *writer, family uint8, index int32, state NeighState, flags NeighFlags) {
	var hdr [ndmsgLen]byte
	hdr[0] = family
	native.Endian.PutUint32(hdr[4:], uint32(index))
	native.Endian.PutUint16(hdr[8:], uint16(state))
	hdr[10] = uint8(flags)
	w.Append(hdr[:])
}

// decodeCacheInfo decodes an NDA_CACHEINFO payload into ci.
func decodeCacheInfo(d *attrs.Decoder, ci *NeighCacheInfo) error {
	b := d.Bytes()
	if len(b) < ndaCacheInfoLen {
		return fmt.Errorf("NDA_CACHEINFO is %d bytes, want %d", len(b), ndaCacheInfoLen)
	}
	*ci = NeighCacheInfo{
		Confirmed: native.Endian.Uint32(b),
		Used:      native.Endian.Uint32(b[4:]),
		Updated:   native.Endian.Uint32(b[8:]),
		RefCount:  native.Endian.Uint32(b[12:]),
	}
	return nil
}

// llAddr returns a copy of the current attribute's payload as a link-layer
// address in buf, or an error for one longer than the kernel has.
func llAddr(d *attrs.Decoder, buf *[maxLLAddrLen]byte) (net.HardwareAddr, error) {
	b := d.Bytes()
	if len(b) > maxLLAddrLen {
		return nil, fmt.Errorf("NDA_LLADDR is %d bytes, longer than %d", len(b), maxLLAddrLen)
	}
	return net.HardwareAddr(buf[:copy(buf[:], b)]), nil
}

// neighValues backs the pointer fields and the address of a decoded
// neighbour, so that decoding allocates once.
type neighValues struct {
	cacheInfo NeighCacheInfo
	probes    uint32
	lladdr    [maxLLAddrLen]byte
}

// decodeNeighbor decodes an RTM_NEWNEIGH, RTM_DELNEIGH or RTM_GETNEIGH
// payload (ndmsg and attributes) as a neighbour. On an error it returns what
// it read before it.
func decodeNeighbor(b []byte) (Neighbor, error) {
	return decodeNeighborIn(b, nil)
}

// decodeNeighborIn decodes a neighbour as decodeNeighbor does, the values
// behind its pointer fields and address carved from vs, which may be nil.
func decodeNeighborIn(b []byte, vs *slab[neighValues]) (Neighbor, error) {
	h, d, err := decodeNdMsg(b, "neighbour")
	if err != nil {
		return Neighbor{}, err
	}
	n := Neighbor{
		Family:    h.family,
		LinkIndex: h.index,
		State:     h.state,
		Flags:     h.flags,
		Type:      RouteType(h.typ),
	}
	var v *neighValues
	values := func() *neighValues {
		if v == nil {
			v = vs.new()
		}
		return v
	}
	for d.Next() {
		switch d.Type() {
		case unix.NDA_DST:
			n.Dst = d.Addr()
		case unix.NDA_LLADDR:
			if n.LLAddr, err = llAddr(&d, &values().lladdr); err != nil {
				return n, err
			}
		case unix.NDA_CACHEINFO:
			if err := decodeCacheInfo(&d, &values().cacheInfo); err != nil {
				return n, err
			}
			n.CacheInfo = &v.cacheInfo
		case unix.NDA_PROBES:
			n.Probes = uint32Field(&d, &values().probes)
		case ndaProtocol:
			n.Protocol = Protocol(d.Uint8())
		case ndaFlagsExt:
			n.ExtFlags = NeighExtFlags(d.Uint32())
		}
	}
	return n, d.Err()
}

// neighDecoder decodes the neighbours of one dump, the values behind
// their pointer fields carved from one slab.
type neighDecoder struct {
	values slab[neighValues]
}

// message decodes a neighbour from a dump reply, skipping messages of
// other types.
func (nd *neighDecoder) message(m nlconn.Message) (Neighbor, bool, error) {
	if m.Type != unix.RTM_NEWNEIGH {
		return Neighbor{}, false, nil
	}
	n, err := decodeNeighborIn(m.Data, &nd.values)
	return n, err == nil, err
}

// fdbValues backs the pointer fields and the address of a decoded FDB
// entry, so that decoding allocates once.
type fdbValues struct {
	cacheInfo   NeighCacheInfo
	port        uint16
	vni, srcVNI uint32
	netnsid     int32
	mac         [maxLLAddrLen]byte
}

// decodeFDBEntry decodes an RTM_NEWNEIGH or RTM_DELNEIGH payload of family
// AF_BRIDGE as an FDB entry. On an error it returns what it read before it.
func decodeFDBEntry(b []byte) (FDBEntry, error) {
	h, d, err := decodeNdMsg(b, "fdb")
	if err != nil {
		return FDBEntry{}, err
	}
	e := FDBEntry{LinkIndex: h.index, State: h.state, Flags: h.flags}
	v := new(fdbValues)
	for d.Next() {
		switch d.Type() {
		case unix.NDA_LLADDR:
			if e.MAC, err = llAddr(&d, &v.mac); err != nil {
				return e, err
			}
		case unix.NDA_DST:
			e.Dst = d.Addr()
		case unix.NDA_VLAN:
			e.VLAN = d.Uint16()
		case unix.NDA_PORT:
			e.Port = portField(&d, &v.port)
		case unix.NDA_VNI:
			e.VNI = uint32Field(&d, &v.vni)
		case unix.NDA_SRC_VNI:
			e.SrcVNI = uint32Field(&d, &v.srcVNI)
		case unix.NDA_IFINDEX:
			e.ViaIndex = d.Int32()
		case ndaNHID:
			e.NHID = d.Uint32()
		case unix.NDA_LINK_NETNSID:
			e.LinkNetNSID = int32Field(&d, &v.netnsid)
		case unix.NDA_MASTER:
			e.MasterIndex = d.Int32()
		case unix.NDA_CACHEINFO:
			if err := decodeCacheInfo(&d, &v.cacheInfo); err != nil {
				return e, err
			}
			e.CacheInfo = &v.cacheInfo
		case ndaFlagsExt:
			e.ExtFlags = NeighExtFlags(d.Uint32())
		}
	}
	return e, d.Err()
}

// decodeFDBMessage decodes an FDB entry from a dump reply, skipping
// messages of other types and families, as bridge does.
func decodeFDBMessage(m nlconn.Message) (FDBEntry, bool, error) {
	if m.Type != unix.RTM_NEWNEIGH || len(m.Data) > 0 && m.Data[0] != fdbFamily {
		return FDBEntry{}, false, nil
	}
	e, err := decodeFDBEntry(m.Data)
	return e, err == nil, err
}
