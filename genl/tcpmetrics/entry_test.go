package tcpmetrics_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/netip"
	"regexp"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/genl/tcpmetrics"
	"github.com/nlkit/nlkit/internal/nsthread"
	"github.com/nlkit/nlkit/internal/testns"
)

var (
	dst4 = netip.MustParseAddr("10.9.0.2")
	src4 = netip.MustParseAddr("10.9.0.1")
	dst6 = netip.MustParseAddr("2001:db8::2")
	src6 = netip.MustParseAddr("2001:db8::1")
)

// metricsNS returns a namespace whose kernel keeps TCP metrics for
// 10.9.0.2 and 2001:db8::2: it connects to them, over a veth pair, in a
// second namespace.
func metricsNS(t *testing.T) (*testns.NS, *genl.Conn) {
	t.Helper()
	a, b := testns.New(t), testns.New(t)
	a.IP(t, "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", b.Name())
	a.IP(t, "addr", "add", "10.9.0.1/24", "dev", "v0")
	a.IP(t, "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad")
	b.IP(t, "addr", "add", "10.9.0.2/24", "dev", "v1")
	b.IP(t, "addr", "add", "2001:db8::2/64", "dev", "v1", "nodad")
	a.IP(t, "link", "set", "v0", "up")
	b.IP(t, "link", "set", "v1", "up")
	for _, dst := range []netip.Addr{dst4, dst6} {
		connect(t, a, b, dst)
	}
	return a, gtest.Dial(t, a)
}

// connect sends data over a TCP connection from namespace a to dst in
// namespace b and closes it, which makes a's kernel save metrics for dst.
func connect(t *testing.T, a, b *testns.NS, dst netip.Addr) {
	t.Helper()
	var l net.Listener
	err := nsthread.Do(b.FD(), func() (err error) {
		l, err = net.Listen("tcp", netip.AddrPortFrom(dst, 0).String())
		return err
	})
	if err != nil {
		t.Fatalf("listen in %s: %v", b.Name(), err)
	}
	defer l.Close()
	done := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			_, err = io.Copy(io.Discard, c)
			c.Close()
		}
		done <- err
	}()
	err = nsthread.Do(a.FD(), func() error {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			return err
		}
		defer c.Close()
		_, err = c.Write(make([]byte, 64<<10))
		return err
	})
	if err != nil {
		t.Fatalf("connect from %s: %v", a.Name(), err)
	}
	if err := <-done; err != nil {
		t.Fatalf("accept: %v", err)
	}
}

// ageRE matches the "age" member, which moves between two reads.
var ageRE = regexp.MustCompile(`"age":[0-9.e+-]+,`)

// compareEntries checks Entries and EntriesSeq with the filter against
// `ip -j [-4|-6] tcp_metrics show ARGS`, ages aside, and returns the
// entries.
func compareEntries(t *testing.T, ns *testns.NS, c *genl.Conn, f tcpmetrics.Filter, args ...string) []tcpmetrics.Entry {
	t.Helper()
	ctx := context.Background()
	ipArgs := []string{"-j", "tcp_metrics", "show"}
	if len(args) > 0 && (args[0] == "-4" || args[0] == "-6") {
		ipArgs = []string{"-j", args[0], "tcp_metrics", "show"}
		args = args[1:]
	}
	want := ns.IP(t, append(ipArgs, args...)...)
	got, err := tcpmetrics.Entries(ctx, c, f)
	if err != nil {
		t.Fatalf("Entries(%+v): %v", f, err)
	}
	gtest.CompareJSON(t, "Entries", ageRE.ReplaceAll(gtest.JSONList(t, got), nil), ageRE.ReplaceAll(want, nil))
	n := 0
	for e, err := range tcpmetrics.EntriesSeq(ctx, c, f) {
		if err != nil {
			t.Fatalf("EntriesSeq: %v", err)
		}
		if e.AgeMillis == nil {
			t.Errorf("entry of %s without age", e.Dst)
		}
		n++
	}
	if n != len(got) {
		t.Errorf("EntriesSeq streamed %d entries, Entries returned %d", n, len(got))
	}
	return got
}

