package xfrm_test

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/xfrm"
)

// The functions here print states and policies as `ip -s xfrm state show`
// and `ip -s xfrm policy show` (iproute2 6.1) do, so that tests can compare
// ip's text with what nlkit read, field by field, byte for byte. Devices
// are named by devName.

// ipTime prints a Unix time as ip does: local time, "-" for 0.
func ipTime(sec uint64) string {
	if sec == 0 {
		return "-"
	}
	return time.Unix(int64(sec), 0).Local().Format("2006-01-02 15:04:05")
}

// ipLimit prints a lifetime limit: "(INF)" for XFRM_INF.
func ipLimit(v uint64) string {
	if v == ^uint64(0) {
		return "(INF)"
	}
	return fmt.Sprint(v)
}

func ipLifetimes(b *strings.Builder, l xfrm.LifetimeConfig, c xfrm.LifetimeCurrent) {
	fmt.Fprintf(b, "\tlifetime config:\n")
	fmt.Fprintf(b, "\t  limit: soft %s(bytes), hard %s(bytes)\n", ipLimit(l.SoftByteLimit), ipLimit(l.HardByteLimit))
	fmt.Fprintf(b, "\t  limit: soft %s(packets), hard %s(packets)\n", ipLimit(l.SoftPacketLimit), ipLimit(l.HardPacketLimit))
	fmt.Fprintf(b, "\t  expire add: soft %d(sec), hard %d(sec)\n", l.SoftAddExpires, l.HardAddExpires)
	fmt.Fprintf(b, "\t  expire use: soft %d(sec), hard %d(sec)\n", l.SoftUseExpires, l.HardUseExpires)
	fmt.Fprintf(b, "\tlifetime current:\n")
	fmt.Fprintf(b, "\t  %d(bytes), %d(packets)\n", c.Bytes, c.Packets)
	fmt.Fprintf(b, "\t  add %s use %s\n", ipTime(c.AddTime), ipTime(c.UseTime))
}

// ipSelector prints a selector's words: "src P dst P [proto …] … uid N".
func ipSelector(s xfrm.Selector, devName func(int32) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "src %s dst %s ", ipPrefix(s.Src, s.Family), ipPrefix(s.Dst, s.Family))
	if s.Proto != 0 {
		fmt.Fprintf(&b, "proto %s ", ipProtoName(s.Proto))
	}
	switch s.Proto {
	case unix.IPPROTO_ICMP, unix.IPPROTO_ICMPV6, 135:
		if s.SrcPortMask != 0 {
			fmt.Fprintf(&b, "type %d ", s.SrcPort)
		}
		if s.DstPortMask != 0 {
			fmt.Fprintf(&b, "code %d ", s.DstPort)
		}
	case unix.IPPROTO_GRE:
		if s.SrcPortMask != 0 || s.DstPortMask != 0 {
			fmt.Fprintf(&b, "key %d ", uint32(s.SrcPort)<<16|uint32(s.DstPort))
		}
	default:
		if s.SrcPortMask != 0 {
			fmt.Fprintf(&b, "sport %d ", s.SrcPort)
		}
		if s.DstPortMask != 0 {
			fmt.Fprintf(&b, "dport %d ", s.DstPort)
		}
	}
	if s.LinkIndex != 0 {
		fmt.Fprintf(&b, "dev %s ", devName(s.LinkIndex))
	}
	fmt.Fprintf(&b, "uid %d", s.User)
	return b.String()
}

func ipPrefix(p netip.Prefix, family uint16) string {
	if p.IsValid() {
		return p.String()
	}
	if family == unix.AF_INET6 {
		return "::/0"
	}
	return "0.0.0.0/0"
}

func ipProtoName(p uint8) string {
	switch p {
	case unix.IPPROTO_TCP:
		return "tcp"
	case unix.IPPROTO_UDP:
		return "udp"
	case unix.IPPROTO_ICMP:
		return "icmp"
	case unix.IPPROTO_ICMPV6:
		return "ipv6-icmp"
	case unix.IPPROTO_GRE:
		return "gre"
	}
	return fmt.Sprint(p)
}

// ipFlags prints "flag NAMES (0xBBBBBBBB)" as ip -s does: the names, then
// the bits as eight binary digits.
func ipFlags(names []string, v uint8) string {
	if len(names) == 0 {
		return fmt.Sprintf("flag  (0x%08b)", v)
	}
	return fmt.Sprintf("flag %s (0x%08b)", strings.Join(names, " "), v)
}

func ipAddr(a netip.Addr, family uint16) string {
	if a.IsValid() {
		return a.String()
	}
	if family == unix.AF_INET6 {
		return "::"
	}
	return "0.0.0.0"
}

// ipPolicyText prints p as ip -s xfrm policy show does.
func ipPolicyText(p xfrm.Policy, devName func(int32) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", ipSelector(p.Selector, devName))
	fmt.Fprintf(&b, "\tdir %s action %s index %d priority %d ptype %s share %s %s\n",
		p.Dir, p.Action, p.Index, p.Priority, p.Type, p.Share, ipFlags(p.Flags.Names(), uint8(p.Flags)))
	ipLifetimes(&b, p.Lifetime, p.Current)
	if p.Mark != (xfrm.Mark{}) {
		fmt.Fprintf(&b, "\tmark %#x/%#x \n", p.Mark.Value, p.Mark.Mask)
	}
	for _, t := range p.Templates {
		fmt.Fprintf(&b, "\ttmpl src %s dst %s\n", ipAddr(t.Src, t.Family), ipAddr(t.Dst, t.Family))
		fmt.Fprintf(&b, "\t\tproto %s spi 0x%08x(%d) reqid %d(0x%08x) mode %s\n", t.Proto, t.SPI, t.SPI, t.ReqID, t.ReqID, t.Mode)
		level := "required"
		if t.Optional {
			level = "use"
		}
		fmt.Fprintf(&b, "\t\tlevel %s share %s \n", level, t.Share)
		fmt.Fprintf(&b, "\t\tenc-mask %08x auth-mask %08x comp-mask %08x\n", t.EncAlgos, t.AuthAlgos, t.CompAlgos)
	}
	if p.IfID != 0 {
		fmt.Fprintf(&b, "\tif_id %#x\n", p.IfID)
	}
	return b.String()
}
