package xfrm_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/nsthread"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/xfrm"
)

// dial opens an xfrm connection in ns, closed when the test ends.
func dial(t *testing.T, ns *testns.NS) *xfrm.Conn {
	t.Helper()
	c, err := xfrm.Dial(context.Background(), xfrm.WithNetNS(ns.FD()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// checkText compares ip's text with nlkit's rendering of what it read.
func checkText(t *testing.T, what, ip, nlkit string) {
	t.Helper()
	if diff := cmp.Diff(strings.Split(ip, "\n"), strings.Split(nlkit, "\n")); diff != "" {
		t.Errorf("%s: ip's text (-) and nlkit's reading of the same objects (+) differ:\n%s", what, diff)
	}
}

// checkJSON checks that v marshals to valid JSON with the keys given.
func checkJSON(t *testing.T, v any, keys ...string) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("invalid JSON %s: %v", b, err)
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON %s has no key %q", b, k)
		}
	}
	return m
}

// slicesSort sorts s.
func slicesSort(s []string) { slices.Sort(s) }

// checkFields compares what was written with what was read back.
func checkFields(t *testing.T, what string, want, got any) {
	t.Helper()
	if diff := cmp.Diff(want, got, cmp.Comparer(func(x, y netip.Addr) bool { return x == y }),
		cmp.Comparer(func(x, y netip.Prefix) bool { return x == y })); diff != "" {
		t.Errorf("%s read back (-written +read):\n%s", what, diff)
	}
}

// sendUDP sends one UDP datagram from ns to dst port 9 (discard).
func sendUDP(t *testing.T, ns *testns.NS, dst netip.Addr) {
	t.Helper()
	err := nsthread.Do(ns.FD(), func() error {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		return unix.Sendto(fd, []byte("nlkit"), 0, &unix.SockaddrInet4{Port: 9, Addr: dst.As4()})
	})
	// A packet held for a missing state may fail to send: that is fine.
	if err != nil && !errors.Is(err, unix.EAGAIN) && !errors.Is(err, unix.EHOSTUNREACH) && !errors.Is(err, unix.ENETUNREACH) {
		t.Logf("sending to %v: %v", dst, err)
	}
}
