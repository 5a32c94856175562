package main

import (
	"context"
	"net/netip"
	"strconv"
	"strings"

	"github.com/nlkit/nlkit/rtnl"
)

// bond reads the settings of `type bond` (ip's bond_parse_opt).
func (c *command) bond(ctx context.Context, p *kindParser) *rtnl.Bond {
	b := &rtnl.Bond{}
	port := func(kw string, dst **int32) {
		if v, ok := p.opt(kw); ok {
			l, err := c.linkByName(ctx, v)
			if err != nil {
				p.err = err
				return
			}
			*dst = &l.Index
		}
	}
	p.each(func() {
		optNamed(p, &b.Mode, "mode", "invalid mode", true, rtnl.BondBalanceRR, rtnl.BondActiveBackup,
			rtnl.BondBalanceXOR, rtnl.BondBroadcast, rtnl.Bond8023AD, rtnl.BondBalanceTLB, rtnl.BondBalanceALB)
		port("active_slave", &b.ActiveSlaveIndex)
		if p.word("clear_active_slave") {
			b.ActiveSlaveIndex = new(int32)
		}
		p.opt32(&b.MIIMon, "miimon", "invalid miimon")
		p.opt32(&b.UpDelay, "updelay", "invalid updelay")
		p.opt32(&b.DownDelay, "downdelay", "invalid downdelay")
		p.opt32(&b.PeerNotifyDelay, "peer_notify_delay", "invalid peer_notify_delay")
		p.optBool01(&b.UseCarrier, "use_carrier", "invalid use_carrier")
		p.opt32(&b.ARPInterval, "arp_interval", "invalid arp_interval")
		if p.word("arp_ip_target") {
			b.ARPIPTargets = p.bondTargets(true)
		}
		if p.exact("ns_ip6_target") {
			b.NSIP6Targets = p.bondTargets(false)
		}
		optNamed(p, &b.ARPValidate, "arp_validate", "invalid arp_validate", true, rtnl.BondARPValidateNone,
			rtnl.BondARPValidateActive, rtnl.BondARPValidateBackup, rtnl.BondARPValidateAll, rtnl.BondARPValidateFilter,
			rtnl.BondARPValidateFilterActive, rtnl.BondARPValidateFilterBackup)
		optNamed(p, &b.ARPAllTargets, "arp_all_targets", "invalid arp_all_targets", true, rtnl.BondARPAllTargetsAny, rtnl.BondARPAllTargetsAll)
		if p.args.peek() == "arp_missed_max" {
			p.opt8(&b.ARPMissedMax, "arp_missed_max", "invalid arp_missed_max")
		}
		port("primary", &b.PrimaryIndex)
		optNamed(p, &b.PrimaryReselect, "primary_reselect", "invalid primary_reselect", true,
			rtnl.BondPrimaryReselectAlways, rtnl.BondPrimaryReselectBetter, rtnl.BondPrimaryReselectFailure)
		optNamed(p, &b.FailOverMAC, "fail_over_mac", "invalid fail_over_mac", true,
			rtnl.BondFailOverMACNone, rtnl.BondFailOverMACActive, rtnl.BondFailOverMACFollow)
		optNamed(p, &b.XmitHashPolicy, "xmit_hash_policy", "invalid xmit_hash_policy", true, rtnl.BondXmitHashLayer2,
			rtnl.BondXmitHashLayer34, rtnl.BondXmitHashLayer23, rtnl.BondXmitHashEncap23, rtnl.BondXmitHashEncap34, rtnl.BondXmitHashVlanSrcMAC)
		p.opt32(&b.ResendIGMP, "resend_igmp", "invalid resend_igmp")
		p.opt8(&b.NumPeerNotif, "num_grat_arp", "invalid num_grat_arp|num_unsol_na")
		p.opt8(&b.NumPeerNotif, "num_unsol_na", "invalid num_grat_arp|num_unsol_na")
		p.optBool01(&b.AllSlavesActive, "all_slaves_active", "invalid all_slaves_active")
		p.opt32(&b.MinLinks, "min_links", "invalid min_links")
		p.opt32(&b.LPInterval, "lp_interval", "invalid lp_interval")
		p.opt32(&b.PacketsPerSlave, "packets_per_slave", "invalid packets_per_slave")
		optNamed(p, &b.LACPRate, "lacp_rate", "invalid lacp_rate", true, rtnl.BondLACPRateSlow, rtnl.BondLACPRateFast)
		if p.args.peek() == "lacp_active" {
			if v, _ := p.opt("lacp_active"); v == "on" || v == "1" {
				b.LACPActive = boolPtr(true)
			} else if v == "off" || v == "0" {
				b.LACPActive = boolPtr(false)
			} else {
				p.invarg("invalid lacp_active", v)
			}
		}
		optNamed(p, &b.ADSelect, "ad_select", "invalid ad_select", true, rtnl.BondADSelectStable, rtnl.BondADSelectBandwidth, rtnl.BondADSelectCount)
		p.opt16(&b.ADUserPortKey, "ad_user_port_key", "invalid ad_user_port_key")
		p.opt16(&b.ADActorSysPrio, "ad_actor_sys_prio", "invalid ad_actor_sys_prio")
		if v, ok := p.opt("ad_actor_system"); ok {
			hw, err := parseLLAddr(v)
			if err != nil {
				p.err = err
				return
			}
			b.ADActorSystem = hw
		}
		p.optBool01(&b.TLBDynamicLB, "tlb_dynamic_lb", "invalid tlb_dynamic_lb")
	})
	return b
}

// bondTargets reads the comma-separated list after arp_ip_target or
// ns_ip6_target, if one follows; ip keeps the first 16. Without a list
// the targets are cleared.
func (p *kindParser) bondTargets(v4 bool) []netip.Addr {
	targets := []netip.Addr{}
	if !p.args.more() {
		return targets
	}
	list := p.args.take()
	for _, s := range strings.Split(list, ",") {
		if s == "" || len(targets) == 16 {
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil || a.Is4() != v4 {
			p.fail("Error: an inet address is expected rather than \"" + s + "\".")
			return nil
		}
		targets = append(targets, a)
	}
	return targets
}

// bondPort reads the port settings of `type bond_slave` (ip's
// bond_slave_parse_opt).
func (p *kindParser) bondPort() *rtnl.BondPort {
	b := &rtnl.BondPort{}
	p.each(func() {
		p.opt16(&b.QueueID, "queue_id", "queue_id is invalid")
		if p.args.peek() == "prio" {
			v, _ := p.opt("prio")
			n, err := strconv.ParseInt(v, 0, 32)
			if err != nil {
				p.invarg("prio is invalid", v)
				return
			}
			prio := int32(n)
			b.Prio = &prio
		}
	})
	return b
}
