package nlconn

import (
	"context"
	"errors"
	"iter"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/testns"
)

func TestDialNetNSPath(t *testing.T) {
	ns := testns.New(t)
	c, err := Dial(context.Background(), unix.NETLINK_ROUTE, Config{NetNS: -1, NetNSPath: ns.Path()})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	defer c.Close()
	var want, got unix.Stat_t
	if err := unix.Fstat(ns.FD(), &want); err != nil {
		t.Fatal(err)
	}
	if err := c.WithNetNSFD(func(nsFD int) error { return unix.Fstat(nsFD, &got) }); err != nil {
		t.Fatal(err)
	}
	if got.Ino != want.Ino || got.Dev != want.Dev {
		t.Errorf("bound to namespace %d:%d, want %d:%d", got.Dev, got.Ino, want.Dev, want.Ino)
	}
}

func TestDialNetNSPathMissing(t *testing.T) {
	_, err := Dial(context.Background(), unix.NETLINK_ROUTE, Config{NetNS: -1, NetNSPath: "/run/netns/nlkit-no-such-ns"})
	if !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "open network namespace /run/netns/nlkit-no-such-ns: ") {
		t.Errorf("Dial = %v, want open network namespace …: ENOENT", err)
	}
}

func TestWithConnClosesAfterCall(t *testing.T) {
	ctx := context.Background()
	var c closeCounter
	dial := func(context.Context) (*closeCounter, error) { return &c, nil }
	v, err := WithConn(ctx, dial, func(*closeCounter) (int, error) { return 7, nil })
	if v != 7 || err != nil || c.closed != 1 {
		t.Errorf("WithConn = %d, %v with %d closes, want 7, nil with 1", v, err, c.closed)
	}
	failed := errors.New("dial failed")
	fail := func(context.Context) (*closeCounter, error) { return nil, failed }
	if _, err := WithConn(ctx, fail, func(*closeCounter) (int, error) { return 0, nil }); err != failed {
		t.Errorf("WithConn with a failing dial = %v, want %v", err, failed)
	}
}

func TestWithConnSeqClosesWhenStreamStops(t *testing.T) {
	var c closeCounter
	dial := func(context.Context) (*closeCounter, error) { return &c, nil }
	seq := WithConnSeq(context.Background(), dial, func(*closeCounter) iter.Seq2[int, error] {
		return func(yield func(int, error) bool) {
			for i := range 3 {
				if !yield(i, nil) {
					return
				}
			}
		}
	})
	var got []int
	for v := range seq {
		got = append(got, v)
		if v == 1 {
			break
		}
	}
	if len(got) != 2 || c.closed != 1 {
		t.Errorf("streamed %v with %d closes, want [0 1] with 1", got, c.closed)
	}
}

// closeCounter is a connection that counts its closes.
type closeCounter struct{ closed int }

func (c *closeCounter) Close() error { c.closed++; return nil }
