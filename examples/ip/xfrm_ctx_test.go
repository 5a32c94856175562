package main

import "testing"

// TestXfrmPolicyCtx replays policy commands with security contexts (ctx):
// add and update, get and delete by context, a repeated ctx. This host's
// kernel, without a security module that labels IPsec, accepts the
// contexts and drops them, as the kernels of the VM tests do.
func TestXfrmPolicyCtx(t *testing.T) {
	const ctx = " ctx system_u:object_r:ipsec_spd_t:s0"
	xfrmReplay(t, []string{
		"xfrm policy add src 10.1.0.0/16 dst 10.2.0.0/16 dir out" + ctx,
		"xfrm policy update src 10.1.0.0/16 dst 10.2.0.0/16 dir out priority 3" + ctx,
		"xfrm policy add src 10.3.0.0/16 dst 10.4.0.0/16 dir in" + ctx,
		"xfrm policy get src 10.1.0.0/16 dst 10.2.0.0/16 dir out" + ctx + " =",
		"xfrm policy delete src 10.3.0.0/16 dst 10.4.0.0/16 dir in" + ctx,
		"xfrm policy add src 10.5.0.0/16 dst 10.6.0.0/16 dir in" + ctx + ctx + " !",
	})
}

// TestXfrmStateCtx replays state adds with a security context; it needs
// ESP, as TestXfrmState does.
func TestXfrmStateCtx(t *testing.T) {
	xfrmReplay(t, []string{
		"xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 1 enc aes " + guideAES + " ctx system_u:object_r:ipsec_spd_t:s0 mode tunnel",
		"xfrm state add src 10.0.0.1 dst 10.0.0.3 proto esp spi 2 ctx a ctx b enc aes " + guideAES + " !",
	})
}
