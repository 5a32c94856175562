package rtnl

import (
	"fmt"
	"testing"

	"github.com/josharian/native"
	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/internal/corpus"
)

// TestCorpusDecodeNetConf decodes the netconf notifications of the corpus
// (RTM_NEWNETCONF and RTM_DELNETCONF, from ip monitor cases): each must
// decode, with the link index the capture decoded, and marshal.
func TestCorpusDecodeNetConf(t *testing.T) {
	n := 0
	for _, c := range corpus.Load(t) {
		for _, m := range append(append([]corpus.Message(nil), c.Messages...), c.Saved...) {
			if m.Protocol != "NETLINK_ROUTE" || (m.Type != unix.RTM_NEWNETCONF && m.Type != unix.RTM_DELNETCONF) {
				continue
			}
			where := fmt.Sprintf("%s: %s message %d (%s)", c.Name, m.Direction, m.Index, m.TypeName)
			nc, err := decodeNetConf(m.Payload())
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			if !netconfFamilyValid(nc.Family) {
				t.Errorf("%s: family %d", where, nc.Family)
			}
			for _, at := range m.Attrs {
				switch at.Type {
				case netconfaIfIndex:
					if want := int32(native.Endian.Uint32(m.Bytes[at.Off+4:])); nc.LinkIndex != want {
						t.Errorf("%s: link index %d, want %d", where, nc.LinkIndex, want)
					}
				case netconfaForwarding:
					if want := native.Endian.Uint32(m.Bytes[at.Off+4:]) != 0; nc.Forwarding == nil || *nc.Forwarding != want {
						t.Errorf("%s: forwarding %v, want %v", where, nc.Forwarding, want)
					}
				}
			}
			if _, err := nc.MarshalJSON(); err != nil {
				t.Errorf("%s: %v", where, err)
			}
			n++
		}
	}
	if n == 0 {
		t.Error("no netconf message in the corpus")
	}
}
