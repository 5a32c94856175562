package rtnl

import (
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/jsonw"
)

// A Rule is a routing policy rule: what `ip -d rule show` reports of it
// (struct fib_rule_hdr and the FRA_* attributes).
//
// Its JSON (see [Rule.MarshalJSON]) is one element of what
// `ip -j -d rule show` (iproute2 6.1) prints. The same type describes the
// rule to create or delete for [Conn.AddRule] and [Conn.DeleteRule]; the
// flags only the kernel sets are ignored there.
type Rule struct {
	// Family is unix.AF_INET or unix.AF_INET6 (frh family). In a request,
	// zero stands for the family of Src, Dst or NATGateway, and for
	// AF_INET when none is set, as with ip.
	Family uint8
	// Priority orders the rules, lowest first (FRA_PRIORITY; `pref N`).
	// The kernel reports none for priority 0. In a request, 0 lets the
	// kernel choose, as ip without `pref` does: one below the lowest
	// priority above 0 of the rules there are.
	Priority uint32
	// Flags are the rule's flags (frh flags). Requests carry only
	// [RuleInvert]; the kernel sets the others.
	Flags RuleFlags
	// Src selects the source prefix (FRA_SRC and src_len; `from PREFIX`);
	// the zero Prefix matches every source ("all").
	Src netip.Prefix
	// Dst selects the destination prefix (FRA_DST and dst_len;
	// `to PREFIX`); the zero Prefix matches every destination.
	Dst netip.Prefix
	// TOS selects the type of service or DS field (frh tos; `tos`,
	// `dsfield`); 0 matches any.
	TOS uint8
	// FwMark and FwMask select the firewall mark (FRA_FWMARK, FRA_FWMASK;
	// `fwmark MARK/MASK`). The kernel reports both when either is set; a
	// request without a mask (0) selects the exact mark (0xffffffff).
	FwMark, FwMask uint32
	// IIF selects the input interface by name (FRA_IFNAME; `iif NAME`),
	// which need not exist yet; "lo" selects locally generated packets.
	IIF string
	// OIF selects the output interface by name (FRA_OIFNAME; `oif NAME`),
	// for sockets bound to a device.
	OIF string
	// L3MDev looks the route up in the table of the L3 master device (VRF)
	// of the packet's interface (FRA_L3MDEV; `l3mdev`); Table is then
	// unset.
	L3MDev bool
	// UIDRange selects the user IDs of the sockets (FRA_UID_RANGE;
	// `uidrange START-END`), or nil for any.
	UIDRange *RuleUIDRange
	// IPProto selects the IP protocol (FRA_IP_PROTO; `ipproto`), such as
	// unix.IPPROTO_TCP; 0 for any.
	IPProto uint8
	// SrcPorts and DstPorts select the source and destination ports
	// (FRA_SPORT_RANGE, FRA_DPORT_RANGE; `sport`, `dport`), or nil for any.
	SrcPorts, DstPorts *RulePortRange
	// TunID selects the tunnel ID of metadata-mode tunnels (FRA_TUN_ID;
	// `tun_id`); 0 for any.
	TunID uint64
	// Table is the table of a [RuleActionTable] rule (frh table, or
	// FRA_TABLE for tables above 255; `table`, `lookup`). In an add
	// request, 0 is the main table for that action, as with ip.
	Table Table
	// SuppressPrefixLen makes the rule ignore the routes of its table with
	// a prefix length up to this (FRA_SUPPRESS_PREFIXLEN;
	// `suppress_prefixlength`), or nil for none.
	SuppressPrefixLen *int32
	// SuppressIfGroup makes the rule ignore the routes of its table through
	// a device of this group (FRA_SUPPRESS_IFGROUP; `suppress_ifgroup`), or
	// nil for none.
	SuppressIfGroup *uint32
	// RealmFrom and RealmTo are the realms the rule sets (FRA_FLOW; `realms
	// FROM/TO`), IPv4 only; both 0 for none.
	RealmFrom, RealmTo uint16
	// Action is what the rule does (frh action, FR_ACT_*): [RuleActionTable]
	// and the other RuleAction constants. In an add request, 0 is
	// RuleActionTable; in a delete request, 0 matches any action.
	Action RouteType
	// Goto is the priority of the rule a [RuleActionGoto] rule jumps to
	// (FRA_GOTO; `goto N`).
	Goto uint32
	// NATGateway is the address of an IPv4 [RuleActionNAT] rule
	// (RTA_GATEWAY; `nat ADDR`); without it, the rule masquerades. Linux
	// has refused NAT rules since 2.6.
	NATGateway netip.Addr
	// Protocol says what installed the rule (FRA_PROTOCOL; `protocol`).
	Protocol Protocol
}

