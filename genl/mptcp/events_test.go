package mptcp_test

import (
	"bytes"
	"context"
	"net"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/genl/mptcp"
	"github.com/nlkit/nlkit/internal/nsthread"
	"github.com/nlkit/nlkit/internal/testns"
)

// mptcpConnection opens an MPTCP connection over lo in the namespace,
// sends a little and closes it: CREATED, ESTABLISHED and CLOSED events.
func mptcpConnection(t *testing.T, ns *testns.NS) {
	t.Helper()
	var l net.Listener
	err := nsthread.Do(ns.FD(), func() (err error) {
		var lc net.ListenConfig
		lc.SetMultipathTCP(true)
		l, err = lc.Listen(context.Background(), "tcp", "127.0.0.1:0")
		return err
	})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	defer l.Close()
	done := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			_, err = c.Read(make([]byte, 16))
			c.Close()
		}
		done <- err
	}()
	err = nsthread.Do(ns.FD(), func() error {
		var d net.Dialer
		d.SetMultipathTCP(true)
		c, err := d.Dial("tcp", l.Addr().String())
		if err != nil {
			return err
		}
		defer c.Close()
		_, err = c.Write([]byte("hello"))
		return err
	})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("accept: %v", err)
	}
}

func TestEventsLikeIPMonitor(t *testing.T) {
	ns := testns.New(t)
	ns.IP(t, "link", "set", "lo", "up")
	c := gtest.Dial(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	var ipOut bytes.Buffer
	mon := exec.Command("ip", "-n", ns.Name(), "mptcp", "monitor")
	mon.Stdout = &ipOut
	if err := mon.Start(); err != nil {
		t.Fatal(err)
	}
	defer mon.Process.Kill()
	sub, err := mptcp.SubscribeEvents(ctx, c)
	if err != nil {
		t.Fatalf("SubscribeEvents: %v", err)
	}
	defer sub.Close()
	time.Sleep(time.Second) // for ip to subscribe

	mptcpConnection(t, ns)
	// Read until both connections closed, then a second more for the
	// events that follow (the listener's, on kernels that have them).
	var got []string
	closed := 0
	readCtx, stop := context.WithCancel(ctx)
	defer stop()
	for e, err := range sub.Events(readCtx) {
		if err != nil {
			if closed == 2 && readCtx.Err() != nil {
				break
			}
			t.Fatalf("Events: %v", err)
		}
		got = append(got, e.String())
		if e.Type == mptcp.EventClosed {
			if closed++; closed == 2 { // the client's and the server's
				time.AfterFunc(time.Second, stop)
			}
		}
	}
	time.Sleep(500 * time.Millisecond) // for ip to print the last events
	mon.Process.Kill()
	mon.Wait()
	want := strings.Split(strings.TrimSpace(ipOut.String()), "\n")
	// Events of different connections raised at the same time on different
	// CPUs may reach two listeners in different orders; each connection's
	// own events are ordered.
	if !reflect.DeepEqual(byToken(got), byToken(want)) {
		t.Errorf("events differ from ip mptcp monitor's\n ip:\n%s\n nlkit:\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
	}
	for _, typ := range []string{"CREATED", "ESTABLISHED", "CLOSED"} {
		if !strings.Contains(strings.Join(got, "\n"), typ+"]") {
			t.Errorf("no %s event in %q", typ, got)
		}
	}
}

// byToken groups the lines of ip mptcp monitor's text by their connection's
// token, in order.
func byToken(lines []string) map[string][]string {
	m := make(map[string][]string)
	for _, l := range lines {
		_, rest, _ := strings.Cut(l, "token=")
		token, _, _ := strings.Cut(rest, " ")
		m[token] = append(m[token], l)
	}
	return m
}
