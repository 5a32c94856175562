package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

// TestKindNetkit creates netkit pairs with the example's options (the
// syntax of iproute2 6.7 and later: ip 6.1 has no netkit) and reads their
// settings back through rtnl.
func TestKindNetkit(t *testing.T) {
	ns := testns.New(t)
	run := func(cmd string) {
		t.Helper()
		_, stderr, code := runExample(ns.Name(), strings.Fields(cmd), nil)
		if code != 0 {
			if strings.Contains(string(stderr), "Unknown device type") || strings.Contains(string(stderr), "not supported") {
				kfeature.Missing(t, kfeature.LinkKind("netkit"), errors.New(string(stderr)))
			}
			t.Fatalf("example ip %s: exit %d: %s", cmd, code, stderr)
		}
	}
	run("link add nk0 type netkit mode l2 blackhole peer forward name nk1 mtu 1400")
	run("link add nk2 type netkit forward peer blackhole name nk3")
	c, err := rtnl.Dial(context.Background(), rtnl.WithNetNS(ns.FD()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, tc := range []struct {
		name         string
		mode         rtnl.NetkitMode
		policy, peer rtnl.NetkitPolicy
		mtu          uint32
	}{
		{"nk0", rtnl.NetkitL2, rtnl.NetkitDrop, rtnl.NetkitPass, 1500},
		{"nk1", rtnl.NetkitL2, rtnl.NetkitPass, rtnl.NetkitDrop, 1400},
		{"nk2", rtnl.NetkitL3, rtnl.NetkitPass, rtnl.NetkitDrop, 1500},
		{"nk3", rtnl.NetkitL3, rtnl.NetkitDrop, rtnl.NetkitPass, 1500},
	} {
		l, err := c.LinkByName(context.Background(), tc.name)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		n, ok := l.Info.Data.(*rtnl.Netkit)
		if !ok || n.Mode == nil || n.Policy == nil || n.PeerPolicy == nil {
			t.Fatalf("%s: netkit data %#v", tc.name, l.Info.Data)
		}
		if *n.Mode != tc.mode || *n.Policy != tc.policy || *n.PeerPolicy != tc.peer || l.MTU != tc.mtu {
			t.Errorf("%s: mode %v, policy %v, peer policy %v, mtu %d; want %v, %v, %v, %d",
				tc.name, *n.Mode, *n.Policy, *n.PeerPolicy, l.MTU, tc.mode, tc.policy, tc.peer, tc.mtu)
		}
	}
}
