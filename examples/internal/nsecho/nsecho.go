// Package nsecho proves that traffic passes between two network namespaces:
// a UDP echo from a socket opened in one to a server opened in the other.
// It serves the examples only.
package nsecho

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"time"

	"github.com/nlkit/nlkit/netnsutil"
)

// attempts and attemptTimeout bound how long Echo waits for an answer.
const (
	attempts       = 5
	attemptTimeout = time.Second
)

// Echo starts a UDP echo server on server in the named namespace serverNS,
// sends a datagram to it from a socket in the named namespace clientNS and
// waits for the answer. It tries a few times, each with a short deadline,
// so that a datagram lost while the path settles does not fail the proof.
// It returns the round-trip time of the answered datagram.
func Echo(ctx context.Context, clientNS, serverNS string, server netip.AddrPort) (time.Duration, error) {
	srv, err := openIn(serverNS, func() (net.Conn, error) {
		return net.ListenUDP("udp", net.UDPAddrFromAddrPort(server))
	})
	if err != nil {
		return 0, fmt.Errorf("echo server in %s: %w", serverNS, err)
	}
	defer srv.Close()
	go serve(srv.(*net.UDPConn))

	cl, err := openIn(clientNS, func() (net.Conn, error) {
		return net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(server))
	})
	if err != nil {
		return 0, fmt.Errorf("echo client in %s: %w", clientNS, err)
	}
	defer cl.Close()
	stop := context.AfterFunc(ctx, func() { cl.SetDeadline(time.Now()) })
	defer stop()

	msg := []byte("hello from " + clientNS)
	buf := make([]byte, len(msg)+1)
	for range attempts {
		start := time.Now()
		if _, err := cl.Write(msg); err != nil {
			return 0, err
		}
		cl.SetReadDeadline(start.Add(attemptTimeout))
		n, err := cl.Read(buf)
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if err != nil && !isTimeout(err) {
			return 0, err
		}
		if err == nil && string(buf[:n]) == string(msg) {
			return time.Since(start), nil
		}
	}
	return 0, fmt.Errorf("no answer from %s in %s", server, serverNS)
}

// openIn opens a socket with open on a thread in the named namespace ns:
// the socket belongs to ns for its whole life, wherever it is used from.
func openIn(ns string, open func() (net.Conn, error)) (net.Conn, error) {
	h, err := netnsutil.Open(ns)
	if err != nil {
		return nil, err
	}
	defer h.Close()
	var c net.Conn
	err = netnsutil.Do(h, func() error {
		c, err = open()
		return err
	})
	return c, err
}

// serve sends every datagram back to where it came from until the socket
// is closed.
func serve(c *net.UDPConn) {
	buf := make([]byte, 1500)
	for {
		n, from, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			return
		}
		c.WriteToUDPAddrPort(buf[:n], from)
	}
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}
