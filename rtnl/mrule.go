package rtnl

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/netip"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/jsonw"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// A MulticastRule is a multicast routing policy rule, which selects the
// multicast routing table of a packet: what `ip mrule show` reports (an
// RTM_NEWRULE of family RTNL_FAMILY_IPMR or RTNL_FAMILY_IP6MR: struct
// fib_rule_hdr and the FRA_* attributes).
//
// It is a minimal reading of the rule, with the selectors multicast rules
// use; its JSON (see [MulticastRule.MarshalJSON]) is one element of what
// `ip -j -d mrule show` (iproute2 6.1) prints, the JSON of a rule.
type MulticastRule struct {
	// Family is unix.AF_INET or unix.AF_INET6 (the message's family is
	// RTNL_FAMILY_IPMR or RTNL_FAMILY_IP6MR).
	Family uint8
	// Priority is the rule's priority (FRA_PRIORITY); lower runs first.
	Priority uint32
	// Invert negates the selectors (FIB_RULE_INVERT; `not`).
	Invert bool
	// Src and Dst are the source and destination selectors (FRA_SRC,
	// FRA_DST with src_len, dst_len); the zero Prefix for any. (A length
	// without an address, which ip prints "0", is not read.)
	Src, Dst netip.Prefix
	// IIF and OIF are the names of the input and output links the rule
	// applies to (FRA_IFNAME, FRA_OIFNAME); IIFDetached and OIFDetached
	// are set while no such link exists.
	IIF, OIF                 string
	IIFDetached, OIFDetached bool
	// FwMark and FwMask select packets by firewall mark (FRA_FWMARK,
	// FRA_FWMASK); nil when the kernel sent none.
	FwMark, FwMask *uint32
	// L3mdev looks the table up from the L3 master device (FRA_L3MDEV).
	L3mdev bool
	// UIDRange selects the sockets of a range of user IDs
	// (FRA_UID_RANGE); nil when the kernel sent none.
	UIDRange *[2]uint32
	// Table is the table the rule looks up (FRA_TABLE or the header's).
	Table Table
	// Action is what the rule does (fib_rule_hdr action, FR_ACT_*):
	// 1 to look up Table, 2 goto, 3 nop, and the route types blackhole,
	// unreachable and prohibit.
	Action uint8
	// Goto is the priority a goto rule jumps to (FRA_GOTO); nil when the
	// kernel sent none. Unresolved is set while no rule has it.
	Goto       *uint32
	Unresolved bool
	// Protocol says what installed the rule (FRA_PROTOCOL); HasProtocol is
	// set when the kernel sent it.
	Protocol    Protocol
	HasProtocol bool
}

// mruleHdrLen is the size of struct fib_rule_hdr.
const mruleHdrLen = 12

// The rule actions and flags a multicast rule's JSON depends on.
const (
	mruleActToTable      = 1
	mruleActGoto         = 2
	mruleActNop          = 3
	mruleFlagInvert      = 0x2
	mruleFlagUnresolved  = 0x4
	mruleFlagIIFDetached = 0x8
	mruleFlagOIFDetached = 0x10
	mruleActNAT          = 10
)

