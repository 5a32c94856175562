package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/examples/internal/extest"
)

// TestRun builds the topology, and while it stands compares what run
// printed with what ip prints for each namespace; then checks that nothing
// is left.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	cfg := config{prefix: extest.Prefix(t), out: &out, log: io.Discard}
	var names []string
	cfg.inspect = func(ctx context.Context, top *topology) error {
		names = top.names()
		printed := extest.Decode(t, out.Bytes()).(map[string]any)
		for _, name := range names {
			got := extest.Stable(printed[name])
			want := extest.Stable(extest.JSON(t, "ip", "-n", name, "-j", "-d", "-s", "address", "show"))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: printed topology differs from ip -j -d -s address show (-ip +run):\n%s", name, diff)
			}
		}
		ports := extest.JSON(t, "ip", "-n", top.host, "-j", "link", "show", "master", "br0")
		if got := len(ports.([]any)); got != 2 {
			t.Errorf("br0 has %d ports, want veth0 and veth1", got)
		}
		return nil
	}
	if err := run(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	extest.AssertRemoved(t, names...)
}

// TestRunRemovesOnCancel cancels the context while the topology stands, as
// Ctrl-C does: run returns the context's error and removes everything.
func TestRunRemovesOnCancel(t *testing.T) {
	cfg := config{prefix: extest.Prefix(t), out: io.Discard, log: io.Discard}
	ctx, cancel := context.WithCancel(t.Context())
	var names []string
	cfg.inspect = func(ctx context.Context, top *topology) error {
		names = top.names()
		cancel()
		<-ctx.Done()
		return ctx.Err()
	}
	if err := run(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("run = %v, want context.Canceled", err)
	}
	extest.AssertRemoved(t, names...)
}

// TestRunRemovesOnError makes the build fail half-way, on a namespace
// name that is taken: what run made is removed, what it did not make is
// left alone.
func TestRunRemovesOnError(t *testing.T) {
	cfg := config{prefix: extest.Prefix(t), out: io.Discard, log: io.Discard}
	top := newTopology(cfg.prefix)
	extest.AddNS(t, top.net1)
	if err := run(t.Context(), cfg); !errors.Is(err, nlkit.ErrExist) {
		t.Fatalf("run = %v, want an error matching ErrExist", err)
	}
	extest.AssertRemoved(t, top.host, top.net0)
	if !extest.Exists(top.net1) {
		t.Error("the namespace run did not make is gone")
	}
}
