package xfrm_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nsthread"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/xfrm"
)

// TestMonitorMapping makes the kernel report a NAT-T mapping change: B's
// inbound ESP-in-UDP state says its peer sends from 10.0.0.9 port 4500,
// but A's packets come from 10.0.0.1 port 4600, as if a NAT had moved the
// peer. Receiving them, esp_input_done2 calls km_new_mapping, which sends
// XFRM_MSG_MAPPING to the mapping group (every packet: the state has no
// XFRMA_MTIMER_THRESH, so no rate limit).
func TestMonitorMapping(t *testing.T) {
	nsA, nsB := testns.New(t), testns.New(t)
	cA, cB := dial(t, nsA), dial(t, nsB)
	ctx := context.Background()
	a := netip.MustParseAddr
	addrA, addrB, oldA := a("10.0.0.1"), a("10.0.0.2"), a("10.0.0.9")
	const spi, reqid, portA, portB = 0x4d41, 0x2a, 4600, 4500
	sa := func(src netip.Addr, sport uint16) xfrm.State {
		return xfrm.State{Src: src, Dst: addrB, Proto: xfrm.ProtoESP, SPI: spi, ReqID: reqid, Mode: xfrm.ModeTransport,
			Enc:   &xfrm.Algorithm{Name: "cipher_null"},
			Encap: &xfrm.Encap{Type: xfrm.EncapESPInUDP, SrcPort: sport, DstPort: portB}}
	}
	// A kernel without ESP skips here, before the links are made.
	addOrSkip(t, cB, sa(oldA, portB))
	addOrSkip(t, cA, sa(addrA, portA))
	if err := cA.AddPolicy(ctx, xfrm.Policy{Dir: xfrm.DirOut,
		Selector:  xfrm.Selector{Src: netip.PrefixFrom(addrA, 32), Dst: netip.PrefixFrom(addrB, 32), Proto: unix.IPPROTO_UDP, DstPort: 9},
		Templates: []xfrm.Template{{Src: addrA, Dst: addrB, Proto: xfrm.ProtoESP, ReqID: reqid, Mode: xfrm.ModeTransport}}}); err != nil {
		t.Fatal(err)
	}

	nsA.IP(t, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", nsB.Name())
	for _, s := range []struct {
		ns          *testns.NS
		veth, local string
	}{{nsA, "veth0", "10.0.0.1/24"}, {nsB, "veth1", "10.0.0.2/24"}} {
		s.ns.IP(t, "addr", "add", s.local, "dev", s.veth)
		s.ns.IP(t, "link", "set", s.veth, "up")
	}
	encapSocket(t, nsB, addrB, portB)

	events := monitor(t, cB, xfrm.GroupMapping, xfrm.GroupPolicy)
	want := xfrm.Mapping{Dst: addrB, SPI: spi, Proto: xfrm.ProtoESP, ReqID: reqid,
		OldSrc: oldA, OldSport: portB, NewSrc: addrA, NewSport: portA}
	deadline := time.After(15 * time.Second)
	for {
		sendUDP(t, nsA, addrB)
		select {
		case ev := <-events:
			if ev.Type != xfrm.EventMapping {
				continue
			}
			t.Logf("mapping event: %+v", *ev.Mapping)
			checkFields(t, "mapping event", want, *ev.Mapping)
			m := checkJSON(t, ev, "event", "dst", "spi", "reqid", "old_src", "old_sport", "new_src", "new_sport")
			if m["event"] != "mapping" || m["new_sport"] != float64(portA) || m["old_src"] != oldA.String() {
				t.Errorf("mapping event JSON %v", m)
			}
			return
		case <-time.After(500 * time.Millisecond):
		case <-deadline:
			t.Fatal("no mapping event within 15s of sending ESP-in-UDP packets from a new port")
		}
	}
}

// encapSocket opens in ns a UDP socket bound to addr:port that takes
// ESP-in-UDP packets to the kernel's xfrm input (UDP_ENCAP_ESPINUDP), as
// an IKE daemon's NAT-T socket does; it is closed when the test ends.
func encapSocket(t *testing.T, ns *testns.NS, addr netip.Addr, port int) {
	t.Helper()
	var fd int
	err := nsthread.Do(ns.FD(), func() error {
		var err error
		fd, err = unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		if err := unix.SetsockoptInt(fd, unix.SOL_UDP, unix.UDP_ENCAP, unix.UDP_ENCAP_ESPINUDP); err != nil {
			unix.Close(fd)
			return err
		}
		if err := unix.Bind(fd, &unix.SockaddrInet4{Port: port, Addr: addr.As4()}); err != nil {
			unix.Close(fd)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("ESP-in-UDP socket: %v", err)
	}
	t.Cleanup(func() { unix.Close(fd) })
}
