package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/nlkit/nlkit/netnsutil"
)

// echoPort is the UDP port of the echo server.
const echoPort = 7

// echo starts a UDP echo server on net1Addr in the namespace server, sends
// a datagram to it from a socket in the namespace client and waits for the
// answer. It tries a few times, each with a short deadline, so that a
// datagram lost while the path settles does not fail the proof. It returns
// the round-trip time of the answered datagram.
func echo(ctx context.Context, client, server string) (time.Duration, error) {
	srv, err := openIn(server, func() (net.Conn, error) {
		return net.ListenUDP("udp4", &net.UDPAddr{IP: net.IP(net1Addr.Addr().AsSlice()), Port: echoPort})
	})
	if err != nil {
		return 0, err
	}
	defer srv.Close()
	go serveEcho(srv.(*net.UDPConn))

	cl, err := openIn(client, func() (net.Conn, error) {
		return net.DialUDP("udp4", nil, &net.UDPAddr{IP: net.IP(net1Addr.Addr().AsSlice()), Port: echoPort})
	})
	if err != nil {
		return 0, err
	}
	defer cl.Close()
	stop := context.AfterFunc(ctx, func() { cl.SetDeadline(time.Now()) })
	defer stop()

	msg := []byte("hello across br0")
	buf := make([]byte, 64)
	for range 5 {
		start := time.Now()
		if _, err := cl.Write(msg); err != nil {
			return 0, err
		}
		cl.SetReadDeadline(start.Add(time.Second))
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
	return 0, fmt.Errorf("no answer from %s port %d", net1Addr.Addr(), echoPort)
}

// openIn opens a socket with open on a thread in the namespace ns: the
// socket belongs to ns for its whole life, wherever it is used from.
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

// serveEcho sends every datagram back to where it came from until the
// socket is closed.
func serveEcho(c *net.UDPConn) {
	buf := make([]byte, 1500)
	for {
		n, from, err := c.ReadFromUDP(buf)
		if err != nil {
			return
		}
		c.WriteToUDP(buf[:n], from)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
