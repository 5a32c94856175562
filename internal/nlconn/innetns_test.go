package nlconn

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
)

// TestInNetNS checks that InNetNS runs its function in the Conn's
// namespace, not the caller's, and that after Close it, WithNetNSFD and
// Subscribe return the closed error without running anything.
func TestInNetNS(t *testing.T) {
	ns := testns.New(t)
	c, err := Dial(context.Background(), unix.NETLINK_ROUTE, Config{NetNS: ns.FD()})
	if err != nil {
		t.Fatal(err)
	}
	var want, got, caller unix.Stat_t
	if err := unix.Fstat(ns.FD(), &want); err != nil {
		t.Fatal(err)
	}
	if err := unix.Stat("/proc/self/ns/net", &caller); err != nil {
		t.Fatal(err)
	}
	if caller.Ino == want.Ino {
		t.Fatal("the test namespace is the process's own")
	}
	if err := c.InNetNS(func() error { return unix.Stat("/proc/thread-self/ns/net", &got) }); err != nil {
		t.Fatalf("InNetNS: %v", err)
	}
	if got.Ino != want.Ino {
		t.Errorf("InNetNS ran in namespace inode %d; want the Conn's, %d", got.Ino, want.Ino)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	ran := false
	if err := c.InNetNS(func() error { ran = true; return nil }); !errors.Is(err, errClosed) || ran {
		t.Errorf("InNetNS after Close = %v, ran %v; want the closed error, not run", err, ran)
	}
	if err := c.WithNetNSFD(func(int) error { ran = true; return nil }); !errors.Is(err, errClosed) || ran {
		t.Errorf("WithNetNSFD after Close = %v, ran %v; want the closed error, not run", err, ran)
	}
	if sub, err := c.Subscribe(context.Background(), SubscribeConfig{Groups: []uint32{unix.RTNLGRP_LINK}}); !errors.Is(err, errClosed) {
		if sub != nil {
			sub.Close()
		}
		t.Errorf("Subscribe after Close = %v; want the closed error", err)
	}
}
