package rtnl

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/nlconn"
)

// fibRuleHdrLen is the size of struct fib_rule_hdr.
const fibRuleHdrLen = 12

// ruleNATGateway is the attribute of a NAT rule's address: RTA_GATEWAY,
// which the kernel names FRA_UNUSED2 now.
const ruleNATGateway = unix.FRA_UNUSED2

// ruleBackingValues backs the pointer fields of a decoded rule, so that
// decoding allocates once for them all.
type ruleBackingValues struct {
	uids              RuleUIDRange
	sports, dports    RulePortRange
	suppressPrefixLen int32
	suppressIfGroup   uint32
}

// decodeRule decodes the payload of an RTM_NEWRULE or RTM_DELRULE
// message: a struct fib_rule_hdr and the FRA_* attributes.
func decodeRule(b []byte) (Rule, error) {
	var r Rule
	if len(b) < fibRuleHdrLen {
		return r, fmt.Errorf("rule message is %d bytes, shorter than fib_rule_hdr", len(b))
	}
	r.Family = b[0]
	dstLen, srcLen := int(b[1]), int(b[2])
	r.TOS = b[3]
	r.Table = Table(b[4])
	r.Action = RouteType(b[7])
	r.Flags = RuleFlags(native.Endian.Uint32(b[8:]))
	var v *ruleBackingValues
	values := func() *ruleBackingValues {
		if v == nil {
			v = new(ruleBackingValues)
		}
		return v
	}
	d := attrs.NewDecoder(b[fibRuleHdrLen:])
	for d.Next() {
		switch d.Type() {
		case unix.FRA_SRC:
			r.Src = netip.PrefixFrom(d.Addr(), srcLen)
		case unix.FRA_DST:
			r.Dst = netip.PrefixFrom(d.Addr(), dstLen)
		case unix.FRA_PRIORITY:
			r.Priority = d.Uint32()
		case unix.FRA_FWMARK:
			r.FwMark = d.Uint32()
		case unix.FRA_FWMASK:
			r.FwMask = d.Uint32()
		case unix.FRA_IIFNAME:
			r.IIF = d.String()
		case unix.FRA_OIFNAME:
			r.OIF = d.String()
		case unix.FRA_L3MDEV:
			r.L3MDev = d.Uint8() != 0
		case unix.FRA_UID_RANGE:
			if p := d.Bytes(); len(p) >= 8 {
				u := &values().uids
				u.Start, u.End = native.Endian.Uint32(p), native.Endian.Uint32(p[4:])
				r.UIDRange = u
			} else {
				return r, fmt.Errorf("FRA_UID_RANGE is %d bytes, want 8", len(p))
			}
		case unix.FRA_IP_PROTO:
			r.IPProto = d.Uint8()
		case unix.FRA_SPORT_RANGE:
			p, err := decodeRulePorts(&d, &values().sports)
			if err != nil {
				return r, err
			}
			r.SrcPorts = p
		case unix.FRA_DPORT_RANGE:
			p, err := decodeRulePorts(&d, &values().dports)
			if err != nil {
				return r, err
			}
			r.DstPorts = p
		case unix.FRA_TUN_ID:
			if p := d.Bytes(); len(p) == 8 {
				r.TunID = binary.BigEndian.Uint64(p)
			} else {
				return r, fmt.Errorf("FRA_TUN_ID is %d bytes, want 8", len(p))
			}
		case unix.FRA_TABLE:
			r.Table = Table(d.Uint32())
		case unix.FRA_SUPPRESS_PREFIXLEN:
			if pl := d.Int32(); pl != -1 {
				r.SuppressPrefixLen = int32Field(&d, &values().suppressPrefixLen)
			}
		case unix.FRA_SUPPRESS_IFGROUP:
			if g := d.Uint32(); g != 0xffffffff {
				r.SuppressIfGroup = uint32Field(&d, &values().suppressIfGroup)
			}
		case unix.FRA_FLOW:
			flow := d.Uint32()
			r.RealmFrom, r.RealmTo = uint16(flow>>16), uint16(flow)
		case unix.FRA_GOTO:
			r.Goto = d.Uint32()
		case ruleNATGateway:
			r.NATGateway = d.Addr()
		case unix.FRA_PROTOCOL:
			r.Protocol = Protocol(d.Uint8())
		}
	}
	return r, d.Err()
}

// decodeRulePorts decodes a struct fib_rule_port_range into *p and
// returns p.
func decodeRulePorts(d *attrs.Decoder, p *RulePortRange) (*RulePortRange, error) {
	b := d.Bytes()
	if len(b) < 4 {
		return nil, fmt.Errorf("port range attribute %d is %d bytes, want 4", d.Type(), len(b))
	}
	p.Start, p.End = native.Endian.Uint16(b), native.Endian.Uint16(b[2:])
	return p, nil
}

// decodeRuleMessage decodes a rule from a dump reply, skipping messages of
// other types.
func decodeRuleMessage(m nlconn.Message) (Rule, bool, error) {
	if m.Type != unix.RTM_NEWRULE {
		return Rule{}, false, nil
	}
	r, err := decodeRule(m.Data)
	return r, err == nil, err
}
