package nlconn

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"

	"github.com/josharian/native"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// ErrOverrun reports that the kernel dropped notifications because the
// subscription's receive buffer was full. It wraps unix.ENOBUFS. The
// subscription goes on receiving: what was dropped is lost, so a reader that
// mirrors kernel state must dump it again. The kernel reports no further
// loss until the queue has been emptied: such a reader must call
// [Subscription.Discard] before it dumps, lest losses during and after the
// dump go unreported.
var ErrOverrun = fmt.Errorf("netlink: notifications lost, receive buffer overrun: %w", unix.ENOBUFS)

// NoNSID is the NSID of a notification that carries no namespace id: one
// from the subscription's own namespace, or any notification when
// ListenAllNSID is off.
const NoNSID = -1

// SubscribeConfig says what a subscription listens to.
type SubscribeConfig struct {
	// NetNS is an open file descriptor of the network namespace to listen
	// in, or -1 for the namespace of the calling thread. Subscribe does not
	// keep it.
	NetNS int
	// Groups are the multicast groups to join (RTNLGRP_LINK, the id of a
	// generic netlink family's group, …).
	Groups []uint32
	// ReceiveBuffer, when positive, sets the socket's receive buffer size in
	// bytes, past net.core.rmem_max when the process may (CAP_NET_ADMIN).
	ReceiveBuffer int
	// ListenAllNSID receives the notifications of every namespace that has
	// an id in the subscription's namespace too, each with its id.
	ListenAllNSID bool
}

// A Notification is one message received on a subscription.
type Notification struct {
	Message
	// NSID is the id, in the subscription's namespace, of the namespace the
	// notification comes from, or NoNSID.
	NSID int32
}

// A Subscription is a netlink socket that has joined multicast groups. It is
// meant for one reader at a time; Close may be called at any time.
type Subscription struct {
	s   *pollSocket
	oob []byte // room for the namespace id's control message
	// readFn is readWithNSID, made once, when ListenAllNSID is on.
	readFn func(fd uintptr) bool
	// nsid is the namespace id of the datagram last received.
	nsid int32
}

// Subscribe opens a netlink socket of the Conn's family in its namespace
// and joins it to the configured groups; cfg.NetNS is ignored. It cannot
// race Close (see WithNetNSFD).
func (c *Conn) Subscribe(ctx context.Context, cfg SubscribeConfig) (*Subscription, error) {
	var sub *Subscription
	err := c.WithNetNSFD(func(nsFD int) error {
		cfg.NetNS = nsFD
		var err error
		sub, err = Subscribe(ctx, c.family, cfg)
		return err
	})
	return sub, err
}

// Subscribe opens a netlink socket of the family in the namespace and joins
// it to the configured groups.
func Subscribe(ctx context.Context, family int, cfg SubscribeConfig) (*Subscription, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	nsFD, err := holdNetNS(cfg.NetNS)
	if err != nil {
		return nil, err
	}
	defer unix.Close(nsFD)
	s, err := dialPollSocket(family, nsFD)
	if err != nil {
		return nil, fmt.Errorf("netlink: subscribe: %w", err)
	}
	sub := &Subscription{s: s, nsid: NoNSID}
	if err := sub.setup(cfg); err != nil {
		s.nl.Close()
		return nil, fmt.Errorf("netlink: subscribe: %w", err)
	}
	return sub, nil
}

// setup applies the configuration to a fresh socket.
func (sub *Subscription) setup(cfg SubscribeConfig) error {
	if cfg.ReceiveBuffer > 0 {
		if err := sub.setReceiveBuffer(cfg.ReceiveBuffer); err != nil {
			return err
		}
	}
	if cfg.ListenAllNSID {
		if err := sub.s.nl.SetOption(netlink.ListenAllNSID, true); err != nil {
			return err
		}
		sub.oob = make([]byte, unix.CmsgSpace(4))
		sub.readFn = sub.readWithNSID
	}
	for _, g := range cfg.Groups {
		if err := sub.s.nl.JoinGroup(g); err != nil {
			return fmt.Errorf("join group %d: %w", g, err)
		}
	}
	return nil
}

// setReceiveBuffer sets SO_RCVBUFFORCE, or SO_RCVBUF (capped by rmem_max)
// when the process lacks the privilege.
func (sub *Subscription) setReceiveBuffer(n int) error {
	var err error
	cerr := sub.s.raw.Control(func(fd uintptr) {
		err = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, n)
		if err == unix.EPERM {
			err = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, n)
		}
	})
	if cerr != nil {
		return cerr
	}
	if err != nil {
		return os.NewSyscallError("setsockopt", err)
	}
	return nil
}

