package main

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nlkit/nlkit/examples/internal/extest"
	"github.com/nlkit/nlkit/examples/internal/nsset"
)

// TestRun builds the topology, and while it stands compares what run
// printed with what ip prints for each namespace; then checks that nothing
// is left.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	top := newTopology(extest.Prefix(t))
	var names []string
	cfg := nsset.Config{Out: &out, Log: io.Discard}
	cfg.Inspect = func(ctx context.Context) error {
		names = top.Names()
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
	if err := nsset.Run(t.Context(), top, cfg); err != nil {
		t.Fatal(err)
	}
	extest.AssertRemoved(t, names...)
}

// TestRunRemovesOnCancel cancels the context while the topology stands,
// as Ctrl-C does: run returns the context's error and removes everything.
func TestRunRemovesOnCancel(t *testing.T) {
	extest.RunRemovesOnCancel(t, newTopology(extest.Prefix(t)))
}

// TestRunRemovesOnError makes the build fail half-way, on a namespace
// name that is taken: what run made is removed, what it did not make is
// left alone.
func TestRunRemovesOnError(t *testing.T) {
	top := newTopology(extest.Prefix(t))
	extest.RunRemovesOnError(t, top, top.net1)
}
