package rtnl_test

import (
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

func TestVtiAdd(t *testing.T) {
	tnlRunCases(t, []tnlCase{
		{name: "vti", data: &rtnl.Vti{
			IKey: ptr(uint32(1)), OKey: ptr(uint32(1)), Local: tnlAddr("10.0.0.1"), Remote: tnlAddr("10.0.0.2"),
			FwMark: ptr(uint32(0)),
		}, ip: "type vti key 1 remote 10.0.0.2 local 10.0.0.1"},
		{name: "vti options", dev: true, data: &rtnl.Vti{
			Kind: "vti", IKey: ptr(uint32(5)), OKey: ptr(uint32(7)), Local: tnlAddr("10.0.0.1"),
			Remote: tnlAddr("10.0.0.2"), FwMark: ptr(uint32(0x99)),
		}, ip: "type vti ikey 0.0.0.5 okey 7 remote 10.0.0.2 local 10.0.0.1 dev u0 fwmark 0x99"},
		{name: "vti6", data: &rtnl.Vti{
			Kind: "vti6", IKey: ptr(uint32(1)), OKey: ptr(uint32(1)),
			Local: tnlAddr("2001:db8::1"), Remote: tnlAddr("2001:db8::2"), FwMark: ptr(uint32(0)),
		}, ip: "type vti6 key 1 remote 2001:db8::2 local 2001:db8::1"},
		{name: "vti6 options", dev: true, data: &rtnl.Vti{
			Kind: "vti6", IKey: ptr(uint32(0x01020304)), OKey: ptr(uint32(5)),
			Local: tnlAddr("2001:db8::1"), Remote: tnlAddr("2001:db8::2"), FwMark: ptr(uint32(3)),
		}, ip: "type vti6 ikey 1.2.3.4 okey 5 remote 2001:db8::2 local 2001:db8::1 dev u0 fwmark 3"},
	})
}

func TestVtiSetLink(t *testing.T) {
	for _, kind := range []string{"vti", "vti6"} {
		t.Run(kind, func(t *testing.T) {
			local, remote := tnlAddr("10.0.0.1"), tnlAddr("10.0.0.2")
			if kind == "vti6" {
				local, remote = tnlAddr("2001:db8::1"), tnlAddr("2001:db8::2")
			}
			data := &rtnl.Vti{Kind: kind, IKey: ptr(uint32(1)), OKey: ptr(uint32(1)), Local: local, Remote: remote}
			tnlChangeAll(t, data, func(d *rtnl.Vti) {
				d.IKey, d.OKey, d.FwMark = ptr(uint32(10)), ptr(uint32(20)), ptr(uint32(0x30))
			})
		})
	}
}

func TestVtiInvalid(t *testing.T) {
	ns := testns.New(t)
	c := dial(t, ns)
	for _, d := range []*rtnl.Vti{
		{Kind: "gre"},
		{Local: tnlAddr("2001:db8::1")},
		{Kind: "vti6", Remote: tnlAddr("10.0.0.1")},
	} {
		checkAddInvalid(t, c, rtnl.Link{Name: "bad0", Info: &rtnl.LinkInfo{Data: d}})
	}
}