// MarshalJSON encodes the rule as one element of `ip -j -d mrule show`
// (iproute2 6.1): the keys of a rule ip prints for the selectors and
// actions MulticastRule reads.
func (r MulticastRule) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	w.Open("")
	w.Uint("priority", uint64(r.Priority))
	if r.Invert {
		w.Null("not")
	}
	writeMruleSelector(&w, "src", "srclen", r.Src, true)
	writeMruleSelector(&w, "dst", "dstlen", r.Dst, false)
	if r.FwMark != nil || r.FwMask != nil {
		var mark uint32
		if r.FwMark != nil {
			mark = *r.FwMark
		}
		w.String("fwmark", printfHex(mark))
		if r.FwMask != nil && *r.FwMask != 0xffffffff {
			w.String("fwmask", printfHex(*r.FwMask))
		}
	}
	if r.IIF != "" {
		w.String("iif", r.IIF)
		if r.IIFDetached {
			w.Null("iif_detached")
		}
	}
	if r.OIF != "" {
		w.String("oif", r.OIF)
		if r.OIFDetached {
			w.Null("oif_detached")
		}
	}
	if r.L3mdev {
		w.Null("l3mdev")
	}
	if u := r.UIDRange; u != nil {
		w.Uint("uid_start", uint64(u[0]))
		w.Uint("uid_end", uint64(u[1]))
	}
	if r.Table != 0 {
		w.String("table", r.Table.String())
	}
	switch r.Action {
	case mruleActNAT:
		w.Null("masquerade")
	case mruleActGoto:
		if r.Goto != nil {
			w.Uint("goto", uint64(*r.Goto))
		} else {
			w.String("goto", "none")
		}
		if r.Unresolved {
			w.Null("unresolved")
		}
	case mruleActNop:
		w.Null("nop")
	case mruleActToTable:
	default:
		w.String("action", RouteType(r.Action).String())
	}
	if r.HasProtocol {
		w.String("protocol", r.Protocol.String())
	}
	w.Close()
	return w.Bytes(), nil
}

// writeMruleSelector writes a rule's from or to selector as ip does: the
// address, and the length unless it is a host's; for the source, "all"
// for none.
func writeMruleSelector(w *jsonw.Writer, key, lenKey string, p netip.Prefix, src bool) {
	switch {
	case p.Addr().IsValid():
		w.String(key, inetNtop(p.Addr()))
		if p.Bits() != p.Addr().BitLen() {
			w.Uint(lenKey, uint64(p.Bits()))
		}
	case src:
		w.String(key, "all")
	}
}

// decodeMulticastRule decodes an RTM_NEWRULE payload of a multicast
// routing family. On an error it returns what it read before it.
func decodeMulticastRule(b []byte) (MulticastRule, error) {
	var r MulticastRule
	if len(b) < mruleHdrLen {
		return r, fmt.Errorf("rule message too short: %d bytes", len(b))
	}
	if r.Family = mrouteFamily(b[0]); r.Family == 0 {
		return r, fmt.Errorf("rule of family %d, not a multicast one", b[0])
	}
	dstLen, srcLen := int(b[1]), int(b[2])
	r.Table = Table(b[4])
	r.Action = b[7]
	flags := native.Endian.Uint32(b[8:])
	r.Invert = flags&mruleFlagInvert != 0
	r.Unresolved = flags&mruleFlagUnresolved != 0
	r.IIFDetached = flags&mruleFlagIIFDetached != 0
	r.OIFDetached = flags&mruleFlagOIFDetached != 0
	var src, dst netip.Addr
	v := new(struct {
		mark, mask, goTo uint32
		uids             [2]uint32
	})
	d := attrs.NewDecoder(b[mruleHdrLen:])
	for d.Next() {
		switch d.Type() {
		case unix.FRA_PRIORITY:
			r.Priority = d.Uint32()
		case unix.FRA_SRC:
			src = d.Addr()
		case unix.FRA_DST:
			dst = d.Addr()
		case unix.FRA_IIFNAME:
			r.IIF = d.String()
		case unix.FRA_OIFNAME:
			r.OIF = d.String()
		case unix.FRA_FWMARK:
			r.FwMark = uint32Field(&d, &v.mark)
		case unix.FRA_FWMASK:
			r.FwMask = uint32Field(&d, &v.mask)
		case unix.FRA_L3MDEV:
			r.L3mdev = d.Uint8() != 0
		case unix.FRA_UID_RANGE:
			u := d.Bytes()
			if len(u) < 8 {
				return r, fmt.Errorf("FRA_UID_RANGE is %d bytes, want 8", len(u))
			}
			v.uids = [2]uint32{native.Endian.Uint32(u), native.Endian.Uint32(u[4:])}
			r.UIDRange = &v.uids
		case unix.FRA_TABLE:
			r.Table = Table(d.Uint32())
		case unix.FRA_GOTO:
			r.Goto = uint32Field(&d, &v.goTo)
		case unix.FRA_PROTOCOL:
			r.Protocol, r.HasProtocol = Protocol(d.Uint8()), true
		}
	}
	if src.IsValid() {
		r.Src = netip.PrefixFrom(src, srcLen)
	}
	if dst.IsValid() {
		r.Dst = netip.PrefixFrom(dst, dstLen)
	}
	return r, d.Err()
}

