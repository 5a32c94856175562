package rtnl

import (
	"fmt"
	"net/netip"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// A NetNSID is a namespace id given or taken back in the monitored
// namespace (`ip netns set NAME ID`; RTM_NEWNSID and RTM_DELNSID).
type NetNSID struct {
	// ID is the id, in the monitored namespace, of the other namespace
	// (NETNSA_NSID).
	ID int32
}

// decodeNetNSID decodes an RTM_NEWNSID or RTM_DELNSID payload: a struct
// rtgenmsg and its attributes.
func decodeNetNSID(b []byte) (NetNSID, error) {
	const rtgenmsgLen = 4 // the family byte and its padding
	if len(b) < rtgenmsgLen {
		return NetNSID{}, fmt.Errorf("nsid message of %d bytes is too short", len(b))
	}
	n := NetNSID{ID: unix.NETNSA_NSID_NOT_ASSIGNED}
	found := false
	d := attrs.NewDecoder(b[rtgenmsgLen:])
	for d.Next() {
		if d.Type() == unix.NETNSA_NSID {
			n.ID, found = d.Int32(), true
		}
	}
	if err := d.Err(); err != nil {
		return NetNSID{}, err
	}
	if !found {
		return NetNSID{}, fmt.Errorf("nsid message without NETNSA_NSID")
	}
	return n, nil
}

// A Prefix is an IPv6 prefix that a router advertisement announced on a
// link (RTM_NEWPREFIX; `prefix` in `ip monitor`).
type Prefix struct {
	// Family is unix.AF_INET6 (prefix_family).
	Family uint8
	// LinkIndex is the index of the link the advertisement came on
	// (prefix_ifindex).
	LinkIndex int32
	// Type is the neighbour discovery option type (prefix_type; 3).
	Type uint8
	// Prefix is the prefix (PREFIX_ADDRESS and prefix_len).
	Prefix netip.Prefix
	// OnLink and Autoconf are the flags of the option (prefix_flags;
	// `onlink`, `autoconf`).
	OnLink, Autoconf bool
	// Lifetimes are the preferred and valid lifetimes in seconds
	// (PREFIX_CACHEINFO), or nil when the kernel sent none.
	Lifetimes *PrefixLifetimes
}

// PrefixLifetimes are the lifetimes of an advertised prefix (struct
// prefix_cacheinfo).
type PrefixLifetimes struct {
	Preferred, Valid uint32
}

// prefixmsgLen is the size of struct prefixmsg.
const prefixmsgLen = 12

// The flags of struct prefixmsg (IF_PREFIX_*).
const (
	prefixOnLink   = 0x01
	prefixAutoconf = 0x02
)

// decodePrefix decodes an RTM_NEWPREFIX payload.
func decodePrefix(b []byte) (Prefix, error) {
	if len(b) < prefixmsgLen {
		return Prefix{}, fmt.Errorf("prefix message of %d bytes is too short", len(b))
	}
	p := Prefix{
		Family:    b[0],
		LinkIndex: int32(native.Endian.Uint32(b[4:])),
		Type:      b[8],
		OnLink:    b[10]&prefixOnLink != 0,
		Autoconf:  b[10]&prefixAutoconf != 0,
	}
	bits := int(b[9])
	d := attrs.NewDecoder(b[prefixmsgLen:])
	for d.Next() {
		switch d.Type() {
		case unix.PREFIX_ADDRESS:
			if a := d.Addr(); a.IsValid() {
				p.Prefix = netip.PrefixFrom(a, bits)
				if !p.Prefix.IsValid() {
					return Prefix{}, fmt.Errorf("prefix %s with length %d is invalid", a, bits)
				}
			}
		case unix.PREFIX_CACHEINFO:
			v := d.Bytes()
			if len(v) < 8 {
				return Prefix{}, fmt.Errorf("PREFIX_CACHEINFO of %d bytes is too short", len(v))
			}
			p.Lifetimes = &PrefixLifetimes{Preferred: native.Endian.Uint32(v), Valid: native.Endian.Uint32(v[4:])}
		}
	}
	return p, d.Err()
}
