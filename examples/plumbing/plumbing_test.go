package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/internal/netnsdir"
)

// testConfig is a configuration whose namespaces are named as every test
// namespace of this repository is, so that leftovers are recognised.
func testConfig(t *testing.T, out io.Writer) config {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("plumbing: needs root to create network namespaces")
	}
	return config{prefix: netnsdir.TestName(), out: out, log: io.Discard}
}

// TestRun builds the topology, and while it stands compares what run
// printed with what ip prints for each namespace; then checks that nothing
// is left.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	cfg := testConfig(t, &out)
	var names []string
	cfg.inspect = func(ctx context.Context, top *topology) error {
		names = top.names()
		var printed map[string]any
		if err := json.Unmarshal(out.Bytes(), &printed); err != nil {
			t.Fatalf("run printed no JSON object: %v\n%s", err, out.Bytes())
		}
		for _, name := range names {
			got := stable(printed[name])
			want := stable(ipJSON(t, "-n", name, "-j", "-d", "-s", "address", "show"))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: printed topology differs from ip -j -d -s address show (-ip +run):\n%s", name, diff)
			}
		}
		ports := ipJSON(t, "-n", top.host, "-j", "link", "show", "master", "br0")
		if got := len(ports.([]any)); got != 2 {
			t.Errorf("br0 has %d ports, want veth0 and veth1", got)
		}
		return nil
	}
	if err := run(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	assertRemoved(t, names...)
}

// TestRunRemovesOnCancel cancels the context while the topology stands, as
// Ctrl-C does: run returns the context's error and removes everything.
func TestRunRemovesOnCancel(t *testing.T) {
	cfg := testConfig(t, io.Discard)
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
	assertRemoved(t, names...)
}

// TestRunRemovesOnError makes the build fail half-way, on a namespace
// name that is taken: what run made is removed, what it did not make is
// left alone.
func TestRunRemovesOnError(t *testing.T) {
	cfg := testConfig(t, io.Discard)
	top := newTopology(cfg.prefix)
	netnsdir.AddForTest(t, "plumbing test", top.net1)
	if err := run(t.Context(), cfg); !errors.Is(err, nlkit.ErrExist) {
		t.Fatalf("run = %v, want an error matching ErrExist", err)
	}
	assertRemoved(t, top.host, top.net0)
	if _, err := os.Stat(netnsdir.Path(top.net1)); err != nil {
		t.Errorf("the namespace run did not make is gone: %v", err)
	}
}

func assertRemoved(t *testing.T, names ...string) {
	t.Helper()
	if len(names) == 0 {
		t.Fatal("run never built the topology")
	}
	for _, name := range names {
		if _, err := os.Stat(netnsdir.Path(name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("namespace %s is left behind (stat: %v)", name, err)
		}
	}
}

// ipJSON runs ip with args and decodes its JSON.
func ipJSON(t *testing.T, args ...string) any {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command("ip", args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return v
}

// stable drops from decoded ip JSON what moves between two reads: the
// counters, the bridge's timers, and the IPv6 addresses, whose duplicate
// address detection may end in between.
func stable(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := map[string]any{}
		for k, e := range v {
			if k == "stats64" || strings.HasSuffix(k, "_timer") {
				continue
			}
			m[k] = stable(e)
		}
		if v["family"] == "inet6" {
			return nil
		}
		return m
	case []any:
		var s []any
		for _, e := range v {
			if e := stable(e); e != nil {
				s = append(s, e)
			}
		}
		return s
	}
	return v
}
