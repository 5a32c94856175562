package xfrm

import (
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/addrfamily"
)

// Message types (include/uapi/linux/xfrm.h).
const (
	msgNewSA       = 0x10
	msgDelSA       = 0x11
	msgGetSA       = 0x12
	msgNewPolicy   = 0x13
	msgDelPolicy   = 0x14
	msgGetPolicy   = 0x15
	msgAllocSPI    = 0x16
	msgAcquire     = 0x17
	msgExpire      = 0x18
	msgUpdPolicy   = 0x19
	msgUpdSA       = 0x1a
	msgPolExpire   = 0x1b
	msgFlushSA     = 0x1c
	msgFlushPolicy = 0x1d
	msgReport      = 0x20
	msgNewSADInfo  = 0x22
	msgGetSADInfo  = 0x23
	msgNewSPDInfo  = 0x24
	msgGetSPDInfo  = 0x25
	msgMapping     = 0x26
)

// Attribute types (enum xfrm_attr_type_t).
const (
	attrAlgAuth       = 1
	attrAlgCrypt      = 2
	attrAlgComp       = 3
	attrEncap         = 4
	attrTmpl          = 5
	attrSecCtx        = 8
	attrReplayVal     = 10
	attrSrcAddr       = 13
	attrCoAddr        = 14
	attrLastUsed      = 15
	attrPolicyType    = 16
	attrAlgAEAD       = 18
	attrAlgAuthTrunc  = 20
	attrMark          = 21
	attrTFCPad        = 22
	attrReplayESNVal  = 23
	attrSAExtraFlags  = 24
	attrProto         = 25
	attrAddressFilter = 26
	attrOffloadDev    = 28
	attrSetMark       = 29
	attrSetMarkMask   = 30
	attrIfID          = 31
	attrSADir         = 33
	attrSAPCPU        = 35
)

// Sizes of the fixed structures, as laid out on 64-bit and 32-bit Linux
// alike (their u64 members sit on 8-byte boundaries).
const (
	sizeSelector      = 56  // struct xfrm_selector
	sizeUserSAInfo    = 224 // struct xfrm_usersa_info
	sizeUserSAID      = 24  // struct xfrm_usersa_id
	sizeUserSPIInfo   = 232 // struct xfrm_userspi_info
	sizePolicyInfo    = 168 // struct xfrm_userpolicy_info
	sizePolicyID      = 64  // struct xfrm_userpolicy_id
	sizeUserTmpl      = 64  // struct xfrm_user_tmpl
	sizeAlgoHeader    = 68  // struct xfrm_algo without its key
	sizeAlgoName      = 64  // alg_name
	sizeEncapTmpl     = 24  // struct xfrm_encap_tmpl
	sizeAddressFilter = 36  // struct xfrm_address_filter
	sizeUserExpire    = 232 // struct xfrm_user_expire
	sizePolExpire     = 176 // struct xfrm_user_polexpire
	sizeUserAcquire   = 280 // struct xfrm_user_acquire
	sizeUserReport    = 60  // struct xfrm_user_report
	sizeUserMapping   = 64  // struct xfrm_user_mapping
	sizeReplayESN     = 24  // struct xfrm_replay_state_esn without its bitmap
)

// infinite is XFRM_INF, the lifetime limit that never expires.
const infinite = ^uint64(0)

// putAddr writes a as an xfrm_address_t (16 bytes, IPv4 in the first 4).
func putAddr(b []byte, a netip.Addr) {
	clear(b[:16])
	switch {
	case a.Is4():
		v := a.As4()
		copy(b, v[:])
	case a.IsValid():
		v := a.As16()
		copy(b, v[:])
	}
}

// getAddr reads an xfrm_address_t of the family; an unknown family gives
// the zero Addr.
func getAddr(b []byte, family uint16) netip.Addr {
	switch family {
	case unix.AF_INET:
		return netip.AddrFrom4([4]byte(b[:4]))
	case unix.AF_INET6:
		return netip.AddrFrom16([16]byte(b[:16]))
	}
	return netip.Addr{}
}

// familyOf returns the address family of a, or 0 for the zero Addr.
func familyOf(a netip.Addr) uint16 { return uint16(addrfamily.Of(a)) }

// familyName names an address family as ip does: "unspec" for AF_UNSPEC,
// its number for a family ip has no name for.
func familyName(f uint16) string {
	if f == unix.AF_UNSPEC {
		return "unspec"
	}
	if name := addrfamily.Name(f); name != "" {
		return name
	}
	return fmt.Sprint(f)
}

// errShort reports a fixed structure cut short.
func errShort(what string, have, want int) error {
	return fmt.Errorf("xfrm: %s: %d bytes, want at least %d", what, have, want)
}
