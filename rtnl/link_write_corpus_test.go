package rtnl

import (
	"bytes"
	"net"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/corpus"
)

// TestCorpusLinkWriteRequests builds the requests of the corpus' link add,
// set and delete commands and compares them with the bytes iproute2 sent,
// volatile bytes masked.
func TestCorpusLinkWriteRequests(t *testing.T) {
	up, down := true, false
	mtu := uint32(1400)
	master, nomaster := int32(4), int32(0)
	name := "veth9"
	add := func(l Link, o addOptions) func(*writer) error {
		return func(w *writer) error { return w.addLink(&l, o) }
	}
	set := func(index int32, ch LinkChange) func(*writer) error {
		return func(w *writer) error { return w.setLink(index, &ch) }
	}
	for _, tc := range []struct {
		name  string
		build func(*writer) error
	}{
		{"link_add_veth", add(Link{Name: "veth0", Info: &LinkInfo{Data: &Veth{Peer: Link{Name: "veth1"}}}}, addOptions{})},
		{"link_add_veth_peer_netns", add(Link{Name: "veth0", Info: &LinkInfo{Data: &Veth{Peer: Link{Name: "veth1"}, PeerNetNS: NetNSFD(4)}}}, addOptions{})},
		{"link_add_bridge", add(Link{Name: "br0", Info: &LinkInfo{Kind: "bridge"}}, addOptions{})},
		{"link_add_ifb", add(Link{Name: "ifb0", Info: &LinkInfo{Kind: "ifb"}}, addOptions{})},
		{"link_add_dummy", add(Link{Name: "dummy0", Info: &LinkInfo{Kind: "dummy"}}, addOptions{})},
		{"link_set_up", set(3, LinkChange{Up: &up})},
		{"link_set_down", set(3, LinkChange{Up: &down})},
		{"link_set_master", set(3, LinkChange{MasterIndex: &master})},
		{"link_set_nomaster", set(3, LinkChange{MasterIndex: &nomaster})},
		{"link_set_mtu", set(3, LinkChange{MTU: &mtu})},
		{"link_set_name", set(3, LinkChange{Name: &name})},
		{"link_set_address", set(3, LinkChange{Address: net.HardwareAddr{2, 0, 0, 0, 0, 0xaa}})},
		{"link_set_netns", set(2, LinkChange{NetNS: NetNSFD(4)})},
		{"link_del", func(w *writer) error { putIfInfoMsg(w, unix.AF_UNSPEC, 3, 0, 0); return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCorpusRequest(t, tc.name, tc.build) })
	}
}

// checkCorpusRequest builds a request with build and compares it with the
// last link write of a corpus case. The message header is the Conn's: it
// compares the payloads, masking what is volatile in the capture.
func checkCorpusRequest(t *testing.T, name string, build func(*writer) error) {
	t.Helper()
	c := corpus.LoadCase(t, name)
	want := lastLinkWrite(t, c)
	var w writer
	defer w.close()
	if err := build(&w); err != nil {
		t.Fatalf("%s: building the request: %v", name, err)
	}
	wantPayload := corpus.Mask(want.Bytes, want.Volatile)[16:]
	if got := w.Bytes(); !bytes.Equal(maskLike(got, want), wantPayload) {
		t.Errorf("%s: request payload\n got %x\nwant %x (volatile bytes zeroed)", c.Command, got, wantPayload)
	}
}

// checkCorpusAddRequest checks the request creating l against the last
// link write of a corpus case.
func checkCorpusAddRequest(t *testing.T, name string, l Link) {
	t.Helper()
	checkCorpusRequest(t, name, func(w *writer) error { return w.addLink(&l, addOptions{}) })
}

// lastLinkWrite returns the case's last RTM_NEWLINK or RTM_DELLINK request
// that is not iproute2's seq-0 feature probe.
func lastLinkWrite(t *testing.T, c corpus.Case) corpus.Message {
	t.Helper()
	var found *corpus.Message
	for i, m := range c.Messages {
		if m.Direction == "request" && m.Seq != 0 && m.Protocol == "NETLINK_ROUTE" &&
			(m.Type == unix.RTM_NEWLINK || m.Type == unix.RTM_DELLINK) {
			found = &c.Messages[i]
		}
	}
	if found == nil {
		t.Fatalf("%s: no link write request", c.Name)
	}
	return *found
}

// maskLike zeroes in a payload the bytes the corpus message marks volatile.
func maskLike(payload []byte, m corpus.Message) []byte {
	full := append(make([]byte, 16), payload...)
	return corpus.Mask(full, m.Volatile)[16:]
}