// decodeMruleMessage decodes a multicast rule from a dump reply, skipping
// messages of other types.
func decodeMruleMessage(m nlconn.Message) (MulticastRule, bool, error) {
	if m.Type != unix.RTM_NEWRULE {
		return MulticastRule{}, false, nil
	}
	r, err := decodeMulticastRule(m.Data)
	return r, err == nil, err
}

// mruleDumpRequest returns the payload of the RTM_GETRULE dump ip mrule
// show sends: a fib_rule_hdr of the multicast family.
func mruleDumpRequest(family uint8) ([]byte, error) {
	b := make([]byte, mruleHdrLen)
	switch family {
	case unix.AF_INET:
		b[0] = rtnlFamilyIPMR
	case unix.AF_INET6:
		b[0] = rtnlFamilyIP6MR
	default:
		return nil, errInvalid("multicast rule family", fmt.Sprintf("%d: want AF_INET or AF_INET6", family))
	}
	return b, nil
}

// MulticastRules returns the multicast routing rules of a family of the
// calling thread's network namespace; see [Conn.MulticastRules].
func MulticastRules(ctx context.Context, family uint8) ([]MulticastRule, error) {
	return withConn(ctx, func(c *Conn) ([]MulticastRule, error) { return c.MulticastRules(ctx, family) })
}

// MulticastRulesSeq streams the multicast routing rules of a family of
// the calling thread's network namespace; see [Conn.MulticastRulesSeq].
func MulticastRulesSeq(ctx context.Context, family uint8) iter.Seq2[MulticastRule, error] {
	return withConnSeq(ctx, func(c *Conn) iter.Seq2[MulticastRule, error] { return c.MulticastRulesSeq(ctx, family) })
}

// MulticastRules returns the multicast routing rules of unix.AF_INET or
// unix.AF_INET6, as `ip [-6] mrule show` lists them. A kernel without
// multicast policy routing gives an error matching [ErrNotSupported].
//
// An interrupted dump is handled as [Conn.Addresses] does.
func (c *Conn) MulticastRules(ctx context.Context, family uint8) ([]MulticastRule, error) {
	req, err := mruleDumpRequest(family)
	if err != nil {
		return nil, err
	}
	rs, err := nlconn.Collect(ctx, c.nl, "rtnl: dump multicast rules", unix.RTM_GETRULE, 0, req, decodeMruleMessage)
	if err != nil && !errors.Is(err, ErrDumpInterrupted) {
		return nil, err
	}
	return rs, err
}

// MulticastRulesSeq streams the multicast routing rules of a family as
// the kernel's reply arrives; see [Conn.MulticastRules]. A dump the kernel
// reports interrupted ends with an error matching [ErrDumpInterrupted].
func (c *Conn) MulticastRulesSeq(ctx context.Context, family uint8) iter.Seq2[MulticastRule, error] {
	return func(yield func(MulticastRule, error) bool) {
		req, err := mruleDumpRequest(family)
		if err != nil {
			yield(MulticastRule{}, err)
			return
		}
		yieldDump(ctx, c, "rtnl: dump multicast rules", unix.RTM_GETRULE, req, decodeMruleMessage, yield)
	}
}