// Close closes the subscription. A receive pending in another goroutine
// returns with an error.
func (sub *Subscription) Close() error { return sub.s.nl.Close() }

// Notifications yields the messages received, as they arrive, until ctx is
// done or the consumer stops. A message is valid only until the iterator is
// resumed. When the kernel dropped notifications, it yields an error
// matching ErrOverrun and goes on; any other error, ctx's error included,
// is the last thing it yields.
func (sub *Subscription) Notifications(ctx context.Context) iter.Seq2[Notification, error] {
	return func(yield func(Notification, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(Notification{}, err)
			return
		}
		defer sub.watch(ctx)()
		for {
			b, err := sub.receive()
			if errors.Is(err, unix.ENOBUFS) {
				if !yield(Notification{NSID: NoNSID}, ErrOverrun) {
					return
				}
				continue
			}
			if err != nil {
				yield(Notification{}, fmt.Errorf("netlink: receive notifications: %w", ctxError(ctx, err)))
				return
			}
			for len(b) > 0 {
				var m Message
				if m, b, err = ParseMessage(b); err != nil {
					yield(Notification{}, err)
					return
				}
				if !yield(Notification{Message: m, NSID: sub.nsid}, nil) {
					return
				}
			}
		}
	}
}

// Discard drops every notification queued on the subscription, without
// waiting for more. Once the queue is empty, the kernel reports the next
// loss again.
func (sub *Subscription) Discard() error {
	var err error
	rerr := sub.s.raw.Read(func(fd uintptr) bool {
		for {
			// A zero-length read consumes the datagram, truncated.
			_, err = recvfrom(fd, nil, unix.MSG_DONTWAIT)
			switch err {
			case nil, unix.EINTR, unix.ENOBUFS:
				continue
			case unix.EAGAIN:
				err = nil
			}
			return true
		}
	})
	if rerr != nil {
		return rerr
	}
	if err != nil {
		return os.NewSyscallError("recvfrom", err)
	}
	return nil
}

// watch arms the socket so that a receive pending when ctx is done returns.
// The returned function disarms it and leaves no deadline behind, so that
// the subscription can be read again.
func (sub *Subscription) watch(ctx context.Context) (stop func()) {
	nl := sub.s.nl
	if d, ok := ctx.Deadline(); ok {
		nl.SetReadDeadline(d)
	}
	fired := make(chan struct{})
	stopFunc := context.AfterFunc(ctx, func() {
		nl.SetReadDeadline(longAgo)
		close(fired)
	})
	return func() {
		if !stopFunc() {
			<-fired
		}
		nl.SetReadDeadline(zeroTime)
	}
}

// receive reads one datagram, and the namespace id it carries when
// ListenAllNSID is on.
func (sub *Subscription) receive() ([]byte, error) {
	if sub.oob == nil {
		return sub.s.receive()
	}
	s := sub.s
	if err := s.raw.Read(sub.readFn); err != nil {
		return nil, err
	}
	if s.err != nil {
		return nil, os.NewSyscallError("recvmsg", s.err)
	}
	return s.buf[:s.n], nil
}

// readWithNSID is the raw.Read callback of a ListenAllNSID subscription:
// socket.read with recvmsg(2), which keeps the control message that carries
// the namespace id.
func (sub *Subscription) readWithNSID(fd uintptr) bool {
	s := sub.s
	if ok := s.peek(fd); !ok || s.err != nil {
		return ok
	}
	n, oobn, _, _, err := unix.Recvmsg(int(fd), s.buf, sub.oob, unix.MSG_DONTWAIT)
	s.n, s.err = n, err
	sub.nsid = NoNSID
	if err == nil {
		sub.nsid = parseNSID(sub.oob[:oobn])
	}
	return true
}

// parseNSID returns the namespace id in the control messages of a datagram,
// or NoNSID.
func parseNSID(oob []byte) int32 {
	msgs, err := unix.ParseSocketControlMessage(oob)
	if err != nil {
		return NoNSID
	}
	for _, m := range msgs {
		if m.Header.Level == unix.SOL_NETLINK && m.Header.Type == unix.NETLINK_LISTEN_ALL_NSID && len(m.Data) >= 4 {
			return int32(native.Endian.Uint32(m.Data))
		}
	}
	return NoNSID
}