// Rule actions (FR_ACT_*). The blackhole, unreachable, prohibit and NAT
// actions are the route types of the same numbers.
const (
	// RuleActionTable looks the route up in Table (`table N`, `lookup N`).
	RuleActionTable RouteType = unix.FR_ACT_TO_TBL
	// RuleActionGoto jumps to the rule of priority Goto (`goto N`).
	RuleActionGoto RouteType = unix.FR_ACT_GOTO
	// RuleActionNop does nothing (`nop`).
	RuleActionNop RouteType = unix.FR_ACT_NOP
	// RuleActionBlackhole drops the packet silently (`blackhole`).
	RuleActionBlackhole = RouteTypeBlackhole
	// RuleActionUnreachable drops the packet with "network unreachable"
	// (`unreachable`).
	RuleActionUnreachable = RouteTypeUnreachable
	// RuleActionProhibit drops the packet with "communication
	// administratively prohibited" (`prohibit`).
	RuleActionProhibit = RouteTypeProhibit
	// RuleActionNAT is the obsolete route NAT (`nat ADDR`, `map-to ADDR`).
	RuleActionNAT = RouteTypeNAT
)

// RuleFlags are the flags of a rule (FIB_RULE_*).
type RuleFlags uint32

// Rule flags.
const (
	// RulePermanent marks a rule the kernel keeps: the local table's rule
	// at priority 0. The kernel sets it.
	RulePermanent RuleFlags = unix.FIB_RULE_PERMANENT
	// RuleInvert inverts the rule's selectors (`not`).
	RuleInvert RuleFlags = unix.FIB_RULE_INVERT
	// RuleUnresolved marks a goto rule whose target does not exist. The
	// kernel sets it.
	RuleUnresolved RuleFlags = unix.FIB_RULE_UNRESOLVED
	// RuleIIFDetached marks a rule whose input interface does not exist.
	// The kernel sets it.
	RuleIIFDetached RuleFlags = unix.FIB_RULE_IIF_DETACHED
	// RuleOIFDetached marks a rule whose output interface does not exist.
	// The kernel sets it.
	RuleOIFDetached RuleFlags = unix.FIB_RULE_OIF_DETACHED
)

// A RuleUIDRange is a range of user IDs, both ends included (struct
// fib_rule_uid_range).
type RuleUIDRange struct {
	Start, End uint32
}

// A RulePortRange is a range of ports, both ends included (struct
// fib_rule_port_range); a single port has Start equal to End.
type RulePortRange struct {
	Start, End uint16
}

// family returns the rule's family: Family, or that of its addresses, or
// AF_INET.
func (r *Rule) family() uint8 {
	if r.Family != 0 {
		return r.Family
	}
	for _, a := range []netip.Addr{r.Src.Addr(), r.Dst.Addr(), r.NATGateway} {
		if a.IsValid() {
			if a.Is4() {
				return unix.AF_INET
			}
			return unix.AF_INET6
		}
	}
	return unix.AF_INET
}

// MarshalJSON encodes the rule as one element of `ip -j -d rule show`
// (iproute2 6.1): the same keys, in the same order, with the same value
// formats and the names of Debian's /etc/iproute2 files and
// /etc/protocols.
func (r Rule) MarshalJSON() ([]byte, error) {
	var w jsonw.Writer
	r.writeJSON(&w)
	return w.Bytes(), nil
}

