package rtnl

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"
)

// addrFlushRounds is how many times FlushAddresses dumps and deletes, as
// ip's default -loops 10.
const addrFlushRounds = 10

// AddAddress adds the address a describes to the link a.LinkIndex, as
// `ip addr add` does: Prefix (the local address and prefix length), and any
// of Peer, Broadcast or AutoBroadcast, Anycast, Label, Scope, Flags (those
// a user may set), Lifetimes, Metric and Protocol. Family may be left zero.
//
// Invalid input is rejected with an [*InvalidError] before anything is sent:
// no link index, no address, a prefix length beyond the family's bits,
// addresses of mixed families, a broadcast address or an IPv6-only flag for
// IPv6 or IPv4 respectively, a valid lifetime of 0 or shorter than the
// preferred one. A missing link gives an error matching [ErrNotExist]; an
// address the link has already, one matching [ErrExist] that carries the
// kernel's message ("ipv4: Address already assigned").
func (c *Conn) AddAddress(ctx context.Context, a Address) error {
	return c.newAddress(ctx, "add", a, nlmAddrAdd)
}

// The header flags of the RTM_NEWADDR requests of ip addr add, replace and
// change.
const (
	nlmAddrAdd     = unix.NLM_F_CREATE | unix.NLM_F_EXCL
	nlmAddrReplace = unix.NLM_F_CREATE | unix.NLM_F_REPLACE
	nlmAddrChange  = unix.NLM_F_REPLACE
)

// ReplaceAddress adds the address a describes, or changes it if the link
// has it already, as `ip addr replace` does. See [Conn.AddAddress].
func (c *Conn) ReplaceAddress(ctx context.Context, a Address) error {
	return c.newAddress(ctx, "replace", a, nlmAddrReplace)
}

// ChangeAddress changes an address the link has, as `ip addr change` does
// (NLM_F_REPLACE without NLM_F_CREATE): its lifetimes, flags, metric and, for
// IPv4, broadcast address and label. The kernel ignores the missing
// NLM_F_CREATE for addresses: a missing address is created, as with ip. See
// [Conn.AddAddress].
func (c *Conn) ChangeAddress(ctx context.Context, a Address) error {
	return c.newAddress(ctx, "change", a, nlmAddrChange)
}

func (c *Conn) newAddress(ctx context.Context, verb string, a Address, flags uint16) error {
	var w writer
	if err := w.addrRequest(&a, false); err != nil {
		return err
	}
	return c.nl.Execute(ctx, addrOp(verb, &a), unix.RTM_NEWADDR, flags, w.Bytes(), nil)
}

// DeleteAddress deletes the address a describes from the link a.LinkIndex,
// as `ip addr del` does. The kernel finds it by Prefix (the local address
// and prefix length), Peer and, for IPv4, Label when it is set; the request
// also carries Scope and the settable Flags (with mngtmpaddr, the kernel
// deletes the temporary addresses made from an IPv6 address too), and
// leaves the other fields out. An address from [Conn.Addresses] can be
// passed as it is. An address the link does not have gives an error
// matching [ErrNotExist].
func (c *Conn) DeleteAddress(ctx context.Context, a Address) error {
	var w writer
	if err := w.addrRequest(&a, true); err != nil {
		return err
	}
	return c.nl.Execute(ctx, addrOp("delete", &a), unix.RTM_DELADDR, 0, w.Bytes(), nil)
}

// addrOp names an operation on a for errors.
func addrOp(verb string, a *Address) string {
	return fmt.Sprintf("rtnl: %s address %s on link %d", verb, a.Prefix, a.LinkIndex)
}

// FlushAddresses deletes the addresses that pass the filters, as
// `ip addr flush` does: it dumps them and deletes each, again until a dump
// finds none left (deleting a primary IPv4 address may promote a secondary
// one), up to 10 rounds, or a single round when the filters ask for primary
// addresses only. Addresses that are gone by the time they are deleted are
// skipped. Like ip, it refuses to run without a filter, an [*InvalidError];
// unlike ip, it applies the link filters of [FilterAddrLinks]. Addresses
// left after the last round, or an interrupted dump that found none, give
// an error matching [ErrFlushIncomplete] or [ErrDumpInterrupted].
func (c *Conn) FlushAddresses(ctx context.Context, filters ...AddrFilter) error {
	_, err := c.FlushAddressesRounds(ctx, FlushRounds{Max: addrFlushRounds}, filters...)
	return err
}

// addrFlushRequest returns the payload of the RTM_DELADDR request that deletes
// the address of a dump reply, if it passes the filter: as ip does, the
// reply itself.
func addrFlushRequest(typ uint16, data []byte, f *addrFilter, links map[int32]*Link) ([]byte, bool, error) {
	if typ != unix.RTM_NEWADDR {
		return nil, false, nil
	}
	a, err := decodeAddress(data)
	if err != nil || !f.match(&a, links) {
		return nil, false, err
	}
	return append([]byte(nil), data...), true, nil
}

// putIfAddrMsg appends a struct ifaddrmsg.
func putIfAddrMsg(w *writer, family, prefixLen uint8, flags uint8, scope Scope, index int32) {
	var hdr [ifAddrMsgLen]byte
	hdr[0], hdr[1], hdr[2], hdr[3] = family, prefixLen, flags, uint8(scope)
	native.Endian.PutUint32(hdr[4:], uint32(index))
	w.Append(hdr[:])
}

