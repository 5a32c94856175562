package main

import (
	"context"
	"io"
	"net"
	"net/netip"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/nsthread"
	"github.com/nlkit/nlkit/internal/testns"
)

// metricsNS returns a namespace whose kernel keeps TCP metrics for
// 127.0.0.1, ::1, 10.9.0.1 (from 10.9.0.1 and from 10.9.0.2) and 10.9.0.2:
// it makes a TCP connection over the loopback to each.
func metricsNS(t *testing.T) *testns.NS {
	t.Helper()
	ns := testns.New(t)
	ns.IP(t, "link", "set", "lo", "up")
	ns.IP(t, "addr", "add", "10.9.0.1/24", "dev", "lo")
	ns.IP(t, "addr", "add", "10.9.0.2/24", "dev", "lo")
	for _, c := range [][2]string{{"127.0.0.1", ""}, {"::1", ""}, {"10.9.0.1", "10.9.0.1"}, {"10.9.0.1", "10.9.0.2"}, {"10.9.0.2", "10.9.0.1"}} {
		dst, src := netip.MustParseAddr(c[0]), netip.Addr{}
		if c[1] != "" {
			src = netip.MustParseAddr(c[1])
		}
		err := nsthread.Do(ns.FD(), func() error { return loopbackTCP(dst, src, false) })
		if err != nil {
			t.Fatalf("TCP to %s in %s: %v", dst, ns.Name(), err)
		}
	}
	return ns
}

// loopbackTCP sends data over a TCP connection (an MPTCP one when
// multipath) from src (any, when invalid) to dst, and closes it: the
// kernel then keeps metrics for dst.
func loopbackTCP(dst, src netip.Addr, multipath bool) error {
	var lc net.ListenConfig
	lc.SetMultipathTCP(multipath)
	l, err := lc.Listen(context.Background(), "tcp", netip.AddrPortFrom(dst, 0).String())
	if err != nil {
		return err
	}
	defer l.Close()
	done := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			_, err = io.Copy(io.Discard, c)
			c.Close()
		}
		done <- err
	}()
	d := net.Dialer{}
	d.SetMultipathTCP(multipath)
	if src.IsValid() {
		d.LocalAddr = net.TCPAddrFromAddrPort(netip.AddrPortFrom(src, 0))
	}
	c, err := d.Dial("tcp", l.Addr().String())
	if err != nil {
		return err
	}
	_, err = c.Write(make([]byte, 16<<10))
	c.Close()
	if err != nil {
		return err
	}
	return <-done
}

// tcpmetricsAge matches what moves between two reads of the metrics.
var tcpmetricsAge = regexp.MustCompile(`("?age"?:? ?)[0-9.e-]+`)

// TestTcpmetricsShow compares the example's tcp_metrics shows, with their
// selectors, with ip's.
func TestTcpmetricsShow(t *testing.T) {
	ns := metricsNS(t)
	sameShows(t, ns.Name(), tcpmetricsAge, "tcp_metrics", "tcpmetrics show", "-j tcp_metrics", "-j -p tcp_metrics",
		"-4 tcp_metrics", "-6 -j tcp_metrics", "tcp_metrics show 10.9.0.0/24", "-j tcp_metrics show 10.9.0.1",
		"tcp_metrics show src 10.9.0.1 x", "-j tcp_metrics show address 10.9.0.0/16")
}

// TestTcpmetricsWrite deletes and flushes metrics with ip in one
// namespace and with the example in another, and compares what is left.
func TestTcpmetricsWrite(t *testing.T) {
	for _, cmds := range [][]string{
		{"tcp_metrics delete 10.9.0.2", "tcp_metrics flush 10.9.0.1"},
		{"tcp_metrics delete address 10.9.0.1", "-6 tcp_metrics flush"},
		{"tcp_metrics flush 127.0.0.0/8", "tcp_metrics flush src 10.9.0.2"},
		{"tcp_metrics flush ::/0"},
		{"tcp_metrics flush"},
	} {
		ipNS, exNS := metricsNS(t), metricsNS(t)
		for _, cmd := range cmds {
			_, ipErr, err := runIP(t, ipNS.Name(), strings.Fields(cmd), nil)
			if err != nil {
				t.Fatalf("ip %s: %v\n%s", cmd, err, ipErr)
			}
			if _, stderr, code := runExample(exNS.Name(), strings.Fields(cmd), nil); code != 0 || string(stderr) != string(ipErr) {
				t.Fatalf("example ip %s: exit %d, %q; ip wrote %q", cmd, code, stderr, ipErr)
			}
		}
		if w, g := metricsLeft(t, ipNS), metricsLeft(t, exNS); w != g {
			t.Errorf("after %q:\nip:      %s\nexample: %s", cmds, w, g)
		}
	}
}

// metricsLeft lists the destinations and sources of the namespace's
// metrics, sorted: the kernel's order differs between namespaces.
func metricsLeft(t *testing.T, ns *testns.NS) string {
	var lines []string
	for _, l := range strings.Split(string(ns.IP(t, "tcp_metrics")), "\n") {
		if f := strings.Fields(l); len(f) > 0 {
			lines = append(lines, f[0]+" "+f[len(f)-1])
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, ", ")
}

// TestTcpmetricsErrors checks the example's errors for tcp_metrics
// against ip's.
func TestTcpmetricsErrors(t *testing.T) {
	sameErrors(t, nil, "tcp_metrics delete 10.9.0.0/24", "tcp_metrics delete", "tcp_metrics delete src 10.9.0.1",
		"tcp_metrics frob", "tcp_metrics show zz", "-0 tcp_metrics", "tcp_metrics help", "tcp_metrics show 10.8.0.1",
		"tcp_metrics flush 10.8.0.0/16", "tcp_metrics delete 10.8.0.1", "tcp_metrics show addr", "-4 tcp_metrics show ::1",
		"tcp_metrics show 10.9.0.1 src 10.9.0.2",
		"tcp_metrics show src 10.9.0.0/24")
}