func (r *Rule) writeJSON(w *jsonw.Writer) {
	w.Open("")
	w.Uint("priority", uint64(r.Priority))
	if r.Flags&RuleInvert != 0 {
		w.Null("not")
	}
	if r.Src.IsValid() && r.Src.Bits() > 0 {
		writeRulePrefix(w, "src", "srclen", r.Src)
	} else {
		w.String("src", "all")
	}
	if r.Dst.IsValid() && r.Dst.Bits() > 0 {
		writeRulePrefix(w, "dst", "dstlen", r.Dst)
	}
	if r.TOS != 0 {
		w.String("tos", dsfieldName(r.TOS))
	}
	if r.FwMark != 0 || r.FwMask != 0 {
		w.String("fwmark", printfHex(r.FwMark))
		if r.FwMask != 0xffffffff {
			w.String("fwmask", printfHex(r.FwMask))
		}
	}
	if r.IIF != "" {
		w.String("iif", r.IIF)
		if r.Flags&RuleIIFDetached != 0 {
			w.Null("iif_detached")
		}
	}
	if r.OIF != "" {
		w.String("oif", r.OIF)
		if r.Flags&RuleOIFDetached != 0 {
			w.Null("oif_detached")
		}
	}
	if r.L3MDev {
		w.Null("l3mdev")
	}
	if u := r.UIDRange; u != nil {
		w.Uint("uid_start", uint64(u.Start))
		w.Uint("uid_end", uint64(u.End))
	}
	if r.IPProto != 0 {
		w.String("ipproto", ipProtoString(r.IPProto))
	}
	writeRulePorts(w, "sport", r.SrcPorts)
	writeRulePorts(w, "dport", r.DstPorts)
	if r.TunID != 0 {
		w.Uint("tun_id", r.TunID)
	}
	if r.Table != 0 {
		w.String("table", r.Table.String())
		if p := r.SuppressPrefixLen; p != nil && *p != -1 {
			w.Int("suppress_prefixlen", int64(*p))
		}
		if g := r.SuppressIfGroup; g != nil && *g != 0xffffffff {
			w.String("suppress_ifgroup", linkGroupName(*g))
		}
	}
	if r.RealmFrom != 0 || r.RealmTo != 0 {
		if r.RealmFrom != 0 {
			w.String("flow_from", realmName(uint32(r.RealmFrom)))
		}
		w.String("flow_to", realmName(uint32(r.RealmTo)))
	}
	switch r.Action {
	case RuleActionNAT:
		if r.NATGateway.IsValid() {
			w.String("nat_gateway", inetNtop(r.NATGateway))
		} else {
			w.Null("masquerade")
		}
	case RuleActionGoto:
		if r.Goto != 0 {
			w.Uint("goto", uint64(r.Goto))
		} else {
			w.String("goto", "none")
		}
		if r.Flags&RuleUnresolved != 0 {
			w.Null("unresolved")
		}
	case RuleActionNop:
		w.Null("nop")
	case RuleActionTable:
	default:
		w.String("action", r.Action.String())
	}
	w.String("protocol", r.Protocol.String())
	w.Close()
}

// writeRulePrefix writes a selector's address, and its length when the
// prefix is not a single address.
func writeRulePrefix(w *jsonw.Writer, key, lenKey string, p netip.Prefix) {
	w.String(key, inetNtop(p.Addr()))
	if p.Bits() != p.Addr().BitLen() {
		w.Uint(lenKey, uint64(p.Bits()))
	}
}

// writeRulePorts writes a port selector: "sport" for a single port, or
// "sport_start" and "sport_end" for a range.
func writeRulePorts(w *jsonw.Writer, key string, r *RulePortRange) {
	switch {
	case r == nil:
	case r.Start == r.End:
		w.Uint(key, uint64(r.Start))
	default:
		w.Uint(key+"_start", uint64(r.Start))
		w.Uint(key+"_end", uint64(r.End))
	}
}
