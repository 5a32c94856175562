// Package extest holds what the examples' tests share: names for the
// namespaces an example makes, running ip and decoding its JSON, and
// comparing JSON without what moves between two reads.
package extest

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

	"github.com/nlkit/nlkit"
	"github.com/nlkit/nlkit/examples/internal/nsset"
	"github.com/nlkit/nlkit/internal/netnsdir"
)

// Prefix returns a fresh prefix for the names of the namespaces an example
// makes, named as every test namespace of this repository is so that
// leftovers are recognised. Without root it skips the test.
func Prefix(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces")
	}
	return netnsdir.TestName()
}

// AddNS creates the named namespace for the test and removes it at the
// test's end.
func AddNS(t *testing.T, name string) {
	t.Helper()
	netnsdir.AddForTest(t, "extest", name)
}

// AssertRemoved fails the test if any of the named namespaces exists, or
// if there are none to check.
func AssertRemoved(t *testing.T, names ...string) {
	t.Helper()
	if len(names) == 0 {
		t.Fatal("the example never built its topology")
	}
	for _, name := range names {
		if _, err := os.Stat(netnsdir.Path(name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("namespace %s is left behind (stat: %v)", name, err)
		}
	}
}

// RunRemovesOnCancel runs ex and cancels the context while its topology
// stands, as Ctrl-C does: nsset.Run must return the context's error and
// remove every namespace.
func RunRemovesOnCancel(t *testing.T, ex nsset.Example) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	var names []string
	cfg := nsset.Config{Out: io.Discard, Log: io.Discard, Inspect: func(ctx context.Context) error {
		names = ex.Names()
		cancel()
		<-ctx.Done()
		return ctx.Err()
	}}
	if err := nsset.Run(ctx, ex, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("run = %v, want context.Canceled", err)
	}
	AssertRemoved(t, names...)
}

// RunRemovesOnError makes ex's build fail half-way, on the namespace name
// taken, which it creates first: what nsset.Run made is removed, what it
// did not make is left alone.
func RunRemovesOnError(t *testing.T, ex nsset.Example, taken string) {
	t.Helper()
	AddNS(t, taken)
	if err := nsset.Run(t.Context(), ex, nsset.Config{Out: io.Discard, Log: io.Discard}); !errors.Is(err, nlkit.ErrExist) {
		t.Fatalf("run = %v, want an error matching ErrExist", err)
	}
	var made []string
	for _, name := range ex.Names() {
		if name == taken {
			break
		}
		made = append(made, name)
	}
	AssertRemoved(t, made...)
	if !Exists(taken) {
		t.Error("the namespace run did not make is gone")
	}
}

// Exists reports whether the named namespace exists.
func Exists(name string) bool {
	_, err := os.Stat(netnsdir.Path(name))
	return err == nil
}

// Run runs the command name with args and returns its standard output; it
// fails the test if the command fails.
func Run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.Bytes())
	}
	return out
}

// JSON runs the command name with args and decodes the JSON it prints.
func JSON(t *testing.T, name string, args ...string) any {
	t.Helper()
	return Decode(t, Run(t, name, args...))
}

// Decode decodes JSON, failing the test if it is not.
func Decode(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return v
}

// Stable drops from decoded ip JSON what moves between two reads: the
// counters (stats64, stats), the bridge's timers, the times an FDB entry
// was used and updated, and IPv6 addresses, whose duplicate address
// detection may end in between.
func Stable(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if v["family"] == "inet6" {
			return nil
		}
		m := map[string]any{}
		for k, e := range v {
			switch {
			case k == "stats64", k == "stats", k == "used", k == "updated", strings.HasSuffix(k, "_timer"):
				continue
			}
			m[k] = Stable(e)
		}
		return m
	case []any:
		s := []any{}
		for _, e := range v {
			if e := Stable(e); e != nil {
				s = append(s, e)
			}
		}
		return s
	}
	return v
}
