package nlconn

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/testns"
)

func dialNS(t *testing.T, ns *testns.NS) *Conn {
	t.Helper()
	c, err := Dial(context.Background(), unix.NETLINK_ROUTE, Config{NetNS: ns.FD()})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// linkDump is an RTM_GETLINK dump request payload.
func linkDump() []byte {
	b := make([]byte, unix.SizeofIfInfomsg)
	b[0] = unix.AF_PACKET
	return b
}

func TestPendingReceiveReturnsWhenContextIsDone(t *testing.T) {
	ns := testns.New(t)
	c := dialNS(t, ns)

	for _, tc := range []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"cancel", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(50*time.Millisecond, cancel)
			return ctx, cancel
		}, context.Canceled},
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 50*time.Millisecond)
		}, context.DeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := tc.ctx()
			defer cancel()
			s, err := c.get()
			if err != nil {
				t.Fatal(err)
			}
			// Nothing was sent: the receive waits until the context is done.
			x := &exchange{c: c, s: s, ctx: ctx, op: "test"}
			err = x.messages(func(Message) (bool, error) { return false, nil })
			x.finish(err == nil)
			if !errors.Is(err, tc.want) {
				t.Fatalf("receive error = %v; want %v", err, tc.want)
			}
			c.mu.Lock()
			kept := len(c.idle)
			c.mu.Unlock()
			if kept != 0 {
				t.Errorf("the socket of a canceled receive went back to the pool")
			}
		})
	}
	// The Conn still serves requests.
	for _, err := range c.Dump(context.Background(), "dump links", unix.RTM_GETLINK, 0, linkDump()) {
		if err != nil {
			t.Fatalf("dump after cancellations: %v", err)
		}
	}
}

// TestReceiveWaitsForALateDatagram checks that a receive that finds
// nothing queued waits, in poll(2), until a datagram comes, and that the
// socket serves again afterwards, for every kind of context: one that is
// never done, one that can be canceled, one with a deadline.
func TestReceiveWaitsForALateDatagram(t *testing.T) {
	ns := testns.New(t)
	c := dialNS(t, ns)
	sender := dialNS(t, ns)
	from, err := sender.get()
	if err != nil {
		t.Fatal(err)
	}
	defer sender.put(from, false)

	cancelable, cancel := context.WithCancel(context.Background())
	defer cancel()
	withDeadline, cancelDeadline := context.WithTimeout(context.Background(), time.Minute)
	defer cancelDeadline()
	for name, ctx := range map[string]context.Context{"background": context.Background(), "cancelable": cancelable, "deadline": withDeadline} {
		t.Run(name, func(t *testing.T) {
			s, err := c.get()
			if err != nil {
				t.Fatal(err)
			}
			// A NOOP message from another socket, sent to this one's port
			// once the receive has had time to find nothing and wait.
			msg := make([]byte, HeaderLen)
			PutHeader(msg, HeaderLen, unix.NLMSG_NOOP, 0, 7, from.portID)
			sent := make(chan error, 1)
			time.AfterFunc(50*time.Millisecond, func() {
				sent <- unix.Sendto(from.fd, msg, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Pid: s.portID})
			})
			b, err := s.receive(ctx)
			if serr := <-sent; serr != nil {
				t.Fatalf("sending to the waiting socket: %v", serr)
			}
			if err != nil {
				t.Fatalf("receive = %v; want the datagram sent late", err)
			}
			m, _, err := ParseMessage(b)
			if err != nil || m.Type != unix.NLMSG_NOOP || m.Seq != 7 {
				t.Fatalf("received %+v, %v; want the NOOP message of sequence 7", m, err)
			}
			c.put(s, true)
			for _, err := range c.Dump(ctx, "dump links", unix.RTM_GETLINK, 0, linkDump()) {
				if err != nil {
					t.Fatalf("dump after the wait: %v", err)
				}
			}
		})
	}
}

func TestReplyLargerThanBufferIsReceivedWhole(t *testing.T) {
	ns := testns.New(t)
	c := dialNS(t, ns)

	// A get request with a 60 000-byte attribute the kernel rejects: the
	// error reply echoes the whole request, far more than 32 KiB.
	var e attrs.Encoder
	e.Reset(make([]byte, unix.SizeofIfInfomsg))
	e.Uint32(unix.IFLA_EXT_MASK, 1)
	e.Raw(unix.IFLA_IFALIAS, make([]byte, 60000))
	err := c.Execute(context.Background(), "get link", unix.RTM_GETLINK, 0, e.Bytes(), nil)
	var nlErr *nlkit.Error
	if !errors.As(err, &nlErr) {
		t.Fatalf("error = %v; want the kernel's rejection", err)
	}
	if nlErr.Message == "" || nlErr.Offset != HeaderLen+unix.SizeofIfInfomsg+8 {
		t.Errorf("extended ack = %q at offset %d; want a message about the attribute at offset %d",
			nlErr.Message, nlErr.Offset, HeaderLen+unix.SizeofIfInfomsg+8)
	}
	if !strings.Contains(err.Error(), nlErr.Message) {
		t.Errorf("Error() = %q does not show the kernel's message %q", err, nlErr.Message)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.idle) != 1 || len(c.idle[0].recvBuf) < 60000 {
		t.Errorf("the socket did not grow its buffer for the reply and go back to the pool")
	}
}

func TestDumpRepliesAreBatched(t *testing.T) {
	ns := testns.New(t)
	var batch strings.Builder
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&batch, "link add a%d type veth peer name b%d\n", i, i)
	}
	ns.IPBatch(t, batch.String())
	c := dialNS(t, ns)

	x, err := c.start(context.Background(), "dump links", unix.RTM_GETLINK, unix.NLM_F_DUMP, linkDump())
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	links := 0
	for done := false; !done; {
		b, err := x.s.receive(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(b))
		for len(b) > 0 {
			var m Message
			if m, b, err = ParseMessage(b); err != nil {
				t.Fatal(err)
			}
			switch m.Type {
			case unix.NLMSG_DONE:
				done = true
			case unix.RTM_NEWLINK:
				links++
			}
		}
	}
	x.finish(true)
	if links < 121 {
		t.Errorf("dump returned %d links, want the 120 made and lo at least", links)
	}
	largest := 0
	for _, n := range sizes {
		largest = max(largest, n)
	}
	// The kernel fills datagrams up to the buffer a reader offers, capped
	// just under 32 KiB; without a large buffer it sends about 4 KiB.
	if largest < 16<<10 {
		t.Errorf("largest dump datagram = %d bytes (sizes %v); want the kernel to batch at least 16 KiB", largest, sizes)
	}
}

func TestParseErrorAck(t *testing.T) {
	ack := make([]byte, 4+HeaderLen)
	if err := ParseError("op", Message{Type: unix.NLMSG_ERROR, Data: ack}); err != nil {
		t.Errorf("ParseError(ack) = %v; want nil", err)
	}
	errno := -int32(unix.EEXIST)
	native.Endian.PutUint32(ack, uint32(errno))
	err := ParseError("add thing", Message{Type: unix.NLMSG_ERROR, Data: ack})
	if !errors.Is(err, nlkit.ErrExist) || !errors.Is(err, unix.EEXIST) || err.Error() != "add thing: file exists" {
		t.Errorf("ParseError(EEXIST) = %v; want an ErrExist error reading \"add thing: file exists\"", err)
	}
	if err := ParseError("op", Message{Type: unix.NLMSG_ERROR, Data: ack[:3]}); err == nil {
		t.Error("ParseError(truncated) = nil; want an error")
	}
}
