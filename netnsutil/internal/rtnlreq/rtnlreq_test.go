package rtnlreq

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/corpus"
)

// TestParseErrorCorpus decodes every captured kernel error, extended-ack
// message included.
func TestParseErrorCorpus(t *testing.T) {
	n := 0
	for _, c := range corpus.Load(t) {
		for _, m := range c.Messages {
			if m.Direction != "reply" || m.Error == nil || (m.Type != unix.NLMSG_ERROR && m.Type != unix.NLMSG_DONE) {
				continue
			}
			err := ParseError("op", Message{Type: m.Type, Flags: m.Flags, Data: m.Payload()})
			if m.Error.Errno == 0 {
				if err != nil {
					t.Errorf("%s: ack decoded as %v", c.Name, err)
				}
				continue
			}
			var e *nlkit.Error
			if !errors.As(err, &e) {
				t.Errorf("%s: %v is not an *nlkit.Error", c.Name, err)
				continue
			}
			if int(e.Errno) != -int(m.Error.Errno) || e.Message != m.Error.ExtackMsg || e.Offset != m.Error.ExtackOffset {
				t.Errorf("%s: errno %d %q offset %d, want %d %q %d", c.Name, e.Errno, e.Message, e.Offset,
					-m.Error.Errno, m.Error.ExtackMsg, m.Error.ExtackOffset)
			}
			n++
		}
	}
	if n == 0 {
		t.Error("no kernel errors in the corpus")
	}
}

func TestConn(t *testing.T) {
	c, err := Dial(-1)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	// A dump of the nsids of the process's namespace (read-only).
	n := 0
	if err := c.Dump(ctx, "list", unix.RTM_GETNSID, 0, make([]byte, 4), func(m Message) error { n++; return nil }); err != nil {
		t.Fatalf("Dump: %v", err)
	}
	// An error from the kernel: no namespace behind the descriptor.
	var e attrs.Encoder
	e.Reset(make([]byte, 4))
	e.Uint32(unix.NETNSA_FD, 1<<20)
	badFD := e.Bytes()
	err = c.Execute(ctx, "get nsid", unix.RTM_GETNSID, 0, badFD, nil)
	var ke *nlkit.Error
	if !errors.As(err, &ke) {
		t.Fatalf("Execute with a bad fd = %v, want an *nlkit.Error", err)
	}
	t.Logf("bad fd: %v", err)
	// The socket still works after an error, and after fn fails.
	stop := errors.New("stop")
	if err := c.Dump(ctx, "list", unix.RTM_GETLINK, 0, make([]byte, unix.SizeofIfInfomsg), func(Message) error { return stop }); err != stop {
		t.Errorf("Dump with a failing fn = %v, want its error", err)
	}
	if err := c.Dump(ctx, "list", unix.RTM_GETNSID, 0, make([]byte, 4), nil); err != nil {
		t.Errorf("Dump after errors: %v", err)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := c.Execute(cctx, "x", unix.RTM_GETNSID, 0, badFD, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Execute with a canceled context = %v", err)
	}
}
