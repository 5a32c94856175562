package genl

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/attrs"
)

// familyMessage encodes a CTRL_CMD_NEWFAMILY message with one command and
// one group, as the fuzz seed.
func familyMessage() []byte {
	var e attrs.Encoder
	e.Reset([]byte{unix.CTRL_CMD_NEWFAMILY, 2, 0, 0})
	e.Uint16(unix.CTRL_ATTR_FAMILY_ID, 0x1c)
	e.String(unix.CTRL_ATTR_FAMILY_NAME, "mptcp_pm")
	e.Uint32(unix.CTRL_ATTR_VERSION, 1)
	e.Uint32(unix.CTRL_ATTR_HDRSIZE, 0)
	e.Uint32(unix.CTRL_ATTR_MAXATTR, 7)
	ops := e.Nest(unix.CTRL_ATTR_OPS)
	op := e.Nest(1)
	e.Uint32(unix.CTRL_ATTR_OP_ID, 1)
	e.Uint32(unix.CTRL_ATTR_OP_FLAGS, 0xe)
	e.End(op)
	e.End(ops)
	groups := e.Nest(unix.CTRL_ATTR_MCAST_GROUPS)
	g := e.Nest(1)
	e.String(unix.CTRL_ATTR_MCAST_GRP_NAME, "mptcp_pm_events")
	e.Uint32(unix.CTRL_ATTR_MCAST_GRP_ID, 9)
	e.End(g)
	e.End(groups)
	return e.Bytes()
}

func TestDecodeFamilyMessage(t *testing.T) {
	f, err := decodeFamilyMessage(familyMessage())
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "mptcp_pm" || f.ID != 0x1c || f.MaxAttr != 7 || len(f.Ops) != 1 || f.Ops[0].Flags != OpCanDo|OpCanDump|OpHasPolicy {
		t.Errorf("decoded %+v", f)
	}
	if g, ok := f.Group("mptcp_pm_events"); !ok || g.ID != 9 {
		t.Errorf("Group(mptcp_pm_events) = %+v, %v", g, ok)
	}
	for n := range len(familyMessage()) {
		if _, err := decodeFamilyMessage(familyMessage()[:n]); err == nil && n < 8 {
			t.Errorf("a message cut to %d bytes decodes", n)
		}
	}
}

func FuzzDecodeFamilyMessage(f *testing.F) {
	f.Add(familyMessage())
	f.Add([]byte{unix.CTRL_CMD_NEWFAMILY, 2, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		decodeFamilyMessage(b) // must not panic
	})
}
