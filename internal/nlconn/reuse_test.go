package nlconn

import (
	"context"
	"errors"
	"testing"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/attrs"
)

// TestConnServesAfterFailures checks that a Conn of the dialling thread's
// own namespace (Config.NetNS -1) goes on serving after a kernel error, a
// callback error and a dump left early. Every request only reads.
func TestConnServesAfterFailures(t *testing.T) {
	ctx := context.Background()
	c, err := Dial(ctx, unix.NETLINK_ROUTE, Config{NetNS: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	nsids := make([]byte, 4) // struct rtgenmsg, for an RTM_GETNSID dump
	dumpNSIDs := func(when string) {
		t.Helper()
		for _, err := range c.Dump(ctx, "list nsids", unix.RTM_GETNSID, 0, nsids) {
			if err != nil {
				t.Fatalf("dump %s: %v", when, err)
			}
		}
	}
	dumpNSIDs("first")

	// A kernel error: no namespace behind the descriptor.
	var e attrs.Encoder
	e.Reset(make([]byte, 4))
	e.Uint32(unix.NETNSA_FD, 1<<20)
	err = c.Execute(ctx, "get nsid", unix.RTM_GETNSID, 0, e.Bytes(), nil)
	var ke *nlkit.Error
	if !errors.As(err, &ke) || ke.Errno != unix.EBADF {
		t.Fatalf("Execute with a bad fd = %v, want the kernel's EBADF", err)
	}
	dumpNSIDs("after a kernel error")

	// The callback fails on the reply to a get of lo (index 1).
	stop := errors.New("stop")
	lo := make([]byte, unix.SizeofIfInfomsg)
	native.Endian.PutUint32(lo[4:], 1)
	if err := c.Execute(ctx, "get link", unix.RTM_GETLINK, 0, lo, func(Message) error { return stop }); err != stop {
		t.Errorf("Execute with a failing callback = %v, want its error", err)
	}
	dumpNSIDs("after a callback error")

	// A dump left after its first message.
	for _, err := range c.Dump(ctx, "dump links", unix.RTM_GETLINK, 0, linkDump()) {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	dumpNSIDs("after a dump left early")

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := c.Execute(cctx, "get nsid", unix.RTM_GETNSID, 0, e.Bytes(), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Execute with a canceled context = %v", err)
	}
}
