package macsec_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlkit/nlkit/genl"
	"github.com/nlkit/nlkit/genl/internal/gtest"
	"github.com/nlkit/nlkit/genl/macsec"
	"github.com/nlkit/nlkit/internal/kfeature"
	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

func ptr[T any](v T) *T { return &v }

// compare checks List and ListSeq against `ip -j -s macsec show`.
func compare(t *testing.T, ns *testns.NS, c *genl.Conn) []macsec.SecY {
	t.Helper()
	ctx := context.Background()
	ss, err := macsec.List(ctx, c)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	gtest.CompareJSON(t, "List", gtest.JSONList(t, ss), ns.IP(t, "-j", "-s", "macsec", "show"))
	n := 0
	for _, err := range macsec.ListSeq(ctx, c) {
		if err != nil {
			t.Fatalf("ListSeq: %v", err)
		}
		n++
	}
	if n != len(ss) {
		t.Errorf("ListSeq streamed %d, List returned %d", n, len(ss))
	}
	return ss
}

// macsecNS returns a namespace with MACsec links ms0 (GCM-AES-128) and ms1
// (GCM-AES-XPN-128) on a veth, and their indexes.
func macsecNS(t *testing.T) (*testns.NS, *genl.Conn, int32, int32) {
	t.Helper()
	ns := testns.New(t)
	ctx := context.Background()
	rc, err := rtnl.Dial(ctx, rtnl.WithNetNS(ns.FD()))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	ns.IP(t, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	v0, err := rc.LinkByName(ctx, "v0")
	if err != nil {
		t.Fatal(err)
	}
	err = rc.AddLink(ctx, rtnl.Link{Name: "ms0", ParentIndex: &v0.Index, Info: &rtnl.LinkInfo{Data: &rtnl.Macsec{Port: ptr[uint16](1)}}})
	if errors.Is(err, rtnl.ErrNotSupported) {
		kfeature.Missing(t, kfeature.LinkKind("macsec"), err)
	}
	if err != nil {
		t.Fatalf("add macsec link: %v", err)
	}
	ns.IP(t, "link", "add", "link", "v0", "ms1", "type", "macsec", "port", "2", "cipher", "gcm-aes-xpn-128", "encrypt", "on")
	ms0, err := rc.LinkByName(ctx, "ms0")
	if err != nil {
		t.Fatal(err)
	}
	ms1, err := rc.LinkByName(ctx, "ms1")
	if err != nil {
		t.Fatal(err)
	}
	return ns, gtest.Dial(t, ns), ms0.Index, ms1.Index
}

const (
	sciA  = 0x0200000000020001
	sciB  = 0x0200000000030001
	key16 = "00112233445566778899aabbccddeeff"
)

func TestMacsecLikeIP(t *testing.T) {
	ns, c, ms0, ms1 := macsecNS(t)
	ctx := context.Background()
	compare(t, ns, c)
	key := bytes.Repeat([]byte{0xab}, 16)

	// nlkit adds, ip reads.
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	must("AddTxSA", macsec.AddTxSA(ctx, c, ms0, macsec.SAConfig{AN: 0, PN: 1, KeyID: []byte{1}, Key: key, Active: ptr(true)}))
	must("AddRxSC", macsec.AddRxSC(ctx, c, ms0, sciA, ptr(true)))
	must("AddRxSA", macsec.AddRxSA(ctx, c, ms0, sciA, macsec.SAConfig{AN: 1, PN: 5, KeyID: []byte{2, 3}, Key: key}))
	must("AddTxSA xpn", macsec.AddTxSA(ctx, c, ms1, macsec.SAConfig{AN: 2, PN: 1 << 33, XPN: true, SSCI: ptr[uint32](0x10203),
		Salt: bytes.Repeat([]byte{7}, 12), KeyID: []byte{9}, Key: key, Active: ptr(true)}))
	// ip adds, nlkit reads.
	ns.IP(t, "macsec", "add", "ms0", "tx", "sa", "1", "pn", "100", "off", "key", "02", key16)
	ns.IP(t, "macsec", "add", "ms0", "rx", "sci", "0200000000030001", "off")
	ns.IP(t, "macsec", "add", "ms0", "rx", "sci", "0200000000030001", "sa", "0", "pn", "1", "on", "key", "03", key16)
	ns.IP(t, "macsec", "add", "ms1", "rx", "sci", "0200000000040001")
	ns.IP(t, "macsec", "add", "ms1", "rx", "sci", "0200000000040001", "sa", "3", "xpn", "77", "ssci", "5", "salt", "0102030405060708090a0b0c", "on", "key", "04", key16)
	ss := compare(t, ns, c)
	if len(ss) != 2 || len(ss[0].TxSAs)+len(ss[1].TxSAs) != 3 || len(ss[0].RxSCs) != 2 {
		t.Errorf("List = %+v", ss)
	}

	// Each updates what the other added.
	must("UpdateTxSA", macsec.UpdateTxSA(ctx, c, ms0, macsec.SAConfig{AN: 1, PN: 200, Active: ptr(true)}))
	must("UpdateRxSC", macsec.UpdateRxSC(ctx, c, ms0, sciB, ptr(true)))
	must("UpdateRxSA", macsec.UpdateRxSA(ctx, c, ms0, sciB, macsec.SAConfig{AN: 0, Active: ptr(false)}))
	ns.IP(t, "macsec", "set", "ms0", "tx", "sa", "0", "pn", "50", "off")
	ns.IP(t, "macsec", "set", "ms0", "rx", "sci", "0200000000020001", "off")
	ns.IP(t, "macsec", "set", "ms0", "rx", "sci", "0200000000020001", "sa", "1", "pn", "9", "on")
	compare(t, ns, c)

	// Offload stays off on a veth; phy is not supported.
	must("SetOffload(off)", macsec.SetOffload(ctx, c, ms0, rtnl.MacsecOffloadOff))
	if err := macsec.SetOffload(ctx, c, ms0, rtnl.MacsecOffloadPHY); !errors.Is(err, genl.ErrNotSupported) {
		t.Errorf("SetOffload(phy) on a veth: %v; want ErrNotSupported", err)
	}

	// Each deletes what the other added; the kernel deletes no active SA.
	must("UpdateTxSA(off)", macsec.UpdateTxSA(ctx, c, ms0, macsec.SAConfig{AN: 1, Active: ptr(false)}))
	ns.IP(t, "macsec", "set", "ms0", "rx", "sci", "0200000000020001", "sa", "1", "off")
	must("DeleteRxSA", macsec.DeleteRxSA(ctx, c, ms0, sciB, 0))
	must("DeleteRxSC", macsec.DeleteRxSC(ctx, c, ms0, sciB))
	must("DeleteTxSA", macsec.DeleteTxSA(ctx, c, ms0, 1))
	ns.IP(t, "macsec", "del", "ms0", "rx", "sci", "0200000000020001", "sa", "1")
	ns.IP(t, "macsec", "del", "ms0", "rx", "sci", "0200000000020001")
	ns.IP(t, "macsec", "del", "ms0", "tx", "sa", "0")
	ss = compare(t, ns, c)
	if len(ss[0].TxSAs) != 0 || len(ss[0].RxSCs) != 0 {
		t.Errorf("after deleting, ms0 = %+v", ss[0])
	}
	if err := macsec.DeleteTxSA(ctx, c, ms1, 2); !errors.Is(err, unix.EBUSY) {
		t.Errorf("DeleteTxSA of an active SA: %v; want EBUSY", err)
	}
	if err := macsec.DeleteTxSA(ctx, c, ms0, 1); !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("DeleteTxSA of a missing SA: %v; want ErrNotExist", err)
	}
	if err := macsec.DeleteRxSC(ctx, c, ms0, sciB); !errors.Is(err, genl.ErrNotExist) {
		t.Errorf("DeleteRxSC of a missing SC: %v; want ErrNotExist", err)
	}
}

