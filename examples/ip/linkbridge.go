package main

import (
	"context"

	"github.com/nlkit/nlkit/rtnl"
)

// bridge reads the settings of `type bridge` (ip's bridge_parse_opt).
func (p *kindParser) bridge() *rtnl.Bridge {
	b := &rtnl.Bridge{}
	p.each(func() {
		p.opt32(&b.ForwardDelay, "forward_delay", "invalid forward_delay")
		p.opt32(&b.HelloTime, "hello_time", "invalid hello_time")
		p.opt32(&b.MaxAge, "max_age", "invalid max_age")
		p.opt32(&b.AgeingTime, "ageing_time", "invalid ageing_time")
		p.opt32(&b.STPState, "stp_state", "invalid stp_state")
		p.opt16(&b.Priority, "priority", "invalid priority")
		p.optBool01(&b.VlanFiltering, "vlan_filtering", "invalid vlan_filtering")
		if s, ok := p.opt("vlan_protocol"); ok {
			proto, ok := parseVlanProtocol(s)
			if !ok {
				p.invarg("invalid vlan_protocol", s)
			}
			v := uint16(proto)
			b.VlanProtocol = &v
		}
		p.opt16(&b.GroupFwdMask, "group_fwd_mask", "invalid group_fwd_mask")
		if s, ok := p.opt("group_address"); ok {
			hw, err := parseLLAddr(s)
			if err != nil {
				p.err = err
				return
			}
			b.GroupAddress = hw
		}
		if p.args.peek() == "no_linklocal_learn" {
			p.optBool01(&b.NoLinkLocalLearn, "no_linklocal_learn", "invalid no_linklocal_learn")
		}
		if p.word("fdb_flush") {
			b.FDBFlush = true
		}
		p.opt16(&b.VlanDefaultPVID, "vlan_default_pvid", "invalid vlan_default_pvid")
		p.optBool01(&b.VlanStatsEnabled, "vlan_stats_enabled", "invalid vlan_stats_enabled")
		p.optBool01(&b.VlanStatsPerPort, "vlan_stats_per_port", "invalid vlan_stats_per_port")
		p.opt8(&b.McastRouter, "mcast_router", "invalid mcast_router")
		p.optBool01(&b.McastSnooping, "mcast_snooping", "invalid mcast_snooping")
		if p.args.peek() == "mcast_vlan_snooping" {
			p.optBool01(&b.McastVlanSnooping, "mcast_vlan_snooping", "invalid mcast_vlan_snooping")
		}
		p.optBool01(&b.McastQueryUseIfaddr, "mcast_query_use_ifaddr", "invalid mcast_query_use_ifaddr")
		p.optBool01(&b.McastQuerier, "mcast_querier", "invalid mcast_querier")
		p.opt32(&b.McastHashElasticity, "mcast_hash_elasticity", "invalid mcast_hash_elasticity")
		p.opt32(&b.McastHashMax, "mcast_hash_max", "invalid mcast_hash_max")
		p.opt32(&b.McastLastMemberCount, "mcast_last_member_count", "invalid mcast_last_member_count")
		p.opt32(&b.McastStartupQueryCount, "mcast_startup_query_count", "invalid mcast_startup_query_count")
		p.opt64(&b.McastLastMemberInterval, "mcast_last_member_interval", "invalid mcast_last_member_interval")
		p.opt64(&b.McastMembershipInterval, "mcast_membership_interval", "invalid mcast_membership_interval")
		p.opt64(&b.McastQuerierInterval, "mcast_querier_interval", "invalid mcast_querier_interval")
		p.opt64(&b.McastQueryInterval, "mcast_query_interval", "invalid mcast_query_interval")
		p.opt64(&b.McastQueryResponseInterval, "mcast_query_response_interval", "invalid mcast_query_response_interval")
		p.opt64(&b.McastStartupQueryInterval, "mcast_startup_query_interval", "invalid mcast_startup_query_interval")
		p.optBool01(&b.McastStatsEnabled, "mcast_stats_enabled", "invalid mcast_stats_enabled")
		p.opt8(&b.McastIGMPVersion, "mcast_igmp_version", "invalid mcast_igmp_version")
		p.opt8(&b.McastMLDVersion, "mcast_mld_version", "invalid mcast_mld_version")
		p.optBool01(&b.NFCallIPTables, "nf_call_iptables", "invalid nf_call_iptables")
		p.optBool01(&b.NFCallIP6Tables, "nf_call_ip6tables", "invalid nf_call_ip6tables")
		p.optBool01(&b.NFCallARPTables, "nf_call_arptables", "invalid nf_call_arptables")
	})
	return b
}

// bridgePort reads the port settings of `type bridge_slave` (ip's
// bridge_slave_parse_opt).
func (c *command) bridgePort(ctx context.Context, p *kindParser) *rtnl.BridgePort {
	b := &rtnl.BridgePort{}
	p.each(func() {
		if p.word("fdb_flush") {
			b.FDBFlush = true
		}
		if n, ok := p.num("state", "state is invalid", 8); ok {
			s := rtnl.BridgePortState(n)
			b.State = &s
		}
		p.opt16(&b.Priority, "priority", "priority is invalid")
		p.opt32(&b.Cost, "cost", "cost is invalid")
		for _, f := range []struct {
			kw  string
			dst **bool
		}{
			{"hairpin", &b.Hairpin}, {"guard", &b.Guard}, {"root_block", &b.RootBlock},
			{"fastleave", &b.FastLeave}, {"learning", &b.Learning}, {"flood", &b.UnicastFlood},
			{"mcast_flood", &b.McastFlood}, {"bcast_flood", &b.BcastFlood},
			{"mcast_to_unicast", &b.McastToUnicast}, {"proxy_arp", &b.ProxyARP},
			{"proxy_arp_wifi", &b.ProxyARPWiFi},
		} {
			p.optOnOff(f.dst, f.kw)
		}
		p.opt8(&b.McastRouter, "mcast_router", "invalid mcast_router")
		p.optOnOff(&b.FastLeave, "mcast_fast_leave")
		p.optOnOff(&b.NeighSuppress, "neigh_suppress")
		p.opt16(&b.GroupFwdMask, "group_fwd_mask", "invalid group_fwd_mask")
		p.optOnOff(&b.VlanTunnel, "vlan_tunnel")
		p.optOnOff(&b.Isolated, "isolated")
		p.optOnOff(&b.Locked, "locked")
		if s, ok := p.opt("backup_port"); ok {
			l, err := c.conn.LinkByName(ctx, s)
			if err != nil {
				p.invarg("Device does not exist\n", s)
				return
			}
			b.BackupPortIndex = &l.Index
		}
		if p.word("nobackup_port") {
			b.BackupPortIndex = new(int32)
		}
	})
	return b
}
