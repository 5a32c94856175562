package rtnl_test

import (
	"context"
	"errors"
	"testing"

	"github.com/nlkit/nlkit/internal/testns"
	"github.com/nlkit/nlkit/rtnl"
)

func TestVtiAdd(t *testing.T) {
	tnlRunCases(t, []tnlCase{
		{name: "vti", data: &rtnl.Vti{
			IKey: tnlP(uint32(1)), OKey: tnlP(uint32(1)), Local: tnlAddr("10.0.0.1"), Remote: tnlAddr("10.0.0.2"),
			FwMark: tnlP(uint32(0)),
		}, ip: "type vti key 1 remote 10.0.0.2 local 10.0.0.1"},
		{name: "vti options", dev: true, data: &rtnl.Vti{
			Kind: "vti", IKey: tnlP(uint32(5)), OKey: tnlP(uint32(7)), Local: tnlAddr("10.0.0.1"),
			Remote: tnlAddr("10.0.0.2"), FwMark: tnlP(uint32(0x99)),
		}, ip: "type vti ikey 0.0.0.5 okey 7 remote 10.0.0.2 local 10.0.0.1 dev u0 fwmark 0x99"},
		{name: "vti6", data: &rtnl.Vti{
			Kind: "vti6", IKey: tnlP(uint32(1)), OKey: tnlP(uint32(1)),
			Local: tnlAddr("2001:db8::1"), Remote: tnlAddr("2001:db8::2"), FwMark: tnlP(uint32(0)),
		}, ip: "type vti6 key 1 remote 2001:db8::2 local 2001:db8::1"},
		{name: "vti6 options", dev: true, data: &rtnl.Vti{
			Kind: "vti6", IKey: tnlP(uint32(0x01020304)), OKey: tnlP(uint32(5)),
			Local: tnlAddr("2001:db8::1"), Remote: tnlAddr("2001:db8::2"), FwMark: tnlP(uint32(3)),
		}, ip: "type vti6 ikey 1.2.3.4 okey 5 remote 2001:db8::2 local 2001:db8::1 dev u0 fwmark 3"},
	})
}

func TestVtiSetLink(t *testing.T) {
	for _, kind := range []string{"vti", "vti6"} {
		t.Run(kind, func(t *testing.T) {
			ns := testns.New(t)
			c := dial(t, ns)
			local, remote := tnlAddr("10.0.0.1"), tnlAddr("10.0.0.2")
			if kind == "vti6" {
				local, remote = tnlAddr("2001:db8::1"), tnlAddr("2001:db8::2")
			}
			tnlAdd(t, c, rtnl.Link{Name: "t0", Info: &rtnl.LinkInfo{Data: &rtnl.Vti{
				Kind: kind, IKey: tnlP(uint32(1)), OKey: tnlP(uint32(1)), Local: local, Remote: remote,
			}}})
			d := mustLink(t, c, "t0").Info.Data.(*rtnl.Vti)
			d.IKey, d.OKey, d.FwMark = tnlP(uint32(10)), tnlP(uint32(20)), tnlP(uint32(0x30))
			tnlSetAndCheck(t, c, ns, "t0", d, d)
			tnlCheckSet(t, d, mustLink(t, c, "t0").Info.Data)
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
		err := c.AddLink(context.Background(), rtnl.Link{Name: "bad0", Info: &rtnl.LinkInfo{Data: d}})
		var invalid *rtnl.InvalidError
		if !errors.As(err, &invalid) {
			t.Errorf("AddLink(%+v) error = %v; want an InvalidError", d, err)
		}
	}
}
