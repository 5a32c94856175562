package rtnl

import (
	"fmt"
	"net/netip"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// An AddrLabel is an entry of the IPv6 address label table (RFC 6724
// policy table) that source and destination address selection consult:
// what `ip addrlabel list` reports of it (struct ifaddrlblmsg and the
// IFAL_* attributes).
//
// Its JSON (see [AddrLabel.MarshalJSON]) is one element of what
// `ip -j addrlabel list` (iproute2 6.1) prints. The same type describes
// the entry to add or delete.
type AddrLabel struct {
	// Prefix is the IPv6 prefix the entry applies to (IFAL_ADDRESS and
	// ifal_prefixlen).
	Prefix netip.Prefix
	// LinkIndex is the index of the link the entry is limited to
	// (ifal_index), or 0 for every link (`dev DEV`).
	LinkIndex int32
	// LinkName is the name of the link with index LinkIndex, filled in by
	// the lists; requests ignore it.
	LinkName string
	// Label is the label (IFAL_LABEL; `label N`): addresses with equal
	// labels are preferred as pairs. 0xffffffff is reserved.
	Label uint32
}

// ifAddrLblMsgLen is the size of struct ifaddrlblmsg.
const ifAddrLblMsgLen = 12

// addrLabelReserved is IPV6_ADDR_LABEL_DEFAULT, the label no entry may
// have.
const addrLabelReserved = 0xffffffff

// MarshalJSON encodes the entry as one element of `ip -j addrlabel list`
// (iproute2 6.1): "address" and "prefixlen", "ifname" for an entry limited
// to a link, and "label".
func (a AddrLabel) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	if a.Prefix.IsValid() {
		w.String("address", inetNtop(a.Prefix.Addr()))
		w.Uint("prefixlen", uint64(a.Prefix.Bits()))
	}
	if a.LinkIndex != 0 {
		w.String("ifname", nameOrIndex(a.LinkName, a.LinkIndex))
	}
	w.Uint("label", uint64(a.Label))
	w.Close()
	return w.Bytes(), nil
}

// decodeAddrLabel decodes an RTM_NEWADDRLABEL or RTM_DELADDRLABEL payload
// (ifaddrlblmsg and attributes). On an error it returns what it read
// before it.
func decodeAddrLabel(b []byte) (AddrLabel, error) {
	var a AddrLabel
	if len(b) < ifAddrLblMsgLen {
		return a, fmt.Errorf("address label message too short: %d bytes", len(b))
	}
	prefixLen := int(b[2])
	a.LinkIndex = int32(native.Endian.Uint32(b[4:]))
	d := attrs.NewDecoder(b[ifAddrLblMsgLen:])
	for d.Next() {
		switch d.Type() {
		case unix.IFAL_ADDRESS:
			a.Prefix = netip.PrefixFrom(d.Addr(), prefixLen)
		case unix.IFAL_LABEL:
			a.Label = d.Uint32()
		}
	}
	return a, d.Err()
}

// decodeAddrLabelMessage decodes an entry from a dump reply, skipping
// messages of other types.
func decodeAddrLabelMessage(m nlconn.Message) (AddrLabel, bool, error) {
	if m.Type != unix.RTM_NEWADDRLABEL {
		return AddrLabel{}, false, nil
	}
	a, err := decodeAddrLabel(m.Data)
	return a, err == nil, err
}

// putIfAddrLblMsg appends a struct ifaddrlblmsg of family AF_INET6.
func putIfAddrLblMsg(w *writer, prefixLen uint8, index int32) {
	var hdr [ifAddrLblMsgLen]byte
	hdr[0], hdr[2] = unix.AF_INET6, prefixLen
	native.Endian.PutUint32(hdr[4:], uint32(index))
	w.Append(hdr[:])
}