func TestInvalid(t *testing.T) {
	ctx := context.Background()
	key := make([]byte, 16)
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"an 4", macsec.AddTxSA(ctx, nil, 1, macsec.SAConfig{AN: 4, PN: 1, Key: key})},
		{"no key", macsec.AddTxSA(ctx, nil, 1, macsec.SAConfig{PN: 1})},
		{"pn 0", macsec.AddTxSA(ctx, nil, 1, macsec.SAConfig{Key: key})},
		{"update key", macsec.UpdateTxSA(ctx, nil, 1, macsec.SAConfig{Key: key})},
		{"pn above 32 bits", macsec.AddTxSA(ctx, nil, 1, macsec.SAConfig{PN: 1 << 32, Key: key})},
		{"salt without xpn", macsec.AddRxSA(ctx, nil, 1, sciA, macsec.SAConfig{PN: 1, Key: key, Salt: make([]byte, 12)})},
		{"short salt", macsec.AddRxSA(ctx, nil, 1, sciA, macsec.SAConfig{PN: 1, XPN: true, Key: key, Salt: make([]byte, 3)})},
		{"long key id", macsec.AddTxSA(ctx, nil, 1, macsec.SAConfig{PN: 1, Key: key, KeyID: make([]byte, 17)})},
		{"no link", macsec.AddRxSC(ctx, nil, 0, sciA, nil)},
		{"offload 9", macsec.SetOffload(ctx, nil, 1, 9)},
	} {
		if !genl.IsInvalid(tc.err) {
			t.Errorf("%s: %v; want an InvalidError", tc.name, tc.err)
		}
	}
}