// validateAddress checks an address a request describes and returns its
// family.
func validateAddress(a *Address, del bool) (uint8, error) {
	local := a.Prefix.Addr()
	switch {
	case a.LinkIndex <= 0:
		return 0, errInvalid("address link index", fmt.Sprintf("%d", a.LinkIndex))
	case !local.IsValid():
		return 0, errInvalid("address", "no local address: set Prefix")
	case !a.Prefix.IsValid():
		return 0, errInvalid("address prefix length", fmt.Sprintf("beyond the %d bits of %s", local.BitLen(), local))
	}
	family := uint8(unix.AF_INET6)
	if local.Is4() {
		family = unix.AF_INET
	}
	if a.Family != 0 && a.Family != family {
		return 0, errInvalid("address family", fmt.Sprintf("%d for %s", a.Family, local))
	}
	for _, other := range []struct {
		what string
		addr netip.Addr
	}{{"peer", a.Peer}, {"broadcast address", a.Broadcast}, {"anycast address", a.Anycast}} {
		if other.addr.IsValid() && other.addr.Is4() != local.Is4() {
			return 0, errInvalid("address "+other.what, fmt.Sprintf("%s is of another family than %s", other.addr, local))
		}
	}
	if len(a.Label) >= unix.IFNAMSIZ {
		return 0, errInvalid("address label", fmt.Sprintf("%q is longer than %d bytes", a.Label, unix.IFNAMSIZ-1))
	}
	if family == unix.AF_INET6 && a.Label != "" {
		return 0, errInvalid("address label", "only IPv4 addresses have labels")
	}
	if del {
		return family, nil
	}
	switch {
	case family == unix.AF_INET6 && (a.Broadcast.IsValid() || a.AutoBroadcast != NoAutoBroadcast):
		return 0, errInvalid("address broadcast", "only IPv4 addresses have a broadcast address")
	case a.Broadcast.IsValid() && a.AutoBroadcast != NoAutoBroadcast:
		return 0, errInvalid("address broadcast", "both Broadcast and AutoBroadcast are set")
	case a.AutoBroadcast > BroadcastMinus:
		return 0, errInvalid("address broadcast", fmt.Sprintf("AutoBroadcast %d", a.AutoBroadcast))
	case family == unix.AF_INET && a.Flags&addrFlagsIPv6Only != 0:
		return 0, errInvalid("address flags", "nodad, optimistic, home and mngtmpaddr are for IPv6 addresses only")
	case a.Flags&AddrMcAutoJoin != 0 && !local.IsMulticast():
		return 0, errInvalid("address flags", "autojoin needs a multicast address")
	}
	if lt := a.Lifetimes; lt != nil {
		switch {
		case lt.Valid == 0:
			return 0, errInvalid("address lifetimes", "the valid lifetime is 0")
		case lt.Valid < lt.Preferred:
			return 0, errInvalid("address lifetimes", "the preferred lifetime is longer than the valid one")
		}
	}
	return family, nil
}

// addrRequest builds the payload of an RTM_NEWADDR request for a, or of an
// RTM_DELADDR request (del), with the attributes in the order ip sends them
// for `ip addr add LOCAL/LEN [peer PEER] [brd BRD] [anycast ANY]
// [label LABEL] [metric N] [scope S] [FLAG…] [valid_lft N] [preferred_lft N]
// dev DEV`.
func (w *writer) addrRequest(a *Address, del bool) error {
	family, err := validateAddress(a, del)
	if err != nil {
		return err
	}
	local := a.Prefix.Addr()
	flags := a.Flags & addrFlagsSettable
	scope := a.Scope
	if !del && scope == ScopeGlobal && local.Is4() && local.As4()[0] == 127 {
		scope = ScopeHost // ip's default scope for a loopback address
	}
	var hdrFlags uint8
	if flags <= 0xff {
		hdrFlags = uint8(flags)
	}
	putIfAddrMsg(w, family, uint8(a.Prefix.Bits()), hdrFlags, scope, a.LinkIndex)
	w.Addr(unix.IFA_LOCAL, local)
	if a.Peer.IsValid() {
		w.Addr(unix.IFA_ADDRESS, a.Peer)
	}
	if a.Broadcast.IsValid() && !del {
		w.Addr(unix.IFA_BROADCAST, a.Broadcast)
	}
	if a.Anycast.IsValid() && !del {
		w.Addr(unix.IFA_ANYCAST, a.Anycast)
	}
	if a.Label != "" {
		w.String(unix.IFA_LABEL, a.Label)
	}
	if a.Metric != 0 && !del {
		w.Uint32(unix.IFA_RT_PRIORITY, a.Metric)
	}
	if flags > 0xff {
		w.Uint32(unix.IFA_FLAGS, uint32(flags))
	}
	if !a.Peer.IsValid() {
		w.Addr(unix.IFA_ADDRESS, local)
	}
	if del {
		return w.Err()
	}
	if brd := a.BroadcastFromPrefix(a.AutoBroadcast); brd.IsValid() {
		w.Addr(unix.IFA_BROADCAST, brd)
	}
	if lt := a.Lifetimes; lt != nil {
		var ci [ifaCacheInfoLen]byte
		native.Endian.PutUint32(ci[0:], lt.Preferred)
		native.Endian.PutUint32(ci[4:], lt.Valid)
		w.Raw(unix.IFA_CACHEINFO, ci[:])
	}
	if a.Protocol != 0 {
		w.Uint8(ifaProto, uint8(a.Protocol))
	}
	return w.Err()
}