func TestEntriesLikeIP(t *testing.T) {
	ns, c := metricsNS(t)
	ctx := context.Background()
	if got := compareEntries(t, ns, c, tcpmetrics.Filter{}); len(got) != 2 {
		t.Fatalf("%d entries; want 2", len(got))
	}
	compareEntries(t, ns, c, tcpmetrics.Filter{Dst: netip.MustParsePrefix("10.9.0.0/24")}, "10.9.0.0/24")
	compareEntries(t, ns, c, tcpmetrics.Filter{Family: unix.AF_INET6}, "-6")
	compareEntries(t, ns, c, tcpmetrics.Filter{Src: src6}, "src", src6.String())
	if got := compareEntries(t, ns, c, tcpmetrics.Filter{Dst: netip.MustParsePrefix("10.8.0.0/16")}, "10.8.0.0/16"); len(got) != 0 {
		t.Errorf("a filter no entry matches: %d entries", len(got))
	}

	for _, dst := range []netip.Addr{dst4, dst6} {
		e, err := tcpmetrics.Get(ctx, c, dst, netip.Addr{})
		if err != nil {
			t.Fatalf("Get(%s): %v", dst, err)
		}
		if e.Dst != dst || e.Cwnd == nil || e.RTTMicros() == 0 {
			t.Errorf("Get(%s) = %+v", dst, e)
		}
		j, _ := json.Marshal(e)
		if !regexp.MustCompile(`^\{"dst":"` + dst.String() + `","age":`).Match(j) {
			t.Errorf("Get(%s) JSON = %s", dst, j)
		}
	}

	// nlkit deletes, ip reads; ip deletes, nlkit reads.
	if err := tcpmetrics.Delete(ctx, c, dst4, src4); err != nil {
		t.Fatalf("Delete(%s): %v", dst4, err)
	}
	if got := compareEntries(t, ns, c, tcpmetrics.Filter{}); len(got) != 1 || got[0].Dst != dst6 {
		t.Errorf("after Delete(%s): %+v", dst4, got)
	}
	ns.IP(t, "tcp_metrics", "delete", dst6.String())
	if got := compareEntries(t, ns, c, tcpmetrics.Filter{}); len(got) != 0 {
		t.Errorf("after ip delete: %d entries", len(got))
	}
	if _, err := tcpmetrics.Get(ctx, c, dst4, netip.Addr{}); !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("Get of a deleted entry: %v; want ErrNotExist", err)
	}
	if err := tcpmetrics.Delete(ctx, c, dst4, netip.Addr{}); !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("Delete of a deleted entry: %v; want ErrNotExist", err)
	}
}

func TestFlush(t *testing.T) {
	ns, c := metricsNS(t)
	ctx := context.Background()
	n, err := tcpmetrics.Flush(ctx, c, tcpmetrics.Filter{Family: unix.AF_INET})
	if err != nil || n != 1 {
		t.Fatalf("Flush(-4) = %d, %v; want 1", n, err)
	}
	if got := compareEntries(t, ns, c, tcpmetrics.Filter{}); len(got) != 1 || got[0].Dst != dst6 {
		t.Errorf("after Flush(-4): %+v", got)
	}
	if _, err := tcpmetrics.Flush(ctx, c, tcpmetrics.Filter{}); err != nil {
		t.Fatalf("Flush(all): %v", err)
	}
	if got := compareEntries(t, ns, c, tcpmetrics.Filter{}); len(got) != 0 {
		t.Errorf("after Flush(all): %d entries", len(got))
	}
}

func TestInvalid(t *testing.T) {
	ctx := context.Background()
	for _, f := range []tcpmetrics.Filter{
		{Family: unix.AF_PACKET},
		{Family: unix.AF_INET, Dst: netip.MustParsePrefix("2001:db8::/64")},
		{Family: unix.AF_INET6, Src: src4},
	} {
		if _, err := tcpmetrics.Entries(ctx, nil, f); !genl.IsInvalid(err) {
			t.Errorf("Entries(%+v): %v; want an InvalidError", f, err)
		}
	}
	if err := tcpmetrics.Delete(ctx, nil, netip.Addr{}, netip.Addr{}); !genl.IsInvalid(err) {
		t.Errorf("Delete without address: %v; want an InvalidError", err)
	}
	if _, err := tcpmetrics.Get(ctx, nil, dst4, src6); !genl.IsInvalid(err) {
		t.Errorf("Get with a source of another family: %v; want an InvalidError", err)
	}
}
