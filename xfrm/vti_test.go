package xfrm_test

import (
	"context"
	"net/netip"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/xfrm"
)

// TestGuideVTI runs the guide's VTI scenario (ip-command.md, "トンネル VTI
// / VTI6") with nlkit doing the xfrm part: two namespaces joined by a veth
// pair (10.0.0.1 and 10.0.0.2), a vti with key 1 on both sides (10.0.1.1
// and 10.0.1.2), ESP tunnel states (enc aes, auth sha256, spi 1) both ways
// and in/out policies with mark 1. Traffic between the tunnel addresses
// raises an acquire while the states are missing, then passes encrypted:
// the states' packet counters grow on both sides.
func TestGuideVTI(t *testing.T) {
	ns0, ns1 := testns.New(t), testns.New(t)
	c0, c1 := dial(t, ns0), dial(t, ns1)
	ctx := context.Background()
	a := netip.MustParseAddr
	addr0, addr1 := a("10.0.0.1"), a("10.0.0.2")
	encKey, authKey := key(0xa0, 32), key(0x50, 32)
	sa := func(src, dst netip.Addr) xfrm.State {
		return xfrm.State{Src: src, Dst: dst, Proto: xfrm.ProtoESP, SPI: 1, Mode: xfrm.ModeTunnel,
			Enc:  &xfrm.Algorithm{Name: "aes", Key: encKey},
			Auth: &xfrm.Algorithm{Name: "sha256", Key: authKey}}
	}
	// A kernel without ESP skips here, before the links are made.
	addOrSkip(t, c0, sa(addr0, addr1))
	if err := c0.FlushStates(ctx, 0); err != nil {
		t.Fatal(err)
	}

	ns0.IP(t, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", ns1.Name())
	for _, s := range []struct {
		ns          *testns.NS
		veth, local string
		remote, tun string
	}{{ns0, "veth0", "10.0.0.1", "10.0.0.2", "10.0.1.1/24"}, {ns1, "veth1", "10.0.0.2", "10.0.0.1", "10.0.1.2/24"}} {
		s.ns.IP(t, "link", "set", "lo", "up")
		s.ns.IP(t, "addr", "add", s.local+"/24", "dev", s.veth)
		s.ns.IP(t, "link", "set", s.veth, "up")
		out, err := exec.Command("ip", "-n", s.ns.Name(), "link", "add", "name", "vti0", "type", "vti", "key", "1",
			"local", s.local, "remote", s.remote).CombinedOutput()
		if err != nil {
			kfeature.Missing(t, kfeature.LinkKind("vti"), &exec.ExitError{Stderr: out})
		}
		s.ns.IP(t, "addr", "add", s.tun, "dev", "vti0")
		s.ns.IP(t, "link", "set", "vti0", "up")
	}

	// Policies first (ns0's raise an acquire while no state exists).
	pol := func(dir xfrm.Dir, src, dst netip.Addr) xfrm.Policy {
		return xfrm.Policy{Dir: dir, Mark: xfrm.Mark{Value: 1},
			Templates: []xfrm.Template{{Src: src, Dst: dst, Proto: xfrm.ProtoESP, SPI: 1, Mode: xfrm.ModeTunnel}}}
	}
	events := monitor(t, c0, xfrm.GroupAcquire, xfrm.GroupPolicy)
	for _, p := range []struct {
		c   *xfrm.Conn
		pol xfrm.Policy
	}{
		{c0, pol(xfrm.DirIn, addr1, addr0)}, {c0, pol(xfrm.DirOut, addr0, addr1)},
		{c1, pol(xfrm.DirIn, addr0, addr1)}, {c1, pol(xfrm.DirOut, addr1, addr0)},
	} {
		if err := p.c.AddPolicy(ctx, p.pol); err != nil {
			t.Fatal(err)
		}
	}
	sendUDP(t, ns0, a("10.0.1.2"))
	acq := nextEvent(t, events, xfrm.EventAcquire, 10*time.Second).Acquire
	if acq.Dst != addr1 || acq.Src != addr0 || acq.Proto != xfrm.ProtoESP || acq.Policy.Mark.Value != 1 {
		t.Errorf("acquire %+v", acq)
	}

	for _, s := range []struct {
		c        *xfrm.Conn
		src, dst netip.Addr
	}{{c0, addr0, addr1}, {c0, addr1, addr0}, {c1, addr1, addr0}, {c1, addr0, addr1}} {
		if err := s.c.AddState(ctx, sa(s.src, s.dst)); err != nil {
			t.Fatal(err)
		}
	}
	// What ip shows is what the guide shows.
	for _, ns := range []*testns.NS{ns0, ns1} {
		out := string(ns.IP(t, "xfrm", "policy", "show"))
		for _, want := range []string{"src 0.0.0.0/0 dst 0.0.0.0/0 \n\tdir out priority 0 ptype main \n\tmark 0x1/0xffffffff \n\ttmpl src",
			"\t\tproto esp spi 0x00000001 reqid 0 mode tunnel"} {
			if !strings.Contains(out, want) {
				t.Errorf("ip xfrm policy show\n%s\nlacks %q", out, want)
			}
		}
		out = string(ns.IP(t, "xfrm", "state", "show"))
		for _, want := range []string{"\tproto esp spi 0x00000001 reqid 0 mode tunnel\n\treplay-window 0 \n\tauth-trunc hmac(sha256) 0x5051",
			" 96\n\tenc cbc(aes) 0xa0a1a2"} {
			if !strings.Contains(out, want) {
				t.Errorf("ip xfrm state show\n%s\nlacks %q", out, want)
			}
		}
	}

	for range 3 {
		sendUDP(t, ns0, a("10.0.1.2"))
	}
	out0, err := c0.GetState(ctx, xfrm.StateID{Src: addr0, Dst: addr1, Proto: xfrm.ProtoESP, SPI: 1})
	if err != nil {
		t.Fatal(err)
	}
	in1, err := c1.GetState(ctx, xfrm.StateID{Src: addr0, Dst: addr1, Proto: xfrm.ProtoESP, SPI: 1})
	if err != nil {
		t.Fatal(err)
	}
	if out0.Current.Packets < 3 || in1.Current.Packets < 3 {
		t.Errorf("after 3 datagrams, %d packets went out through ns0's state and %d came in through ns1's; want 3 each",
			out0.Current.Packets, in1.Current.Packets)
	}
	if out0.Replay == nil || out0.Replay.OSeq < 3 {
		t.Errorf("ns0's outbound state's replay state %+v, want oseq 3 or more", out0.Replay)
	}
	checkStateText(t, ns0, settledStates(t, c0))
	checkPolicyText(t, ns1, mustPolicies(t, c1))
}

// settledStates lists the states once their counters stop moving: the
// datagrams sent, and the ICMP errors they draw, may still be in flight.
func settledStates(t *testing.T, c *xfrm.Conn) []xfrm.State {
	t.Helper()
	packets := func(ss []xfrm.State) (n uint64) {
		for _, s := range ss {
			n += s.Current.Packets
		}
		return n
	}
	prev, err := c.States(context.Background())
	for range 25 {
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		var cur []xfrm.State
		cur, err = c.States(context.Background())
		if err == nil && packets(cur) == packets(prev) {
			return cur
		}
		prev = cur
	}
	t.Fatalf("the states' counters still move after 5s: %v", err)
	return nil
}

func mustPolicies(t *testing.T, c *xfrm.Conn) []xfrm.Policy {
	t.Helper()
	p, err := c.Policies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p
}
