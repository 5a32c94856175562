package main

import (
	"context"

	"github.com/nlkit/nlkit/rtnl"
)

// netkitInfo reads `type netkit [mode l2|l3] [forward|blackhole] [scrub
// none|default] [headroom N] [tailroom N] [peer [forward|blackhole]
// [scrub none|default] [LINK SETTINGS]]`, the syntax of iproute2 6.7 and
// later (6.1 has no netkit).
func (c *command) netkitInfo(ctx context.Context, p *kindParser) (*rtnl.LinkInfo, error) {
	n := &rtnl.Netkit{}
	policy, scrub := &n.Policy, &n.Scrub
	var peerArgs []string
	peer := false
	p.each(func() {
		if !peer {
			optNamed(p, &n.Mode, "mode", "Invalid \"mode\" value", false, rtnl.NetkitL2, rtnl.NetkitL3)
			p.opt16(&n.Headroom, "headroom", "Invalid \"headroom\" value")
			p.opt16(&n.Tailroom, "tailroom", "Invalid \"tailroom\" value")
		}
		for _, pol := range []rtnl.NetkitPolicy{rtnl.NetkitPass, rtnl.NetkitDrop} {
			if p.exact(pol.String()) {
				*policy = &pol
			}
		}
		if p.args.peek() == "scrub" {
			optNamed(p, scrub, "scrub", "Invalid \"scrub\" value", false, rtnl.NetkitScrubNone, rtnl.NetkitScrubDefault)
		}
		switch {
		case !peer && p.exact("peer"):
			peer, policy, scrub = true, &n.PeerPolicy, &n.PeerScrub
		case peer && p.args.more() && p.args.peek() != "scrub" && p.args.peek() != "forward" && p.args.peek() != "blackhole":
			peerArgs = append(peerArgs, p.args.take())
		}
	})
	if err := p.leftover(); err != nil {
		return nil, err
	}
	if len(peerArgs) > 0 {
		a, err := parseLinkArgs(peerArgs, false)
		if err != nil {
			return nil, err
		}
		if n.Peer, err = c.newLink(ctx, a); err != nil {
			return nil, err
		}
		if a.netns != "" {
			n.PeerNetNS = netNS(a.netns)
		}
	}
	return &rtnl.LinkInfo{Kind: "netkit", Data: n}, nil
}
