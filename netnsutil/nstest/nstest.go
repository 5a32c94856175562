// Package nstest gives each test a fresh network namespace of its own, and
// optionally peer namespaces cabled to it by veth pairs, so that tests of
// code that changes network configuration never touch the machine's own
// namespace.
//
// Usage:
//
//	func TestRoutes(t *testing.T) {
//		ns := nstest.New(t, "client") // skips without root
//		c, err := rtnl.Dial(t.Context(), rtnl.WithNetNS(ns.FD()))
//		if err != nil {
//			t.Fatal(err)
//		}
//		defer c.Close()
//		// ns has lo and a veth "client", whose other end is
//		// nstest.PeerLink ("eth0") in ns.Peer("client").
//	}
//
// The namespaces are named namespaces, made as `ip netns add` makes them
// (see netnsutil.Add), so `ip -n NAME` and `ip netns exec NAME` work on
// them while the test runs. They are deleted, and their handles closed, when
// the test ends; the veth pairs go with them.
package nstest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
	"github.com/nlkit/nlkit/internal/netnsdir"
	"github.com/nlkit/nlkit/internal/nlconn"
	"github.com/nlkit/nlkit/netnsutil"
)

// NamePrefix, "nlkit-test-", starts the name of every namespace New makes.
const NamePrefix = netnsdir.TestPrefix

// PeerLink is the name of the veth end inside each peer namespace.
const PeerLink = "eth0"

// An NS is a named network namespace that lives as long as one test.
type NS struct {
	ns    *netnsutil.NetNS
	name  string
	peers map[string]*NS
}

// New creates a fresh network namespace for the test, with only lo (down)
// in it, and removes it when the test ends. For each label in peers it also
// creates a peer namespace and a veth pair between the two: the end in the
// test's namespace is named label, the end in the peer PeerLink. Labels must
// be valid device names other than "lo", each used once. The veth ends and
// lo are left down, without addresses.
//
// Without the privilege to create namespaces (not root, and the attempt
// fails with a permission error) New skips the test, saying why. Any other
// failure, or any failure as root, fails the test at once.
func New(t testing.TB, peers ...string) *NS {
	t.Helper()
	seen := map[string]bool{}
	for _, label := range peers {
		if err := checkLabel(label); err != nil {
			t.Fatalf("nstest: peer %q: %v", label, err)
		}
		if seen[label] {
			t.Fatalf("nstest: peer %q given twice", label)
		}
		seen[label] = true
	}

	ns := create(t, netnsdir.TestName())
	for _, label := range peers {
		peer := create(t, ns.name+"-"+label)
		if ns.peers == nil {
			ns.peers = make(map[string]*NS)
		}
		ns.peers[label] = peer
		if err := addVeth(ns, label, peer); err != nil {
			t.Fatalf("nstest: veth pair %s (%s) - %s (%s): %v", label, ns.name, PeerLink, peer.name, err)
		}
	}
	return ns
}

// create makes the named namespace, opens it and arranges the removal of
// both.
func create(t testing.TB, name string) *NS {
	t.Helper()
	netnsdir.AddForTest(t, "nstest", name)
	h, err := netnsutil.Open(name)
	if err != nil {
		t.Fatalf("nstest: %v", err)
	}
	t.Cleanup(func() {
		if err := h.Close(); err != nil {
			t.Errorf("nstest: %v", err)
		}
	})
	return &NS{ns: h, name: name}
}

// Name returns the namespace's name, such as "nlkit-test-3f2a9c1d", for
// `ip -n NAME` or netnsutil.Open. A peer's name is its namespace's name, a
// dash and its label.
func (ns *NS) Name() string { return ns.name }

// Path returns the namespace's bind mount, /run/netns/NAME.
func (ns *NS) Path() string { return ns.ns.Path() }

// FD returns a descriptor of the namespace (O_RDONLY|O_CLOEXEC), for
// rtnl.WithNetNS and the like. It is valid until the test's cleanup; do not
// close it.
func (ns *NS) FD() int { return ns.ns.FD() }

// NetNS returns the namespace's handle, for netnsutil.Do and
// netnsutil.InNetNS. It is closed at the test's cleanup; do not close it.
func (ns *NS) NetNS() *netnsutil.NetNS { return ns.ns }

// Peer returns the peer namespace New made for label, or nil if there is
// none.
func (ns *NS) Peer(label string) *NS { return ns.peers[label] }

// checkLabel checks that label is a device name (as the kernel's
// dev_valid_name does) other than "lo".
func checkLabel(label string) error {
	if label == "" || len(label) >= unix.IFNAMSIZ || label == "." || label == ".." {
		return errors.New("not a valid device name")
	}
	if strings.ContainsFunc(label, func(r rune) bool { return r == '/' || r == ':' || r == 0 || unicode.IsSpace(r) }) {
		return errors.New("not a valid device name")
	}
	if label == "lo" {
		return errors.New(`"lo" is taken`)
	}
	return nil
}

// vethInfoPeer is VETH_INFO_PEER (linux/veth.h).
const vethInfoPeer = 1

// addVeth creates, in ns, the veth name whose peer PeerLink is in peer, as
// `ip -n NS link add NAME type veth peer name eth0 netns PEER` does.
func addVeth(ns *NS, name string, peer *NS) error {
	var e attrs.Encoder
	e.Reset(make([]byte, unix.SizeofIfInfomsg, 128))
	e.String(unix.IFLA_IFNAME, name)
	info := e.Nest(unix.IFLA_LINKINFO)
	e.String(unix.IFLA_INFO_KIND, "veth")
	data := e.Nest(unix.IFLA_INFO_DATA)
	p := e.Nest(vethInfoPeer)
	e.Append(make([]byte, unix.SizeofIfInfomsg))
	e.String(unix.IFLA_IFNAME, PeerLink)
	e.Uint32(unix.IFLA_NET_NS_FD, uint32(peer.FD()))
	e.End(p)
	e.End(data)
	e.End(info)
	if err := e.Err(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := nlconn.Dial(ctx, unix.NETLINK_ROUTE, nlconn.Config{NetNS: ns.FD()})
	if err != nil {
		return err
	}
	defer c.Close()
	return c.Execute(ctx, "nstest: add veth "+name, unix.RTM_NEWLINK,
		unix.NLM_F_CREATE|unix.NLM_F_EXCL, e.Bytes(), nil)
}
