package main

import (
	"net"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/netnsutil"
)

// TestStatsText compares the example's counters with ip's, plain, with
// -s -s, in human-readable form (-h) and in IEC units (-h -iec; -iec
// alone changes nothing), after enough traffic on lo for thousands.
func TestStatsText(t *testing.T) {
	ns := testns.New(t)
	ns.IP(t, "link", "set", "lo", "up")
	sendOnLo(t, ns, 1500)
	for _, cmd := range []string{
		"-s link show lo", "-s -s link show lo", "-h -s link show lo", "-h -iec -s link show lo",
		"-iec -s link show lo", "-human -s -s link show lo", "-s -h addr show lo", "-s -s -o -h link show lo",
	} {
		args := strings.Fields(cmd)
		want, _, err := runIP(t, ns.Name(), args, nil)
		if err != nil {
			t.Fatalf("ip %s: %v", cmd, err)
		}
		got, stderr, code := runExample(ns.Name(), args, nil)
		if code != 0 || string(got) != string(want) {
			t.Errorf("ip %s:\nip:\n%s\nexample (exit %d, %s):\n%s", cmd, want, code, stderr, got)
		}
	}
}

// sendOnLo sends n datagrams of 1400 bytes over lo in the namespace, to a
// socket that takes them without reading them: the counters of lo then
// stand still.
func sendOnLo(t *testing.T, ns *testns.NS, n int) {
	t.Helper()
	h, err := netnsutil.Open(ns.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	err = netnsutil.Do(h, func() error {
		rx, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			return err
		}
		defer rx.Close()
		tx, err := net.DialUDP("udp4", nil, rx.LocalAddr().(*net.UDPAddr))
		if err != nil {
			return err
		}
		defer tx.Close()
		msg := make([]byte, 1400)
		for range n {
			if _, err := tx.Write(msg); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
