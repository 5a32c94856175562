package rtnl

import (
	"fmt"
	"net/netip"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// ifAddrMsgLen is the size of struct ifaddrmsg.
const ifAddrMsgLen = unix.SizeofIfAddrmsg

// ifaProto is IFA_PROTO (Linux 6.3 and later), which x/sys/unix lacks.
const ifaProto = 11

// ifaCacheInfoLen is the size of struct ifa_cacheinfo.
const ifaCacheInfoLen = 16

// decodeAddress decodes an RTM_NEWADDR or RTM_DELADDR payload (ifaddrmsg and
// attributes). The label is copied; a does not alias b. On an error it
// returns what it read before it.
func decodeAddress(b []byte) (Address, error) {
	return (*addrDecoder)(nil).decode(b)
}

// An addrDecoder decodes the addresses of one dump: their lifetimes are
// carved from one slab, and a label the same as the last one shares its
// string.
type addrDecoder struct {
	lifetimes slab[AddrLifetimes]
	label     string
}

// decode decodes an address as decodeAddress does; ad may be nil.
func (ad *addrDecoder) decode(b []byte) (Address, error) {
	var a Address
	if len(b) < ifAddrMsgLen {
		return a, fmt.Errorf("address message too short: %d bytes", len(b))
	}
	a.Family = b[0]
	prefixLen := int(b[1])
	a.Flags = AddrFlags(b[2])
	a.Scope = Scope(b[3])
	a.LinkIndex = int32(native.Endian.Uint32(b[4:]))

	var local, addr netip.Addr
	d := attrs.NewDecoder(b[ifAddrMsgLen:])
	for d.Next() {
		switch d.Type() {
		case unix.IFA_LOCAL:
			local = d.Addr()
		case unix.IFA_ADDRESS:
			addr = d.Addr()
		case unix.IFA_BROADCAST:
			a.Broadcast = d.Addr()
		case unix.IFA_ANYCAST:
			a.Anycast = d.Addr()
		case unix.IFA_LABEL:
			a.Label = ad.labelOf(&d)
		case unix.IFA_FLAGS:
			a.Flags = AddrFlags(d.Uint32())
		case unix.IFA_RT_PRIORITY:
			a.Metric = d.Uint32()
		case ifaProto:
			a.Protocol = AddrProto(d.Uint8())
		case unix.IFA_CACHEINFO:
			ci := d.Bytes()
			if len(ci) < ifaCacheInfoLen {
				return a, fmt.Errorf("IFA_CACHEINFO is %d bytes, want %d", len(ci), ifaCacheInfoLen)
			}
			a.Lifetimes = ad.newLifetimes()
			*a.Lifetimes = AddrLifetimes{
				Preferred: native.Endian.Uint32(ci),
				Valid:     native.Endian.Uint32(ci[4:]),
				Created:   native.Endian.Uint32(ci[8:]),
				Updated:   native.Endian.Uint32(ci[12:]),
			}
		}
	}
	// As ip does: either address stands for the other when it is missing;
	// IFA_ADDRESS is the peer's only where the two differ.
	switch {
	case !local.IsValid():
		local = addr
	case addr.IsValid() && addr != local:
		a.Peer = addr
	}
	if local.IsValid() {
		a.Prefix = netip.PrefixFrom(local, prefixLen)
	}
	return a, d.Err()
}

// newLifetimes returns zeroed lifetimes for an address.
func (ad *addrDecoder) newLifetimes() *AddrLifetimes {
	if ad == nil {
		return new(AddrLifetimes)
	}
	return ad.lifetimes.new()
}

// labelOf returns the label d's attribute holds, the last label's string
// when they are the same.
func (ad *addrDecoder) labelOf(d *attrs.Decoder) string {
	if ad == nil {
		return d.String()
	}
	if b := d.StringBytes(); string(b) != ad.label {
		ad.label = string(b)
	}
	return ad.label
}

// message decodes an address from a dump reply, skipping messages of
// other types.
func (ad *addrDecoder) message(m nlconn.Message) (Address, bool, error) {
	if m.Type != unix.RTM_NEWADDR {
		return Address{}, false, nil
	}
	a, err := ad.decode(m.Data)
	return a, err == nil, err
}
