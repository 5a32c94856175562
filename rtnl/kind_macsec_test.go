package rtnl_test

import (
	"strings"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

func TestMacsec(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	addVeth(t, ns, c, "v0", "v1")
	v0 := ptr(mustLink(t, c, "v0").Index)
	cipher, icv, sa, window := rtnl.MacsecGCMAES256, uint8(16), uint8(2), uint32(64)
	validate, sci := rtnl.MacsecValidateCheck, uint64(0x0200000000010005)
	on, off := true, false
	// nlkit adds, ip reads.
	kindsAdd(t, c, rtnl.Link{Name: "ms0", ParentIndex: v0, Info: &rtnl.LinkInfo{Data: &rtnl.Macsec{SCI: &sci,
		CipherSuite: &cipher, ICVLen: &icv, EncodingSA: &sa, Encrypt: &on, IncludeSCI: &on,
		ReplayProtect: &on, Window: &window, Validation: &validate}}})
	port := uint16(7)
	kindsAdd(t, c, rtnl.Link{Name: "ms1", ParentIndex: v0, Info: &rtnl.LinkInfo{Data: &rtnl.Macsec{Port: &port}}})
	kindsAdd(t, c, rtnl.Link{Name: "ms4", ParentIndex: v0, Info: &rtnl.LinkInfo{Data: &rtnl.Macsec{EndStation: &on, Protect: &off}}})
	got := checkLink(t, ns, c, "ms0")
	m := got.Info.Data.(*rtnl.Macsec)
	if *m.SCI != sci || *m.CipherSuite != cipher || *m.Window != window || !*m.Encrypt {
		t.Errorf("ms0 reads back as %+v", m)
	}
	checkLink(t, ns, c, "ms1")
	checkLink(t, ns, c, "ms4")
	// ip adds, nlkit reads.
	cmds := []string{
		"ms2 link v0 type macsec port 9 cipher gcm-aes-128 icvlen 8 encrypt on protect off send_sci on validate strict",
		"ms3 link v0 type macsec sci 0200000000020003 scb on replay on window 10 encodingsa 1",
	}
	for _, cmd := range cmds {
		ns.IP(t, append([]string{"link", "add"}, strings.Fields(cmd)...)...)
	}
	checkLinksFromIP[*rtnl.Macsec](t, ns, c, cmds)
	for _, d := range []*rtnl.Macsec{
		{SCI: &sci, Port: &port},
		{Window: &window},
		{IncludeSCI: &on, EndStation: &on},
		{EndStation: &on, SCB: &on},
	} {
		checkAddInvalid(t, c, rtnl.Link{Name: "bad", ParentIndex: v0, Info: &rtnl.LinkInfo{Data: d}})
	}
}
