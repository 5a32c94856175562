package fou_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/fou"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
)

// fouFeature is Foo-over-UDP, which a kernel may be built without.
var fouFeature = kfeature.Feature{Name: "foo-over-UDP", Since: "3.18", Config: []string{"CONFIG_NET_FOU"}}

// compare checks List and ListSeq against `ip -j fou show`.
func compare(t *testing.T, ns *testns.NS, c *genl.Conn) []fou.ReceivePort {
	t.Helper()
	ctx := context.Background()
	ps, err := fou.List(ctx, c)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	gtest.CompareJSON(t, "List", gtest.JSONList(t, ps), ns.IP(t, "-j", "fou", "show"))
	n := 0
	for _, err := range fou.ListSeq(ctx, c) {
		if err != nil {
			t.Fatalf("ListSeq: %v", err)
		}
		n++
	}
	if n != len(ps) {
		t.Errorf("ListSeq streamed %d ports, List returned %d", n, len(ps))
	}
	return ps
}

func TestReceivePortsLikeIP(t *testing.T) {
	ns := testns.New(t)
	c := gtest.Dial(t, ns)
	ctx := context.Background()
	if _, err := fou.List(ctx, c); errors.Is(err, genl.ErrNotSupported) {
		kfeature.Missing(t, fouFeature, err)
	}
	ns.IP(t, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	ns.IP(t, "addr", "add", "10.0.0.1/24", "dev", "v0")
	ns.IP(t, "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad")
	ns.IP(t, "link", "set", "v0", "up")
	v0 := gtest.LinkIndex(t, ns, "v0")
	compare(t, ns, c)

	// nlkit adds, ip reads.
	mine := []fou.ReceivePort{
		{Port: 5555, Encap: fou.Direct, IPProto: unix.IPPROTO_IPIP},
		{Port: 5556, Encap: fou.GUE},
		{Port: 5557, Encap: fou.Direct, IPProto: unix.IPPROTO_IPV6, Family: unix.AF_INET6,
			Local: netip.MustParseAddr("2001:db8::1"), Peer: netip.MustParseAddr("2001:db8::2"), PeerPort: 7777, LinkIndex: v0},
	}
	for _, p := range mine {
		if err := fou.Add(ctx, c, p); err != nil {
			t.Fatalf("Add(%+v): %v", p, err)
		}
	}
	// ip adds, nlkit reads.
	ns.IP(t, "fou", "add", "port", "6666", "ipproto", "47", "local", "10.0.0.1", "peer", "10.0.0.2", "peer_port", "8888", "dev", "v0")
	ns.IP(t, "fou", "add", "port", "6667", "gue", "-6")
	if ps := compare(t, ns, c); len(ps) != 5 {
		t.Errorf("%d ports; want 5", len(ps))
	}
	if err := fou.Add(ctx, c, mine[0]); !errors.Is(err, genl.ErrExist) {
		t.Errorf("Add of an existing port: %v; want ErrExist", err)
	}

	// Each deletes what the other added.
	if err := fou.Delete(ctx, c, fou.ReceivePort{Port: 6666, Encap: fou.Direct, Local: netip.MustParseAddr("10.0.0.1"),
		Peer: netip.MustParseAddr("10.0.0.2"), PeerPort: 8888, LinkIndex: v0}); err != nil {
		t.Fatalf("Delete(6666): %v", err)
	}
	if err := fou.Delete(ctx, c, fou.ReceivePort{Port: 6667, Encap: fou.GUE, Family: unix.AF_INET6}); err != nil {
		t.Fatalf("Delete(6667): %v", err)
	}
	ns.IP(t, "fou", "del", "port", "5555")
	ns.IP(t, "fou", "del", "port", "5556")
	ns.IP(t, "fou", "del", "port", "5557", "-6", "local", "2001:db8::1", "peer", "2001:db8::2", "peer_port", "7777", "dev", "v0")
	if ps := compare(t, ns, c); len(ps) != 0 {
		t.Errorf("after deleting: %+v", ps)
	}
	if err := fou.Delete(ctx, c, mine[0]); !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("Delete of a missing port: %v; want ErrNotExist", err)
	}
}

func TestInvalid(t *testing.T) {
	ctx := context.Background()
	for _, p := range []fou.ReceivePort{
		{Encap: fou.GUE},
		{Port: 1, Encap: fou.Direct},
		{Port: 1, Encap: fou.GUE, IPProto: 4},
		{Port: 1, Encap: 9},
		{Port: 1, Encap: fou.GUE, Family: unix.AF_PACKET},
		{Port: 1, Encap: fou.GUE, Local: netip.MustParseAddr("2001:db8::1")},
		{Port: 1, Encap: fou.GUE, Peer: netip.MustParseAddr("10.0.0.1")},
	} {
		if err := fou.Add(ctx, nil, p); !genl.IsInvalid(err) {
			t.Errorf("Add(%+v): %v; want an InvalidError", p, err)
		}
	}
}
