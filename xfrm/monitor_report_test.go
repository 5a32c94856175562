package xfrm_test

import (
	"context"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/nsthread"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/xfrm"
)

// TestMonitorReport makes the kernel send an XFRM_MSG_REPORT, as Mobile
// IPv6 route optimisation does: A sends B a UDP datagram carrying a home
// address option (a destination option naming A's home address). B's
// route-optimisation hao state for that home address accepts the option
// (the kernel swaps the addresses and records the state in the packet's
// secpath), but B has no inbound policy allowing a non-transport state, so
// the policy check rejects the packet and mip6_destopt_reject reports it
// with km_report: the selector of the packet (home address to B, UDP, its
// ports) and, as care-of address, A's real address.
func TestMonitorReport(t *testing.T) {
	nsA, nsB := testns.New(t), testns.New(t)
	cB := dial(t, nsB)
	a := netip.MustParseAddr
	addrA, addrB, home := a("2001:db8:1::1"), a("2001:db8:1::2"), a("2001:db8:ffff::1")
	hao := xfrm.State{Src: home, Dst: addrB, Proto: xfrm.ProtoHAO, Mode: xfrm.ModeRO, CareOf: addrA}
	// A kernel without Mobile IPv6 skips here, before the links are made.
	if err := cB.AddState(context.Background(), hao); err != nil {
		kfeature.Check(t, featMIP6, err)
		t.Fatal(err)
	}

	nsA.IP(t, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", nsB.Name())
	for _, s := range []struct {
		ns          *testns.NS
		veth, local string
	}{{nsA, "veth0", "2001:db8:1::1/64"}, {nsB, "veth1", "2001:db8:1::2/64"}} {
		s.ns.IP(t, "addr", "add", s.local, "dev", s.veth, "nodad")
		s.ns.IP(t, "link", "set", s.veth, "up")
	}

	events := monitor(t, cB, xfrm.GroupReport, xfrm.GroupPolicy)
	const sport, dport = 5555, 9
	start := time.Now()
	deadline := time.After(15 * time.Second)
	for {
		sendWithHAO(t, nsA, addrA, sport, addrB, dport, home)
		select {
		case ev := <-events:
			if ev.Type != xfrm.EventReport {
				continue
			}
			t.Logf("report event %v after the first datagram: %+v", time.Since(start), *ev.Report)
			want := xfrm.Report{Proto: xfrm.ProtoHAO, CareOf: addrA, Selector: xfrm.Selector{Family: unix.AF_INET6,
				Src: netip.PrefixFrom(home, 128), Dst: netip.PrefixFrom(addrB, 128), Proto: unix.IPPROTO_UDP,
				SrcPort: sport, SrcPortMask: 0xffff, DstPort: dport, DstPortMask: 0xffff,
				// The flow's output interface: for a datagram delivered
				// locally, the local route's device (lo, index 1 in a
				// new namespace).
				LinkIndex: 1, LinkName: "lo"}}
			// The selector is the kernel's flow of the packet. Before 6.8
			// (flow dissector in xfrm_decode_session), the IPv6 decoder
			// read the ports at the destination options header, not at
			// the UDP header: its first four bytes (next header UDP,
			// length 2, PadN of 2) become the ports 0x1102 and 0x0102.
			if got := ev.Report.Selector; got.SrcPort == 0x1102 && got.DstPort == 0x0102 {
				t.Logf("this kernel's flow decoder reads the destination options header as the ports")
				want.Selector.SrcPort, want.Selector.DstPort = got.SrcPort, got.DstPort
			}
			checkFields(t, "report event", want, *ev.Report)
			m := checkJSON(t, ev, "event", "proto", "sel", "coa")
			if m["event"] != "report" || m["proto"] != "hao" || m["coa"] != addrA.String() {
				t.Errorf("report event JSON %v", m)
			}
			return
		case <-time.After(500 * time.Millisecond):
		case <-deadline:
			logCounters(t, nsB)
			t.Fatal("no report event within 15s of sending datagrams with a home address option")
		}
	}
}

// sendWithHAO sends one UDP datagram from src:sport in ns to dst:dport
// with a destination options header holding a home address option (RFC
// 6275 6.3) for home. The receiver swaps home into the source address
// before UDP checks the checksum, so the datagram goes through a raw
// socket with the checksum a mobile node computes: over home, not src.
func sendWithHAO(t *testing.T, ns *testns.NS, src netip.Addr, sport int, dst netip.Addr, dport int, home netip.Addr) {
	t.Helper()
	// next header (filled by the kernel), length 2 (3×8 bytes), PadN of
	// 4 bytes so that the option starts at 8n+6, then the option: type
	// 0xc9, length 16, the home address.
	opts := append([]byte{0, 2, 1, 2, 0, 0, 0xc9, 16}, home.AsSlice()...)
	udp := append([]byte{byte(sport >> 8), byte(sport), byte(dport >> 8), byte(dport), 0, 13, 0, 0}, "nlkit"...)
	sum := udp6Checksum(home, dst, udp)
	udp[6], udp[7] = byte(sum>>8), byte(sum)
	err := nsthread.Do(ns.FD(), func() error {
		fd, err := unix.Socket(unix.AF_INET6, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.IPPROTO_UDP)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		if err := unix.SetsockoptString(fd, unix.IPPROTO_IPV6, unix.IPV6_DSTOPTS, string(opts)); err != nil {
			return err
		}
		if err := unix.Bind(fd, &unix.SockaddrInet6{Addr: src.As16()}); err != nil {
			return err
		}
		return unix.Sendto(fd, udp, 0, &unix.SockaddrInet6{Addr: dst.As16()})
	})
	if err != nil {
		t.Fatalf("sending with a home address option: %v", err)
	}
}

// udp6Checksum computes the UDP checksum of segment (its checksum field
// zero) from src to dst (RFC 8200 8.1).
func udp6Checksum(src, dst netip.Addr, segment []byte) uint16 {
	var sum uint32
	add := func(b []byte) {
		for i := 0; i+1 < len(b); i += 2 {
			sum += uint32(b[i])<<8 | uint32(b[i+1])
		}
		if len(b)%2 == 1 {
			sum += uint32(b[len(b)-1]) << 8
		}
	}
	add(src.AsSlice())
	add(dst.AsSlice())
	add([]byte{0, 0, byte(len(segment) >> 8), byte(len(segment)), 0, 0, 0, unix.IPPROTO_UDP})
	add(segment)
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	if c := ^uint16(sum); c != 0 {
		return c
	}
	return 0xffff
}

// logCounters logs ns's non-zero IPv6, UDPv6 and xfrm counters, to tell
// where the datagrams went.
func logCounters(t *testing.T, ns *testns.NS) {
	t.Helper()
	nsthread.Do(ns.FD(), func() error {
		for _, f := range []string{"snmp6", "xfrm_stat"} {
			b, err := os.ReadFile("/proc/thread-self/net/" + f)
			if err != nil {
				t.Logf("%s: %v", f, err)
				continue
			}
			for _, l := range strings.Split(string(b), "\n") {
				if fs := strings.Fields(l); len(fs) == 2 && fs[1] != "0" {
					t.Logf("%s: %s", f, l)
				}
			}
		}
		return nil
	})
}
